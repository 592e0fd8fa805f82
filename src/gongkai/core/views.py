"""Staff pages of the core app: organisation tree, audit log, working-day calendar, login."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import permissions, selectors, services
from .decorators import staff_required
from .models import Organisation, OrgKind, Level, Role


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@staff_required
def org_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    level = request.GET.get("level", "")
    orgs = selectors.organisation_list_for(request.user, q=q, kind=kind, level=level)
    page = Paginator(orgs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "core/org_list.html",
        {"page": page, "q": q, "kind": kind, "level": level, "kinds": OrgKind.choices, "levels": Level.choices},
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "level",
            "credit_code",
            "division_code",
            "contact_phone",
            "contact_email",
            "address",
            "website",
            "office_hours",
            "sort_order",
            "is_active",
        ]


@staff_required
def org_detail(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    permissions.require_view(request.user, org)
    can_edit = permissions.has_any_role(request.user, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], org.parent or org)
    form = None
    if can_edit:
        form = OrganisationForm(request.POST or None, instance=org)
        if request.method == "POST" and form.is_valid():
            try:
                services.organisation_update(actor=request.user, org=org, **{
                    k: form.cleaned_data[k] for k in form.Meta.fields
                })
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("单位信息已保存"))
                return redirect("core:org-detail", pk=org.pk)
    elif request.method == "POST":
        raise PermissionDenied
    members = org.memberships.select_related("user").order_by("role", "user__username")
    children = org.children.order_by("sort_order", "name")
    return render(
        request,
        "core/org_detail.html",
        {"org": org, "form": form, "members": members, "children": children, "ancestors": org.ancestors()},
    )


@staff_required
def org_create(request, parent_pk: int):
    parent = get_object_or_404(Organisation, pk=parent_pk)
    permissions.require(request.user, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], parent)
    form = OrganisationForm(request.POST or None, initial={"level": parent.level})
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(
                actor=request.user, parent=parent, **{k: form.cleaned_data[k] for k in form.Meta.fields}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("单位已创建"))
            return redirect("core:org-detail", pk=org.pk)
    return render(request, "core/org_form.html", {"form": form, "parent": parent})


class AuditFilterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("单位"))
    action = forms.CharField(required=False, label=_("操作"))
    actor = forms.CharField(required=False, label=_("操作人"))
    object_type = forms.CharField(required=False, label=_("对象类型"))
    object_id = forms.CharField(required=False, label=_("对象编号"))
    date_from = forms.DateField(required=False, label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


@staff_required
def audit_list(request):
    overseen = permissions.units_with_role(request.user, Role.DISCLOSURE_OFFICE)
    if not overseen.exists():
        raise PermissionDenied("只有政务公开办管理员可以查看审计日志")
    form = AuditFilterForm(request.GET or None)
    form.fields["unit"].queryset = overseen.order_by("path")
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "unit_id": data["unit"].pk if data["unit"] else None,
            "action": data["action"],
            "actor": data["actor"],
            "object_type": data["object_type"],
            "object_id": data["object_id"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    events = selectors.audit_events_for(request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=services.HolidayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=40)


class HolidayImportForm(forms.Form):
    file = forms.FileField(label=_("节假日文件（holiday-cn JSON 或 CSV）"))


@staff_required
@require_http_methods(["GET", "POST"])
def holiday_list(request):
    can_edit = permissions.is_sysadmin(request.user)
    form = HolidayForm(prefix="h")
    import_form = HolidayImportForm(prefix="i")
    import_errors: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "i-file" in request.FILES:
            import_form = HolidayImportForm(request.POST, request.FILES, prefix="i")
            if import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                if upload.size > 2 * 1024 * 1024:
                    import_errors = ["文件过大（上限 2 MB）"]
                else:
                    report = services.parse_holiday_file(upload.read(), upload.name)
                    if report.ok:
                        services.holidays_import(actor=request.user, report=report, source=upload.name)
                        messages.success(
                            request, _("已导入 %(n)s 条节假日记录") % {"n": report.created + report.updated}
                        )
                        return redirect("core:holiday-list")
                    import_errors = report.errors
        else:
            form = HolidayForm(request.POST, prefix="h")
            if form.is_valid():
                services.holiday_save(actor=request.user, **form.cleaned_data)
                messages.success(request, _("已保存"))
                return redirect("core:holiday-list")
    return render(
        request,
        "core/holiday_list.html",
        {
            "years": selectors.holidays_by_year(),
            "form": form,
            "import_form": import_form,
            "import_errors": import_errors,
            "can_edit": can_edit,
            "today": dt.date.today(),
        },
    )
