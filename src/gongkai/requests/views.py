"""Public pages: the application form, the receipt, and the status page (tracking code + phone tail)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from gongkai.core import deadlines as core_deadlines
from gongkai.core import numbering, workdays
from gongkai.core.client_address import client_address

from . import deadlines, selectors, services, tracking
from .choices import CHANNEL_RULES, Channel
from .forms import HumanCheck, PublicRequestForm, TrackForm
from .models import InformationRequest, LetterState, Status
from .services import cn_date

SESSION_CODES = "requests_tracking_codes"
TRACK_RATE = "20/h"


def _remember(request, code: str) -> None:
    codes = list(request.session.get(SESSION_CODES, []))
    if code not in codes:
        codes.append(code)
    request.session[SESSION_CODES] = codes[-20:]


def _authorised(request, code: str) -> InformationRequest:
    code = numbering.normalise_tracking_code(code)
    if code not in request.session.get(SESSION_CODES, []):
        raise Http404(_("请先输入查询码和电话号码后4位"))
    return get_object_or_404(InformationRequest.objects.select_related("unit"), tracking_code=code)


def _limited(request, retry_after: int | None = None, *, code_locked: bool = False):
    response = render(request, "requests/limited.html", {"code_locked": code_locked}, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


# One allowance for the form and POST /api/v1/requests/ (group "requests:apply", per client address).
@ratelimit(
    group="requests:apply",
    key="ip",
    rate=lambda g, r: settings.GONGKAI_PUBLIC_FORM_RATE,
    method="POST",
    block=False,
)
@require_http_methods(["GET", "POST"])
def apply(request):
    check = HumanCheck(request.session)
    chosen = selectors.chosen_unit(request.GET.get("unit"))
    units = selectors.units_for_intake(chosen=chosen)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request)
        form = PublicRequestForm(request.POST, request.FILES, check=check, units=units)
        if form.is_valid():
            try:
                req = services.request_submit(
                    unit=form.cleaned_data["unit"], data=form.applicant_data(), files=form.cleaned_data["attachments"]
                )
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, msgs)
            else:
                check.reset()
                _remember(request, req.tracking_code)
                request.session["requests_receipt"] = req.tracking_code
                return redirect("requests:receipt")
    else:
        form = PublicRequestForm(check=check, units=units, initial={"unit": chosen.pk} if chosen else None)
    return render(request, "requests/apply.html", {"form": form, "rule": CHANNEL_RULES[Channel.ONLINE]})


def receipt(request):
    code = request.session.get("requests_receipt")
    if not code:
        return redirect("requests:track")
    req = _authorised(request, code)
    return render(request, "requests/receipt.html", {"req": req, **_due_context(req)})


def _due_context(req):
    reply = core_deadlines.period(deadlines.REPLY).length
    explain = [
        _("收到申请日期：%(date)s（%(channel)s）。")
        % {"date": cn_date(req.received_on), "channel": req.get_channel_display()}
    ]
    if req.corrected_on:
        explain.append(
            _("补正日期：%(date)s，答复期限自该日起重新计算（条例第三十条）。") % {"date": cn_date(req.corrected_on)}
        )
    explain.append(
        _("答复期限为收到申请之日起%(n)s个工作日，起算日不计入，法定节假日不计入、调休上班日计入（条例第三十三条）。")
        % {"n": reply}
    )
    if req.consultations.exists():
        explain.append(_("征求第三方或其他机关意见的时间不计入答复期限（条例第三十三条第二款）。"))
    if req.extension_days:
        explain.append(_("经负责人同意延长%(n)s个工作日（条例第三十三条第二款）。") % {"n": req.extension_days})
    if req.status == Status.CORRECTION:
        explain.append(
            _("目前等待您补正，补正期限为%(date)s；收到补正后重新计算答复期限。")
            % {"date": cn_date(req.correction_deadline)}
        )
    return {"due_explain": explain, "paused": req.status == Status.CONSULTING}


def _track_form_for(code: str) -> tuple[TrackForm, str]:
    """The tracking form for a bookmarked or shared link: the code filled in, the phone digits asked for."""
    code = (code or "").strip()[:30]
    if not code:
        return TrackForm(), ""
    if not numbering.tracking_code_is_wellformed(code):
        return TrackForm(initial={"code": code}), _("查询码格式不正确，请核对后重新输入。")
    notice = _("为保护您的个人信息，请输入申请时所留联系电话的后4位查看办理进度。")
    return TrackForm(initial={"code": numbering.normalise_tracking_code(code)}), notice


@ratelimit(group="requests:track", key="ip", rate=TRACK_RATE, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        form, notice = _track_form_for(request.GET.get("code", ""))
        return render(request, "requests/track.html", {"form": form, "notice": notice})
    form = TrackForm(request.POST)
    if getattr(request, "limited", False):
        return _limited(request)
    if form.is_valid():
        try:
            req = tracking.lookup(
                form.cleaned_data["code"], form.cleaned_data["phone_tail"], address=client_address(request)
            )
        except tracking.TrackingLocked as exc:
            return _limited(request, exc.retry_after, code_locked=True)
        if req is not None:
            _remember(request, req.tracking_code)
            return redirect("requests:status", code=req.tracking_code)
        form.add_error(None, _("查询码或电话号码后4位不正确。请核对后重试；多次输入错误将暂时无法查询。"))
    return render(request, "requests/track.html", {"form": form})


def status(request, code: str):
    try:
        req = _authorised(request, code)
    except Http404:
        # A bookmarked status link opened on another device or after the session ended: show the
        # tracking form with the code filled in (never whether the code exists).
        form, notice = _track_form_for(code)
        return render(request, "requests/track.html", {"form": form, "notice": notice})
    return render(
        request,
        "requests/status.html",
        {
            "req": req,
            "steps": selectors.public_steps(req),
            "letters": selectors.public_letters(req),
            **_due_context(req),
        },
    )


def letter(request, code: str, pk: int, fmt: str):
    req = _authorised(request, code)
    obj = get_object_or_404(req.letters.filter(to_applicant=True, state=LetterState.READY), pk=pk)
    field = obj.pdf if fmt == "pdf" else obj.docx
    if not field:
        raise Http404()
    name = f"{obj.get_kind_display()}-{obj.number}.{'pdf' if fmt == 'pdf' else 'docx'}"
    return FileResponse(field.open("rb"), as_attachment=fmt != "pdf", filename=name)


def guide(request):
    """How to apply (the 申请指南), with the periods computed from the live calendar."""
    today = services.today()
    try:
        example = deadlines.due_date(today)
    except workdays.CalendarMissing:
        example = None
    periods = {code.split(".")[1]: core_deadlines.period(code).length for code in _GUIDE_PERIODS}
    return render(
        request,
        "requests/guide.html",
        {"today": today, "example": example, "rules": CHANNEL_RULES.items(), "periods": periods},
    )


_GUIDE_PERIODS = (
    deadlines.REPLY,
    deadlines.EXTENSION,
    deadlines.CORRECTION_NOTICE,
    deadlines.THIRD_PARTY,
)


def forget(request):
    request.session.pop(SESSION_CODES, None)
    messages.info(request, _("已清除本设备上的查询记录。"))
    return redirect("requests:track")
