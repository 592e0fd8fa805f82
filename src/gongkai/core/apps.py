from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("基础")
    # Navigation entries contributed to the shells: (label, url name, order, required role or None).
    workbench_nav = [
        (_("组织机构"), "core:org-list", 90, None),
        (_("审计日志"), "core:audit-list", 95, "disclosure_office"),
        (_("工作人员"), "core:user-list", 92, None),
        (_("工作日历"), "core:holiday-list", 96, None),
        (_("法定期限"), "core:period-list", 97, None),
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
        if permissions.is_sysadmin(user) or permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).exists():
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
        return panels
