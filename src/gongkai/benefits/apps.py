from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "gongkai.benefits"
    label = "benefits"
    verbose_name = _("惠企利民")
    default_auto_field = "django.db.models.BigAutoField"

    portal_nav = [(_("惠企利民"), "benefits:index", 32, None)]
    workbench_nav = [(_("惠企利民"), "benefits_wb:index", 32, None)]

    def ready(self):
        from gongkai.core import deadlines

        from . import indexing, services

        indexing.register()
        deadlines.register_recompute("benefits.batch", services.recompute_due_dates)

    def workbench_panels(self, user):
        from django.urls import reverse

        from . import selectors

        counts = selectors.queue_counts(user)
        base = reverse("benefits_wb:index")
        items = []
        if counts["review"]:
            items.append((_("待审核的惠企利民事项") + f"：{counts['review']}", f"{base}?state=review"))
        if counts["expiring"]:
            items.append((_("30天内到期的事项") + f"：{counts['expiring']}", f"{base}?state=published"))
        if counts["batches"]:
            items.append((_("待审核的兑现名单") + f"：{counts['batches']}", base))
        return [{"title": _("惠企利民"), "items": items, "empty": _("暂无待办的惠企利民事项")}]

    def load_demo(self, ctx):
        from .demo import load

        load(ctx)
