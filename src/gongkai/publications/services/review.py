"""The review workflow: submit → 公开属性审查 → [保密审查] → [负责人签发] → published → withdrawn.

Every step is a transition of :class:`~gongkai.publications.models.Publication` run through
:func:`gongkai.core.transitions.run` (lock, check state, conditions and the actor's permission,
save, review trail row, audit event). The guards are in :mod:`gongkai.publications.guards`.

Synchronous release of interpretations (国办发〔2016〕80号 / 政务公开工作要点): a policy marked
as needing interpretation is published only with a published interpretation, or together with
one waiting at its own final review step (both are published in one transaction), unless the
reviewer recorded why not (``publication_waive_interpretation``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.core import audit, transitions
from gongkai.core import html as text
from gongkai.core.models import User

from .. import indexing, numbering
from ..audit import AuditAction
from ..choices import REVIEW_STATES, Attribute, DocType, State, Step, WithholdGround
from ..guards import is_final_step, next_state
from ..models import Publication
from ._common import PUBLISH_FIELDS, STEP_FIELDS, trail

__all__ = [
    "publication_approve_attribute",
    "publication_reject",
    "publication_reopen",
    "publication_retain",
    "publication_review_attribute",
    "publication_review_confidentiality",
    "publication_sign_off",
    "publication_submit",
    "publication_waive_interpretation",
    "publication_withdraw",
]

#: the transition and trail step of each review state
STEPS = {
    State.ATTRIBUTE_REVIEW: ("approve_attribute", Step.ATTRIBUTE, AuditAction.ATTRIBUTE),
    State.CONFIDENTIALITY_REVIEW: ("approve_confidentiality", Step.CONFIDENTIALITY, AuditAction.CONFIDENTIALITY),
    State.SIGNOFF: ("sign_off", Step.SIGNOFF, AuditAction.SIGN_OFF),
}


def _lock(pub: Publication) -> Publication:
    try:
        return Publication.objects.select_for_update().select_related("unit").get(pk=pub.pk)
    except Publication.DoesNotExist as exc:
        raise transitions.TransitionRefused(_("该记录已不存在"), code="missing") from exc


def _run(pub, name, *, actor, action, step, comment="", update=None, args=(), fields=STEP_FIELDS):
    """Run transition ``name`` with the review trail row and the audit event."""
    pub = _lock(pub)  # the trail records the state the item really was in

    def set_comment(p: Publication) -> None:
        p.review_comment = comment
        if update is not None:
            update(p)

    return transitions.run(
        pub,
        name,
        actor=actor,
        action=action,
        snapshot_fields=fields,
        update=set_comment,
        step=trail(step, actor, comment, from_state=pub.state),
        args=args,
    )


@transaction.atomic
def publication_submit(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    """Send a draft to review (the ``submit`` transition checks that nothing is missing)."""
    return _run(
        publication, "submit", actor=actor, action=AuditAction.SUBMIT, step=Step.SUBMIT, comment=comment.strip()
    )


# --- publishing ---------------------------------------------------------------------


def _mark_published(pub: Publication) -> None:
    now = timezone.now()
    pub.published_at = now
    pub.published_on = timezone.localdate(now)
    if not pub.index_number:
        pub.index_number = numbering.allocate(pub, pub.published_on)
    pub.due_on = pub.compute_due_on()
    pub.is_late = pub.compute_is_late()


def _companions(pub: Publication) -> list[Publication]:
    """Items to publish together with ``pub``: its policy or its interpretations, waiting at their final step."""
    if pub.doc_type == DocType.INTERPRETATION and pub.interprets_id:
        candidates = [pub.interprets]
    elif pub.needs_interpretation and not pub.interpretation_waiver:
        if pub.interpretations.filter(state=State.PUBLISHED).exists():
            return []
        candidates = list(pub.interpretations.filter(doc_type=DocType.INTERPRETATION, state__in=REVIEW_STATES))
    else:
        return []
    return [c for c in candidates if c.state in REVIEW_STATES and is_final_step(c)]


def _published(pub: Publication, actor: User, previous_state: str) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.PUBLISH,
        obj=pub,
        unit=pub.unit,
        before={"state": previous_state},
        after=audit.snapshot(pub, PUBLISH_FIELDS),
    )
    indexing.schedule(pub)


def _approve(pub: Publication, expected: str, *, actor: User, comment: str = "", update=None) -> Publication:
    """Pass the review step ``expected``: on to the next layer of the unit's policy, or published."""
    pub = _lock(pub)
    name, step, action = STEPS[expected]
    if pub.state != expected:
        transitions.check(pub, name, actor)  # refused: the same answer as the transition gives
    target = next_state(pub)
    publishes = target == State.PUBLISHED
    companions = _companions(pub) if publishes else []
    # lock the rows published together, in one order, before the audit chain is touched
    list(Publication.objects.select_for_update().filter(pk__in=[c.pk for c in companions]).order_by("pk"))

    def apply(p: Publication) -> None:
        if update is not None:
            update(p)
        if publishes:
            _mark_published(p)

    previous = pub.state
    args = () if name == "sign_off" else (target,)
    pub = _run(pub, name, actor=actor, action=action, step=step, comment=comment, update=apply, args=args)
    if publishes:
        _published(pub, actor, previous)
        for other in companions:
            _publish_companion(other, actor, pub)
    return pub


def _publish_companion(other: Publication, actor: User, trigger: Publication) -> None:
    other = _lock(other)
    name, step, action = STEPS[other.state]
    previous = other.state
    with translation.override(None):  # the trail is a record: kept in the source language (简体)
        comment = _("与《%(title)s》同步发布") % {"title": trigger.title}
    args = () if name == "sign_off" else (State.PUBLISHED,)
    other = _run(other, name, actor=actor, action=action, step=step, comment=comment, update=_mark_published, args=args)
    _published(other, actor, previous)


@transaction.atomic
def publication_approve_attribute(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    """公开属性审查: the item is to be disclosed proactively; on to the next layer (or published)."""

    def proactive(p: Publication) -> None:
        p.attribute, p.attribute_ground, p.attribute_reason = Attribute.PROACTIVE, "", ""

    return _approve(publication, State.ATTRIBUTE_REVIEW, actor=actor, comment=(comment or "").strip(), update=proactive)


@transaction.atomic
def publication_retain(
    *, actor: User, publication: Publication, attribute: str, ground: str, reason: str, comment: str = ""
) -> Publication:
    """公开属性审查: not proactive (on request, or not disclosed) — kept, with its legal ground and
    reason (政府信息公开条例 arts. 14–16), never published."""
    reason = (reason or "").strip()
    errors = {}
    if attribute not in (Attribute.ON_REQUEST, Attribute.NOT_DISCLOSED):
        errors["attribute"] = _("请选择依申请公开或不予公开")
    if ground not in WithholdGround.values:
        errors["ground"] = _("不主动公开的，须选择法律依据")
    if not reason:
        errors["reason"] = _("不主动公开的，须说明理由")
    if errors:
        raise ValidationError(errors)

    def keep(p: Publication) -> None:
        p.attribute, p.attribute_ground, p.attribute_reason = attribute, ground, reason

    with translation.override(None):  # the trail is a record: kept in the source language (简体)
        label = f"{Attribute(attribute).label}：{WithholdGround(ground).label}。{reason}"
    comment = "\n".join(part for part in (label, (comment or "").strip()) if part)
    return _run(
        publication, "retain", actor=actor, action=AuditAction.RETAIN, step=Step.RETAIN, comment=comment, update=keep
    )


@transaction.atomic
def publication_waive_interpretation(*, actor: User, publication: Publication, reason: str) -> Publication:
    """Record why a policy marked as needing interpretation is published without one."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不同步解读的理由")})

    def waive(p: Publication) -> None:
        p.interpretation_waiver = reason

    return _run(
        publication,
        "waive_interpretation",
        actor=actor,
        action=AuditAction.WAIVE_INTERPRETATION,
        step=Step.WAIVE,
        comment=reason,
        update=waive,
        fields=STEP_FIELDS + ["interpretation_waiver"],
    )


@transaction.atomic
def publication_review_attribute(
    *,
    actor: User,
    publication: Publication,
    attribute: str,
    ground: str = "",
    reason: str = "",
    comment: str = "",
    interpretation_waiver: str = "",
) -> Publication:
    """One call for the whole 公开属性审查 (scripts, imports, the demo): retain when not proactive,
    otherwise record a waiver if given and approve."""
    if attribute != Attribute.PROACTIVE:
        return publication_retain(
            actor=actor, publication=publication, attribute=attribute, ground=ground, reason=reason, comment=comment
        )
    if (interpretation_waiver or "").strip() and transitions.allowed(publication, "waive_interpretation", actor):
        publication = publication_waive_interpretation(
            actor=actor, publication=publication, reason=interpretation_waiver
        )
    return publication_approve_attribute(actor=actor, publication=publication, comment=comment)


@transaction.atomic
def publication_review_confidentiality(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    """保密审查: the reviewer confirms the content contains no state secrets or other
    information that may not be disclosed (保守国家秘密法; 政府信息公开条例 art. 17)."""
    return _approve(publication, State.CONFIDENTIALITY_REVIEW, actor=actor, comment=(comment or "").strip())


@transaction.atomic
def publication_sign_off(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    """负责人签发: the last layer; the item is published."""
    return _approve(publication, State.SIGNOFF, actor=actor, comment=(comment or "").strip())


@transaction.atomic
def publication_reject(*, actor: User, publication: Publication, comment: str) -> Publication:
    """Back to the drafter with the reviewer's comments (from any review step)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("退回修改须填写审核意见")})
    return _run(publication, "reject", actor=actor, action=AuditAction.REJECT, step=Step.REJECT, comment=comment)


@transaction.atomic
def publication_reopen(*, actor: User, publication: Publication, comment: str = "") -> Publication:
    """An item kept as not-proactive goes back to draft (e.g. the reason no longer applies)."""

    def reset(p: Publication) -> None:
        p.attribute, p.attribute_ground, p.attribute_reason = Attribute.PROACTIVE, "", ""

    return _run(
        publication,
        "reopen",
        actor=actor,
        action=AuditAction.REOPEN,
        step=Step.REOPEN,
        comment=(comment or "").strip(),
        update=reset,
    )


@transaction.atomic
def publication_withdraw(*, actor: User, publication: Publication, reason: str) -> Publication:
    """Withdraw a published item; the reason is shown publicly on the item's page."""
    reason = text.clean_title(reason or "")
    if not reason:
        raise ValidationError({"reason": _("撤回须填写公开说明的理由")})

    def withdraw(p: Publication) -> None:
        p.withdrawn_at = timezone.now()
        p.withdrawn_reason = reason[:500]

    pub = _run(
        publication,
        "withdraw",
        actor=actor,
        action=AuditAction.WITHDRAW,
        step=Step.WITHDRAW,
        comment=reason,
        update=withdraw,
        fields=STEP_FIELDS + ["withdrawn_reason"],
    )
    indexing.schedule(pub)
    for interp in pub.interpretations.filter(state=State.PUBLISHED):
        indexing.schedule(interp)
    return pub
