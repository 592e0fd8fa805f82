from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "gongkai.guides"
    label = "guides"
    verbose_name = _("办事服务")
    default_auto_field = "django.db.models.BigAutoField"

    portal_nav = [
        (_("办事服务"), "guides:index", 30, None),
        (_("服务网点"), "guides:points", 31, None),
    ]
    workbench_nav = [
        (_("办事指南"), "guides_wb:index", 30, None),
        (_("服务网点"), "guides_wb:points", 31, None),
        (_("服务统计"), "guides_wb:stats", 33, "disclosure_office"),
    ]

    def ready(self):
        from gongkai.core import deadlines

        from . import indexing, services

        indexing.register()
        deadlines.register_recompute("guides.guide", services.recompute_due_dates)

    def workbench_panels(self, user):
        from django.urls import reverse

        from . import selectors

        counts = selectors.queue_counts(user)
        base = reverse("guides_wb:index")
        items = []
        if counts["review"]:
            items.append((_("待审核的指南") + f"：{counts['review']}", f"{base}?state=review"))
        if counts["incomplete"]:
            items.append((_("要素不全的导入草稿") + f"：{counts['incomplete']}", f"{base}?incomplete=1"))
        return [{"title": _("办事指南"), "items": items, "empty": _("暂无待办的办事指南")}]

    def load_demo(self, ctx):
        from .demo import load

        load(ctx)
