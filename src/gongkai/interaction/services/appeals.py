"""Appeals (诉求): the citizen's submission and follow-ups, and every staff step of the handling.

Every step is one transaction: :func:`gongkai.core.transitions.run` locks the row, checks the
state, the preconditions and the actor's permission declared on the model's transition,
saves, records the step (:class:`~gongkai.interaction.models.AppealStep`) and the audit
event. Citizens act with ``actor=None`` (authenticated by tracking code + contact on the
tracking page); their submissions are committed before the page acknowledges them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.core import audit, deadlines, numbering, transitions
from gongkai.core.models import Organisation
from gongkai.core.transitions import TransitionRefused

from .. import access, screening, search_sources
from ..audit_actions import AuditAction
from ..models import HANDLING, Appeal, AppealStatus, AppealStep, AppealType, Policy, StepKind
from ._common import (
    ANSWER_MAX,
    CONTENT_MAX,
    TITLE_MAX,
    check_text,
    content_hash,
    content_hashes,
    mail_after_commit,
    serialise_on,
)

log = logging.getLogger(__name__)

APPEAL_SNAPSHOT = [
    "tracking_code",
    "type_id",
    "target_unit_id",
    "unit_id",
    "co_unit_ids",
    "title",
    "status",
    "clock_started_on",
    "due_date",
    "public_status",
]


# --- helpers -------------------------------------------------------------------------------


def period_code(appeal_type: AppealType) -> str:
    return appeal_type.period_id


def compute_due_date(start: dt.date, appeal_type: AppealType, *, calendar=None) -> dt.date | None:
    """The type's time limit after ``start`` (``start`` not counted); None while the calendar lacks the year."""
    try:
        return deadlines.due_date(start, period_code(appeal_type), calendar=calendar)
    except deadlines.CalendarMissing:
        log.warning("holiday calendar missing: due date of an appeal left open until the year is loaded")
        return None


def add_step(
    appeal: Appeal,
    kind: str,
    template: str,
    params: dict | None = None,
    *,
    actor=None,
    unit: Organisation | None = None,
    detail: str = "",
    by_requester: bool = False,
    internal: bool = False,
) -> AppealStep:
    """One history row; ``template`` is a Simplified-Chinese msgid (``gettext_noop``) shown translated."""
    params = params or {}
    return AppealStep.objects.create(
        appeal=appeal,
        kind=kind,
        summary=(template % params)[:200],
        template=template,
        params=params,
        detail=detail,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=unit,
        by_requester=by_requester,
        is_internal=internal,
    )


def owner(appeal: Appeal) -> Organisation:
    return appeal.unit or appeal.target_unit


def run(
    appeal: Appeal,
    name: str,
    *,
    actor,
    action: AuditAction,
    update: Callable[[Appeal], None] | None = None,
    step: Callable[[Appeal], object] | None = None,
    fields: Iterable[str] = APPEAL_SNAPSHOT,
) -> Appeal:
    return transitions.run(
        appeal, name, actor=actor, action=action, unit=owner, snapshot_fields=list(fields), update=update, step=step
    )


def _citizen_run(appeal: Appeal, name: str, wrong_state: str, **kwargs) -> Appeal:
    """A requester's step: state and conditions checked, the state refusal worded for the citizen."""
    try:
        return run(appeal, name, actor=None, **kwargs)
    except TransitionRefused as exc:
        if exc.code == "state":
            raise TransitionRefused(wrong_state, code="state") from exc
        raise


def _notify_requester(appeal: Appeal, subject: str, body: str) -> None:
    if not appeal.email:
        return
    text = _("%(body)s\n\n查询码：%(code)s\n（请凭查询码和您留下的联系方式在门户“留言查询”中查看办理过程。）") % {
        "body": body,
        "code": appeal.tracking_code,
    }
    mail_after_commit(f"{subject}：{appeal.title}", text, [appeal.email])


# --- the citizen's side -----------------------------------------------------------------------------


def appeal_submit(
    *,
    appeal_type: AppealType,
    target_unit: Organisation,
    title: str,
    content: str,
    name: str = "",
    phone: str = "",
    email: str = "",
    anonymous: bool = True,
    publish_consent: bool = False,
    address_string: str = "",
    lat=None,
    long=None,
    channel: str = "web",
) -> tuple[Appeal, bool]:
    """Register a citizen's message. Returns (appeal, created); a duplicate returns the existing one.

    Duplicate = same title+content and contact within ``Policy.duplicate_window_hours``.
    ``publish_consent`` is the citizen's separate, explicit opt-in (个人信息保护法): never assumed.
    """
    title = check_text(title, "title", _("标题"), TITLE_MAX)
    content = check_text(content, "content", _("内容"), CONTENT_MAX)
    phone, email = (phone or "").strip(), (email or "").strip().lower()
    if not phone and not email:
        raise ValidationError({"phone": _("请至少填写手机号码或电子邮箱，用于查询办理进度和接收答复")})
    if not appeal_type.is_active:
        raise ValidationError({"type": _("该留言类型已停用")})
    digest = content_hash(title, content, phone, email)
    since = timezone.now() - dt.timedelta(hours=Policy.get().duplicate_window_hours)
    with transaction.atomic():
        serialise_on(digest)
        existing = (
            Appeal.objects.filter(content_hash__in=content_hashes(title, content, phone, email), received_at__gte=since)
            .order_by("pk")
            .first()
        )
        if existing:
            return existing, False
        now = timezone.now()
        today = timezone.localdate(now)

        def create(code: str) -> Appeal:
            return Appeal.objects.create(
                tracking_code=code,
                type=appeal_type,
                target_unit=target_unit,
                title=title,
                content=content,
                name=(name or "").strip()[:40],
                phone=phone[:20],
                email=email,
                anonymous=bool(anonymous),
                publish_consent=publish_consent is True,
                address_string=(address_string or "")[:200],
                lat=lat,
                long=long,
                channel=channel,
                content_hash=digest,
                received_at=now,
                clock_started_on=today,
                due_date=compute_due_date(today, appeal_type),
            )

        appeal = numbering.create_with_tracking_code(create, prefix="LY")
        add_step(
            appeal, StepKind.SUBMITTED, gettext_noop("收到%(type)s留言"), {"type": appeal_type.name}, unit=target_unit
        )
        audit.record(
            actor=None,
            action=AuditAction.APPEAL_SUBMIT,
            obj=appeal,
            unit=target_unit,
            after={**audit.snapshot(appeal, APPEAL_SNAPSHOT), "publish_consent": appeal.publish_consent},
        )
    return appeal, True


def appeal_find(code: str, second_factor: str) -> Appeal | None:
    """Look up an appeal by tracking code plus the phone number or e-mail given on submission."""
    code = numbering.normalise_tracking_code(code)
    factor = (second_factor or "").strip().lower().replace(" ", "").replace("-", "")
    if not code or not factor:
        return None
    appeal = Appeal.objects.filter(tracking_code=code).first()
    if appeal is None:
        return None
    phone = appeal.phone.replace(" ", "").replace("-", "")
    if (phone and factor == phone) or (appeal.email and factor == appeal.email.lower()):
        return appeal
    return None


@transaction.atomic
def appeal_supplement(*, appeal: Appeal, text: str) -> AppealStep:
    """The requester adds material (补充材料) while the appeal is being handled or after the answer."""
    text = check_text(text, "text", _("补充内容"), CONTENT_MAX)
    made: list[AppealStep] = []

    def step(a: Appeal):
        made.append(add_step(a, StepKind.SUPPLEMENT, gettext_noop("留言人补充了材料"), detail=text, by_requester=True))

    _citizen_run(
        appeal,
        "supplement",
        _("该留言已办结或不予受理，不能再补充材料；如对结果不满意，可在期限内申请重新办理"),
        action=AuditAction.APPEAL_SUPPLEMENT,
        step=step,
    )
    return made[0]


def _check_rating(speed, outcome, attitude) -> None:
    labels = {"speed": _("办理速度"), "outcome": _("办理结果"), "attitude": _("服务态度")}
    errors = {}
    for field, value in (("speed", speed), ("outcome", outcome), ("attitude", attitude)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = _("%(label)s评分须为1至5分") % {"label": labels[field]}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def appeal_rate(*, appeal: Appeal, speed: int, outcome: int, attitude: int, comment: str = "") -> Appeal:
    """The requester rates the result (1–5 each); rating an answered appeal closes it (办结)."""
    _check_rating(speed, outcome, attitude)
    comment = (comment or "").strip()[:500]
    was_closed: list[bool] = []

    def update(a: Appeal):
        was_closed.append(a.closed_at is not None)
        a.rating_speed, a.rating_outcome, a.rating_attitude = speed, outcome, attitude
        a.rating_comment = comment
        a.rated_at = timezone.now()
        if a.closed_at is None:
            a.closed_at = a.rated_at

    def step(a: Appeal):
        add_step(
            a,
            StepKind.RATED,
            gettext_noop("留言人评价：速度%(speed)s分，结果%(outcome)s分，态度%(attitude)s分"),
            {"speed": speed, "outcome": outcome, "attitude": attitude},
            detail=comment,
            by_requester=True,
        )
        if not was_closed[0]:
            add_step(a, StepKind.CLOSED, gettext_noop("留言人评价后办结"), unit=a.unit)

    return _citizen_run(
        appeal,
        "rate",
        _("答复之后才能评价"),
        action=AuditAction.APPEAL_RATE,
        update=update,
        step=step,
        fields=[*APPEAL_SNAPSHOT, "rating_speed", "rating_outcome", "rating_attitude", "rated_at"],
    )


@transaction.atomic
def appeal_reopen(*, appeal: Appeal, reason: str) -> Appeal:
    """Reopen once within the period ``appeal.reopen`` after closure; a new time limit starts."""
    reason = check_text(reason, "reason", _("重新办理理由"), CONTENT_MAX)
    today = timezone.localdate()

    def update(a: Appeal):
        a.reopen_count += 1
        a.rated_at = None
        a.closed_at = None
        a.clock_started_on = today
        a.due_date = compute_due_date(today, a.type)

    def step(a: Appeal):
        add_step(
            a,
            StepKind.REOPENED,
            gettext_noop("留言人对结果不满意，申请重新办理"),
            detail=reason,
            by_requester=True,
            unit=a.unit,
        )

    return _citizen_run(
        appeal,
        "reopen",
        _("只有已办结的留言可以申请重新办理"),
        action=AuditAction.APPEAL_REOPEN,
        update=update,
        step=step,
    )


# --- the staff side ------------------------------------------------------------------------------------


@transaction.atomic
def appeal_accept(*, actor, appeal: Appeal, note: str = "") -> Appeal:
    """受理 by the disclosure office of the receiving government."""
    return run(
        appeal,
        "accept",
        actor=actor,
        action=AuditAction.APPEAL_ACCEPT,
        step=lambda a: add_step(
            a, StepKind.ACCEPTED, gettext_noop("已受理"), actor=actor, unit=a.target_unit, detail=note
        ),
    )


@transaction.atomic
def appeal_reject(*, actor, appeal: Appeal, reason: str) -> Appeal:
    """不予受理 with a reason the requester sees (and is mailed)."""
    reason = check_text(reason, "reason", _("不予受理理由"), 2000)

    def update(a: Appeal):
        a.reject_reason = reason
        a.closed_at = timezone.now()

    appeal = run(
        appeal,
        "reject",
        actor=actor,
        action=AuditAction.APPEAL_REJECT,
        update=update,
        step=lambda a: add_step(
            a, StepKind.REJECTED, gettext_noop("不予受理"), actor=actor, unit=a.target_unit, detail=reason
        ),
    )
    _notify_requester(appeal, _("您的留言未予受理"), _("理由：%(reason)s") % {"reason": reason})
    return appeal


def _check_units(actor, appeal: Appeal, unit: Organisation, co_units: list[Organisation]) -> None:
    wanted = {unit.pk, *(u.pk for u in co_units)}
    if access.dispatch_units(actor, appeal).filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied(_("只能分拨给本级政府及所属单位"))


def _locked_status(appeal: Appeal) -> str:
    return Appeal.objects.select_for_update().get(pk=appeal.pk).status


@transaction.atomic
def appeal_assign(
    *, actor, appeal: Appeal, unit: Organisation, co_units: Iterable[Organisation] = (), note: str = ""
) -> Appeal:
    """分拨 to a lead unit and optional co-handling units (joint handling); on an assigned appeal: 改派."""
    if unit is None:
        raise ValidationError({"unit": _("请选择主办单位")})
    co_units = [u for u in dict.fromkeys(co_units) if u.pk != unit.pk]
    reassign = _locked_status(appeal) in HANDLING
    previous: list[Organisation | None] = []

    def update(a: Appeal):
        _check_units(actor, a, unit, co_units)  # after the permission check: the office's own units only
        previous.append(a.unit)
        a.unit = unit

    def step(a: Appeal):
        a.co_units.set(co_units)
        names = "、".join(u.display_name for u in co_units)
        params = {"unit": unit.display_name, "co_units": names}
        if reassign:
            params["previous"] = previous[0].display_name if previous[0] else _("原单位")
            template = (
                gettext_noop("由%(previous)s改派至%(unit)s，%(co_units)s协办")
                if names
                else gettext_noop("由%(previous)s改派至%(unit)s")
            )
        else:
            template = (
                gettext_noop("分拨至%(unit)s办理，%(co_units)s协办") if names else gettext_noop("分拨至%(unit)s办理")
            )
        kind = StepKind.REASSIGNED if reassign else StepKind.ASSIGNED
        add_step(a, kind, template, params, actor=actor, unit=a.target_unit, detail=note)

    return run(
        appeal,
        "reassign" if reassign else "assign",
        actor=actor,
        action=AuditAction.APPEAL_REASSIGN if reassign else AuditAction.APPEAL_ASSIGN,
        update=update,
        step=step,
    )


@transaction.atomic
def appeal_send_back(*, actor, appeal: Appeal, reason: str) -> Appeal:
    """The lead unit returns a wrongly assigned appeal to the office for re-assignment (退回)."""
    reason = check_text(reason, "reason", _("退回理由"), 2000)
    returned: list[Organisation] = []

    def update(a: Appeal):
        returned.append(a.unit)
        a.unit = None

    def step(a: Appeal):
        a.co_units.clear()
        unit = returned[0]
        add_step(
            a,
            StepKind.RETURNED,
            gettext_noop("%(unit)s退回，等待重新分拨"),
            {"unit": unit.display_name},
            actor=actor,
            unit=unit,
            detail=reason,
        )

    return run(appeal, "send_back", actor=actor, action=AuditAction.APPEAL_SEND_BACK, update=update, step=step)


def _handling_step(a: Appeal, actor) -> None:
    add_step(
        a, StepKind.HANDLING, gettext_noop("%(unit)s正在处置"), {"unit": a.unit.display_name}, actor=actor, unit=a.unit
    )


@transaction.atomic
def appeal_start(*, actor, appeal: Appeal) -> Appeal:
    return run(appeal, "start", actor=actor, action=AuditAction.APPEAL_START, step=lambda a: _handling_step(a, actor))


@transaction.atomic
def appeal_note(*, actor, appeal: Appeal, text: str) -> Appeal:
    """An internal opinion of the lead or a co-handling unit (会办意见)."""
    text = check_text(text, "text", _("意见"), CONTENT_MAX)

    def step(a: Appeal):
        unit = a.unit if access.leads(actor, a) else next(u for u in a.co_units.all() if access.is_handler(actor, u))
        add_step(
            a,
            StepKind.NOTE,
            gettext_noop("%(unit)s提出会办意见"),
            {"unit": unit.display_name},
            actor=actor,
            unit=unit,
            detail=text,
            internal=True,
        )

    return run(appeal, "note", actor=actor, action=AuditAction.APPEAL_NOTE, step=step)


@transaction.atomic
def appeal_answer(*, actor, appeal: Appeal, answer: str) -> Appeal:
    """答复 the requester (starting the handling first if needed); the requester is mailed after commit."""
    answer = check_text(answer, "answer", _("答复内容"), ANSWER_MAX)
    if _locked_status(appeal) == AppealStatus.ASSIGNED:
        appeal = run(
            appeal, "start", actor=actor, action=AuditAction.APPEAL_START, step=lambda a: _handling_step(a, actor)
        )

    def update(a: Appeal):
        a.answer = answer
        a.answered_at = timezone.now()
        a.answered_by = actor

    appeal = run(
        appeal,
        "respond",
        actor=actor,
        action=AuditAction.APPEAL_ANSWER,
        update=update,
        step=lambda a: add_step(
            a,
            StepKind.ANSWERED,
            gettext_noop("%(unit)s已答复"),
            {"unit": a.unit.display_name},
            actor=actor,
            unit=a.unit,
            detail=answer,
        ),
    )
    _notify_requester(appeal, _("您的留言已答复"), answer)
    return appeal


@transaction.atomic
def appeal_close(*, actor, appeal: Appeal, note: str = "") -> Appeal:
    def update(a: Appeal):
        a.closed_at = timezone.now()

    return run(
        appeal,
        "close",
        actor=actor,
        action=AuditAction.APPEAL_CLOSE,
        update=update,
        step=lambda a: add_step(a, StepKind.CLOSED, gettext_noop("已办结"), actor=actor, unit=a.unit, detail=note),
    )


# --- publication on the portal -------------------------------------------------------------------


def appeal_publication_proposal(appeal: Appeal) -> dict:
    """Masked title/content/answer proposed for publication (automatic screening)."""
    known = [appeal.name, appeal.phone, appeal.email]
    return {
        "title": screening.screen(appeal.public_title or appeal.title, known=known),
        "content": screening.screen(appeal.public_content or appeal.content, known=known),
        "answer": screening.screen(appeal.public_answer or appeal.answer, known=known),
    }


def _check_public_texts(appeal: Appeal, texts: dict[str, str]) -> None:
    known = [appeal.name, appeal.phone, appeal.email]
    errors = {}
    for field, text in texts.items():
        result = screening.screen(text, known=known)
        if not result.clean:
            errors[field] = _("仍含个人信息或敏感词，请先处理：%(findings)s") % {"findings": result.summary()}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def appeal_publish(*, actor, appeal: Appeal, public_title: str, public_content: str, public_answer: str) -> Appeal:
    """Publish the staff-confirmed masked question and answer on the portal (needs the requester's consent)."""
    texts = {
        "public_title": check_text(public_title, "public_title", _("公开标题"), TITLE_MAX),
        "public_content": check_text(public_content, "public_content", _("公开内容"), CONTENT_MAX),
        "public_answer": check_text(public_answer, "public_answer", _("公开答复"), ANSWER_MAX),
    }

    def update(a: Appeal):
        _check_public_texts(a, texts)  # after the permission check, on the locked row
        a.public_title, a.public_content, a.public_answer = (
            texts["public_title"],
            texts["public_content"],
            texts["public_answer"],
        )
        a.published_at = timezone.now()

    appeal = run(
        appeal,
        "publish",
        actor=actor,
        action=AuditAction.APPEAL_PUBLISH,
        update=update,
        step=lambda a: add_step(a, StepKind.PUBLISHED, gettext_noop("办理结果已在门户公开"), actor=actor, unit=a.unit),
    )
    search_sources.schedule(search_sources.APPEAL, appeal.pk)  # 一网通查 indexes the masked texts after commit
    return appeal


@transaction.atomic
def appeal_unpublish(*, actor, appeal: Appeal) -> Appeal:
    appeal = run(
        appeal,
        "unpublish",
        actor=actor,
        action=AuditAction.APPEAL_UNPUBLISH,
        step=lambda a: add_step(
            a, StepKind.UNPUBLISHED, gettext_noop("已撤回公开"), actor=actor, unit=a.unit, internal=True
        ),
    )
    search_sources.schedule(search_sources.APPEAL, appeal.pk)  # removed from 一网通查 after commit
    return appeal
