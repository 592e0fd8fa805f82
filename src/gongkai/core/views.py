"""Staff pages of the core app: organisation tree, audit log, working-day calendar, login."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import authn, permissions, privacy, selectors, services, uploads
from .decorators import staff_required
from .models import ADMIN_ROLES, LegalPeriod, Level, Membership, Organisation, OrgKind, Role, User


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
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Organisation
        fields = services.ORG_FIELDS


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            messages_ = [m for e in errors for m in e.messages]
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, exc.messages)


class OrganisationEditForm(OrganisationForm):
    """The edit form adds the parent unit, so a unit (and its subtree) can be moved."""

    parent = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("上级单位"))

    class Meta(OrganisationForm.Meta):
        fields = ["parent", *OrganisationForm.Meta.fields]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.instance
        if user is not None and permissions.is_configuration_admin(user):
            allowed = Organisation.objects.all()
        else:
            allowed = permissions.units_with_role(user, Role.DISCLOSURE_OFFICE) if user else Organisation.objects.none()
        allowed = allowed.exclude(path__startswith=org.path) if org.pk else allowed
        if org.parent_id:
            allowed = allowed | Organisation.objects.filter(pk=org.parent_id)
        self.fields["parent"].queryset = allowed.distinct().order_by("path")
        self.fields["parent"].required = org.parent_id is not None and not permissions.is_configuration_admin(user)


@staff_required
def org_detail(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    if not permissions.may_view_organisation(request.user, org):
        raise PermissionDenied(_("您无权查看该单位的信息"))
    can_edit = permissions.has_any_role(request.user, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], org.parent or org)
    form = None
    if can_edit:
        form = OrganisationEditForm(
            request.POST or None, instance=Organisation.objects.get(pk=org.pk), user=request.user
        )
        if request.method == "POST" and form.is_valid():
            data = {k: form.cleaned_data[k] for k in OrganisationForm.Meta.fields}
            try:
                services.organisation_update(
                    actor=request.user,
                    org=Organisation.objects.get(pk=org.pk),
                    parent=form.cleaned_data["parent"],
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("单位信息已保存"))
                return redirect("core:org-detail", pk=org.pk)
    elif request.method == "POST":
        raise PermissionDenied
    members = org.memberships.select_related("user").order_by("role", "user__username")
    # Creating units and staff below ``org`` needs authority over ``org`` itself (editing it needs its parent).
    can_add_child = permissions.has_any_role(request.user, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], org)
    can_manage_staff = permissions.manages_accounts(request.user, org)  # not the system administrator
    children = org.children.order_by("sort_order", "name")
    return render(
        request,
        "core/org_detail.html",
        {
            "org": org,
            "form": form,
            "members": members,
            "children": children,
            "ancestors": org.ancestors(),
            "viewable_ancestor_ids": {
                a.pk for a in org.ancestors() if permissions.may_view_organisation(request.user, a)
            },
            "can_manage_staff": can_manage_staff,
            "can_add_child": can_add_child,
        },
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
            add_service_errors(form, exc)
        else:
            messages.success(request, _("单位已创建"))
            return redirect("core:org-detail", pk=org.pk)
    return render(request, "core/org_form.html", {"form": form, "parent": parent})


class AuditFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("单位"), empty_label=_("全部单位")
    )
    action = forms.CharField(required=False, label=_("操作代码"))
    actor = forms.CharField(required=False, label=_("操作人"))
    object_type = forms.CharField(required=False, label=_("对象类型"))
    object_id = forms.CharField(required=False, label=_("对象编号"))
    date_from = forms.DateField(required=False, label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


@staff_required
def audit_list(request):
    if not permissions.may_read_audit(request.user):
        raise PermissionDenied(_("只有审计管理员或政务公开办管理员可以查看审计日志"))
    scope = permissions.audit_scope(request.user)
    form = AuditFilterForm(request.GET or None)
    form.fields["unit"].queryset = (Organisation.objects.all() if scope is None else scope).order_by("path")
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
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_export": permissions.is_audit_admin(request.user),
        },
    )


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=services.HolidayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=40)


class HolidayImportForm(forms.Form):
    file = forms.FileField(label=_("节假日文件（holiday-cn JSON 或 CSV）"))


@staff_required
@require_http_methods(["GET", "POST"])
def holiday_list(request):
    can_edit = permissions.is_configuration_admin(request.user)
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
                data = upload.read() if upload.size <= 2 * 1024 * 1024 else b""
                try:
                    if not data:
                        raise ValidationError(_("文件过大（上限 2 MB）"))
                    uploads.check_text_file(upload.name, data, limit=2 * 1024 * 1024)
                except ValidationError as exc:
                    import_errors = exc.messages
                else:
                    report = services.parse_holiday_file(data, upload.name)
                    if report.ok:
                        try:
                            services.holidays_import(actor=request.user, report=report, source=upload.name)
                        except ValidationError as exc:
                            import_errors = exc.messages
                        else:
                            messages.success(
                                request, _("已导入 %(n)s 条节假日记录") % {"n": report.created + report.updated}
                            )
                            return redirect("core:holiday-list")
                    else:
                        import_errors = report.errors
        else:
            form = HolidayForm(request.POST, prefix="h")
            if form.is_valid():
                try:
                    services.holiday_save(actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
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


class PeriodForm(forms.Form):
    length = forms.IntegerField(label=_("期限长度"), min_value=1, max_value=3650)
    note = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


@staff_required
def period_list(request):
    """Every legal period with its basis; the system administrator may change a length."""
    return render(
        request,
        "core/period_list.html",
        {"groups": selectors.periods_by_app(), "can_edit": permissions.is_configuration_admin(request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def period_edit(request, code: str):
    period = get_object_or_404(LegalPeriod, pk=code)
    if not permissions.is_configuration_admin(request.user):
        raise PermissionDenied(_("只有系统管理员可以修改法定期限"))
    form = PeriodForm(request.POST or None, initial={"length": period.length, "note": period.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(actor=request.user, period=period, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”；所有使用该期限的到期日已重新计算") % {"name": period.name})
            return redirect("core:period-list")
    return render(
        request, "core/period_form.html", {"period": period, "form": form}, status=400 if form.errors else 200
    )


# --- Staff accounts -----------------------------------------------------------


def _manageable_units(user):
    return permissions.account_units(user).order_by("path")


def _require_staff_manager(user) -> None:
    if not _manageable_units(user).exists():
        raise PermissionDenied(_("只有安全管理员或政务公开办管理员可以管理工作人员账号"))


def _role_choices(user):
    """The administrator roles (三员分立) are handed out by the security administrator only."""
    choices = list(Role.choices)
    if not permissions.is_security_admin(user):
        choices = [c for c in choices if c[0] not in ADMIN_ROLES]
    return choices


class StaffFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("姓名或账号"))
    unit = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("单位"), empty_label=_("全部单位")
    )


@staff_required
def user_list(request):
    form = StaffFilterForm(request.GET or None)
    form.fields["unit"].queryset = permissions.organisation_units(request.user).order_by("path")
    q, unit_id = "", None
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        unit_id = form.cleaned_data["unit"].pk if form.cleaned_data["unit"] else None
    users = selectors.staff_list_for(request.user, q=q, unit_id=unit_id)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    rows = [(u, u.phone if privacy.can_see_phone(request.user, u) else privacy.mask_phone(u.phone)) for u in page]
    query = request.GET.copy()
    query.pop("page", None)
    can_create = _manageable_units(request.user).exists()
    return render(
        request,
        "core/user_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "can_create": can_create},
    )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("账号"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("字母、数字或 @ . + - _"),
        error_messages={"invalid": _("账号只能包含字母、数字和 @ . + - _")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("所属单位"))
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^[0-9+\- ]{5,20}$",
        required=False,
        error_messages={"invalid": _("请输入有效的电话号码")},
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("至少 10 位，含大写字母、小写字母、数字、符号中的三类；本人首次登录时须修改。留空则账号暂不能登录"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _manageable_units(user)
        self.fields["roles"].choices = _role_choices(user)


@staff_required
def user_create(request):
    _require_staff_manager(request.user)
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = int(request.GET["unit"])
    form = UserCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"] or None,
                full_name=data["full_name"],
                unit=data["unit"],
                roles=data["roles"],
                phone=data["phone"],
                email=data["email"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("工作人员账号已创建"))
            return redirect("core:user-detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form})


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("所属单位"))
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^[0-9+\- ]{5,20}$",
        required=False,
        error_messages={"invalid": _("请输入有效的电话号码")},
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args, user=None, staff_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = _manageable_units(user)
        if staff_user is not None and staff_user.unit_id:
            units = (units | Organisation.objects.filter(pk=staff_user.unit_id)).distinct().order_by("path")
        self.fields["unit"].queryset = units


class GrantForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("单位"))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _manageable_units(user)
        self.fields["role"].choices = _role_choices(user)


class AdminPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label=_("临时密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 10 位，含大写字母、小写字母、数字、符号中的三类；本人下次登录时须修改"),
    )
    new_password2 = forms.CharField(
        label=_("再次输入"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的密码不一致"))
        return data


@staff_required
@require_http_methods(["GET", "POST"])
def user_detail(request, pk: int):
    staff_user = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    if permissions.is_security_admin(request.user):
        pass  # the security administrator manages every account
    elif staff_user.unit is None:
        if not permissions.is_superuser(request.user):
            raise PermissionDenied
    else:
        permissions.require_view(request.user, staff_user.unit)
    is_admin_account = staff_user.is_superuser or staff_user.memberships.filter(role__in=ADMIN_ROLES).exists()
    can_manage = permissions.is_security_admin(request.user) or (
        not is_admin_account and permissions.manages_accounts(request.user, staff_user.unit)
    )
    edit_form = grant_form = None
    if can_manage:
        edit_form = UserEditForm(
            request.POST if request.POST.get("action") == "edit" else None,
            user=request.user,
            staff_user=staff_user,
            initial={
                "full_name": staff_user.full_name,
                "unit": staff_user.unit_id,
                "phone": staff_user.phone,
                "email": staff_user.email,
                "is_active": staff_user.is_active,
            },
            prefix="e",
        )
        grant_form = GrantForm(
            request.POST if request.POST.get("action") == "grant" else None,
            user=request.user,
            initial={"unit": staff_user.unit_id},
            prefix="g",
        )
    password_form = None
    if permissions.is_security_admin(request.user) and staff_user.pk != request.user.pk:
        password_form = AdminPasswordForm(
            request.POST if request.POST.get("action") == "password" else None, prefix="p"
        )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("您无权管理该工作人员账号"))
        action = request.POST.get("action")
        try:
            if action == "edit" and edit_form.is_valid():
                services.user_update(actor=request.user, user=staff_user, **edit_form.cleaned_data)
                messages.success(request, _("账号信息已保存"))
                return redirect("core:user-detail", pk=staff_user.pk)
            if action == "grant" and grant_form.is_valid():
                services.membership_grant(
                    actor=request.user,
                    user=staff_user,
                    unit=grant_form.cleaned_data["unit"],
                    role=grant_form.cleaned_data["role"],
                )
                messages.success(request, _("角色已授予"))
                return redirect("core:user-detail", pk=staff_user.pk)
            if action == "revoke":
                membership = get_object_or_404(Membership, pk=request.POST.get("membership"), user=staff_user)
                services.membership_revoke(actor=request.user, membership=membership)
                messages.success(request, _("角色已撤销"))
                return redirect("core:user-detail", pk=staff_user.pk)
            if action == "password" and password_form is not None and password_form.is_valid():
                authn.password_set_by_admin(
                    actor=request.user, user=staff_user, new_password=password_form.cleaned_data["new_password1"]
                )
                messages.success(request, _("已设置临时密码，该工作人员下次登录时须修改"))
                return redirect("core:user-detail", pk=staff_user.pk)
            if action == "otp_remove":
                authn.otp_remove(actor=request.user, user=staff_user)
                messages.success(request, _("已解除该账号的动态口令"))
                return redirect("core:user-detail", pk=staff_user.pk)
            if action not in {"edit", "grant", "revoke", "password", "otp_remove"}:
                messages.error(request, _("未知操作"))
        except ValidationError as exc:
            target = {"edit": edit_form, "password": password_form}.get(action, grant_form)
            add_service_errors(target, exc)
    memberships = staff_user.memberships.select_related("unit").order_by("unit__path", "role")
    phone = (
        staff_user.phone if privacy.can_see_phone(request.user, staff_user) else privacy.mask_phone(staff_user.phone)
    )
    return render(
        request,
        "core/user_detail.html",
        {
            "staff_user": staff_user,
            "memberships": memberships,
            "phone": phone,
            "can_manage": can_manage,
            "edit_form": edit_form,
            "grant_form": grant_form,
            "password_form": password_form,
            "has_otp": authn.needs_second_factor(staff_user),
            "is_security_admin": permissions.is_security_admin(request.user),
            "manageable_ids": set(_manageable_units(request.user).values_list("pk", flat=True))
            if can_manage
            else set(),
        },
    )
