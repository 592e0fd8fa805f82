"""Every state change of the interaction app: one transaction, authorised, audited.

Public callers (citizens) act with ``actor=None``; their submissions are written
and committed before the page acknowledges them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable

import filetype
import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from gongkai.core import audit, numbering, permissions, workdays
from gongkai.core.chinese import normalise
from gongkai.core.models import Organisation

from . import access, screening, search_sources, suggest
from .models import (
    Adoption,
    Appeal,
    AppealStatus,
    AppealStep,
    AppealType,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationAttachment,
    ConsultationStatus,
    FaqEntry,
    FaqStatus,
    FaqVersion,
    Policy,
    PublicStatus,
    StepKind,
    TopicWord,
)

log = logging.getLogger(__name__)

TITLE_MAX = 100
CONTENT_MAX = 5000
COMMENT_MAX = 3000
ANSWER_MAX = 10000
ALLOWED_ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
    "jpg": "image/jpeg",
    "odt": "application/vnd.oasis.opendocument.text",
}
RICH_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
}

APPEAL_SNAPSHOT = [
    "tracking_code",
    "type_id",
    "target_unit_id",
    "unit_id",
    "title",
    "status",
    "due_date",
    "public_status",
]


def _check_text(value: str, label: str, max_len: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({label: f"请填写{label}"})
    if len(value) > max_len:
        raise ValidationError({label: f"{label}不能超过{max_len}字（当前{len(value)}字）"})
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html or "", tags=RICH_TAGS, attributes={"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
    )


def _content_hash(*parts: str) -> str:
    joined = "\x1f".join(normalise(p or "").replace(" ", "") for p in parts)
    return hashlib.sha256(joined.encode()).hexdigest()


def _serialise_on(digest: str) -> None:
    """Make identical submissions arriving in parallel wait for each other (duplicate check + insert).

    PostgreSQL: a transaction-scoped advisory lock on the content hash. SQLite runs
    write transactions one at a time (IMMEDIATE mode), which serialises them already.
    """
    conn = transaction.get_connection()
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])


def _step(appeal, kind, summary, *, actor=None, unit=None, detail="", by_requester=False, internal=False):
    return AppealStep.objects.create(
        appeal=appeal,
        kind=kind,
        summary=summary[:200],
        detail=detail,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=unit,
        by_requester=by_requester,
        is_internal=internal,
    )


def _audit(actor, action, appeal, before=None, unit=None, extra=None):
    after = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    if extra:
        after.update(extra)
    audit.record(
        actor=actor,
        action=action,
        obj=appeal,
        unit=unit or appeal.unit or appeal.target_unit,
        before=before,
        after=after,
    )


def compute_due_date(start: dt.date, appeal_type: AppealType) -> dt.date | None:
    """Due date = the n-th working day after ``start``; None while the calendar lacks that year."""
    try:
        return workdays.add_working_days(start, appeal_type.time_limit_days)
    except workdays.CalendarMissing:
        log.warning("holiday calendar missing: due date of appeal left open until it is loaded")
        return None


def _lock(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def _transition(appeal: Appeal, name: str, message: str) -> None:
    method = getattr(appeal, name)
    if not can_proceed(method):
        raise ValidationError(f"{message}（当前状态：{appeal.get_status_display()}）")
    method()


# --- appeals: public side -------------------------------------------------------------


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
    """
    title = _check_text(title, "标题", TITLE_MAX)
    content = _check_text(content, "内容", CONTENT_MAX)
    phone, email = (phone or "").strip(), (email or "").strip().lower()
    if not phone and not email:
        raise ValidationError({"手机号码": "请至少填写手机号码或电子邮箱，用于查询办理进度和接收答复"})
    if not appeal_type.is_active:
        raise ValidationError(_("该留言类型已停用"))
    policy = Policy.get()
    digest = _content_hash(title, content, phone, email)
    since = timezone.now() - dt.timedelta(hours=policy.duplicate_window_hours)
    with transaction.atomic():
        _serialise_on(digest)
        existing = Appeal.objects.filter(content_hash=digest, received_at__gte=since).order_by("pk").first()
        if existing:
            return existing, False
        now = timezone.now()

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
                anonymous=anonymous,
                publish_consent=publish_consent,
                address_string=(address_string or "")[:200],
                lat=lat,
                long=long,
                channel=channel,
                content_hash=digest,
                received_at=now,
                due_date=compute_due_date(timezone.localdate(now), appeal_type),
            )

        appeal = numbering.create_with_tracking_code(create, prefix="LY")
        _step(appeal, StepKind.SUBMITTED, f"收到{appeal_type.name}留言", unit=target_unit)
        _audit(None, "interaction.appeal.submit", appeal, unit=target_unit)
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
    text = _check_text(text, "补充内容", CONTENT_MAX)
    appeal = _lock(appeal)
    if appeal.status in (AppealStatus.CLOSED, AppealStatus.REJECTED):
        raise ValidationError(_("该留言已办结或不予受理，不能再补充材料；如对结果不满意，可在期限内申请重新办理"))
    step = _step(appeal, StepKind.SUPPLEMENT, "留言人补充了材料", detail=text, by_requester=True)
    _audit(None, "interaction.appeal.supplement", appeal)
    return step


@transaction.atomic
def appeal_rate(*, appeal: Appeal, speed: int, outcome: int, attitude: int, comment: str = "") -> Appeal:
    """The requester rates the result (1–5 each); rating an answered appeal closes it (办结)."""
    for label, v in (("办理速度", speed), ("办理结果", outcome), ("服务态度", attitude)):
        if not isinstance(v, int) or not 1 <= v <= 5:
            raise ValidationError({label: f"{label}评分须为1至5分"})
    appeal = _lock(appeal)
    if appeal.status not in (AppealStatus.ANSWERED, AppealStatus.CLOSED):
        raise ValidationError(_("答复之后才能评价"))
    if appeal.rated_at:
        raise ValidationError(_("您已评价过本次办理结果"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    appeal.rating_speed, appeal.rating_outcome, appeal.rating_attitude = speed, outcome, attitude
    appeal.rating_comment = (comment or "").strip()[:500]
    appeal.rated_at = timezone.now()
    _step(
        appeal,
        StepKind.RATED,
        f"留言人评价：速度{speed}分，结果{outcome}分，态度{attitude}分",
        detail=appeal.rating_comment,
        by_requester=True,
    )
    if appeal.status == AppealStatus.ANSWERED:
        appeal.close()
        appeal.closed_at = timezone.now()
        _step(appeal, StepKind.CLOSED, "留言人评价后办结", unit=appeal.unit)
    appeal.save()
    _audit(None, "interaction.appeal.rate", appeal, before, extra={"rating": [speed, outcome, attitude]})
    return appeal


@transaction.atomic
def appeal_reopen(*, appeal: Appeal, reason: str) -> Appeal:
    """Reopen once within ``Policy.reopen_days`` after closure; a new time limit starts."""
    reason = _check_text(reason, "重新办理理由", CONTENT_MAX)
    appeal = _lock(appeal)
    if appeal.status != AppealStatus.CLOSED:
        raise ValidationError(_("只有已办结的留言可以申请重新办理"))
    if appeal.reopen_count >= 1:
        raise ValidationError(_("每件留言只能申请重新办理一次"))
    deadline = appeal.reopen_deadline()
    if deadline and timezone.localdate() > deadline:
        raise ValidationError(f"申请重新办理的期限已过（截至{deadline:%Y年%m月%d日}）")
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    appeal.reopen()
    appeal.reopen_count += 1
    appeal.rated_at = None
    appeal.closed_at = None
    appeal.due_date = compute_due_date(timezone.localdate(), appeal.type)
    appeal.save()
    _step(
        appeal,
        StepKind.REOPENED,
        "留言人对结果不满意，申请重新办理",
        detail=reason,
        by_requester=True,
        unit=appeal.unit,
    )
    _audit(None, "interaction.appeal.reopen", appeal, before)
    return appeal


# --- appeals: staff side ----------------------------------------------------------------


@transaction.atomic
def appeal_accept(*, actor, appeal: Appeal, note: str = "") -> Appeal:
    appeal = _lock(appeal)
    if not access.dispatches(actor, appeal):
        raise PermissionDenied(_("只有受理机关的政务公开办可以受理留言"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    _transition(appeal, "accept", "该留言不能受理")
    appeal.save()
    _step(appeal, StepKind.ACCEPTED, "已受理", actor=actor, unit=appeal.target_unit, detail=note)
    _audit(actor, "interaction.appeal.accept", appeal, before)
    return appeal


@transaction.atomic
def appeal_reject(*, actor, appeal: Appeal, reason: str) -> Appeal:
    reason = _check_text(reason, "不予受理理由", 2000)
    appeal = _lock(appeal)
    if not access.dispatches(actor, appeal):
        raise PermissionDenied(_("只有受理机关的政务公开办可以作出不予受理决定"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    _transition(appeal, "reject", "该留言不能作不予受理处理")
    appeal.reject_reason = reason
    appeal.closed_at = timezone.now()
    appeal.save()
    _step(appeal, StepKind.REJECTED, "不予受理", actor=actor, unit=appeal.target_unit, detail=reason)
    _audit(actor, "interaction.appeal.reject", appeal, before)
    _notify_requester(appeal, "您的留言未予受理", f"理由：{reason}")
    return appeal


@transaction.atomic
def appeal_assign(
    *, actor, appeal: Appeal, unit: Organisation, co_units: Iterable[Organisation] = (), note: str = ""
) -> Appeal:
    """分拨 to a lead unit (and optional co-handling units); calling it again re-assigns (改派)."""
    appeal = _lock(appeal)
    if not access.dispatches(actor, appeal):
        raise PermissionDenied(_("只有受理机关的政务公开办可以分拨留言"))
    if not permissions.oversees(actor, unit) and not permissions.is_sysadmin(actor):
        raise PermissionDenied(_("只能分拨给本级政府及所属单位"))
    co_units = [u for u in co_units if u.pk != unit.pk]
    for u in co_units:
        if not permissions.oversees(actor, u):
            raise PermissionDenied(_("只能分拨给本级政府及所属单位"))
    reassign = appeal.status in (AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS)
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    _transition(appeal, "assign", "受理后才能分拨")
    previous = appeal.unit
    appeal.unit = unit
    appeal.save()
    appeal.co_units.set(co_units)
    names = "、".join(u.display_name for u in co_units)
    if reassign:
        summary = f"由{previous.display_name if previous else '原单位'}改派至{unit.display_name}"
        kind = StepKind.REASSIGNED
    else:
        summary = f"分拨至{unit.display_name}办理"
        kind = StepKind.ASSIGNED
    if names:
        summary += f"，{names}协办"
    _step(appeal, kind, summary, actor=actor, unit=appeal.target_unit, detail=note)
    _audit(
        actor,
        "interaction.appeal.reassign" if reassign else "interaction.appeal.assign",
        appeal,
        before,
        extra={"co_units": [u.pk for u in co_units]},
    )
    return appeal


@transaction.atomic
def appeal_send_back(*, actor, appeal: Appeal, reason: str) -> Appeal:
    """The lead unit returns a wrongly assigned appeal to the office for re-assignment (退回)."""
    reason = _check_text(reason, "退回理由", 2000)
    appeal = _lock(appeal)
    if not access.leads(actor, appeal):
        raise PermissionDenied(_("只有主办单位可以退回该留言"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    unit = appeal.unit
    _transition(appeal, "send_back", "该留言当前不能退回")
    appeal.unit = None
    appeal.save()
    appeal.co_units.clear()
    _step(appeal, StepKind.RETURNED, f"{unit.display_name}退回，等待重新分拨", actor=actor, unit=unit, detail=reason)
    _audit(actor, "interaction.appeal.send_back", appeal, before, unit=unit)
    return appeal


@transaction.atomic
def appeal_start(*, actor, appeal: Appeal) -> Appeal:
    appeal = _lock(appeal)
    if not access.leads(actor, appeal):
        raise PermissionDenied(_("只有主办单位可以办理该留言"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    _transition(appeal, "start", "该留言不能开始处置")
    appeal.save()
    _step(appeal, StepKind.HANDLING, f"{appeal.unit.display_name}正在处置", actor=actor, unit=appeal.unit)
    _audit(actor, "interaction.appeal.start", appeal, before)
    return appeal


@transaction.atomic
def appeal_note(*, actor, appeal: Appeal, text: str) -> AppealStep:
    """An internal opinion of the lead or a co-handling unit (会办意见)."""
    text = _check_text(text, "意见", CONTENT_MAX)
    appeal = _lock(appeal)
    unit = None
    if access.leads(actor, appeal):
        unit = appeal.unit
    else:
        unit = next((u for u in appeal.co_units.all() if access.is_handler(actor, u)), None)
    if unit is None:
        raise PermissionDenied(_("只有主办或协办单位可以填写会办意见"))
    if not appeal.is_open:
        raise ValidationError(_("该留言已答复或办结"))
    step = _step(
        appeal, StepKind.NOTE, f"{unit.display_name}提出会办意见", actor=actor, unit=unit, detail=text, internal=True
    )
    _audit(actor, "interaction.appeal.note", appeal, unit=unit)
    return step


@transaction.atomic
def appeal_answer(*, actor, appeal: Appeal, answer: str) -> Appeal:
    answer = _check_text(answer, "答复内容", ANSWER_MAX)
    appeal = _lock(appeal)
    if not access.leads(actor, appeal):
        raise PermissionDenied(_("只有主办单位可以答复该留言"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    if appeal.status == AppealStatus.ASSIGNED:
        appeal.start()
        _step(appeal, StepKind.HANDLING, f"{appeal.unit.display_name}正在处置", actor=actor, unit=appeal.unit)
    _transition(appeal, "respond", "该留言当前不能答复")
    appeal.answer = answer
    appeal.answered_at = timezone.now()
    appeal.answered_by = actor
    appeal.save()
    _step(appeal, StepKind.ANSWERED, f"{appeal.unit.display_name}已答复", actor=actor, unit=appeal.unit, detail=answer)
    _audit(actor, "interaction.appeal.answer", appeal, before)
    _notify_requester(appeal, "您的留言已答复", answer)
    return appeal


@transaction.atomic
def appeal_close(*, actor, appeal: Appeal, note: str = "") -> Appeal:
    appeal = _lock(appeal)
    if not (access.leads(actor, appeal) or access.dispatches(actor, appeal)):
        raise PermissionDenied(_("只有主办单位或政务公开办可以办结留言"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    _transition(appeal, "close", "答复之后才能办结")
    appeal.closed_at = timezone.now()
    appeal.save()
    _step(appeal, StepKind.CLOSED, "已办结", actor=actor, unit=appeal.unit, detail=note)
    _audit(actor, "interaction.appeal.close", appeal, before)
    return appeal


def appeal_publication_proposal(appeal: Appeal) -> dict:
    """Masked title/content/answer proposed for publication (automatic screening)."""
    known = [appeal.name, appeal.phone, appeal.email]
    title = screening.screen(appeal.public_title or appeal.title, known=known)
    content = screening.screen(appeal.public_content or appeal.content, known=known)
    answer = screening.screen(appeal.public_answer or appeal.answer, known=known)
    return {"title": title, "content": content, "answer": answer}


@transaction.atomic
def appeal_publish(*, actor, appeal: Appeal, public_title: str, public_content: str, public_answer: str) -> Appeal:
    """Publish the (staff-confirmed) masked question and answer on the portal."""
    appeal = _lock(appeal)
    if not (access.leads(actor, appeal, access.APPROVER_ROLES) or access.dispatches(actor, appeal)):
        raise PermissionDenied(_("公开留言需要主办单位审核员、负责人或政务公开办确认"))
    if appeal.status not in (AppealStatus.ANSWERED, AppealStatus.CLOSED):
        raise ValidationError(_("答复之后才能公开"))
    if not appeal.publish_consent:
        raise ValidationError(_("留言人未同意公开，不能公开该留言"))
    public_title = _check_text(public_title, "公开标题", TITLE_MAX)
    public_content = _check_text(public_content, "公开内容", CONTENT_MAX)
    public_answer = _check_text(public_answer, "公开答复", ANSWER_MAX)
    known = [appeal.name, appeal.phone, appeal.email]
    problems = []
    for label, text in (("标题", public_title), ("内容", public_content), ("答复", public_answer)):
        result = screening.screen(text, known=known)
        if not result.clean:
            problems.append(f"{label}：{result.summary()}")
    if problems:
        raise ValidationError("公开版本仍含个人信息或敏感词，请先处理：" + "；".join(problems))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    appeal.public_title, appeal.public_content, appeal.public_answer = public_title, public_content, public_answer
    appeal.public_status = PublicStatus.PUBLISHED
    appeal.published_at = timezone.now()
    appeal.save()
    _step(appeal, StepKind.PUBLISHED, "办理结果已在门户公开", actor=actor, unit=appeal.unit)
    _audit(actor, "interaction.appeal.publish", appeal, before)
    search_sources.schedule(search_sources.APPEAL, appeal.pk)
    return appeal


@transaction.atomic
def appeal_unpublish(*, actor, appeal: Appeal) -> Appeal:
    appeal = _lock(appeal)
    if not (access.leads(actor, appeal, access.APPROVER_ROLES) or access.dispatches(actor, appeal)):
        raise PermissionDenied(_("您无权撤回该公开留言"))
    before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
    appeal.public_status = PublicStatus.PRIVATE
    appeal.save()
    _audit(actor, "interaction.appeal.unpublish", appeal, before)
    search_sources.schedule(search_sources.APPEAL, appeal.pk)
    return appeal


def appeal_remind_due(*, today: dt.date | None = None) -> int:
    """Periodic: remind the lead units of appeals due soon or overdue (once a day each)."""
    from . import selectors

    today = today or timezone.localdate()
    sent = 0
    candidates = selectors.due_soon_or_overdue(today=today).exclude(reminded_on=today)
    for appeal in candidates:
        with transaction.atomic():
            locked = _lock(appeal)
            if locked.reminded_on == today or not locked.is_open:
                continue
            # Fill due dates that waited for a missing calendar year.
            overdue = locked.due_date is not None and locked.due_date < today
            locked.reminded_on = today
            locked.save(update_fields=["reminded_on", "updated_at"])
            label = "已超期" if overdue else "即将到期"
            _step(
                locked,
                StepKind.REMINDED,
                f"系统催办：{label}（期限{locked.due_date:%Y-%m-%d}）",
                unit=locked.unit or locked.target_unit,
                internal=True,
            )
            audit.record(
                actor=None,
                action="interaction.appeal.remind",
                obj=locked,
                unit=locked.unit or locked.target_unit,
                after={"due_date": locked.due_date, "overdue": overdue},
            )
            recipients = list(
                (locked.unit or locked.target_unit).staff.exclude(email="").values_list("email", flat=True)
            )
            if recipients:
                subject = f"【留言{label}】{locked.tracking_code} {locked.title}"
                transaction.on_commit(
                    lambda s=subject, r=recipients, a=locked: send_mail(
                        s,
                        f"办理期限：{a.due_date:%Y-%m-%d}，请及时办理。",
                        settings.DEFAULT_FROM_EMAIL,
                        r,
                        fail_silently=True,
                    )
                )
            sent += 1
    return sent


def appeal_fill_missing_due_dates() -> int:
    """Compute due dates postponed because the holiday calendar lacked a year."""
    filled = 0
    for appeal in Appeal.objects.filter(
        due_date__isnull=True,
        status__in=[
            s.value
            for s in (AppealStatus.RECEIVED, AppealStatus.ACCEPTED, AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS)
        ],
    ):
        due = compute_due_date(timezone.localdate(appeal.received_at), appeal.type)
        if due:
            Appeal.objects.filter(pk=appeal.pk).update(due_date=due)
            filled += 1
    return filled


def _notify_requester(appeal: Appeal, subject: str, body: str) -> None:
    if not appeal.email:
        return
    text = f"{body}\n\n查询码：{appeal.tracking_code}\n（请凭查询码和您留下的联系方式在门户“留言查询”中查看办理过程。）"
    transaction.on_commit(
        lambda: send_mail(
            f"{subject}：{appeal.title}", text, settings.DEFAULT_FROM_EMAIL, [appeal.email], fail_silently=True
        )
    )


# --- FAQ ------------------------------------------------------------------------------------


def _topics(names: Iterable[str]) -> list[TopicWord]:
    out = []
    for name in names:
        name = (name or "").strip()[:30]
        if name:
            out.append(TopicWord.objects.get_or_create(name=name)[0])
    return out


def _default_review_date() -> dt.date:
    months = Policy.get().faq_review_months
    return timezone.localdate() + dt.timedelta(days=round(months * 30.4))


def _faq_version(entry: FaqEntry, actor, note: str) -> FaqVersion:
    return FaqVersion.objects.create(
        entry=entry,
        number=entry.version,
        question=entry.question,
        answer=entry.answer,
        topics="、".join(entry.topics.values_list("name", flat=True)),
        domain_name=entry.domain_name,
        review_date=entry.review_date,
        note=note[:200],
        editor=actor if getattr(actor, "pk", None) else None,
    )


def _faq_changed():
    transaction.on_commit(suggest.invalidate)


@transaction.atomic
def faq_create(
    *,
    actor,
    unit: Organisation,
    question: str,
    answer: str,
    domain_name: str = "",
    topics: Iterable[str] = (),
    review_date: dt.date | None = None,
    note: str = "新建",
    source_appeal: Appeal | None = None,
    domain=None,
) -> FaqEntry:
    access.require_unit_content(actor, unit)
    question = _check_text(question, "问题", 200)
    answer = _check_text(answer, "标准答复", ANSWER_MAX)
    entry = FaqEntry.objects.create(
        unit=unit,
        question=question,
        answer=answer,
        domain=domain,
        domain_name=(domain.name if domain is not None else (domain_name or ""))[:60],
        review_date=review_date or _default_review_date(),
        source_appeal=source_appeal,
    )
    entry.topics.set(_topics(topics))
    _faq_version(entry, actor, note)
    audit.record(actor=actor, action="interaction.faq.create", obj=entry, unit=unit, after=audit.snapshot(entry))
    _faq_changed()
    search_sources.schedule(search_sources.FAQ, entry.pk)
    return entry


@transaction.atomic
def faq_update(
    *,
    actor,
    entry: FaqEntry,
    question: str,
    answer: str,
    domain_name: str = "",
    topics: Iterable[str] = (),
    review_date: dt.date | None = None,
    note: str = "",
    unit: Organisation | None = None,
    domain=None,
) -> FaqEntry:
    """Editing creates a new version; earlier versions stay visible in the history."""
    entry = FaqEntry.objects.select_for_update().get(pk=entry.pk)
    access.require_unit_content(actor, entry.unit)
    if unit is not None and unit != entry.unit:
        access.require_unit_content(actor, unit)
        entry.unit = unit
    before = audit.snapshot(entry)
    entry.question = _check_text(question, "问题", 200)
    entry.answer = _check_text(answer, "标准答复", ANSWER_MAX)
    entry.domain = domain
    entry.domain_name = (domain.name if domain is not None else (domain_name or ""))[:60]
    entry.review_date = review_date or _default_review_date()
    entry.version += 1
    entry.save()
    entry.topics.set(_topics(topics))
    _faq_version(entry, actor, note or "修改")
    audit.record(
        actor=actor,
        action="interaction.faq.update",
        obj=entry,
        unit=entry.unit,
        before=before,
        after=audit.snapshot(entry),
    )
    _faq_changed()
    search_sources.schedule(search_sources.FAQ, entry.pk)
    return entry


@transaction.atomic
def faq_mark_reviewed(*, actor, entry: FaqEntry, review_date: dt.date | None = None) -> FaqEntry:
    """The answer was checked and is still right: move the review date forward."""
    entry = FaqEntry.objects.select_for_update().get(pk=entry.pk)
    access.require_unit_content(actor, entry.unit)
    new_date = review_date or _default_review_date()
    if new_date <= timezone.localdate():
        raise ValidationError({"复核日期": "下次复核日期应晚于今天"})
    before = {"review_date": entry.review_date}
    FaqEntry.objects.filter(pk=entry.pk).update(review_date=new_date, updated_at=timezone.now())
    entry.refresh_from_db()
    audit.record(
        actor=actor,
        action="interaction.faq.review",
        obj=entry,
        unit=entry.unit,
        before=before,
        after={"review_date": new_date},
    )
    return entry


@transaction.atomic
def faq_set_status(*, actor, entry: FaqEntry, status: str) -> FaqEntry:
    entry = FaqEntry.objects.select_for_update().get(pk=entry.pk)
    access.require_unit_content(actor, entry.unit)
    if status not in FaqStatus.values:
        raise ValidationError(_("无效的状态"))
    before = {"status": entry.status}
    entry.status = status
    entry.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=f"interaction.faq.{'withdraw' if status == FaqStatus.WITHDRAWN else 'restore'}",
        obj=entry,
        unit=entry.unit,
        before=before,
        after={"status": status},
    )
    _faq_changed()
    search_sources.schedule(search_sources.FAQ, entry.pk)
    return entry


def faq_notify_stale(*, today: dt.date | None = None, force: bool = False) -> int:
    """Periodic check: tell each unit which of its answers are past their review date.

    Runs daily (Celery beat); mails on Mondays (or when ``force``) so staff get one
    digest a week. Returns the number of stale entries.
    """
    today = today or timezone.localdate()
    stale = (
        FaqEntry.objects.filter(status=FaqStatus.PUBLISHED, review_date__lt=today)
        .select_related("unit")
        .order_by("unit_id", "review_date")
    )
    by_unit: dict[Organisation, list[FaqEntry]] = {}
    for entry in stale:
        by_unit.setdefault(entry.unit, []).append(entry)
    if force or today.weekday() == 0:
        for unit, entries in by_unit.items():
            recipients = list(unit.staff.exclude(email="").values_list("email", flat=True))
            if not recipients:
                continue
            lines = "\n".join(f"- {e.question}（复核日期 {e.review_date:%Y-%m-%d}）" for e in entries)
            send_mail(
                f"【常见问题待复核】{unit.display_name} {len(entries)} 条",
                f"以下答复已过复核日期，请核对后修改或确认复核：\n{lines}",
                settings.DEFAULT_FROM_EMAIL,
                recipients,
                fail_silently=True,
            )
    return sum(len(v) for v in by_unit.values())


def faq_promotion_proposal(appeal: Appeal) -> dict:
    known = [appeal.name, appeal.phone, appeal.email]
    question = screening.screen(appeal.public_title or appeal.title, known=known)
    answer = screening.screen(appeal.public_answer or appeal.answer, known=known)
    text = normalise(appeal.title + appeal.content)
    topics = [t for t in TopicWord.objects.values_list("name", flat=True) if t and t in text][:8]
    return {"question": question, "answer": answer, "topics": topics}


@transaction.atomic
def faq_promote_from_appeal(*, actor, appeal: Appeal) -> FaqEntry:
    """One click: an answered message becomes a FAQ entry, personal data removed."""
    appeal = _lock(appeal)
    if not access.leads(actor, appeal) and not access.dispatches(actor, appeal):
        raise PermissionDenied(_("只有主办单位或政务公开办可以将答复转为常见问题"))
    if appeal.status not in (AppealStatus.ANSWERED, AppealStatus.CLOSED) or not appeal.answer:
        raise ValidationError(_("答复之后才能转为常见问题"))
    if appeal.faq_entries.exists():
        raise ValidationError(_("该留言已转为常见问题"))
    proposal = faq_promotion_proposal(appeal)
    if proposal["question"].sensitive_words or proposal["answer"].sensitive_words:
        raise ValidationError(_("留言或答复含敏感词，请在常见问题编辑器中手工整理后再发布"))
    entry = faq_create(
        actor=actor,
        unit=appeal.unit or appeal.target_unit,
        question=proposal["question"].masked[:200],
        answer=proposal["answer"].masked,
        topics=proposal["topics"],
        note=f"由留言 {appeal.tracking_code} 转入",
        source_appeal=appeal,
    )
    _step(appeal, StepKind.PUBLISHED, "答复已收入常见问题库", actor=actor, unit=appeal.unit, internal=True)
    return entry


# --- public consultation ------------------------------------------------------------------


def _check_period(opens_on, closes_on, reason: str) -> None:
    if not opens_on or not closes_on:
        raise ValidationError(_("请填写征集开始和截止日期"))
    if closes_on <= opens_on:
        raise ValidationError({"截止日期": "截止日期应晚于开始日期"})
    minimum = Policy.get().consultation_min_days
    if (closes_on - opens_on).days < minimum and not (reason or "").strip():
        raise ValidationError(
            {"征集期少于30日的理由": f"征集期不足{minimum}日（重大行政决策程序暂行条例第十五条），请说明理由"}
        )


@transaction.atomic
def consultation_create(
    *,
    actor,
    unit: Organisation,
    title: str,
    draft: str,
    explanation: str,
    summary: str = "",
    opens_on=None,
    closes_on=None,
    short_period_reason: str = "",
    contact: str = "",
) -> Consultation:
    access.require_unit_content(actor, unit)
    c = Consultation.objects.create(
        unit=unit,
        title=_check_text(title, "标题", 150),
        summary=(summary or "")[:300],
        draft=sanitise_html(_check_text(draft, "征求意见稿", 200000)),
        explanation=sanitise_html(_check_text(explanation, "起草说明", 100000)),
        opens_on=opens_on,
        closes_on=closes_on,
        short_period_reason=(short_period_reason or "").strip(),
        contact=(contact or "")[:120],
        created_by=actor,
    )
    audit.record(actor=actor, action="interaction.consultation.create", obj=c, unit=unit, after=audit.snapshot(c))
    return c


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, **fields) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    access.require_unit_content(actor, c.unit)
    if c.status != ConsultationStatus.DRAFT:
        raise ValidationError(_("征集开始后不能修改征求意见稿"))
    before = audit.snapshot(c)
    for name in ("title", "summary", "opens_on", "closes_on", "short_period_reason", "contact"):
        if name in fields:
            setattr(c, name, fields[name])
    if "draft" in fields:
        c.draft = sanitise_html(_check_text(fields["draft"], "征求意见稿", 200000))
    if "explanation" in fields:
        c.explanation = sanitise_html(_check_text(fields["explanation"], "起草说明", 100000))
    _check_text(c.title, "标题", 150)
    c.save()
    audit.record(
        actor=actor,
        action="interaction.consultation.update",
        obj=c,
        unit=c.unit,
        before=before,
        after=audit.snapshot(c),
    )
    return c


@transaction.atomic
def consultation_add_attachment(*, actor, consultation: Consultation, title: str, upload) -> ConsultationAttachment:
    access.require_unit_content(actor, consultation.unit)
    if consultation.status != ConsultationStatus.DRAFT:
        raise ValidationError(_("征集开始后不能再添加附件"))
    if upload is None:
        raise ValidationError({"文件": "请选择文件"})
    if upload.size > settings.GONGKAI_MAX_UPLOAD_BYTES:
        raise ValidationError({"文件": f"文件过大（上限 {settings.GONGKAI_MAX_UPLOAD_BYTES // 1024 // 1024} MB）"})
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    ext = kind.extension if kind else ""
    if kind and kind.extension == "zip" and upload.name.lower().endswith((".docx", ".xlsx")):
        ext = upload.name.lower().rsplit(".", 1)[-1]  # OOXML is a zip; check it opens as such below
        import zipfile

        try:
            with zipfile.ZipFile(upload) as z:
                if "[Content_Types].xml" not in z.namelist():
                    raise ValidationError({"文件": "文件内容与扩展名不符"})
        except zipfile.BadZipFile as exc:
            raise ValidationError({"文件": "文件已损坏，无法打开"}) from exc
        upload.seek(0)
    if ext not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError({"文件": "只能上传 PDF、Word、Excel、ODT 或 PNG/JPEG 图片（按文件内容识别）"})
    att = ConsultationAttachment(
        consultation=consultation,
        title=_check_text(title or upload.name, "附件名称", 150),
        content_type=ALLOWED_ATTACHMENT_TYPES[ext],
        size=upload.size,
    )
    import os
    import uuid

    att.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    att.save()
    audit.record(
        actor=actor,
        action="interaction.consultation.attach",
        obj=consultation,
        unit=consultation.unit,
        after={
            "attachment": att.pk,
            "title": att.title,
            "content_type": att.content_type,
            "name": os.path.basename(att.file.name),
        },
    )
    return att


@transaction.atomic
def consultation_open(*, actor, consultation: Consultation) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    access.require_unit_approver(actor, c.unit)
    _check_period(c.opens_on, c.closes_on, c.short_period_reason)
    if c.closes_on < timezone.localdate():
        raise ValidationError(_("截止日期已过"))
    before = audit.snapshot(c)
    if not can_proceed(c.open):
        raise ValidationError(_("只有草稿可以发布征集"))
    c.open()
    c.save()
    audit.record(
        actor=actor, action="interaction.consultation.open", obj=c, unit=c.unit, before=before, after=audit.snapshot(c)
    )
    search_sources.schedule(search_sources.CONSULTATION, c.pk)
    return c


@transaction.atomic
def consultation_close(*, actor, consultation: Consultation) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if actor is not None:
        access.require_unit_approver(actor, c.unit)
    if not can_proceed(c.close):
        raise ValidationError(_("只有征集中的项目可以结束"))
    before = audit.snapshot(c)
    c.close()
    if c.closes_on and c.closes_on > timezone.localdate():
        c.closes_on = timezone.localdate()  # closed early: the record shows the real end
    c.save()
    audit.record(
        actor=actor, action="interaction.consultation.close", obj=c, unit=c.unit, before=before, after=audit.snapshot(c)
    )
    search_sources.schedule(search_sources.CONSULTATION, c.pk)
    return c


def consultation_close_expired(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    n = 0
    for c in Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_on__lt=today):
        consultation_close(actor=None, consultation=c)
        n += 1
    return n


@transaction.atomic
def consultation_report(*, actor, consultation: Consultation, report: str) -> Consultation:
    """Publish the feedback report; every approved comment must have an adoption decision."""
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    access.require_unit_approver(actor, c.unit)
    report = _check_text(report, "意见采纳情况说明", 100000)
    if not can_proceed(c.report):
        raise ValidationError(_("征集结束后才能发布反馈报告"))
    if c.comments.filter(status=CommentStatus.PENDING).exists():
        raise ValidationError(_("还有待审核的意见，请先审核"))
    undecided = c.comments.filter(status=CommentStatus.APPROVED, adoption="").count()
    if undecided:
        raise ValidationError(f"还有 {undecided} 条意见未标明采纳情况")
    missing = c.comments.filter(
        status=CommentStatus.APPROVED, adoption__in=[Adoption.NOT_ADOPTED, Adoption.PARTLY], adoption_note=""
    ).count()
    if missing:
        raise ValidationError(f"有 {missing} 条未采纳或部分采纳的意见没有说明理由")
    before = audit.snapshot(c)
    c.report()
    c.feedback_report = sanitise_html(report)
    c.reported_at = timezone.now()
    c.save()
    audit.record(
        actor=actor,
        action="interaction.consultation.report",
        obj=c,
        unit=c.unit,
        before=before,
        after=audit.snapshot(c),
    )
    search_sources.schedule(search_sources.CONSULTATION, c.pk)
    return c


def comment_submit(
    *, consultation: Consultation, content: str, author_name: str = "", contact: str = ""
) -> tuple[Comment, bool]:
    content = _check_text(content, "意见内容", COMMENT_MAX)
    if not consultation.accepting_comments:
        raise ValidationError(_("该征集当前不接受意见"))
    digest = _content_hash(content, contact, str(consultation.pk))
    since = timezone.now() - dt.timedelta(hours=Policy.get().duplicate_window_hours)
    with transaction.atomic():
        _serialise_on(digest)
        existing = Comment.objects.filter(consultation=consultation, content_hash=digest, created_at__gte=since).first()
        if existing:
            return existing, False
        comment = Comment.objects.create(
            consultation=consultation,
            content=content,
            author_name=(author_name or "").strip()[:40],
            contact=(contact or "").strip()[:100],
            content_hash=digest,
        )
        audit.record(
            actor=None,
            action="interaction.comment.submit",
            obj=comment,
            unit=consultation.unit,
            after={"consultation": consultation.pk, "length": len(content)},
        )
    return comment, True


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, approve: bool, reason: str = "") -> Comment:
    """Approve (shown with personal data masked) or reject with a reason; rejected comments are kept."""
    comment = Comment.objects.select_for_update().select_related("consultation__unit").get(pk=comment.pk)
    access.require_unit_content(actor, comment.consultation.unit)
    if comment.status != CommentStatus.PENDING and approve == (comment.status == CommentStatus.APPROVED):
        raise ValidationError(_("该意见已审核"))
    before = {"status": comment.status}
    if approve:
        result = screening.screen(comment.content, known=[comment.author_name, comment.contact])
        comment.public_content = result.masked
        comment.status = CommentStatus.APPROVED
        comment.reject_reason = ""
    else:
        comment.reject_reason = _check_text(reason, "未通过理由", 200)
        comment.status = CommentStatus.REJECTED
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save()
    audit.record(
        actor=actor,
        action=f"interaction.comment.{'approve' if approve else 'reject'}",
        obj=comment,
        unit=comment.consultation.unit,
        before=before,
        after={"status": comment.status, "reason": comment.reject_reason},
    )
    return comment


@transaction.atomic
def comment_set_adoption(*, actor, comment: Comment, adoption: str, note: str = "") -> Comment:
    comment = Comment.objects.select_for_update().select_related("consultation__unit").get(pk=comment.pk)
    access.require_unit_content(actor, comment.consultation.unit)
    if comment.status != CommentStatus.APPROVED:
        raise ValidationError(_("只能对已通过审核的意见标明采纳情况"))
    if comment.consultation.status == ConsultationStatus.REPORTED:
        raise ValidationError(_("反馈报告已发布，不能再修改采纳情况"))
    if adoption not in (Adoption.ADOPTED, Adoption.PARTLY, Adoption.NOT_ADOPTED):
        raise ValidationError(_("请选择采纳情况"))
    note = (note or "").strip()
    if adoption != Adoption.ADOPTED and not note:
        raise ValidationError({"采纳说明": "未采纳或部分采纳的意见须说明理由"})
    before = {"adoption": comment.adoption, "note": comment.adoption_note}
    comment.adoption, comment.adoption_note = adoption, note[:500]
    comment.save(update_fields=["adoption", "adoption_note"])
    audit.record(
        actor=actor,
        action="interaction.comment.adoption",
        obj=comment,
        unit=comment.consultation.unit,
        before=before,
        after={"adoption": adoption, "note": comment.adoption_note},
    )
    return comment
