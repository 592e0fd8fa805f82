"""Running guarded state transitions: one helper for every app.

Models declare their state machines with django-fsm-2; every ``@transition`` names who may
run it (``permission=``, a callable ``(instance, user) -> bool`` built from
:mod:`gongkai.core.permissions`) and its preconditions (``conditions=``, callables
``(instance) -> bool``, each wrapped in :func:`condition` with the message a user sees when
it is not met)::

    @transition(field=status, source=Status.RECEIVED, target=Status.ACCEPTED,
                permission=may_dispatch, conditions=[condition(_("请先填写受理意见"))(has_note)])
    def accept(self): ...

Services run transitions through :func:`run`, which locks the row, checks state, conditions
and permission, calls the transition, saves, lets the app record its step history, and
writes the audit event, all in the caller's transaction. Refusals become one of two
exceptions, which the workbench and the API turn into the same answers:

* :class:`TransitionRefused` (a ``ValidationError``; HTTP 409): the state or a
  precondition does not allow it;
* ``django.core.exceptions.PermissionDenied`` (HTTP 403): this user may not.

Buttons and API links come from :func:`available` (transitions open to this user now).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from . import audit

M = TypeVar("M", bound=models.Model)

__all__ = ["TransitionRefused", "allowed", "available", "check", "condition", "refusal", "run"]


class TransitionRefused(ValidationError):
    """The object's state or an unmet precondition does not allow the transition (HTTP 409)."""

    http_status = 409

    def __init__(self, message: Any, *, code: str = "state"):
        super().__init__(message, code=code)


def condition(message: Any) -> Callable[[Callable[[Any], bool]], Callable[[Any], bool]]:
    """Attach the message shown when a transition's precondition is not met."""

    def deco(fn: Callable[[Any], bool]) -> Callable[[Any], bool]:
        fn.refusal_message = message  # type: ignore[attr-defined]
        return fn

    return deco


def _fsm(instance: models.Model, name: str):
    method = getattr(instance, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise TypeError(f"{type(instance).__name__}.{name} is not a state transition")
    return meta


def _state_label(instance: models.Model, field) -> str:
    display = getattr(instance, f"get_{field.name}_display", None)
    return str(display()) if callable(display) else str(field.get_state(instance))


def refusal(instance: models.Model, name: str, user=None) -> Exception | None:
    """Why ``user`` may not run transition ``name`` on ``instance`` now (``None``: they may).

    ``user=None`` means the system (a scheduled job, a citizen authenticated by the service):
    state and conditions are checked, permission is not.
    """
    meta = _fsm(instance, name)
    state = meta.field.get_state(instance)
    if not meta.has_transition(state):
        return TransitionRefused(
            _("当前状态为“%(state)s”，不能执行此操作") % {"state": _state_label(instance, meta.field)}, code="state"
        )
    transition_ = meta.get_transition(state)
    unmet = [c for c in transition_.conditions if not c(instance)]
    if unmet:
        messages = [str(getattr(c, "refusal_message", "") or _("不满足办理条件")) for c in unmet]
        return TransitionRefused("；".join(dict.fromkeys(messages)), code="condition")
    if user is not None and not transition_.has_perm(instance, user):
        return PermissionDenied(_("您没有执行此操作的权限"))
    return None


def check(instance: models.Model, name: str, user=None) -> None:
    """Raise :class:`TransitionRefused` or ``PermissionDenied`` unless the transition may run."""
    error = refusal(instance, name, user)
    if error is not None:
        raise error


def allowed(instance: models.Model, name: str, user=None) -> bool:
    return refusal(instance, name, user) is None


def available(instance: models.Model, user, names: Iterable[str] | None = None) -> list[str]:
    """Names of the transitions ``user`` may run on ``instance`` now (all FSM fields, or ``names``)."""
    if names is None:
        names = []
        for field in instance._meta.fields:
            transitions = getattr(field, "get_all_transitions", None)
            if transitions is not None:
                names.extend(t.name for t in transitions(type(instance)))
    return [n for n in dict.fromkeys(names) if allowed(instance, n, user)]


def run(
    instance: M,
    name: str,
    *,
    actor,
    action: str,
    unit: models.Model | Callable[[M], models.Model | None] | None = None,
    snapshot_fields: Iterable[str] | None = None,
    update: Callable[[M], None] | None = None,
    step: Callable[[M], Any] | None = None,
    args: tuple = (),
    kwargs: dict | None = None,
) -> M:
    """Run transition ``name`` on a freshly locked copy of ``instance`` and return that copy.

    In order: lock the row (``select_for_update``), check state, conditions and the actor's
    permission, snapshot, call the transition, apply ``update(obj)`` (fields the use case
    sets, e.g. a reason), ``save()``, ``step(obj)`` (the app's history row), and record the
    audit event ``action`` with before/after. Must run inside the service's transaction.
    Use the returned object: ``instance`` itself is not changed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transitions.run() must be called inside the service's transaction")
    model = type(instance)
    try:
        locked = model._default_manager.select_for_update().get(pk=instance.pk)
    except model.DoesNotExist as exc:
        raise TransitionRefused(_("该记录已不存在"), code="missing") from exc
    check(locked, name, actor)
    fields = list(snapshot_fields) if snapshot_fields is not None else None
    before = audit.snapshot(locked, fields)
    try:
        getattr(locked, name)(*args, **(kwargs or {}))
    except TransitionNotAllowed as exc:  # a condition changed between check and call
        raise TransitionRefused(_("当前状态不能执行此操作"), code="state") from exc
    if update is not None:
        update(locked)
    try:
        locked.save()
    except ConcurrentTransition as exc:
        raise TransitionRefused(_("该记录刚被他人处理，请刷新后重试"), code="conflict") from exc
    if step is not None:
        step(locked)
    owner = unit(locked) if callable(unit) else (unit if unit is not None else getattr(locked, "unit", None))
    audit.record(
        actor=actor, action=action, obj=locked, unit=owner, before=before, after=audit.snapshot(locked, fields)
    )
    return locked
