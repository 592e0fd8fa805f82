"""Staff sign-in pages (身份鉴别): login with lockout and optional TOTP, logout, passwords, security settings.

The Django admin's login redirects here, so there is one way in: every login is throttled,
audited, and asks for the second factor when the account has one.
"""

from __future__ import annotations

import csv
import time
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import audit, authn, permissions, selectors
from .audit import AuditAction
from .client_address import client_address
from .decorators import staff_required
from .models import LoginLock
from .throttle import public_write_limited

PENDING_OTP = "gk_otp_pending"
PENDING_STEP = "gk_pending_step"  # "password" (must change) or "otp_enrol" (must enrol a second factor)
LAST_SEEN = "gk_last_seen"
OTP_PENDING_SECONDS = 300


class LoginForm(AuthenticationForm):
    """Django's form without ``autofocus``: keyboard users start at the skip link like on every page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs["autocomplete"] = "username"


def _locked_response(request, template: str, context: dict, seconds: int):
    minutes = max(1, (seconds + 59) // 60)
    context["locked_message"] = _("登录失败次数过多，已暂时锁定。请于%(minutes)s分钟后再试，或联系安全管理员解锁。") % {
        "minutes": minutes
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


def _finish_login(request, user, next_url: str, *, second_factor: bool):
    """Record the login, sign in, tell the user when and where they last logged in, then the next step."""
    address = client_address(request)
    previous = authn.login_succeeded(user=user, address=address, second_factor=second_factor)
    auth_login(request, user)
    request.session[LAST_SEEN] = time.time()
    if previous.at:
        messages.info(
            request,
            _("上次登录：%(when)s，来自 %(where)s")
            % {
                "when": timezone.localtime(previous.at).strftime("%Y-%m-%d %H:%M"),
                "where": previous.address or _("未知地址"),
            },
        )
    else:
        messages.info(request, _("这是该账号的首次登录"))
    if user.is_superuser:
        messages.warning(request, _("超级用户仅用于系统安装，本次登录及所有操作均已记入审计日志"))
    if authn.password_expired(user):
        request.session[PENDING_STEP] = "password"
        messages.warning(request, _("您的密码须修改后才能继续使用"))
        return redirect("core:password-change")
    if authn.must_enrol_second_factor(user):
        request.session[PENDING_STEP] = "otp_enrol"
        messages.warning(request, _("管理员账号须绑定动态口令后才能继续使用"))
        return redirect("core:security")
    return redirect(next_url)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        address = client_address(request)
        username = request.POST.get("username", "")
        wait = authn.locked_for(username=username, address=address)
        if wait:
            return _locked_response(request, self.template_name, self.get_context_data(form=self.get_form()), wait)
        form = self.get_form()
        if form.is_valid():
            user = form.get_user()
            next_url = _safe_next(request, self.get_redirect_url())
            if authn.needs_second_factor(user):
                request.session[PENDING_OTP] = {
                    "user": user.pk,
                    "backend": user.backend,
                    "next": next_url,
                    "at": time.time(),
                }
                return redirect("core:login-otp")
            return _finish_login(request, user, next_url, second_factor=False)
        if username and request.POST.get("password") and form.non_field_errors():
            wait = authn.login_failed(username=username, address=address)
            if wait:
                return _locked_response(request, self.template_name, self.get_context_data(form=form), wait)
        return self.form_invalid(form)


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("动态口令"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": gettext_lazy("请输入6位数字")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("身份验证器应用（如 FreeOTP、Google Authenticator）显示的6位数字"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def login_otp(request):
    """Second step for accounts with a TOTP device: the code from the authenticator app."""
    pending = request.session.get(PENDING_OTP)
    if not pending or time.time() - pending.get("at", 0) > OTP_PENDING_SECONDS:
        request.session.pop(PENDING_OTP, None)
        messages.info(request, _("请重新输入账号和密码"))
        return redirect("core:login")
    user = get_object_or_404(get_user_model(), pk=pending["user"], is_active=True)
    form = OtpForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        address = client_address(request)
        wait = authn.locked_for(username=user.username, address=address)
        if wait:
            request.session.pop(PENDING_OTP, None)
            return _locked_response(request, "core/login_otp.html", context, wait)
        if form.is_valid() and authn.otp_verify(user, form.cleaned_data["token"]):
            request.session.pop(PENDING_OTP, None)
            user.backend = pending["backend"]
            return _finish_login(request, user, pending["next"], second_factor=True)
        if form.is_valid():
            form.add_error("token", _("动态口令不正确"))
            wait = authn.login_failed(username=user.username, address=address, reason="otp")
            if wait:
                request.session.pop(PENDING_OTP, None)
                return _locked_response(request, "core/login_otp.html", context, wait)
    return render(request, "core/login_otp.html", context, status=400 if form.errors else 200)


@require_POST
def logout(request):
    if request.user.is_authenticated:
        authn.logout_recorded(user=request.user, address=client_address(request))
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def admin_login(request):
    """The Django admin's login page: the one staff login (lockout, second factor, audit)."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('core:login')}?next={quote(target)}")


# --- passwords ------------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("workbench:home")

    def form_valid(self, form):
        try:
            user = authn.password_change(actor=self.request.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        if self.request.session.get(PENDING_STEP) == "password":
            del self.request.session[PENDING_STEP]
            if authn.must_enrol_second_factor(user):
                self.request.session[PENDING_STEP] = "otp_enrol"
                messages.success(self.request, _("密码已修改"))
                return redirect("core:security")
        messages.success(self.request, _("密码已修改"))
        return redirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Reset by e-mail for staff accounts with an e-mail address (limited per client address)."""

    template_name = "core/password_reset_form.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = reverse_lazy("core:password-reset-done")

    def post(self, request, *args, **kwargs):
        wait = public_write_limited(request, "core:password_reset")
        if wait:
            form = self.get_form()
            form.add_error(None, _("提交过于频繁，请稍后再试"))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password-reset-complete")

    def form_valid(self, form):
        try:
            authn.password_change(actor=self.user, new_password=form.cleaned_data["new_password1"], by_reset=True)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.success_url)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


# --- the user's own security settings, the security administrator's lock list ------------------------


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def security(request):
    """Own account: last login, password, second factor (enrol with an authenticator app)."""
    device = None
    form = OtpForm(request.POST if request.POST.get("action") == "confirm" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            device = authn.otp_start(actor=request.user)
        elif action == "confirm" and form.is_valid():
            if authn.otp_confirm(actor=request.user, token=form.cleaned_data["token"]):
                if request.session.get(PENDING_STEP) == "otp_enrol":
                    del request.session[PENDING_STEP]
                messages.success(request, _("动态口令已绑定，今后登录时须输入"))
                return redirect("core:security")
            form.add_error("token", _("动态口令不正确，请核对手机时间后重试"))
        if action == "confirm":
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    secret = None
    if device is not None:
        import base64

        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "core/security.html",
        {
            "device": device,
            "secret": secret,
            "form": form,
            "has_otp": authn.needs_second_factor(request.user),
            "required": authn.must_enrol_second_factor(request.user),
            "max_age": settings.GONGKAI_PASSWORD_MAX_AGE_DAYS,
            "idle_minutes": settings.GONGKAI_SESSION_IDLE_MINUTES,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def lock_list(request):
    """Login failures and locks, released by the security administrator."""
    if not permissions.is_security_admin(request.user):
        raise PermissionDenied(_("只有安全管理员可以查看和解除登录锁定"))
    if request.method == "POST":
        lock = get_object_or_404(LoginLock, pk=request.POST.get("lock"))
        authn.lock_release(actor=request.user, lock=lock)
        messages.success(request, _("已解除“%(key)s”的登录锁定") % {"key": lock.key})
        return redirect("core:lock-list")
    return render(
        request,
        "core/lock_list.html",
        {"rows": authn.current_locks(), "minutes": settings.GONGKAI_LOGIN_LOCKOUT_MINUTES},
    )


class _Echo:
    def write(self, value):
        return value


@staff_required
def audit_export(request):
    """The audit log as CSV (the audit administrator's archive copy; the export itself is audited)."""
    if not permissions.is_audit_admin(request.user):
        raise PermissionDenied(_("只有审计管理员可以导出审计日志"))
    from django.db import transaction

    events = selectors.audit_events_for(request.user).order_by("id")
    with transaction.atomic():
        audit.record(
            actor=request.user,
            action=AuditAction.AUDIT_LOG_EXPORT,
            object_type="core.auditevent",
            after={"count": events.count(), "address": client_address(request)},
        )
    writer = csv.writer(_Echo())
    header = ["id", "created_at", "actor", "unit", "action", "object_type", "object_id", "object", "hash"]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.pk,
                    e.created_at.isoformat(),
                    e.actor_name,
                    e.unit_id or "",
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response["Cache-Control"] = "no-store"
    return response
