from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _permissions():
    from . import permissions  # models are not loaded when this module is imported

    return permissions


def _business_or(user, *admins: str) -> bool:
    """Workbench navigation: business staff, or one of the named administrators (三员分立)."""
    p = _permissions()
    checks = {"configuration": p.is_configuration_admin, "security": p.is_security_admin}
    return p.is_business_staff(user) or any(checks[a](user) for a in admins)


def office_or_configuration(user) -> bool:
    """Configuration screens shared by the disclosure office and the system administrator."""
    p = _permissions()
    return p.is_configuration_admin(user) or p.units_with_role(user, "disclosure_office").exists()


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("基础")
    # Navigation entries contributed to the shells: (label, url name, order, required role or None).
    workbench_nav = [
        (_("组织机构"), "core:org-list", 90, lambda user: _business_or(user, "configuration", "security")),
        (_("审计日志"), "core:audit-list", 95, lambda user: _permissions().may_read_audit(user)),
        (_("登录锁定"), "core:lock-list", 93, lambda user: _permissions().is_security_admin(user)),
        (_("安全设置"), "core:security", 99, lambda user: True),
        (_("工作人员"), "core:user-list", 92, lambda user: _business_or(user, "security")),
        (_("工作日历"), "core:holiday-list", 96, lambda user: _business_or(user, "configuration")),
        (_("法定期限"), "core:period-list", 97, lambda user: _business_or(user, "configuration")),
    ]

    def ready(self) -> None:
        from . import audit, crypto

        # Refuse to start with an unusable audit key or a 国密 setting this host cannot honour (SM3),
        # or with a missing or malformed key setup for personal data at rest (core.crypto).
        audit.check_configuration()
        crypto.check_configuration()
        from . import checks  # noqa: F401 - registers the deployment checks (uploads)

    def workbench_panels(self, user) -> list[dict]:
        """Workbench home: the calendar reminder for everyone, an overview for the disclosure office."""
        import datetime as dt

        from django.urls import reverse
        from django.utils.translation import gettext

        from . import permissions, selectors
        from .models import CalendarYear, Role

        panels = []
        today = dt.date.today()
        known = set(CalendarYear.objects.values_list("year", flat=True))
        missing = [y for y in (today.year, today.year + 1) if y not in known and (y == today.year or today.month >= 10)]
        if missing:
            panels.append(
                {
                    "title": gettext("工作日历"),
                    "items": [
                        (
                            gettext("尚未录入%(year)s年节假日安排：涉及该年的期限无法计算，请在国务院办公厅发布后导入")
                            % {"year": y},
                            reverse("core:holiday-list"),
                        )
                        for y in missing
                    ],
                }
            )
        if permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).exists():
            units = permissions.units_with_role(user, Role.DISCLOSURE_OFFICE)
            staff = selectors.staff_list_for(user)
            panels.append(
                {
                    "title": gettext("公开办管理"),
                    "items": [
                        (
                            gettext("所辖单位 %(n)s 个") % {"n": units.filter(is_active=True).count()},
                            reverse("core:org-list"),
                        ),
                        (
                            gettext("工作人员 %(n)s 人") % {"n": staff.filter(is_active=True).count()},
                            reverse("core:user-list"),
                        ),
                        (gettext("审计日志"), reverse("core:audit-list")),
                    ],
                }
            )
        panels += self._security_panels(user)
        return panels

    def _security_panels(self, user) -> list[dict]:
        """三员分立: the superuser's use is flagged to the security and audit administrators (and itself)."""
        import datetime as dt

        from django.urls import reverse
        from django.utils import timezone
        from django.utils.translation import gettext

        from . import authn, permissions
        from .audit import AuditAction
        from .models import AuditEvent

        panels = []
        if permissions.is_security_admin(user) or permissions.is_audit_admin(user):
            since = timezone.now() - dt.timedelta(days=30)
            recent = AuditEvent.objects.filter(
                action__in=[AuditAction.SUPERUSER_LOGIN, AuditAction.SUPERUSER_USE], created_at__gte=since
            )
            logins = recent.filter(action=AuditAction.SUPERUSER_LOGIN).count()
            uses = recent.filter(action=AuditAction.SUPERUSER_USE).count()
            items = []
            if logins or uses:
                link = reverse("core:audit-list") + "?action=auth.superuser" if permissions.may_read_audit(user) else ""
                items.append(
                    (
                        gettext("近30天超级用户登录 %(logins)s 次、操作 %(uses)s 次（超级用户仅用于安装）")
                        % {"logins": logins, "uses": uses},
                        link or reverse("workbench:home"),
                    )
                )
            if permissions.is_security_admin(user):
                locked = sum(1 for _lock, active in authn.current_locks() if active)
                if locked:
                    items.append(
                        (gettext("当前有 %(n)s 个账号或地址被锁定") % {"n": locked}, reverse("core:lock-list"))
                    )
            panels.append({"title": gettext("安全提示"), "items": items, "empty": gettext("近30天无超级用户使用记录")})
        return panels
