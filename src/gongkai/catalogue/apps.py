from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongkai.core.apps import office_or_configuration


class CatalogueConfig(AppConfig):
    name = "gongkai.catalogue"
    label = "catalogue"
    verbose_name = _("标准目录")
    default_auto_field = "django.db.models.BigAutoField"

    # (label, url name, order, required role or None)
    portal_nav = [(_("标准目录"), "catalogue:home", 10, None)]
    workbench_nav = [
        (_("标准目录"), "catalogue_wb:catalogue-list", 10, "disclosure_office"),
        (_("本单位公开目录"), "catalogue_wb:my-lists", 11, None),
        (_("公开领域"), "catalogue_wb:domain-list", 12, office_or_configuration),
        (_("要素模板"), "catalogue_wb:template-list", 13, office_or_configuration),
        (_("目录导入"), "catalogue_wb:import", 14, "disclosure_office"),
    ]

    def ready(self):
        from . import search_sources

        search_sources.register()

    def workbench_panels(self, user):
        from . import selectors

        return selectors.workbench_panels(user)

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
