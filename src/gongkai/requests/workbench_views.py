"""Staff workbench: queue, registration, request detail with every handling step, statistics."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gongkai.core import permissions
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation, Role

from . import access, forms, identity, selectors, services, stats
from .actions import REQUEST_ACTIONS
from .models import OPEN_STATUSES, ExtensionStatus, LetterState, RequestPolicy, Status

VIEWS = [
    ("open", gettext_lazy("全部在办")),
    ("due_soon", gettext_lazy("临期及逾期")),
    ("overdue", gettext_lazy("逾期")),
    ("signoff", gettext_lazy("待签发")),
    ("correction", gettext_lazy("待补正")),
    ("calendar_missing", gettext_lazy("日历缺失")),
    ("finished", gettext_lazy("已办结")),
    ("all", gettext_lazy("全部")),
]


@staff_required
def queue(request):
    view = request.GET.get("view", "open")
    if view not in dict(VIEWS):
        view = "open"
    units = permissions.visible_units(request.user)
    unit = None
    if request.GET.get("unit"):
        unit = units.filter(pk=request.GET["unit"]).first()
    handler = request.user if request.GET.get("mine") else None
    qs = selectors.queue(request.user, view=view, unit=unit, handler=handler, q=request.GET.get("q", "").strip())
    if request.GET.get("format") == "csv":
        return _export(selectors.annotate(qs[:5000]))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = selectors.annotate(page.object_list)
    stale = selectors.check_stored_due_dates([r.req for r in rows])
    missing = selectors.visible_requests(request.user).filter(status__in=OPEN_STATUSES, due_date__isnull=True).count()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "requests/wb_queue.html",
        {
            "rows": rows,
            "page": page,
            "views": VIEWS,
            "view": view,
            "units": units.order_by("path"),
            "unit": unit,
            "stale": {r.pk for r in stale},
            "missing": missing,
            "query": query.urlencode(),
            "can_register": _handler_units(request.user).exists(),
            "can_set_policy": permissions.units_with_role(request.user, Role.LEADER).exists()
            or permissions.units_with_role(request.user, Role.DISCLOSURE_OFFICE).exists(),
        },
    )


def _export(rows) -> HttpResponse:
    """CSV of the queue: personal data masked (exports never carry ID numbers or full phone numbers)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="requests.csv"'
    response.write("\ufeff")
    w = csv.writer(response)
    w.writerow(
        [
            _("查询码"),
            _("受理机关"),
            _("申请人"),
            _("电话"),
            _("收到日期"),
            _("答复期限"),
            _("剩余工作日"),
            _("状态"),
            _("答复类型"),
        ]
    )
    for r in rows:
        w.writerow(
            [
                r.req.tracking_code,
                r.req.unit.name,
                r.name,
                r.phone,
                r.req.received_on,
                r.req.due_date or _("日历缺失"),
                "" if r.days_left is None else r.days_left,
                r.req.get_status_display(),
                r.req.get_outcome_display(),
            ]
        )
    return response


def _handler_units(user):
    return Organisation.objects.filter(
        pk__in=[u.pk for role in access.HANDLER_ROLES for u in permissions.units_with_role(user, role)]
    ).order_by("path")


@staff_required
@require_http_methods(["GET", "POST"])
def register(request):
    units = _handler_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您没有登记依申请公开件的权限"))
    form = forms.StaffRegisterForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"received_on": services.today(), "unit": request.user.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_register(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                data=form.applicant_data(),
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                receipt_evidence=form.cleaned_data["receipt_evidence"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(request, _("已登记，查询码 %(code)s，请告知申请人。") % {"code": req.tracking_code})
            return redirect("requests_wb:detail", pk=req.pk)
    return render(request, "requests/wb_register.html", {"form": form})


def _detail_context(request, req):
    user = request.user
    clear = services.can_see_personal_data(user, req)
    handle = access.can_handle(req, user)
    row = selectors.annotate([req], today=services.today())[0]
    bound = REQUEST_ACTIONS.bound(user, req, url=lambda name: reverse("requests_wb:act", args=[req.pk, name]))
    return {
        "req": req,
        "row": row,
        "clear": clear,
        "can_handle": handle,
        "actions": bound,
        "id_number": req.id_number if clear else identity.mask_id(req.id_number),
        "phone": req.phone if clear else identity.mask_phone(req.phone),
        "address": req.address if clear else identity.mask_address(req.address),
        "email": req.email if clear else identity.mask_email(req.email),
        "applicant_name": req.name if (clear or req.applicant_type != "person") else identity.mask_name(req.name),
        "steps": req.steps.all(),
        "consultations": req.consultations.all(),
        "extensions": req.extensions.all(),
        "pending_ext": req.extensions.filter(status=ExtensionStatus.PENDING).first(),
        "draft": req.pending_draft,
        "drafts": req.reply_drafts.select_related("drafted_by", "decided_by"),
        "signoff_required": req.signoff_required,
        "letters": req.letters.all(),
        "attachments": req.attachments.all(),
        "cases": req.review_cases.all(),
        "similar": selectors.similar_requests(req) if handle else [],
        "stale": bool(selectors.check_stored_due_dates([req])),
        "silent_consultations": [
            c for c in req.consultations.all() if not c.answered_on and c.reply_due and c.reply_due < services.today()
        ],
        "correction_overdue": req.status == Status.CORRECTION
        and req.correction_deadline
        and services.today() > req.correction_deadline,
    }


@staff_required
def detail(request, pk: int):
    req = selectors.get_visible(request.user, pk)
    context = _detail_context(request, req)
    if context["clear"]:
        services.personal_data_viewed(actor=request.user, req=req, where="workbench")
    return render(request, "requests/wb_detail.html", context)


act = staff_required(
    action_view(
        REQUEST_ACTIONS,
        get_object=lambda request, pk: selectors.get_visible(request.user, pk),
        success_url=lambda req: reverse("requests_wb:detail", args=[req.pk]),
    )
)


@staff_required
def letter_download(request, pk: int, letter_pk: int, fmt: str):
    req = selectors.get_visible(request.user, pk)
    letter = get_object_or_404(req.letters, pk=letter_pk, state=LetterState.READY)
    field = letter.pdf if fmt == "pdf" else letter.docx
    if not field:
        raise Http404()
    return FileResponse(field.open("rb"), as_attachment=fmt != "pdf", filename=f"{letter.number}.{fmt}")


@staff_required
def attachment_download(request, pk: int, att_pk: int):
    req = selectors.get_visible(request.user, pk)
    if not services.can_see_personal_data(request.user, req):
        raise PermissionDenied(_("附件含个人信息，仅承办人和单位负责人可以查看"))
    att = get_object_or_404(req.attachments, pk=att_pk)
    services.personal_data_viewed(actor=request.user, req=req, where=f"attachment:{att.pk}")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name)


@staff_required
def statistics(request):
    units = permissions.visible_units(request.user).order_by("path")
    unit = units.filter(pk=request.GET.get("unit")).first() if request.GET.get("unit") else None
    unit = unit or (
        request.user.unit if request.user.unit and units.filter(pk=request.user.unit_id).exists() else units.first()
    )
    try:
        year = int(request.GET.get("year", services.today().year))
    except ValueError:
        year = services.today().year
    if unit is None:
        raise PermissionDenied(_("没有可统计的单位"))
    t3 = selectors.table3(request.user, unit, year)
    t4 = selectors.table4(request.user, unit, year)
    t4_rows = [(label, [t4[g][r] for r, _label in stats.TABLE4_RESULTS]) for g, label in stats.TABLE4_GROUPS]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="table3-4-{year}.csv"'
        response.write("\ufeff")
        w = csv.writer(response)
        w.writerow([_("%(unit)s %(year)s年 三、收到和处理政府信息公开申请情况") % {"unit": unit.name, "year": year}])
        w.writerow([stats.CHECK_NOTE] + [label for _k, label in stats.COLUMNS])
        for label, _indent, values in t3.as_rows():
            w.writerow([label, *values])
        w.writerow([])
        w.writerow([_("四、政府信息公开行政复议、行政诉讼情况")] + [label for _k, label in stats.TABLE4_RESULTS])
        for label, values in t4_rows:
            w.writerow([label, *values])
        return response
    return render(
        request,
        "requests/wb_stats.html",
        {
            "units": units,
            "unit": unit,
            "year": year,
            "t3": t3,
            "t3_rows": t3.as_rows(),
            "t4_rows": t4_rows,
            "t4_results": stats.TABLE4_RESULTS,
            "years": range(services.today().year, services.today().year - 6, -1),
            "includes_below": permissions.oversees(request.user, unit),
            "check_note": stats.CHECK_NOTE,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def policy(request):
    """Per-unit request settings: reply sign-off and whether the unit is offered on the public form."""
    units = [
        u for u in permissions.visible_units(request.user).order_by("path") if access.can_set_policy(request.user, u)
    ]
    if not units:
        raise PermissionDenied(_("只有单位负责人或政务公开办可以修改依申请公开设置"))
    unit = selectors.chosen_unit(request.GET.get("unit") or request.POST.get("unit"))
    unit = unit if unit in units else units[0]
    current = RequestPolicy.for_unit(unit)
    initial = {
        "reply_signoff": current.reply_signoff,
        "accepts_requests": {None: "", True: "yes", False: "no"}[current.accepts_requests],
    }
    form = forms.PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, unit=unit, **form.cleaned_policy())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已保存“%(unit)s”的依申请公开设置") % {"unit": unit.name})
            return redirect(reverse("requests_wb:policy") + f"?unit={unit.pk}")
    rows = [(u, RequestPolicy.for_unit(u)) for u in units]
    return render(
        request,
        "requests/wb_policy.html",
        {"form": form, "unit": unit, "rows": rows},
        status=400 if form.errors else 200,
    )
