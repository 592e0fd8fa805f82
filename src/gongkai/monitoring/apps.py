from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongkai.core.apps import office_or_configuration


class MonitoringConfig(AppConfig):
    name = "gongkai.monitoring"
    label = "monitoring"
    verbose_name = _("网站与新媒体监测")
    default_auto_field = "django.db.models.BigAutoField"

    workbench_nav = [
        (_("网站监测"), "monitoring_wb:site-list", 60, office_or_configuration),
        (_("监测发现"), "monitoring_wb:finding-list", 61, "disclosure_office"),
        (_("政务新媒体"), "monitoring_wb:account-list", 62, "disclosure_office"),
    ]

    def ready(self):
        from . import audit_actions  # noqa: F401 - registers the audit action names

    def workbench_panels(self, user):
        from . import selectors

        return selectors.workbench_panels(user)

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
