"""Staff pages: drafting, review queues, attachments, timeliness, review policy.

Review steps and the other workflow actions are :data:`gongkai.publications.actions.PUBLICATION_ACTIONS`,
served here by one view (``<pk>/act/<name>/``) and by the API with the same checks.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core import permissions, transitions
from gongkai.core import uploads as att
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation, Role
from gongkai.core.transitions import TransitionRefused

from . import forms, guards, selectors, services
from .actions import PUBLICATION_ACTIONS
from .models import INTERPRETABLE_TYPES, REVIEW_STATES, Attachment, DocType, LegalStatus, State


def _get(request, pk: int):
    pub = selectors.staff_get(request.user, pk)
    if pub is None:
        raise Http404(_("信息不存在或您无权查看"))
    return pub


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@staff_required
def home(request):
    drafts = selectors.my_drafts(request.user).prefetch_related("transitions")
    returned = [p for p in drafts if any(t.step == "reject" for t in p.transitions.all())]
    return render(
        request,
        "publications/wb/home.html",
        {
            "drafts": drafts,
            "in_review": selectors.in_review_for_editor(request.user)[:50],
            "returned_ids": {p.pk for p in returned},
            "counts": selectors.queue_counts(request.user),
            "doc_types": DocType.choices,
            "can_create": permissions.units_with_role(request.user, Role.EDITOR).exists(),
            "states": dict(State.choices),
        },
    )


@staff_required
def staff_list(request):
    state = request.GET.get("state", "")
    doc_type = request.GET.get("type", "")
    q = request.GET.get("q", "").strip()[:100]
    unit_id = request.GET.get("unit", "")
    qs = selectors.staff_list(
        request.user,
        state=state if state in State.values else "",
        doc_type=doc_type if doc_type in DocType.values else "",
        unit_id=int(unit_id) if unit_id.isdigit() else None,
        q=q,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publications/wb/list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "state": state,
            "doc_type": doc_type,
            "q": q,
            "unit_id": unit_id,
            "states": State.choices,
            "doc_types": DocType.choices,
            "units": permissions.visible_units(request.user).order_by("path"),
        },
    )


@staff_required
def queues(request):
    first = next((s for s, n in selectors.queue_counts(request.user).items() if n), State.ATTRIBUTE_REVIEW)
    return redirect("publications_wb:queue", state=first)


@staff_required
def queue(request, state: str):
    if state not in REVIEW_STATES:
        raise Http404(_("没有这个审核环节"))
    items = selectors.review_queue(request.user, state)
    template = "publications/wb/_queue_table.html" if request.htmx else "publications/wb/queue.html"
    return render(
        request,
        template,
        {
            "items": items,
            "state": state,
            "state_label": State(state).label,
            "counts": selectors.queue_counts(request.user),
            "labels": selectors.QUEUE_LABELS,
            "today": timezone.localdate(),
            "overseeing": permissions.units_with_role(request.user, Role.DISCLOSURE_OFFICE).exists(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def create(request):
    doc_type = request.GET.get("type") or request.POST.get("doc_type", "")
    if doc_type not in DocType.values:
        return render(request, "publications/wb/choose_type.html", {"doc_types": DocType.choices})
    if not permissions.units_with_role(request.user, Role.EDITOR).exists():
        raise PermissionDenied(_("您不是任何单位的信息员，不能起草信息"))
    initial = {}
    if doc_type == DocType.INTERPRETATION and request.GET.get("interprets", "").isdigit():
        initial["interprets"] = int(request.GET["interprets"])
    form = forms.PublicationForm(request.POST or None, user=request.user, doc_type=doc_type, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pub = services.publication_create(
                actor=request.user, unit=form.cleaned_data["unit"], doc_type=doc_type, **form.service_data()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存。可继续上传附件，完成后提交审核。"))
            return redirect("publications_wb:edit", pk=pub.pk)
    return render(request, "publications/wb/form.html", {"form": form, "doc_type": DocType(doc_type)})


@staff_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    pub = _get(request, pk)
    refusal = transitions.refusal(pub, "edit", request.user)
    if isinstance(refusal, PermissionDenied):
        raise PermissionDenied(_("只有本单位信息员可以修改"))
    if isinstance(refusal, TransitionRefused):
        messages.error(request, _("只有草稿可以修改；审核中的信息请先由审核人退回"))
        return redirect("publications_wb:detail", pk=pub.pk)
    form = forms.PublicationForm(
        request.POST or None, instance=pub, user=request.user, doc_type=pub.doc_type, unit=pub.unit
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_update(actor=request.user, publication=pub, **form.service_data())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存"))
            return redirect("publications_wb:edit", pk=pub.pk)
    return render(
        request,
        "publications/wb/form.html",
        {
            "form": form,
            "pub": pub,
            "doc_type": DocType(pub.doc_type),
            "attachment_form": forms.AttachmentForm(),
            "attachments": pub.attachments.all(),
            "missing": guards.readiness_errors(pub),
            "max_upload": att.max_bytes(),
        },
    )


@staff_required
@require_POST
def attachment_add(request, pk: int):
    pub = _get(request, pk)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, _("请选择要上传的文件"))
    for upload in files:
        if upload.size > att.max_bytes():
            messages.error(
                request,
                _("“%(name)s”过大，单个附件不能超过 %(mb)s MB。")
                % {"name": att.clean_filename(upload.name), "mb": att.max_bytes() // 1024 // 1024},
            )
            continue
        try:
            services.attachment_add(actor=request.user, publication=pub, name=upload.name, data=upload.read())
        except ValidationError as exc:
            for msg in _errors(exc):
                messages.error(request, msg)
        else:
            messages.success(request, _("已上传“%(name)s”") % {"name": att.clean_filename(upload.name)})
    return redirect("publications_wb:edit", pk=pub.pk)


@staff_required
@require_POST
def attachment_remove(request, pk: int, attachment_id: int):
    pub = _get(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, publication=pub)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        for msg in _errors(exc):
            messages.error(request, msg)
    else:
        messages.success(request, _("已删除附件“%(name)s”") % {"name": attachment.name})
    return redirect("publications_wb:edit", pk=pub.pk)


@staff_required
def attachment_download(request, pk: int, attachment_id: int):
    pub = _get(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, publication=pub)
    if attachment.is_link:
        return redirect(attachment.external_url)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件缺失")) from exc
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = att.content_disposition(attachment.name)
    response["Cache-Control"] = "private, no-store"
    return response


def _act_url(pub):
    return lambda name: reverse("publications_wb:act", args=[pub.pk, name])


@staff_required
def detail(request, pk: int):
    pub = _get(request, pk)
    user = request.user
    context = {
        "pub": pub,
        "actions": PUBLICATION_ACTIONS.bound(user, pub, url=_act_url(pub)),
        "can_edit": transitions.allowed(pub, "edit", user),
        "own_draft_blocked": pub.state in REVIEW_STATES and guards.own_draft_blocked(pub, user),
        "history": pub.transitions.select_related("actor"),
        "attachments": pub.attachments.all(),
        "interpretations": pub.interpretations.all(),
        "links": pub.legal_links_in.select_related("by"),
        "status": pub.legal_status(),
        "steps": guards.review_steps(pub.unit),
        "next_state": State(guards.next_state(pub)).label if pub.state in REVIEW_STATES else "",
        "can_interpret": pub.doc_type in INTERPRETABLE_TYPES
        and permissions.has_role(user, Role.EDITOR, pub.unit)
        and pub.state not in (State.WITHDRAWN, State.RETAINED),
        "missing": guards.readiness_errors(pub) if pub.state == State.DRAFT else {},
        "status_labels": dict(LegalStatus.choices),
    }
    return render(request, "publications/wb/detail.html", context)


act = staff_required(
    action_view(
        PUBLICATION_ACTIONS,
        get_object=_get,
        success_url=lambda pub: reverse("publications_wb:detail", args=[pub.pk]),
    )
)


@staff_required
@require_POST
def delete(request, pk: int):
    pub = _get(request, pk)
    try:
        services.publication_delete(actor=request.user, publication=pub)
    except ValidationError as exc:
        for msg in _errors(exc):
            messages.error(request, msg)
        return redirect("publications_wb:detail", pk=pub.pk)
    messages.success(request, _("草稿已删除"))
    return redirect("publications_wb:home")


@staff_required
def late(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    unit_id = request.GET.get("unit", "")
    units = permissions.visible_units(request.user).order_by("path")
    stats = selectors.timeliness_stats(units, year)
    rows = [s for s in stats.values() if s["published"] or s["overdue_pending"]]
    items = selectors.late_items(request.user, unit_id=int(unit_id) if unit_id.isdigit() else None)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publications/wb/late.html",
        {"rows": rows, "page": page, "year": year, "unit_id": unit_id, "units": units, "today": timezone.localdate()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def policy(request, unit_id: int):
    unit = get_object_or_404(Organisation, pk=unit_id)
    permissions.require(request.user, [Role.LEADER, Role.DISCLOSURE_OFFICE], unit)
    current = guards.review_policy(unit)
    form = forms.ReviewPolicyForm(
        request.POST or None,
        initial={
            "require_confidentiality": current.require_confidentiality,
            "require_signoff": current.require_signoff,
            "separate_reviewer": current.separate_reviewer,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.review_policy_set(actor=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, _("审核流程设置已保存"))
        return redirect("publications_wb:policy", unit_id=unit.pk)
    return render(
        request, "publications/wb/policy.html", {"form": form, "unit": unit, "steps": guards.review_steps(unit)}
    )


@staff_required
def policies(request):
    units = (
        (
            permissions.units_with_role(request.user, Role.LEADER)
            | permissions.units_with_role(request.user, Role.DISCLOSURE_OFFICE)
        )
        .distinct()
        .order_by("path")
    )
    rows = [(u, guards.review_steps(u)) for u in units[:500]]
    return render(request, "publications/wb/policies.html", {"rows": rows, "labels": dict(State.choices)})
