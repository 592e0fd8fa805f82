"""Staff workbench: queue, registration, request detail with every handling step, statistics."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core import permissions
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation, Role

from . import forms, identity, selectors, services, stats
from .models import (
    OUTCOME_BASIS,
    Consultation,
    Extension,
    ExtensionStatus,
    LetterKind,
    ReviewCase,
    Status,
)

VIEWS = [
    ("open", "全部在办"),
    ("due_soon", "临期（5个工作日内）及逾期"),
    ("overdue", "逾期"),
    ("correction", "待补正"),
    ("calendar_missing", "日历缺失"),
    ("finished", "已办结"),
    ("all", "全部"),
]


def _error(request, exc: ValidationError) -> None:
    if hasattr(exc, "message_dict"):
        for _field, msgs in exc.message_dict.items():
            for m in msgs:
                messages.error(request, m)
    else:
        for m in exc.messages:
            messages.error(request, m)


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
    missing = (
        selectors.visible_requests(request.user)
        .filter(
            status__in=[Status.REGISTERED, Status.CORRECTION, Status.IN_PROGRESS, Status.CONSULTING],
            due_date__isnull=True,
        )
        .count()
    )
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
            "can_register": permissions.units_with_role(request.user, Role.EDITOR).exists()
            or permissions.units_with_role(request.user, Role.REVIEWER).exists()
            or permissions.units_with_role(request.user, Role.LEADER).exists()
            or permissions.is_sysadmin(request.user),
        },
    )


def _export(rows) -> HttpResponse:
    """CSV of the queue: personal data masked (exports never carry ID numbers or full phone numbers)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="requests.csv"'
    response.write("\ufeff")
    w = csv.writer(response)
    w.writerow(["查询码", "受理机关", "申请人", "电话", "收到日期", "答复期限", "剩余工作日", "状态", "答复类型"])
    for r in rows:
        w.writerow(
            [
                r.req.tracking_code,
                r.req.unit.name,
                r.name,
                r.phone,
                r.req.received_on,
                r.req.due_date or "日历缺失",
                "" if r.days_left is None else r.days_left,
                r.req.get_status_display(),
                r.req.get_outcome_display(),
            ]
        )
    return response


def _handler_units(user):
    return Organisation.objects.filter(
        pk__in=[u.pk for role in services.HANDLER_ROLES for u in permissions.units_with_role(user, role)]
    ).order_by("path")


@staff_required
@require_http_methods(["GET", "POST"])
def register(request):
    units = _handler_units(request.user)
    if not units.exists():
        raise PermissionDenied("您没有登记依申请公开件的权限")
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
            messages.success(request, f"已登记，查询码 {req.tracking_code}，请告知申请人。")
            return redirect("requests_wb:detail", pk=req.pk)
    return render(request, "requests/wb_register.html", {"form": form})


def _detail_context(request, req):
    user = request.user
    clear = services.can_see_personal_data(user, req)
    handle = services.can_handle(user, req)
    today = services.today()
    row = selectors.annotate([req], today=today)[0]
    pending_ext = req.extensions.filter(status=ExtensionStatus.PENDING).first()
    is_leader = permissions.has_role(user, Role.LEADER, req.unit)
    d = lambda **kw: {"sent_on": today, **kw}  # noqa: E731
    ctx = {
        "req": req,
        "row": row,
        "clear": clear,
        "can_handle": handle,
        "is_leader": is_leader,
        "id_number": req.id_number if clear else identity.mask_id(req.id_number),
        "phone": req.phone if clear else identity.mask_phone(req.phone),
        "address": req.address if clear else identity.mask_address(req.address),
        "email": req.email if clear else identity.mask_email(req.email),
        "applicant_name": req.name if (clear or req.applicant_type != "person") else identity.mask_name(req.name),
        "steps": req.steps.all(),
        "consultations": req.consultations.all(),
        "extensions": req.extensions.all(),
        "letters": req.letters.all(),
        "attachments": req.attachments.all(),
        "cases": req.review_cases.all(),
        "similar": selectors.similar_requests(req) if handle else [],
        "stale": bool(selectors.check_stored_due_dates([req])),
        "pending_ext": pending_ext,
        "silent_consultations": [
            c for c in req.consultations.all() if not c.answered_on and c.reply_due and c.reply_due < today
        ],
        "correction_overdue": req.status == Status.CORRECTION
        and req.correction_deadline
        and today > req.correction_deadline,
        "outcome_basis": {k.value: v for k, v in OUTCOME_BASIS.items()},
    }
    if handle:
        ctx.update(
            {
                "assign_form": forms.AssignForm(unit=req.unit, initial={"handler": req.handler_id}, prefix="assign"),
                "note_form": forms.NoteForm(prefix="note"),
                "correction_form": forms.CorrectionForm(initial=d(), prefix="correction"),
                "corrected_form": forms.CorrectedForm(initial={"corrected_on": today}, prefix="corrected"),
                "consult_form": forms.ConsultForm(initial=d(), prefix="consult"),
                "answer_form": forms.ConsultAnswerForm(initial={"answered_on": today}, prefix="answer"),
                "transfer_form": forms.TransferForm(prefix="transfer"),
                "extension_form": forms.ExtensionForm(prefix="extension"),
                "decision_form": forms.ExtensionDecisionForm(prefix="extension_decide"),
                "reply_form": forms.ReplyForm(initial={"replied_on": today}, prefix="reply"),
                "case_form": forms.ReviewCaseForm(prefix="case"),
                "case_update_forms": [
                    (
                        c,
                        forms.ReviewCaseForm(
                            prefix="case_update",
                            initial={"outcome": c.outcome, "decided_on": c.decided_on, "note": c.note},
                        ),
                    )
                    for c in req.review_cases.all()
                ],
                "letter_kinds": LetterKind.choices,
            }
        )
        ctx["transfer_form"].fields["to_unit"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=req.unit_id
        )
    return ctx


@staff_required
def detail(request, pk: int):
    req = selectors.get_visible(request.user, pk)
    return render(request, "requests/wb_detail.html", _detail_context(request, req))


ACTIONS = {}


def _issue_letter(request, req, kind, consultation=None) -> None:
    """Generate a letter after its step has been committed; a rendering failure is reported, not a 500."""
    import logging

    try:
        services.letter_issue(actor=request.user, req=req, kind=kind, consultation=consultation)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - template or PDF rendering problem
        logging.getLogger(__name__).exception("letter rendering failed for %s", req.tracking_code)
        messages.error(request, "办理环节已保存，但文书生成失败（请检查文书模板），可在“文书”栏重新生成。")


def action(name):
    def deco(fn):
        ACTIONS[name] = fn
        return fn

    return deco


@action("assign")
def _assign(request, req):
    form = forms.AssignForm(request.POST, unit=req.unit, prefix="assign")
    if form.is_valid():
        services.request_assign(actor=request.user, req=req, handler=form.cleaned_data["handler"])
        return "已分配承办人"
    return form


@action("note")
def _note(request, req):
    form = forms.NoteForm(request.POST, prefix="note")
    if form.is_valid():
        services.request_add_note(actor=request.user, req=req, note=form.cleaned_data["note"])
        return "已添加内部备注"
    return form


@action("correction")
def _correction(request, req):
    form = forms.CorrectionForm(request.POST, prefix="correction")
    if form.is_valid():
        req = services.request_correction_notice(
            actor=request.user,
            req=req,
            items=form.cleaned_data["items"],
            sent_on=form.cleaned_data["sent_on"],
            deadline=form.cleaned_data["deadline"],
        )
        if form.cleaned_data["letter"]:
            _issue_letter(request, req, LetterKind.CORRECTION)
        return "已发出补正告知"
    return form


@action("corrected")
def _corrected(request, req):
    form = forms.CorrectedForm(request.POST, prefix="corrected")
    if form.is_valid():
        req = services.request_receive_correction(
            actor=request.user, req=req, corrected_on=form.cleaned_data["corrected_on"], note=form.cleaned_data["note"]
        )
        return f"已登记补正，新的答复期限：{req.due_date or '日历缺失'}"
    return form


@action("deem_withdrawn")
def _deem(request, req):
    services.request_deem_withdrawn(actor=request.user, req=req)
    return "已按视为放弃申请办结"


@action("consult")
def _consult(request, req):
    form = forms.ConsultForm(request.POST, prefix="consult")
    if form.is_valid():
        c = services.consultation_send(
            actor=request.user,
            req=req,
            kind=form.cleaned_data["kind"],
            recipient=form.cleaned_data["recipient"],
            question=form.cleaned_data["question"],
            sent_on=form.cleaned_data["sent_on"],
            recipient_address=form.cleaned_data["recipient_address"],
        )
        if form.cleaned_data["letter"]:
            _issue_letter(request, req, LetterKind.CONSULTATION, consultation=c)
        return f"已发函征求意见，对方答复期限 {c.reply_due}；答复期限暂停计算"
    return form


@action("answer")
def _answer(request, req):
    consultation = get_object_or_404(Consultation, pk=request.POST.get("consultation"), request=req)
    form = forms.ConsultAnswerForm(request.POST, prefix="answer")
    if form.is_valid():
        services.consultation_answer(
            actor=request.user,
            consultation=consultation,
            answered_on=form.cleaned_data["answered_on"],
            answer=form.cleaned_data["answer"],
            agrees=form.cleaned_data["agrees"],
        )
        return "已登记意见，恢复计时"
    return form


@action("transfer")
def _transfer(request, req):
    form = forms.TransferForm(request.POST, prefix="transfer")
    if form.is_valid():
        services.request_transfer(
            actor=request.user, req=req, to_unit=form.cleaned_data["to_unit"], note=form.cleaned_data["note"]
        )
        return "已转交"
    return form


@action("extension")
def _extension(request, req):
    form = forms.ExtensionForm(request.POST, prefix="extension")
    if form.is_valid():
        services.extension_request(
            actor=request.user, req=req, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
        )
        return "已提交延期申请，待负责人审批"
    return form


@action("extension_decide")
def _extension_decide(request, req):
    ext = get_object_or_404(Extension, pk=request.POST.get("extension"), request=req)
    form = forms.ExtensionDecisionForm(request.POST, prefix="extension_decide")
    if form.is_valid():
        services.extension_decide(
            actor=request.user, extension=ext, approve=form.cleaned_data["approve"], note=form.cleaned_data["note"]
        )
        if form.cleaned_data["approve"] and form.cleaned_data["letter"]:
            _issue_letter(request, req, LetterKind.EXTENSION)
        return "已审批延期申请"
    return form


@action("reply")
def _reply(request, req):
    form = forms.ReplyForm(request.POST, prefix="reply")
    if form.is_valid():
        req = services.request_reply(
            actor=request.user,
            req=req,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            legal_basis=form.cleaned_data["legal_basis"],
            replied_on=form.cleaned_data["replied_on"],
        )
        if form.cleaned_data["letter"]:
            _issue_letter(request, req, LetterKind.REPLY)
        return "已答复"
    return form


@action("close")
def _close(request, req):
    services.request_close(actor=request.user, req=req)
    return "已办结归档"


@action("letter")
def _letter(request, req):
    kind = request.POST.get("kind")
    if kind not in LetterKind.values or kind == LetterKind.CONSULTATION:
        raise ValidationError("请选择文书类型")
    services.letter_issue(actor=request.user, req=req, kind=kind)
    return "已生成文书"


@action("case")
def _case(request, req):
    form = forms.ReviewCaseForm(request.POST, prefix="case")
    if form.is_valid():
        services.review_case_record(actor=request.user, req=req, **form.cleaned_data)
        return "已登记复议/诉讼"
    return form


@action("case_update")
def _case_update(request, req):
    case = get_object_or_404(ReviewCase, pk=request.POST.get("case"), request=req)
    form = forms.ReviewCaseForm(request.POST, prefix="case_update")
    form.fields["kind"].required = False
    form.fields["filed_on"].required = False
    if form.is_valid():
        services.review_case_update(
            actor=request.user,
            case=case,
            outcome=form.cleaned_data["outcome"],
            decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["note"],
        )
        return "已更新复议/诉讼结果"
    return form


@staff_required
@require_POST
def act(request, pk: int, name: str):
    req = selectors.get_visible(request.user, pk)
    fn = ACTIONS.get(name)
    if fn is None:
        raise Http404()
    if not services.can_handle(request.user, req) and name != "extension_decide":
        raise PermissionDenied("您无权办理该申请")
    try:
        result = fn(request, req)
    except ValidationError as exc:
        _error(request, exc)
    except PermissionDenied:
        raise
    except Exception as exc:  # noqa: BLE001 - a transition not allowed in this state
        from django_fsm import ConcurrentTransition, TransitionNotAllowed

        if isinstance(exc, ConcurrentTransition):
            messages.error(request, "该申请刚被其他人办理，请查看最新状态后重试")
        elif isinstance(exc, TransitionNotAllowed):
            messages.error(request, "当前状态下不能执行该操作")
        else:
            raise
    else:
        if isinstance(result, str):
            messages.success(request, result)
        else:
            for field, errs in result.errors.items():
                label = result.fields[field].label if field in result.fields else ""
                for e in errs:
                    messages.error(request, f"{label}：{e}" if label else e)
    return redirect("requests_wb:detail", pk=req.pk)


@staff_required
def letter_download(request, pk: int, letter_pk: int, fmt: str):
    req = selectors.get_visible(request.user, pk)
    letter = get_object_or_404(req.letters, pk=letter_pk)
    field = letter.pdf if fmt == "pdf" else letter.docx
    if not field:
        raise Http404()
    return FileResponse(field.open("rb"), as_attachment=fmt != "pdf", filename=f"{letter.number}.{fmt}")


@staff_required
def attachment_download(request, pk: int, att_pk: int):
    req = selectors.get_visible(request.user, pk)
    if not services.can_see_personal_data(request.user, req):
        raise PermissionDenied("附件含个人信息，仅承办人和单位负责人可以查看")
    att = get_object_or_404(req.attachments, pk=att_pk)
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
        raise PermissionDenied("没有可统计的单位")
    t3 = selectors.table3(request.user, unit, year)
    t4 = selectors.table4(request.user, unit, year)
    t4_rows = [(label, [t4[g][r] for r, _ in stats.TABLE4_RESULTS]) for g, label in stats.TABLE4_GROUPS]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="table3-4-{year}.csv"'
        response.write("\ufeff")
        w = csv.writer(response)
        w.writerow([f"{unit.name} {year}年 三、收到和处理政府信息公开申请情况"])
        w.writerow([stats.CHECK_NOTE] + [label for _, label in stats.COLUMNS])
        for label, _indent, values in t3.as_rows():
            w.writerow([label, *values])
        w.writerow([])
        w.writerow(["四、政府信息公开行政复议、行政诉讼情况"] + [label for _, label in stats.TABLE4_RESULTS])
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
