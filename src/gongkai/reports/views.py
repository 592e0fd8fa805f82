"""Staff pages (/workbench/reports/): report builder, review, checks, publishing, progress, exports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.core import permissions
from gongkai.core.decorators import staff_required
from gongkai.core.messages import render as render_message
from gongkai.core.models import Organisation, Role

from . import exports, layout, selectors, services, tasks
from . import tables as T
from .models import NARRATIVE_FIELDS, AnnualReport, GenerationJob, ReportStatus


def _year(request, default=None) -> int:
    try:
        y = int(request.GET.get("year") or request.POST.get("year") or default or selectors.default_year())
    except ValueError:
        y = selectors.default_year()
    return min(max(y, 2008), timezone.localdate().year)


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def _get_report(request, pk) -> AnnualReport:
    try:
        return selectors.report_for(request.user, pk)
    except AnnualReport.DoesNotExist:
        raise Http404(_("报告不存在")) from None


@staff_required
def index(request):
    year = _year(request)
    reports = selectors.reports_for(request.user, year=year if request.GET.get("year") else None)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    units = selectors.editable_units(request.user)
    return render(
        request,
        "reports/wb_index.html",
        {
            "page": page,
            "year": year,
            "units": units,
            "years": range(timezone.localdate().year - 1, 2017, -1),
            "roots": selectors.oversight_roots(request.user),
            "job": selectors.latest_job(request.user),
        },
    )


@staff_required
@require_POST
def generate(request):
    year = _year(request)
    try:
        unit = Organisation.objects.get(pk=int(request.POST.get("unit", "0")))
    except (Organisation.DoesNotExist, ValueError):
        messages.error(request, _("请选择单位"))
        return redirect("reports_wb:index")
    try:
        report = services.report_generate(actor=request.user, unit=unit, year=year)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("reports_wb:index")
    messages.success(request, _("已根据记录生成 %(title)s 草稿") % {"title": report.title})
    return redirect("reports_wb:detail", pk=report.pk)


@staff_required
def detail(request, pk):
    report = _get_report(request, pk)
    can_edit = report.status == ReportStatus.DRAFT and permissions.has_any_role(
        request.user, services.EDIT_ROLES, report.unit
    )
    can_publish = permissions.has_any_role(request.user, services.PUBLISH_ROLES, report.unit)
    checks = report.checks
    return render(
        request,
        "reports/wb_detail.html",
        {
            "report": report,
            "tables": layout.all_tables(report, links=True),
            "notes": layout.manual_notes(report),
            "checks": checks,
            "failing": [c for c in checks if not c["ok"]],
            "can_edit": can_edit,
            "can_publish": can_publish,
            "versions": AnnualReport.objects.filter(unit=report.unit, year=report.year).order_by("version"),
            "changes": selectors.changes_for(report)[:50],
            "sources": _translated_sources(report.sources),
            "units_counted": Organisation.objects.filter(pk__in=report.unit_ids).order_by("path"),
        },
    )


@staff_required
@require_POST
def refresh(request, pk):
    report = _get_report(request, pk)
    try:
        services.report_generate(actor=request.user, unit=report.unit, year=report.year)
        messages.success(request, _("已按最新记录重新统计"))
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect("reports_wb:detail", pk=pk)


class TextForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("报告标题"), max_length=200)
    overview = forms.CharField(
        label=gettext_lazy("一、总体情况"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20000
    )
    proactive_text = forms.CharField(
        label=gettext_lazy("二、主动公开政府信息情况（表二之外的说明）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    requests_text = forms.CharField(
        label=gettext_lazy("三、收到和处理政府信息公开申请情况（表三之外的说明）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    appeals_text = forms.CharField(
        label=gettext_lazy("四、政府信息公开行政复议、行政诉讼情况（表四之外的说明）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    problems = forms.CharField(
        label=gettext_lazy("五、存在的主要问题及改进情况"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )
    other_matters = forms.CharField(
        label=gettext_lazy("六、其他需要报告的事项"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )


def _translated_sources(stored: list[dict]) -> list[dict]:
    """Source labels are stored in 简体 (gettext_noop) and translated for display."""
    return [{**s, **{k: _(s[k]) for k in ("label", "status_label") if s.get(k)}} for s in stored]


@staff_required
def edit_text(request, pk):
    report = _get_report(request, pk)
    permissions.require(request.user, services.EDIT_ROLES, report.unit)
    if report.status != ReportStatus.DRAFT:
        messages.error(request, _("已发布的报告不能修改；如需更正，请创建更正版本"))
        return redirect("reports_wb:detail", pk=pk)
    initial = {"title": report.title, **{f: getattr(report, f) for f, _ in NARRATIVE_FIELDS}}
    form = TextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update_text(actor=request.user, report=report, **form.cleaned_data)
            messages.success(request, _("报告正文已保存"))
            return redirect("reports_wb:detail", pk=pk)
        except ValidationError as exc:
            for m in _errors(exc):
                form.add_error(None, m)
    return render(request, "reports/wb_edit.html", {"report": report, "form": form})


class FigureForm(forms.Form):
    value = forms.CharField(label=gettext_lazy("数值"), max_length=40)
    reason = forms.CharField(label=gettext_lazy("理由或来源"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


@staff_required
def figure(request, pk, table, row, col):
    report = _get_report(request, pk)
    permissions.require(request.user, services.EDIT_ROLES, report.unit)
    if not T.valid_cell(table, row, col):
        raise Http404(_("表格中没有这个位置"))
    info = selectors.cell_info(report, table, row, col)
    manual = T.is_manual_cell(report.figures, table, row, col)
    form = FigureForm(
        request.POST or None,
        initial={"value": info.get("v") if info.get("v") is not None else "", "reason": info.get("note", "")},
    )
    if manual:
        form.fields["reason"].label = _("数据来源")
        form.fields["reason"].help_text = _("如：县行政审批局《2025年度行政许可统计表》")
    else:
        form.fields["reason"].label = _("调整理由")
        form.fields["reason"].help_text = _("系统统计值以外的数字必须说明理由，例如纸质登记的申请未录入系统")
    if request.method == "POST" and form.is_valid():
        try:
            if manual:
                services.report_set_manual_figure(
                    actor=request.user,
                    report=report,
                    row=row,
                    col=col,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["reason"],
                )
            else:
                services.report_adjust_figure(
                    actor=request.user,
                    report=report,
                    table=table,
                    row=row,
                    col=col,
                    value=form.cleaned_data["value"],
                    reason=form.cleaned_data["reason"],
                )
            messages.success(request, _("数字已保存，核对结果已更新"))
            return redirect(reverse("reports_wb:detail", args=[pk]) + f"#{table}")
        except ValidationError as exc:
            if hasattr(exc, "message_dict"):
                for field, msgs in exc.message_dict.items():
                    target = "reason" if field in ("note", "reason") else ("value" if field == "value" else None)
                    for m in msgs:
                        form.add_error(target, m)
            else:
                for m in exc.messages:
                    form.add_error(None, m)
    return render(
        request,
        "reports/wb_figure.html",
        {
            "report": report,
            "info": info,
            "form": form,
            "manual": manual,
            "history": selectors.changes_for(report, table, row, col),
        },
    )


@staff_required
def trace(request, pk, table, row, col):
    report = _get_report(request, pk)
    if not T.valid_cell(table, row, col):
        raise Http404(_("表格中没有这个位置"))
    info = selectors.cell_info(report, table, row, col)
    from . import tracing

    ids = T.cell_ids(report.figures, table, row, col)
    info["ids"] = ids
    records = tracing.records(table, row, ids, user=request.user)
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/wb_trace.html",
        {
            "report": report,
            "info": info,
            "page": page,
            "fact_headings": tracing.fact_headings(table),
            "history": selectors.changes_for(report, table, row, col),
        },
    )


@staff_required
@require_POST
def publish(request, pk):
    report = _get_report(request, pk)
    try:
        services.report_publish(actor=request.user, report=report)
    except services.PublishBlocked as exc:
        # store the current figures and the failing checks on the draft, then show them
        try:
            services.report_generate(actor=request.user, unit=report.unit, year=report.year)
        except ValidationError:
            pass
        messages.error(request, exc.messages[0] + "；".join(render_message(c.get("message")) for c in exc.failing))
        return redirect("reports_wb:detail", pk=pk)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("reports_wb:detail", pk=pk)
    messages.success(request, _("报告已发布，数字已冻结；已在门户“年度报告”栏目公开"))
    return redirect("reports_wb:detail", pk=pk)


class CorrectForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("更正说明（将随更正版本公开）"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


@staff_required
def correct(request, pk):
    report = _get_report(request, pk)
    permissions.require(request.user, services.PUBLISH_ROLES, report.unit)
    form = CorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.report_correct(actor=request.user, report=report, note=form.cleaned_data["note"])
            messages.success(request, _("已创建第%(v)s版更正草稿；原版本在更正版本发布前继续公开") % {"v": new.version})
            return redirect("reports_wb:detail", pk=new.pk)
        except ValidationError as exc:
            for m in _errors(exc):
                form.add_error(None, m)
    return render(request, "reports/wb_correct.html", {"report": report, "form": form})


@staff_required
@require_POST
def delete_draft(request, pk):
    report = _get_report(request, pk)
    try:
        services.report_delete_draft(actor=request.user, report=report)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("reports_wb:detail", pk=pk)
    messages.success(request, _("草稿已删除"))
    return redirect("reports_wb:index")


@staff_required
def export(request, pk, fmt):
    report = _get_report(request, pk)
    return exports.response(report, fmt)


@staff_required
def oversight(request):
    year = _year(request)
    roots = list(selectors.oversight_roots(request.user))
    if not roots:
        raise PermissionDenied(_("只有政务公开办可以查看各单位的发布进度"))
    try:
        root = next(r for r in roots if str(r.pk) == request.GET.get("root")) if request.GET.get("root") else roots[0]
    except StopIteration:
        raise PermissionDenied(_("您无权查看该范围")) from None
    rows = selectors.progress(root, year)
    return render(
        request,
        "reports/wb_oversight.html",
        {
            "root": root,
            "roots": roots,
            "year": year,
            "rows": rows,
            "published": sum(1 for r in rows if r.published),
            "years": range(timezone.localdate().year - 1, 2017, -1),
            "job": selectors.latest_job(request.user),
        },
    )


@staff_required
@require_POST
def generate_all(request):
    year = _year(request)
    roots = list(selectors.oversight_roots(request.user))
    root = next((r for r in roots if str(r.pk) == request.POST.get("root")), roots[0] if roots else None)
    if root is None:
        raise PermissionDenied(_("只有政务公开办可以批量生成草稿"))
    permissions.require(request.user, Role.DISCLOSURE_OFFICE, root)
    job = tasks.start_generation(actor=request.user, root=root, year=year)
    return redirect("reports_wb:job", pk=job.pk)


@staff_required
def job(request, pk):
    job = get_object_or_404(GenerationJob, pk=pk)
    permissions.require_view(request.user, job.root)
    template = "reports/_job_progress.html" if request.htmx else "reports/wb_job.html"
    return render(request, template, {"job": job})
