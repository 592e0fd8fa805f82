"""Public pages: 我要留言, 留言查询, 公开的留言, 常见问题, 意见征集. Thin: forms → services/selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from gongkai.core import transitions
from gongkai.core.client_address import client_address

from . import selectors, services, tracking
from .forms import AppealForm, CommentForm, RateForm, ReopenForm, SupplementForm, TrackForm
from .models import (
    Appeal,
    AppealType,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    FaqStatus,
    PublicStatus,
    TopicWord,
)

SESSION_CODES = "gk_interaction_codes"


def _limited(request, group: str) -> bool:
    """Rate limit public POSTs per client address (settings.GONGKAI_PUBLIC_FORM_RATE)."""
    return is_ratelimited(
        request,
        group=f"interaction:{group}",
        key="ip",
        rate=settings.GONGKAI_PUBLIC_FORM_RATE,
        method="POST",
        increment=True,
    )


def _too_many(request, template, context):
    context["rate_limited"] = True
    return render(request, template, context, status=429)


def _errors_to_form(form, exc: ValidationError):
    """A service's refusal onto the form: by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _authorise(request, appeal: Appeal) -> None:
    codes = request.session.get(SESSION_CODES, [])
    if appeal.tracking_code not in codes:
        request.session[SESSION_CODES] = (codes + [appeal.tracking_code])[-20:]


def _authorised(request, code: str) -> Appeal:
    if code not in request.session.get(SESSION_CODES, []):
        raise Http404
    return get_object_or_404(Appeal.objects.select_related("type", "unit", "target_unit"), tracking_code=code)


# --- 我要留言 -------------------------------------------------------------------------------


@require_GET
def index(request):
    types = AppealType.objects.filter(is_active=True)
    recent = selectors.public_appeals()[:8]
    from django.utils import timezone

    summary = selectors.public_summary(timezone.localdate().year)
    return render(request, "interaction/public/index.html", {"types": types, "recent": recent, "summary": summary})


@require_http_methods(["GET", "POST"])
def submit(request):
    template = "interaction/public/submit.html"
    suggestions = []
    if request.method == "POST" and "preview" in request.POST:
        # No-JS path of the suggester: show similar questions, keep what was typed.
        form = AppealForm(initial=request.POST.dict(), request=request)
        suggestions = selectors.faq_suggestions(f"{request.POST.get('title', '')} {request.POST.get('content', '')}")
        return render(request, template, {"form": form, "suggestions": suggestions, "previewed": True})
    if request.method == "POST":
        form = AppealForm(request.POST, request=request)
        if _limited(request, "appeal"):
            return _too_many(request, template, {"form": form})
        if form.is_valid():
            d = form.cleaned_data
            try:
                appeal, created = services.appeal_submit(
                    appeal_type=d["type"],
                    target_unit=d["target_unit"],
                    title=d["title"],
                    content=d["content"],
                    name=d["name"],
                    phone=d["phone"],
                    email=d["email"],
                    anonymous=d["anonymous"],
                    publish_consent=d["publish_consent"],
                    address_string=d["address_string"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                form.reset_human_check()
                _authorise(request, appeal)
                if created:
                    messages.success(
                        request,
                        _("留言已提交，查询码：%(code)s。请妥善保存查询码，凭查询码和联系方式查看办理进度。")
                        % {"code": appeal.tracking_code},
                    )
                else:
                    messages.warning(
                        request,
                        _("您已提交过内容相同的留言，无需重复提交。查询码：%(code)s") % {"code": appeal.tracking_code},
                    )
                return redirect("interaction:track-detail", code=appeal.tracking_code)
    else:
        initial = {"title": request.GET.get("q", "")[:100]}
        form = AppealForm(initial=initial, request=request)
    return render(request, template, {"form": form, "suggestions": suggestions})


@require_GET
def suggest(request):
    """htmx partial: similar FAQ entries for what the citizen is typing."""
    q = f"{request.GET.get('title', '')} {request.GET.get('content', '')} {request.GET.get('q', '')}".strip()
    suggestions = selectors.faq_suggestions(q[:300])
    return render(request, "interaction/public/_suggestions.html", {"suggestions": suggestions, "q": q})


# --- 留言查询 ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        return _track_form_for(request, request.GET.get("code", ""))
    template = "interaction/public/track.html"
    form = TrackForm(request.POST, request=request)
    if _limited(request, "track"):
        return _too_many(request, template, {"form": form})
    if form.is_valid():
        try:
            appeal = tracking.lookup(
                form.cleaned_data["code"], form.cleaned_data["factor"], address=client_address(request)
            )
        except tracking.TrackingLocked as exc:
            response = _too_many(request, template, {"form": form, "code_locked": True})
            response["Retry-After"] = str(exc.retry_after)
            return response
        if appeal is None:
            form.add_error(None, _("查询码或联系方式不正确，请核对后重新输入"))
        else:
            form.reset_human_check()
            _authorise(request, appeal)
            return redirect("interaction:track-detail", code=appeal.tracking_code)
    return render(request, template, {"form": form})


def _track_form_for(request, code: str):
    """The tracking form with the code filled in (a bookmarked link, or one opened after the session ended);
    never says whether the code exists."""
    code = (code or "").strip()[:30]
    notice = _("请输入留言时填写的手机号码或电子邮箱查看办理进度。") if code else ""
    form = TrackForm(request=request, initial={"code": code} if code else None)
    return render(request, "interaction/public/track.html", {"form": form, "notice": notice})


def _track_context(request, appeal, **forms):
    """What the requester may do now follows the transitions' states and conditions (system check)."""
    return {
        "appeal": appeal,
        "steps": appeal.steps.filter(is_internal=False).select_related("unit"),
        "can_supplement": transitions.allowed(appeal, "supplement"),
        "can_rate": transitions.allowed(appeal, "rate"),
        "can_reopen": transitions.allowed(appeal, "reopen"),
        "reopen_deadline": appeal.reopen_deadline(),
        "supplement_form": forms.get("supplement_form") or SupplementForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
    }


@require_GET
def track_detail(request, code):
    try:
        appeal = _authorised(request, code)
    except Http404:
        return _track_form_for(request, code)
    return render(request, "interaction/public/track_detail.html", _track_context(request, appeal))


def _track_action(request, code, form_cls, form_name, action):
    appeal = _authorised(request, code)
    form = form_cls(request.POST)
    if _limited(request, "track-action"):
        return _too_many(
            request, "interaction/public/track_detail.html", _track_context(request, appeal, **{form_name: form})
        )
    if form.is_valid():
        try:
            message = action(appeal, form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, message)
            return redirect("interaction:track-detail", code=code)
    appeal = Appeal.objects.select_related("type", "unit", "target_unit").get(pk=appeal.pk)
    return render(
        request,
        "interaction/public/track_detail.html",
        _track_context(request, appeal, **{form_name: form}),
        status=400,
    )


@require_POST
def track_supplement(request, code):
    def action(appeal, d):
        services.appeal_supplement(appeal=appeal, text=d["text"])
        return _("补充材料已提交")

    return _track_action(request, code, SupplementForm, "supplement_form", action)


@require_POST
def track_rate(request, code):
    def action(appeal, d):
        services.appeal_rate(
            appeal=appeal, speed=d["speed"], outcome=d["outcome"], attitude=d["attitude"], comment=d["comment"]
        )
        return _("感谢您的评价")

    return _track_action(request, code, RateForm, "rate_form", action)


@require_POST
def track_reopen(request, code):
    def action(appeal, d):
        services.appeal_reopen(appeal=appeal, reason=d["reason"])
        return _("已申请重新办理，承办单位将重新处理您的留言")

    return _track_action(request, code, ReopenForm, "reopen_form", action)


# --- published appeals -------------------------------------------------------------------------


@require_GET
def appeal_list(request):
    qs = selectors.public_appeals()
    q = request.GET.get("q", "").strip()[:50]
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(public_title__icontains=q) | Q(public_content__icontains=q) | Q(public_answer__icontains=q))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request, "interaction/public/appeal_list.html", {"page": page, "q": q, "query": f"q={q}" if q else ""}
    )


@require_GET
def appeal_detail(request, pk):
    appeal = get_object_or_404(selectors.public_appeals(), pk=pk, public_status=PublicStatus.PUBLISHED)
    steps = (
        appeal.steps.filter(is_internal=False)
        .exclude(kind__in=["supplement", "note", "reminded"])
        .select_related("unit")
    )
    return render(request, "interaction/public/appeal_detail.html", {"appeal": appeal, "steps": steps})


# --- 常见问题 -----------------------------------------------------------------------------------


@require_GET
def faq(request):
    q = request.GET.get("q", "").strip()[:100]
    topic = request.GET.get("topic", "").strip()[:30]
    domain = request.GET.get("domain", "").strip()[:40]
    if q:
        entries = selectors.faq_search(q)
        page = Paginator(entries, 20).get_page(request.GET.get("page"))
    else:
        qs = selectors.published_faq().order_by("domain_name", "question")
        if topic:
            qs = qs.filter(topics__name=topic)
        if domain:
            qs = qs.filter(domain__code=domain)
        page = Paginator(qs, 20).get_page(request.GET.get("page"))
    topics = TopicWord.objects.filter(entries__status=FaqStatus.PUBLISHED).distinct().order_by("name")[:200]
    domains = selectors.faq_domains()
    query = "&".join(
        p for p in [f"q={q}" if q else "", f"topic={topic}" if topic else "", f"domain={domain}" if domain else ""] if p
    )
    return render(
        request,
        "interaction/public/faq.html",
        {
            "page": page,
            "q": q,
            "topic": topic,
            "topics": topics,
            "query": query,
            "domains": domains,
            "domain": domain,
        },
    )


@require_GET
def faq_detail(request, pk):
    entry = get_object_or_404(selectors.published_faq(), pk=pk)
    related = [e for e in selectors.faq_suggestions(entry.question, limit=6) if e.pk != entry.pk][:5]
    return render(request, "interaction/public/faq_detail.html", {"entry": entry, "related": related})


# --- 意见征集 -----------------------------------------------------------------------------------


@require_GET
def consultations(request):
    state = request.GET.get("state", "")
    qs = selectors.public_consultations(state)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/public/consultations.html",
        {
            "page": page,
            "state": state,
            "states": [(s, label) for s, label in ConsultationStatus.choices if s != "draft"],
            "query": f"state={state}" if state else "",
        },
    )


def _consultation_context(c, form):
    comments = c.comments.filter(status=CommentStatus.APPROVED).order_by("created_at")
    return {
        "c": c,
        "comments": comments,
        "form": form,
        "figures": selectors.consultation_figures(c),
        "attachments": c.attachments.all(),
    }


@require_http_methods(["GET", "POST"])
def consultation_detail(request, pk):
    c = get_object_or_404(Consultation.objects.exclude(status=ConsultationStatus.DRAFT).select_related("unit"), pk=pk)
    template = "interaction/public/consultation_detail.html"
    if request.method == "POST":
        form = CommentForm(request.POST, request=request)
        if _limited(request, "comment"):
            return _too_many(request, template, _consultation_context(c, form))
        if form.is_valid():
            try:
                _comment, created = services.comment_submit(
                    consultation=c,
                    content=form.cleaned_data["content"],
                    author_name=form.cleaned_data["author_name"],
                    contact=form.cleaned_data["contact"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                form.reset_human_check()
                if created:
                    messages.success(request, _("意见已提交，审核通过后将在本页显示。感谢您的参与！"))
                else:
                    messages.warning(request, _("您已提交过相同的意见，无需重复提交。"))
                return redirect(reverse("interaction:consultation", args=[c.pk]) + "#comments")
        return render(request, template, _consultation_context(c, form), status=400)
    return render(
        request, template, _consultation_context(c, CommentForm(request=request) if c.accepting_comments else None)
    )


@require_GET
def consultation_attachment(request, pk, att):
    c = get_object_or_404(Consultation.objects.exclude(status=ConsultationStatus.DRAFT), pk=pk)
    attachment = get_object_or_404(c.attachments, pk=att)
    ext = attachment.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"{attachment.title}.{ext}",
    )
    return response
