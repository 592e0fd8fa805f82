"""Workbench pages for appeals, the FAQ knowledge base, consultations and statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core import permissions
from gongkai.core.decorators import staff_required
from gongkai.core.models import Role

from . import access, selectors, services
from .forms import (
    AdoptionForm,
    AnswerForm,
    AssignForm,
    AttachmentForm,
    ConsultationForm,
    FaqForm,
    NoteForm,
    PublishForm,
    ReasonForm,
    ReportForm,
    ReviewForm,
)
from .models import Appeal, AppealStatus, Comment, Consultation, ConsultationStatus, FaqEntry, FaqStatus

QUEUES = [
    ("received", "待受理/分拨"),
    ("mine", "本单位待办"),
    ("due_soon", "即将到期"),
    ("overdue", "已超期"),
    ("answered", "已答复待办结"),
    ("closed", "已办结"),
    ("all", "全部"),
]


def _err(request, exc: ValidationError | PermissionDenied):
    for m in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, m)


# --- appeals ---------------------------------------------------------------------------------


@staff_required
def index(request):
    counts = selectors.queue_counts(request.user)
    return render(
        request,
        "interaction/wb/index.html",
        {
            "counts": counts,
            "queues": QUEUES,
            "stale": selectors.stale_faq(request.user).count(),
            "pending_comments": selectors.moderation_queue(request.user).count(),
        },
    )


@staff_required
def appeal_list(request):
    queue = request.GET.get("queue", "all")
    if queue not in dict(QUEUES):
        queue = "all"
    qs = selectors.appeal_queue(request.user, queue)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(tracking_code__icontains=q.upper()))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/wb/appeal_list.html",
        {
            "page": page,
            "queue": queue,
            "queues": QUEUES,
            "q": q,
            "today": timezone.localdate(),
            "query": "&".join(p for p in [f"queue={queue}", f"q={q}" if q else ""] if p),
        },
    )


def _dispatch_units(user, appeal):
    if permissions.is_sysadmin(user):
        return appeal.target_unit.descendants().order_by("path")
    return (
        appeal.target_unit.descendants()
        .filter(pk__in=permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).values("pk"))
        .order_by("path")
    )


def _appeal_context(request, appeal, **forms):
    user = request.user
    dispatch = access.dispatches(user, appeal)
    lead = access.leads(user, appeal)
    co = access.co_handles(user, appeal)
    ctx = {
        "appeal": appeal,
        "steps": appeal.steps.select_related("unit", "actor"),
        "show_contact": access.can_see_contact(user, appeal),
        "can_dispatch": dispatch,
        "can_lead": lead,
        "can_note": (lead or co) and appeal.is_open,
        "can_publish": (access.leads(user, appeal, access.APPROVER_ROLES) or dispatch)
        and appeal.status in (AppealStatus.ANSWERED, AppealStatus.CLOSED),
        "can_promote": (lead or dispatch)
        and appeal.status in (AppealStatus.ANSWERED, AppealStatus.CLOSED)
        and not appeal.faq_entries.exists(),
        "reject_form": forms.get("reject_form") or ReasonForm(),
        "return_form": forms.get("return_form") or ReasonForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(initial={"answer": appeal.answer}),
        "today": timezone.localdate(),
    }
    if dispatch:
        units = _dispatch_units(user, appeal)
        ctx["assign_form"] = forms.get("assign_form") or AssignForm(
            units=units, initial={"unit": appeal.unit, "co_units": list(appeal.co_units.all())}
        )
    if ctx["can_publish"]:
        proposal = services.appeal_publication_proposal(appeal)
        ctx["proposal"] = proposal
        ctx["publish_form"] = forms.get("publish_form") or PublishForm(
            initial={
                "public_title": proposal["title"].masked,
                "public_content": proposal["content"].masked,
                "public_answer": proposal["answer"].masked,
            }
        )
    return ctx


def _get_appeal(request, pk) -> Appeal:
    appeal = get_object_or_404(Appeal.objects.select_related("type", "unit", "target_unit"), pk=pk)
    access.require_view_appeal(request.user, appeal)
    return appeal


@staff_required
def appeal_detail(request, pk):
    appeal = _get_appeal(request, pk)
    return render(request, "interaction/wb/appeal_detail.html", _appeal_context(request, appeal))


def _appeal_post(request, pk, form_cls=None, form_name="", action=None, form_kwargs=None):
    appeal = _get_appeal(request, pk)
    form = None
    if form_cls is not None:
        form = form_cls(request.POST, **(form_kwargs(appeal) if form_kwargs else {}))
        if not form.is_valid():
            messages.error(request, "请检查填写的内容")
            return render(
                request,
                "interaction/wb/appeal_detail.html",
                _appeal_context(request, appeal, **{form_name: form}),
                status=400,
            )
    try:
        message = action(appeal, form.cleaned_data if form else {})
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied) and not access.can_view_appeal(request.user, appeal):
            raise
        _err(request, exc)
        if form is not None:
            return render(
                request,
                "interaction/wb/appeal_detail.html",
                _appeal_context(request, appeal, **{form_name: form}),
                status=400,
            )
    else:
        messages.success(request, message)
    return redirect("interaction_wb:appeal-detail", pk=pk)


@staff_required
@require_POST
def appeal_accept(request, pk):
    return _appeal_post(
        request, pk, action=lambda a, d: (services.appeal_accept(actor=request.user, appeal=a), "已受理")[1]
    )


@staff_required
@require_POST
def appeal_reject(request, pk):
    return _appeal_post(
        request,
        pk,
        ReasonForm,
        "reject_form",
        lambda a, d: (services.appeal_reject(actor=request.user, appeal=a, reason=d["reason"]), "已作不予受理处理")[1],
    )


@staff_required
@require_POST
def appeal_assign(request, pk):
    def action(a, d):
        services.appeal_assign(actor=request.user, appeal=a, unit=d["unit"], co_units=d["co_units"], note=d["note"])
        return "已分拨"

    return _appeal_post(
        request,
        pk,
        AssignForm,
        "assign_form",
        action,
        form_kwargs=lambda a: {"units": _dispatch_units(request.user, a)},
    )


@staff_required
@require_POST
def appeal_send_back(request, pk):
    return _appeal_post(
        request,
        pk,
        ReasonForm,
        "return_form",
        lambda a, d: (services.appeal_send_back(actor=request.user, appeal=a, reason=d["reason"]), "已退回政务公开办")[
            1
        ],
    )


@staff_required
@require_POST
def appeal_start(request, pk):
    return _appeal_post(
        request, pk, action=lambda a, d: (services.appeal_start(actor=request.user, appeal=a), "已开始处置")[1]
    )


@staff_required
@require_POST
def appeal_note(request, pk):
    return _appeal_post(
        request,
        pk,
        NoteForm,
        "note_form",
        lambda a, d: (services.appeal_note(actor=request.user, appeal=a, text=d["text"]), "会办意见已保存")[1],
    )


@staff_required
@require_POST
def appeal_answer(request, pk):
    return _appeal_post(
        request,
        pk,
        AnswerForm,
        "answer_form",
        lambda a, d: (services.appeal_answer(actor=request.user, appeal=a, answer=d["answer"]), "答复已发送")[1],
    )


@staff_required
@require_POST
def appeal_close(request, pk):
    return _appeal_post(
        request, pk, action=lambda a, d: (services.appeal_close(actor=request.user, appeal=a), "已办结")[1]
    )


@staff_required
@require_POST
def appeal_publish(request, pk):
    def action(a, d):
        services.appeal_publish(actor=request.user, appeal=a, **d)
        return "已在门户公开"

    return _appeal_post(request, pk, PublishForm, "publish_form", action)


@staff_required
@require_POST
def appeal_unpublish(request, pk):
    return _appeal_post(
        request, pk, action=lambda a, d: (services.appeal_unpublish(actor=request.user, appeal=a), "已撤回公开")[1]
    )


@staff_required
@require_POST
def appeal_promote(request, pk):
    appeal = _get_appeal(request, pk)
    try:
        entry = services.faq_promote_from_appeal(actor=request.user, appeal=appeal)
    except (ValidationError, PermissionDenied) as exc:
        _err(request, exc)
        return redirect("interaction_wb:appeal-detail", pk=pk)
    messages.success(request, "已收入常见问题库，可在此继续编辑")
    return redirect("interaction_wb:faq-detail", pk=entry.pk)


# --- FAQ ------------------------------------------------------------------------------------------


@staff_required
def faq_list(request):
    qs = selectors.faq_for_staff(request.user).order_by("review_date")
    stale = request.GET.get("stale") == "1"
    if stale:
        qs = qs.filter(status=FaqStatus.PUBLISHED, review_date__lt=timezone.localdate())
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(question__icontains=q) | Q(answer__icontains=q) | Q(topics__name=q)).distinct()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/wb/faq_list.html",
        {
            "page": page,
            "stale": stale,
            "q": q,
            "today": timezone.localdate(),
            "query": "&".join(p for p in ["stale=1" if stale else "", f"q={q}" if q else ""] if p),
        },
    )


def _faq_form_units(user):
    return access.content_units(user).order_by("path")


@staff_required
def faq_edit(request, pk=None):
    entry = None
    if pk is not None:
        entry = get_object_or_404(FaqEntry, pk=pk)
        access.require_unit_content(request.user, entry.unit)
    units = _faq_form_units(request.user)
    if request.method == "POST":
        form = FaqForm(request.POST, units=units)
        if form.is_valid():
            d = form.cleaned_data
            kwargs = dict(
                actor=request.user,
                question=d["question"],
                answer=d["answer"],
                domain=d["domain"],
                domain_name=d["domain_name"],
                topics=form.topic_list(),
                review_date=d["review_date"],
                note=d["note"],
            )
            try:
                if entry is None:
                    entry = services.faq_create(unit=d["unit"], **kwargs)
                else:
                    entry = services.faq_update(entry=entry, unit=d["unit"], **kwargs)
            except (ValidationError, PermissionDenied) as exc:
                for m in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, m)
            else:
                messages.success(request, f"已保存（第 {entry.version} 版）")
                return redirect("interaction_wb:faq-detail", pk=entry.pk)
    else:
        initial = {}
        if entry is not None:
            initial = {
                "question": entry.question,
                "answer": entry.answer,
                "unit": entry.unit,
                "domain": entry.domain,
                "domain_name": "" if entry.domain_id else entry.domain_name,
                "topics": "、".join(entry.topics.values_list("name", flat=True)),
                "review_date": entry.review_date,
            }
        elif units.count() == 1:
            initial = {"unit": units.first()}
        form = FaqForm(initial=initial, units=units)
    return render(request, "interaction/wb/faq_form.html", {"form": form, "entry": entry})


@staff_required
def faq_detail(request, pk):
    entry = get_object_or_404(FaqEntry.objects.select_related("unit", "source_appeal"), pk=pk)
    access.require_unit_content(request.user, entry.unit)
    return render(
        request,
        "interaction/wb/faq_detail.html",
        {
            "entry": entry,
            "versions": entry.versions.select_related("editor"),
            "review_form": ReviewForm(),
        },
    )


@staff_required
@require_POST
def faq_review(request, pk):
    entry = get_object_or_404(FaqEntry, pk=pk)
    access.require_unit_content(request.user, entry.unit)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.faq_mark_reviewed(actor=request.user, entry=entry, review_date=form.cleaned_data["review_date"])
            messages.success(request, "已确认复核")
        except ValidationError as exc:
            _err(request, exc)
    else:
        messages.error(request, "请填写正确的复核日期")
    return redirect("interaction_wb:faq-detail", pk=pk)


@staff_required
@require_POST
def faq_status(request, pk):
    entry = get_object_or_404(FaqEntry, pk=pk)
    access.require_unit_content(request.user, entry.unit)
    status = FaqStatus.WITHDRAWN if request.POST.get("status") == "withdrawn" else FaqStatus.PUBLISHED
    services.faq_set_status(actor=request.user, entry=entry, status=status)
    messages.success(request, "已撤回" if status == FaqStatus.WITHDRAWN else "已重新发布")
    return redirect("interaction_wb:faq-detail", pk=pk)


# --- consultations -----------------------------------------------------------------------------


@staff_required
def consultation_list(request):
    qs = selectors.consultations_for_staff(request.user)
    return render(request, "interaction/wb/consultation_list.html", {"items": qs})


def _get_consultation(request, pk) -> Consultation:
    c = get_object_or_404(Consultation.objects.select_related("unit"), pk=pk)
    access.require_unit_content(request.user, c.unit)
    return c


@staff_required
def consultation_edit(request, pk=None):
    c = _get_consultation(request, pk) if pk else None
    if c is not None and c.status != ConsultationStatus.DRAFT:
        messages.error(request, "征集开始后不能修改征求意见稿")
        return redirect("interaction_wb:consultation-detail", pk=c.pk)
    units = _faq_form_units(request.user)
    if request.method == "POST":
        form = ConsultationForm(request.POST, instance=c, units=units)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if c is None:
                    c = services.consultation_create(actor=request.user, **d)
                else:
                    d.pop("unit", None)
                    c = services.consultation_update(actor=request.user, consultation=c, **d)
            except (ValidationError, PermissionDenied) as exc:
                for m in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, m)
            else:
                messages.success(request, "已保存")
                return redirect("interaction_wb:consultation-detail", pk=c.pk)
    else:
        form = ConsultationForm(
            instance=c, units=units, initial={"unit": units.first()} if c is None and units.count() == 1 else None
        )
    return render(request, "interaction/wb/consultation_form.html", {"form": form, "c": c})


@staff_required
def consultation_detail(request, pk):
    c = _get_consultation(request, pk)
    comments = c.comments.order_by("status", "created_at")
    return render(
        request,
        "interaction/wb/consultation_detail.html",
        {
            "c": c,
            "comments": comments,
            "figures": selectors.consultation_figures(c),
            "attachment_form": AttachmentForm(),
            "report_form": ReportForm(initial={"report": c.feedback_report or _report_draft(c)}),
            "reason_form": ReasonForm(),
            "adoption_form": AdoptionForm(),
        },
    )


def _report_draft(c: Consultation) -> str:
    f = selectors.consultation_figures(c)
    return (
        (
            f"本次征求意见自{c.opens_on:%Y年%m月%d日}至{c.closes_on:%Y年%m月%d日}，共收到意见{f['total']}条，"
            f"其中经审核公开{f['approved']}条；采纳{f['adopted']}条，部分采纳{f['partly']}条，未采纳{f['not_adopted']}条。"
            "未采纳的主要理由见下表。"
        )
        if c.opens_on and c.closes_on
        else ""
    )


def _consultation_action(request, pk, action, success):
    c = _get_consultation(request, pk)
    try:
        action(c)
        messages.success(request, success)
    except (ValidationError, PermissionDenied) as exc:
        _err(request, exc)
    return redirect("interaction_wb:consultation-detail", pk=pk)


@staff_required
@require_POST
def consultation_open(request, pk):
    return _consultation_action(
        request, pk, lambda c: services.consultation_open(actor=request.user, consultation=c), "已发布，开始征集意见"
    )


@staff_required
@require_POST
def consultation_close(request, pk):
    return _consultation_action(
        request, pk, lambda c: services.consultation_close(actor=request.user, consultation=c), "征集已结束"
    )


@staff_required
@require_POST
def consultation_report(request, pk):
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写意见采纳情况说明")
        return redirect("interaction_wb:consultation-detail", pk=pk)
    return _consultation_action(
        request,
        pk,
        lambda c: services.consultation_report(actor=request.user, consultation=c, report=form.cleaned_data["report"]),
        "反馈报告已发布",
    )


@staff_required
@require_POST
def consultation_attach(request, pk):
    c = _get_consultation(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.consultation_add_attachment(
                actor=request.user, consultation=c, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
            )
            messages.success(request, "附件已上传")
        except (ValidationError, PermissionDenied) as exc:
            _err(request, exc)
    else:
        messages.error(request, "请选择要上传的文件")
    return redirect("interaction_wb:consultation-detail", pk=pk)


@staff_required
def moderation(request):
    return render(
        request,
        "interaction/wb/moderation.html",
        {"comments": selectors.moderation_queue(request.user), "reason_form": ReasonForm()},
    )


def _get_comment(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("consultation__unit"), pk=pk)
    access.require_unit_content(request.user, comment.consultation.unit)
    return comment


@staff_required
@require_POST
def comment_moderate(request, pk):
    comment = _get_comment(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.comment_moderate(
            actor=request.user, comment=comment, approve=approve, reason=request.POST.get("reason", "")
        )
        messages.success(
            request, "已通过，意见将在门户显示（个人信息已遮盖）" if approve else "已标记为未通过（意见保留在记录中）"
        )
    except (ValidationError, PermissionDenied) as exc:
        _err(request, exc)
    if request.POST.get("next") == "moderation":
        return redirect("interaction_wb:moderation")
    return redirect("interaction_wb:consultation-detail", pk=comment.consultation_id)


@staff_required
@require_POST
def comment_adoption(request, pk):
    comment = _get_comment(request, pk)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            services.comment_set_adoption(
                actor=request.user,
                comment=comment,
                adoption=form.cleaned_data["adoption"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "已保存采纳情况")
        except (ValidationError, PermissionDenied) as exc:
            _err(request, exc)
    else:
        messages.error(request, "请选择采纳情况")
    return redirect("interaction_wb:consultation-detail", pk=comment.consultation_id)


# --- statistics -------------------------------------------------------------------------------------


@staff_required
def stats(request):
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = max(2000, min(year, 2100))
    units = selectors.stats_units_for(request.user).filter(Q(appeals_led__isnull=False)).distinct()
    rows = selectors.interaction_stats(units, year)
    return render(
        request,
        "interaction/wb/stats.html",
        {"rows": rows, "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)},
    )
