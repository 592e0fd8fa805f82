"""Staff pages of the assessment app: office dashboard, indicator sets, periods and rankings,
bulletins (通报), rectifications with cards and letters, document templates."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.monitoring import selectors as monitoring

from . import actions as A
from . import forms, selectors, services
from .models import (
    Assessee,
    Bulletin,
    DocumentTemplate,
    Evidence,
    Indicator,
    IndicatorSet,
    Letter,
    Period,
    Rectification,
    ResultAppeal,
    TemplateKind,
)


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _office(request):
    if not selectors.is_office(request.user):
        raise PermissionDenied(_("只有政务公开办管理员可以使用此功能"))


def _set(request, pk):
    _office(request)
    return get_object_or_404(IndicatorSet, pk=pk)


def _indicator(request, pk):
    _office(request)
    return get_object_or_404(Indicator.objects.select_related("indicator_set"), pk=pk)


def _period(request, pk):
    period = get_object_or_404(Period.objects.select_related("root", "indicator_set"), pk=pk)
    permissions.require_view(request.user, period.root)
    return period


def _assessee(request, pk):
    a = get_object_or_404(Assessee.objects.select_related("period__root", "unit"), pk=pk)
    if not (permissions.can_view(request.user, a.unit) or permissions.oversees(request.user, a.period.root)):
        raise PermissionDenied(_("您无权查看该单位的评估结果"))
    return a


def _appeal(request, pk):
    ap = get_object_or_404(ResultAppeal.objects.select_related("assessee__period__root", "assessee__unit"), pk=pk)
    _assessee(request, ap.assessee_id)
    return ap


def _bulletin(request, pk):
    b = get_object_or_404(Bulletin.objects.select_related("root", "period"), pk=pk)
    permissions.require_view(request.user, b.root)
    return b


def _rect(request, pk):
    r = get_object_or_404(Rectification.objects.select_related("unit", "period", "bulletin"), pk=pk)
    permissions.require_view(request.user, r.unit)
    return r


set_act = staff_required(
    action_view(A.SET_ACTIONS, get_object=_set, success_url=lambda s: reverse("assessment_wb:set-detail", args=[s.pk]))
)
indicator_act = staff_required(
    action_view(
        A.INDICATOR_ACTIONS,
        get_object=_indicator,
        success_url=lambda i: reverse("assessment_wb:set-detail", args=[i.indicator_set_id]),
    )
)
period_act = staff_required(
    action_view(
        A.PERIOD_ACTIONS, get_object=_period, success_url=lambda p: reverse("assessment_wb:period-detail", args=[p.pk])
    )
)
assessee_act = staff_required(
    action_view(
        A.ASSESSEE_ACTIONS,
        get_object=_assessee,
        success_url=lambda a: reverse("assessment_wb:assessee-detail", args=[a.pk]),
    )
)
appeal_act = staff_required(
    action_view(
        A.APPEAL_ACTIONS,
        get_object=_appeal,
        success_url=lambda a: reverse("assessment_wb:assessee-detail", args=[a.assessee_id]),
    )
)
bulletin_act = staff_required(
    action_view(
        A.BULLETIN_ACTIONS,
        get_object=_bulletin,
        success_url=lambda b: reverse("assessment_wb:bulletin-detail", args=[b.pk]),
    )
)
rectification_act = staff_required(
    action_view(
        A.RECTIFICATION_ACTIONS,
        get_object=_rect,
        success_url=lambda r: reverse("assessment_wb:rectification-detail", args=[r.pk]),
    )
)


def _chart(key, title, kind, columns, rows) -> dict:
    cols = [str(c) for c in columns]
    return {
        "key": key,
        "title": str(title),
        "columns": cols,
        "rows": rows,
        "echarts": {
            "kind": kind,
            "title": str(title),
            "columns": cols,
            "rows": rows,
            "plot": list(range(1, len(cols))),
        },
    }


@staff_required
def dashboard(request):
    _office(request)
    data = monitoring.dashboard(request.user)
    trend = [[f"{r['month']:%Y-%m}", r["total"], r["veto"], r["confirmed"]] for r in data["trend"]]
    by_unit = [[r["unit__name"] or "—", r["new"], r["confirmed"], r["veto"]] for r in data["by_unit"]]
    charts = [
        _chart("trend", _("每月新发现问题"), "line", [_("月份"), _("新发现"), _("单项否决"), _("已确认")], trend),
        _chart("units", _("各单位未关闭问题"), "hbar", [_("单位"), _("待审核"), _("已确认"), _("单项否决")], by_unit),
    ]
    context = {
        **data,
        "charts": charts,
        "rectifications": selectors.rectifications_due(request.user)[:30],
        "cards": selectors.cards_for(request.user)[:10],
    }
    return render(request, "assessment/dashboard.html", context)


@staff_required
def set_list(request):
    _office(request)
    return render(request, "assessment/set_list.html", {"sets": selectors.indicator_sets()})


@staff_required
def set_detail(request, pk):
    s = _set(request, pk)
    tree = [
        (
            d,
            i,
            A.INDICATOR_ACTIONS.bound(
                request.user, i, url=lambda n, _i=i: reverse("assessment_wb:indicator-act", args=[_i.pk, n])
            ),
        )
        for d, i in selectors.indicator_tree(s)
    ]
    bound = A.SET_ACTIONS.bound(request.user, s, url=lambda n: reverse("assessment_wb:set-act", args=[s.pk, n]))
    return render(request, "assessment/set_detail.html", {"s": s, "tree": tree, "actions": bound})


@staff_required
def period_list(request):
    form = forms.PeriodForm(request.POST or None, user=request.user)
    if request.method == "POST":
        _office(request)
        if form.is_valid():
            try:
                period = services.period_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                return redirect("assessment_wb:period-detail", period.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessment/period_list.html",
        {"periods": selectors.periods_for(request.user), "form": form, "office": selectors.is_office(request.user)},
        status=status,
    )


@staff_required
def period_detail(request, pk):
    period = _period(request, pk)
    bound = A.PERIOD_ACTIONS.bound(
        request.user, period, url=lambda n: reverse("assessment_wb:period-act", args=[period.pk, n])
    )
    bulletin_form = forms.BulletinForm(
        request.POST or None, initial={"title": f"关于{period.name}政府网站和政务公开工作检查情况的通报"}
    )
    if request.method == "POST":
        if bulletin_form.is_valid():
            try:
                b = services.bulletin_draft(
                    actor=request.user, root=period.root, period=period, **bulletin_form.cleaned_data
                )
            except ValidationError as exc:
                _errors(bulletin_form, exc)
            else:
                return redirect("assessment_wb:bulletin-detail", b.pk)
    assessees = period.assessees.select_related("unit").order_by("category", "rank", "unit__path")
    return render(
        request,
        "assessment/period_detail.html",
        {
            "period": period,
            "actions": bound,
            "assessees": assessees,
            "samples": period.samples.select_related("assessee__unit"),
            "bulletins": period.bulletins.all(),
            "bulletin_form": bulletin_form,
            "office": permissions.oversees(request.user, period.root),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def assessee_detail(request, pk):
    a = _assessee(request, pk)
    bound = A.ASSESSEE_ACTIONS.bound(
        request.user, a, url=lambda n: reverse("assessment_wb:assessee-act", args=[a.pk, n])
    )
    scores = {s.indicator_id: s for s in a.scores.all()}
    rows = [(d, i, scores.get(i.pk)) for d, i in selectors.indicator_tree(a.period.indicator_set)]
    appeals = [
        (
            ap,
            A.APPEAL_ACTIONS.bound(
                request.user, ap, url=lambda n, _p=ap: reverse("assessment_wb:appeal-act", args=[_p.pk, n])
            ),
        )
        for ap in a.appeals.all()
    ]
    return render(
        request, "assessment/assessee_detail.html", {"a": a, "rows": rows, "actions": bound, "appeals": appeals}
    )


@staff_required
def bulletin_detail(request, pk):
    b = _bulletin(request, pk)
    bound = A.BULLETIN_ACTIONS.bound(
        request.user, b, url=lambda n: reverse("assessment_wb:bulletin-act", args=[b.pk, n])
    )
    return render(
        request,
        "assessment/bulletin_detail.html",
        {
            "b": b,
            "entries": b.entries.select_related("unit"),
            "actions": bound,
            "rects": b.rectifications.select_related("unit"),
        },
    )


@staff_required
def rectification_list(request):
    form = forms.RectificationForm(request.POST or None, user=request.user)
    if request.method == "POST":
        _office(request)
        if form.is_valid():
            try:
                r = services.rectification_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                return redirect("assessment_wb:rectification-detail", r.pk)
    rects = selectors.rectifications_for(request.user).order_by("status", "due_on")
    return render(
        request,
        "assessment/rectification_list.html",
        {
            "rects": rects,
            "form": form,
            "office": selectors.is_office(request.user),
            "cards": selectors.cards_for(request.user)[:50],
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def rectification_detail(request, pk):
    r = _rect(request, pk)
    bound = A.RECTIFICATION_ACTIONS.bound(
        request.user, r, url=lambda n: reverse("assessment_wb:rectification-act", args=[r.pk, n])
    )
    return render(
        request,
        "assessment/rectification_detail.html",
        {
            "r": r,
            "actions": bound,
            "findings": monitoring.findings_by_ids(r.finding_ids),
            "evidence": r.evidence.all(),
            "letters": r.letters.all(),
            "cards": r.cards.all(),
            "interviews": r.interviews.all(),
        },
    )


def _file(field, name):
    if not field:
        raise Http404(_("文书尚未生成"))
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@staff_required
def document(request, kind, pk, fmt):
    if fmt not in ("pdf", "docx"):
        raise Http404
    if kind == "bulletin":
        obj = _bulletin(request, pk)
        field = getattr(obj, fmt)
    elif kind == "notice":
        obj = _rect(request, pk)
        field = getattr(obj, f"notice_{fmt}")
    elif kind == "letter":
        obj = get_object_or_404(Letter, pk=pk)
        _rect(request, obj.rectification_id)
        field = getattr(obj, fmt)
    elif kind == "evidence":
        obj = get_object_or_404(Evidence, pk=pk)
        _rect(request, obj.rectification_id)
        return _file(obj.file, obj.name)
    else:
        raise Http404
    return _file(field, f"{kind}-{pk}.{fmt}")


@staff_required
def templates(request):
    _office(request)
    kind = request.GET.get("kind") or request.POST.get("kind") or TemplateKind.BULLETIN
    if kind not in TemplateKind.values:
        raise Http404
    tpl = DocumentTemplate.objects.filter(kind=kind).first()
    form = forms.TemplateForm(
        request.POST or None,
        initial={"kind": kind, "title": getattr(tpl, "title", ""), "body": getattr(tpl, "body", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.template_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect(reverse("assessment_wb:templates") + f"?kind={kind}")
    return render(
        request,
        "assessment/templates.html",
        {"form": form, "kind": kind, "kinds": TemplateKind.choices},
        status=400 if request.method == "POST" else 200,
    )
