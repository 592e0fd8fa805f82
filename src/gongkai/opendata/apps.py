from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """Open data: datasets and resources, a CKAN-compatible read API and a DCAT catalogue."""

    name = "gongkai.opendata"
    label = "opendata"
    verbose_name = _("数据开放")
    default_auto_field = "django.db.models.BigAutoField"

    portal_nav = [(_("数据开放"), "opendata:index", 61, None)]
    workbench_nav = [
        (_("数据开放"), "opendata_wb:index", 62, None),
        (_("数据开放统计"), "opendata_wb:stats", 63, None),
    ]

    def ready(self) -> None:
        from . import indexing, services  # noqa: F401 - registers the audit actions

        indexing.register()

    def workbench_panels(self, user):
        from django.urls import reverse

        from . import selectors

        drafts = selectors.staff_datasets(user).filter(state="draft").count()
        if not drafts:
            return []
        return [
            {
                "title": _("数据开放"),
                "items": [(_("待发布的数据集") + f"：{drafts}", reverse("opendata_wb:index") + "?state=draft")],
                "empty": "",
            }
        ]

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
