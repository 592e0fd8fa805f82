from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    """依申请公开: information requests under the 2019 Regulations (arts. 27–45)."""

    name = "gongkai.requests"
    label = "requests"
    verbose_name = _("依申请公开")
    default_auto_field = "django.db.models.BigAutoField"
    portal_nav = [(_("依申请公开"), "requests:apply", 40, None)]
    workbench_nav = [
        (_("依申请公开"), "requests_wb:queue", 30, None),
        (_("依申请统计"), "requests_wb:stats", 31, None),
    ]

    def ready(self) -> None:
        from gongkai.core import deadlines, rotation

        from . import (
            audit_actions,  # noqa: F401 - registers the audit action names
            models,
            services,
        )

        # A calendar or legal-period change recomputes every open request's due date on commit
        # (each change audited and shown to the applicant as a step); hourly on beat as well.
        deadlines.register_recompute("requests.request", lambda: services.recompute_due_dates().changed)
        # `gongkai crypto rotate` recomputes the applicant's blind index with the phone's.
        rotation.register_refresh(models.InformationRequest, models.applicant_digests)

    def workbench_panels(self, user):
        from . import selectors

        return selectors.workbench_panels(user)

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
