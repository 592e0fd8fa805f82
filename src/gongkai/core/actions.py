"""One action layer for the workbench and the API.

Each app lists its staff actions once, in ``<app>/actions.py``::

    from gongkai.core.actions import Action, ActionForm, ActionSet

    class RejectForm(ActionForm):
        reason = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea)

    APPEAL_ACTIONS = ActionSet(
        "appeal",
        [
            Action("accept", _("受理"), transition="accept",
                   execute=lambda *, actor, obj, data: services.appeal_accept(actor=actor, appeal=obj, **data)),
            Action("reject", _("不予受理"), transition="reject", form_class=RejectForm, style="danger",
                   execute=lambda *, actor, obj, data: services.appeal_reject(actor=actor, appeal=obj, **data)),
        ],
    )

An :class:`Action` has a name, a label, an input form (a Django form: the same fields and
validation for both faces), what gates it (the FSM transition it runs — state, conditions
and permission declared on the model — and/or an ``allowed(user, obj)`` check) and
``execute`` (one service call: a combined step is one service, one transaction).

* The workbench mounts :func:`action_view` at ``<pk>/act/<name>/`` (GET shows the form,
  POST runs it) and renders buttons with ``ActionSet.bound(...)`` and ``core/_actions.html``.
* The API gets one documented route per action, ``POST …/{id}/<name>/``, from
  :func:`add_api_actions`, plus an ``actions`` list of the actions open to the caller on
  each object (:func:`api_links`).

Both run :func:`perform`, so the two faces can never differ. Refusals: unknown action →
404; the object's state or a precondition → :class:`~gongkai.core.transitions.TransitionRefused`
(409); the user's role → ``PermissionDenied`` (403); invalid input → ``ValidationError`` (400).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import transitions
from .transitions import TransitionRefused

__all__ = [
    "Action",
    "ActionForm",
    "ActionSet",
    "BoundAction",
    "InvalidInput",
    "action_view",
    "add_api_actions",
    "api_links",
    "form_data",
    "perform",
    "serializer_for_form",
]


class ActionForm(forms.Form):
    """Input of an action; receives the object and the acting user (for choices that depend on them)."""

    def __init__(self, *args, obj=None, user=None, **kwargs):
        self.obj = obj
        self.user = user
        super().__init__(*args, **kwargs)


Execute = Callable[..., Any]


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    execute: Execute  # execute(*, actor, obj, data) -> the changed object
    form_class: type[forms.BaseForm] | None = None
    transition: str | None = None
    allowed: Callable[[Any, Any], bool] | None = None
    # For actions that are not FSM transitions: obj -> why the object's state does not allow it
    # (a message: TransitionRefused, HTTP 409) or None.
    precondition: Callable[[Any], Any] | None = None
    style: str = ""  # "primary" | "danger" | ""
    confirm: Any = None  # question asked before a destructive action
    description: Any = ""  # shown in the API documentation
    success: Any = None  # message after success (default: "已完成：<label>")

    def __post_init__(self):
        if self.transition is None and self.allowed is None:
            raise ValueError(f"action {self.name!r} must name a transition or an allowed() check")

    def refusal(self, user, obj) -> Exception | None:
        if self.transition is not None:
            error = transitions.refusal(obj, self.transition, user)
            if error is not None:
                return error
        if self.precondition is not None:
            message = self.precondition(obj)
            if message:
                return TransitionRefused(message, code="condition")
        if self.allowed is not None and not self.allowed(user, obj):
            return PermissionDenied(_("您没有执行此操作的权限"))
        return None

    def is_available(self, user, obj) -> bool:
        return self.refusal(user, obj) is None

    def check(self, user, obj) -> None:
        error = self.refusal(user, obj)
        if error is not None:
            raise error

    def make_form(self, *, obj, user, data=None, files=None, prefix: str | None = None):
        if self.form_class is None:
            return None
        kwargs: dict[str, Any] = {"prefix": prefix}
        if issubclass(self.form_class, ActionForm):
            kwargs.update(obj=obj, user=user)
        if data is None:
            return self.form_class(**kwargs)
        return self.form_class(data, files, **kwargs)

    @property
    def has_input(self) -> bool:
        return self.form_class is not None and bool(self.form_class.base_fields)


@dataclass
class BoundAction:
    """An action as a button or inline form on one object's page."""

    action: Action
    url: str
    form: forms.BaseForm | None

    @property
    def name(self) -> str:
        return self.action.name

    @property
    def label(self):
        return self.action.label


@dataclass
class ActionSet:
    """The staff actions on one kind of object (e.g. ``"appeal"``), in display order."""

    kind: str
    actions: list[Action] = field(default_factory=list)

    def __post_init__(self):
        names = [a.name for a in self.actions]
        if len(names) != len(set(names)):
            raise ValueError(f"duplicate action names in {self.kind}: {names}")

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def get(self, name: str) -> Action:
        for action in self.actions:
            if action.name == name:
                return action
        raise Http404(_("没有名为“%(name)s”的操作") % {"name": name})

    def available(self, user, obj) -> list[Action]:
        return [a for a in self.actions if a.is_available(user, obj)]

    def bound(self, user, obj, url: Callable[[str], str]) -> list[BoundAction]:
        """The available actions with their URLs and blank forms (``url(name)`` builds the URL)."""
        return [
            BoundAction(a, url(a.name), a.make_form(obj=obj, user=user, prefix=a.name))
            for a in self.available(user, obj)
        ]


class InvalidInput(ValidationError):
    """The action's form did not validate (HTTP 400); ``form`` is the bound form with its errors."""

    def __init__(self, form: forms.BaseForm):
        super().__init__(form.errors.as_data())
        self.form = form


def perform(action: Action, *, user, obj, data=None, files=None, prefix: str | None = None):
    """Check, validate and execute one action: the single path for the workbench and the API."""
    action.check(user, obj)
    form = action.make_form(obj=obj, user=user, data=data if data is not None else {}, files=files, prefix=prefix)
    cleaned: dict[str, Any] = {}
    if form is not None:
        if not form.is_valid():
            raise InvalidInput(form)
        cleaned = dict(form.cleaned_data)
    try:
        return action.execute(actor=user, obj=obj, data=cleaned)
    except ValidationError as exc:
        if form is not None and not isinstance(exc, TransitionRefused):
            exc.form = form  # the service refused valid input: its messages go onto the form
        raise


# --- workbench ------------------------------------------------------------------------


def _add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def action_view(
    action_set: ActionSet,
    *,
    get_object: Callable[[Any, int], Any],
    success_url: Callable[[Any], str],
    template: str = "core/action_form.html",
):
    """A workbench view for ``<pk>/act/<name>/``.

    ``get_object(request, pk)`` returns the object the user may see (404/403 otherwise).
    GET shows the action's form; POST runs it and redirects to ``success_url(obj)`` with a
    message. Invalid input re-renders the form (400); a refused transition shows why (409).
    """

    @require_http_methods(["GET", "POST"])
    def view(request, pk: int, name: str):
        obj = get_object(request, pk)
        action = action_set.get(name)
        back = success_url(obj)
        error = action.refusal(request.user, obj)
        if isinstance(error, PermissionDenied):
            raise error
        status = 200
        form = action.make_form(obj=obj, user=request.user, prefix=action.name)
        problem = str(error.messages[0]) if isinstance(error, TransitionRefused) else ""
        if error is None and request.method == "POST":
            data, files = request.POST, request.FILES
            try:
                result = perform(action, user=request.user, obj=obj, data=data, files=files, prefix=action.name)
            except TransitionRefused as exc:
                problem, status = "；".join(exc.messages), 409
            except InvalidInput as exc:
                form, status = exc.form, 400
            except ValidationError as exc:
                bound = getattr(exc, "form", None)
                if bound is None:
                    problem = "；".join(exc.messages)
                else:
                    form = bound
                    _add_errors(form, exc)
                status = 400
            else:
                messages.success(request, action.success or _("已完成：%(label)s") % {"label": action.label})
                return HttpResponseRedirect(success_url(result if result is not None else obj))
        elif error is not None:
            status = 409
        context = {"obj": obj, "action": action, "form": form, "problem": problem, "back": back}
        return render(request, template, context, status=status)

    return view


# --- API ------------------------------------------------------------------------------


def form_data(data):
    """API input for a Django form: a JSON object becomes a ``MultiValueDict`` of scalars.

    Django forms expect what a browser posts (strings, lists for multiple choices); a JSON body may
    hold numbers, lists or objects where a form field expects one string (``{"review_date": [null]}``),
    which some fields cannot parse (a 500). Each value becomes a list of strings — nested objects
    as JSON text — so single-value fields read one value and fail validation cleanly (400).
    """
    if isinstance(data, MultiValueDict) or not isinstance(data, dict):
        return data
    out = MultiValueDict()
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        out.setlist(key, [_scalar(v) for v in values])
    return out


def _scalar(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)  # numbers and booleans as a browser would send them


def _serializer_field(field: forms.Field):
    from rest_framework import serializers

    common = {"required": field.required, "help_text": str(field.help_text or field.label or "") or None}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **common)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.MultipleChoiceField(choices=list(field.choices), **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=[c for c in field.choices if c[0] != ""], **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(required=False, help_text=common["help_text"])
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(max_digits=field.max_digits, decimal_places=field.decimal_places, **common)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.FileField):
        return serializers.FileField(**common)
    if isinstance(field, forms.EmailField):
        return serializers.EmailField(allow_blank=not field.required, **common)
    max_length = getattr(field, "max_length", None)
    return serializers.CharField(allow_blank=not field.required, max_length=max_length, **common)


_serializer_cache: dict[type, type] = {}


def serializer_for_form(form_class: type[forms.BaseForm], name: str):
    """A DRF serializer describing a form's fields (for the OpenAPI schema; the form validates)."""
    from rest_framework import serializers

    if form_class not in _serializer_cache:
        attrs = {fname: _serializer_field(f) for fname, f in form_class.base_fields.items()}
        _serializer_cache[form_class] = type(name, (serializers.Serializer,), attrs)
    return _serializer_cache[form_class]


@lru_cache(maxsize=1)
def _error_serializers():
    """One set of refusal schemas for every action route (one "ActionRefusal" component)."""
    from drf_spectacular.utils import OpenApiResponse, inline_serializer
    from rest_framework import serializers

    detail = inline_serializer(
        "ActionRefusal", {"detail": serializers.CharField(), "code": serializers.CharField(required=False)}
    )
    return {
        400: OpenApiResponse(description=_("输入有误（按字段列出错误）")),
        403: OpenApiResponse(detail, description=_("无权执行此操作")),
        404: OpenApiResponse(detail, description=_("记录或操作不存在")),
        409: OpenApiResponse(detail, description=_("当前状态或办理条件不允许此操作")),
    }


def add_api_actions(viewset, action_set: ActionSet, *, response_serializer, id_type=int) -> None:
    """Add one ``POST {id}/<action>/`` route per action to a DRF viewset (documented in OpenAPI).

    The viewset's ``get_object()`` scopes the object to what the user may see; the action
    then checks its own transition/permission through :func:`perform`.
    """
    from drf_spectacular.utils import OpenApiParameter, extend_schema
    from rest_framework.decorators import action as drf_action
    from rest_framework.response import Response

    for act in action_set:
        camel = "".join(p.capitalize() for p in f"{action_set.kind}_{act.name}".replace("-", "_").split("_"))
        request_schema = None
        if act.form_class is not None:
            serializer = serializer_for_form(act.form_class, f"{camel}Input")
            has_files = any(isinstance(f, forms.FileField) for f in act.form_class.base_fields.values())
            request_schema = {"multipart/form-data": serializer} if has_files else serializer

        def handler(self, request, pk=None, _act=act):
            obj = self.get_object()
            data = form_data(request.data) if hasattr(request.data, "get") else {}
            result = perform(_act, user=request.user, obj=obj, data=data, files=request.FILES)
            result = result if result is not None else obj
            return Response(response_serializer(result, context=self.get_serializer_context()).data)

        handler.__name__ = f"act_{act.name.replace('-', '_')}"
        handler = drf_action(detail=True, methods=["post"], url_path=act.name, url_name=f"act-{act.name}")(handler)
        handler = extend_schema(
            operation_id=f"{action_set.kind}_{act.name.replace('-', '_')}",
            summary=str(act.label),
            description=str(act.description or act.label),
            request=request_schema,
            responses={200: response_serializer, **_error_serializers()},
            parameters=[OpenApiParameter("id", id_type, OpenApiParameter.PATH)],
        )(handler)
        setattr(viewset, handler.__name__, handler)


def api_links(action_set: ActionSet, request, obj, *, url_name: str) -> list[dict]:
    """The actions open to the caller on ``obj``: ``[{"name", "label", "method", "url"}]``."""
    links = []
    for act in action_set.available(request.user, obj):
        url = reverse(url_name.replace("{action}", act.name), args=[obj.pk])
        links.append(
            {"name": act.name, "label": str(act.label), "method": "POST", "url": request.build_absolute_uri(url)}
        )
    return links


def api_link_names(action_set: ActionSet, user, obj) -> Iterable[str]:
    return [a.name for a in action_set.available(user, obj)]
