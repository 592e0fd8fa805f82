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
    ]
