from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = _("年度报告与统计")
    portal_nav = [
        (_("年度报告"), "reports:index", 80, None),
        (_("公开统计"), "reports:statistics", 81, None),
    ]
    workbench_nav = [
        (_("年度报告"), "reports_wb:index", 70, None),
        (_("统计分析"), "reports_wb:statistics", 71, None),
    ]

    def workbench_panels(self, user):
        from . import selectors

        return selectors.workbench_panels(user)

    demo_after_others = True  # the reports are computed from every other app's demo records

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
