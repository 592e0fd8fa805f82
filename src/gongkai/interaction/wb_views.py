"""Workbench pages for appeals, the FAQ knowledge base, consultations and statistics.

Thin: lists and detail pages read through :mod:`.selectors`; every staff action goes through
:mod:`.actions` (``…/<pk>/act/<name>/``, the same action layer as the API); the two editors
(FAQ entry, consultation draft) call one service each.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required

from . import access, selectors, services
from .actions import APPEAL_ACTIONS, COMMENT_ACTIONS, CONSULTATION_ACTIONS, FAQ_ACTIONS
from .forms import ConsultationForm, FaqForm
from .models import Appeal, Comment, Consultation, ConsultationStatus, FaqEntry, FaqStatus

QUEUES = [
    ("received", gettext_lazy("待受理/分拨")),
    ("mine", gettext_lazy("本单位待办")),
    ("due_soon", gettext_lazy("即将到期")),
    ("overdue", gettext_lazy("已超期")),
    ("answered", gettext_lazy("已答复待办结")),
    ("closed", gettext_lazy("已办结")),
    ("all", gettext_lazy("全部")),
]


def _form_errors(form, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in getattr(exc, "messages", None) or [str(exc)]:
            form.add_error(None, message)


# --- getting objects the user may see (404 / 403) -----------------------------------------------


def _get_appeal(request, pk) -> Appeal:
    appeal = get_object_or_404(Appeal.objects.select_related("type", "unit", "target_unit"), pk=pk)
    access.require_view_appeal(request.user, appeal)
    return appeal


def _get_faq(request, pk) -> FaqEntry:
    entry = get_object_or_404(FaqEntry.objects.select_related("unit", "source_appeal"), pk=pk)
    access.require_unit_content(request.user, entry.unit)
    return entry


def _get_consultation(request, pk) -> Consultation:
    c = get_object_or_404(Consultation.objects.select_related("unit"), pk=pk)
    access.require_unit_content(request.user, c.unit)
    return c


def _get_comment(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("consultation__unit"), pk=pk)
    access.require_unit_content(request.user, comment.consultation.unit)
    return comment


# --- the action routes ------------------------------------------------------------------------------

appeal_act = staff_required(
    action_view(
        APPEAL_ACTIONS,
        get_object=_get_appeal,
        success_url=lambda a: reverse("interaction_wb:appeal-detail", args=[a.pk]),
    )
)
faq_act = staff_required(
    action_view(
        FAQ_ACTIONS, get_object=_get_faq, success_url=lambda e: reverse("interaction_wb:faq-detail", args=[e.pk])
    )
)
consultation_act = staff_required(
    action_view(
        CONSULTATION_ACTIONS,
        get_object=_get_consultation,
        success_url=lambda c: reverse("interaction_wb:consultation-detail", args=[c.pk]),
    )
)
_comment_act = action_view(
    COMMENT_ACTIONS,
    get_object=_get_comment,
    success_url=lambda m: reverse("interaction_wb:consultation-detail", args=[m.consultation_id]) + "#comments",
)


@staff_required
def comment_act(request, pk, name):
    """Comment actions; from the moderation queue (``?next=moderation``) the user returns to the queue."""
    response = _comment_act(request, pk=pk, name=name)
    if isinstance(response, HttpResponseRedirect) and request.GET.get("next") == "moderation":
        return redirect("interaction_wb:moderation")
    return response


def _bound(action_set, user, obj, url_name):
    return action_set.bound(user, obj, url=lambda name: reverse(url_name, args=[obj.pk, name]))


# --- appeals ---------------------------------------------------------------------------------


@staff_required
def index(request):
    counts = selectors.queue_counts(request.user)
    return render(
        request,
        "interaction/wb/index.html",
        {
            "counts": counts,
            "queues": [(k, label, counts.get(k)) for k, label in QUEUES if k not in ("closed", "all")],
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


@staff_required
def appeal_detail(request, pk):
    appeal = _get_appeal(request, pk)
    return render(
        request,
        "interaction/wb/appeal_detail.html",
        {
            "appeal": appeal,
            "steps": appeal.steps.select_related("unit", "actor"),
            "show_contact": access.can_see_contact(request.user, appeal),
            "actions": _bound(APPEAL_ACTIONS, request.user, appeal, "interaction_wb:appeal-act"),
            "faq_entries": appeal.faq_entries.all(),
            "today": timezone.localdate(),
        },
    )


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


def _faq_initial(entry: FaqEntry | None, units) -> dict:
    if entry is None:
        return {"unit": units.first()} if units.count() == 1 else {}
    return {
        "question": entry.question,
        "answer": entry.answer,
        "unit": entry.unit,
        "domain": entry.domain,
        "domain_name": "" if entry.domain_id else entry.domain_name,
        "topics": "、".join(entry.topics.values_list("name", flat=True)),
        "review_date": entry.review_date if entry.review_date_manual else None,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def faq_edit(request, pk=None):
    entry = _get_faq(request, pk) if pk is not None else None
    units = access.content_units(request.user).order_by("path")
    status = 200
    if request.method == "POST":
        form = FaqForm(request.POST, units=units)
        if form.is_valid():
            try:
                if entry is None:
                    entry = services.faq_create(actor=request.user, **form.service_kwargs())
                else:
                    entry = services.faq_update(actor=request.user, entry=entry, **form.service_kwargs())
            except (ValidationError, PermissionDenied) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已保存（第 %(version)s 版）") % {"version": entry.version})
                return redirect("interaction_wb:faq-detail", pk=entry.pk)
        status = 400
    else:
        form = FaqForm(initial=_faq_initial(entry, units), units=units)
    return render(request, "interaction/wb/faq_form.html", {"form": form, "entry": entry}, status=status)


@staff_required
def faq_detail(request, pk):
    entry = _get_faq(request, pk)
    return render(
        request,
        "interaction/wb/faq_detail.html",
        {
            "entry": entry,
            "versions": entry.versions.select_related("editor"),
            "actions": _bound(FAQ_ACTIONS, request.user, entry, "interaction_wb:faq-act"),
        },
    )


# --- consultations -----------------------------------------------------------------------------


@staff_required
def consultation_list(request):
    qs = selectors.consultations_for_staff(request.user)
    return render(request, "interaction/wb/consultation_list.html", {"items": qs})


@staff_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk=None):
    c = _get_consultation(request, pk) if pk else None
    if c is not None and c.status != ConsultationStatus.DRAFT:
        messages.error(request, _("征集开始后不能修改征求意见稿"))
        return redirect("interaction_wb:consultation-detail", pk=c.pk)
    units = access.content_units(request.user).order_by("path")
    status = 200
    if request.method == "POST":
        form = ConsultationForm(request.POST, instance=c, units=units)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if c is None:
                    c = services.consultation_create(actor=request.user, **data)
                else:
                    data.pop("unit", None)
                    c = services.consultation_update(actor=request.user, consultation=c, **data)
            except (ValidationError, PermissionDenied) as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("interaction_wb:consultation-detail", pk=c.pk)
        status = 400
    else:
        initial = {"unit": units.first()} if c is None and units.count() == 1 else None
        form = ConsultationForm(instance=c, units=units, initial=initial)
    return render(request, "interaction/wb/consultation_form.html", {"form": form, "c": c}, status=status)


def _comment_rows(user, comments, *, next_page: str = ""):
    suffix = f"?next={next_page}" if next_page else ""
    return [
        (
            m,
            [
                (a, f"{reverse('interaction_wb:comment-act', args=[m.pk, a.name])}{suffix}")
                for a in COMMENT_ACTIONS.available(user, m)
            ],
        )
        for m in comments
    ]


@staff_required
def consultation_detail(request, pk):
    c = _get_consultation(request, pk)
    comments = c.comments.select_related("consultation").order_by("status", "created_at")
    return render(
        request,
        "interaction/wb/consultation_detail.html",
        {
            "c": c,
            "rows": _comment_rows(request.user, comments),
            "figures": selectors.consultation_figures(c),
            "actions": _bound(CONSULTATION_ACTIONS, request.user, c, "interaction_wb:consultation-act"),
        },
    )


@staff_required
def moderation(request):
    comments = selectors.moderation_queue(request.user).select_related("consultation__unit")
    return render(
        request,
        "interaction/wb/moderation.html",
        {"rows": _comment_rows(request.user, comments, next_page="moderation")},
    )


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
