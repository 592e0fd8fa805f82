from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "gongkai.assessment"
    label = "assessment"
    verbose_name = _("考核评估与整改")
    default_auto_field = "django.db.models.BigAutoField"

    portal_nav = [(_("评估结果"), "assessment:index", 85, None)]
    workbench_nav = [
        (_("督查看板"), "assessment_wb:dashboard", 58, "disclosure_office"),
        (_("评估与排名"), "assessment_wb:period-list", 59, "disclosure_office"),
        (_("整改督办"), "assessment_wb:rectification-list", 63, None),
    ]

    def ready(self):
        from gongkai.core import deadlines

        from . import (
            audit_actions,  # noqa: F401 - registers the audit action names
            services,
        )

        deadlines.register_recompute("assessment.rectification", services.recompute_due_dates)

    def workbench_panels(self, user):
        from . import selectors

        return selectors.workbench_panels(user)

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
