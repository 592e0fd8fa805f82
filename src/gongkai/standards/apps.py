from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """The service standard system (GB/T 24421) of each unit, public on the portal."""

    name = "gongkai.standards"
    label = "standards"
    verbose_name = _("标准体系")
    default_auto_field = "django.db.models.BigAutoField"

    portal_nav = [(_("标准体系"), "standards:index", 62, None)]
    workbench_nav = [(_("标准体系"), "standards_wb:index", 64, None)]

    def ready(self) -> None:
        from . import indexing, services  # noqa: F401 - registers the audit actions

        indexing.register()

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
