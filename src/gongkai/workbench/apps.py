from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "gongkai.workbench"
    label = "workbench"
    verbose_name = _("工作台")
    workbench_nav = [(_("工作台首页"), "workbench:home", 0, lambda user: True)]
