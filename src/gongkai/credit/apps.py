from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    """双公示: administrative licences and penalties published within 7 working days."""

    name = "gongkai.credit"
    label = "credit"
    verbose_name = _("双公示")
    default_auto_field = "django.db.models.BigAutoField"

    portal_nav = [(_("双公示"), "credit:index", 60, None)]
    workbench_nav = [
        (_("双公示"), "credit_wb:index", 60, None),
        (_("双公示统计"), "credit_wb:stats", 61, None),
    ]

    def ready(self) -> None:
        from gongkai.core import deadlines

        from . import indexing, services

        deadlines.register_recompute("credit.record", services.recompute_due_dates)
        indexing.register()

    def workbench_panels(self, user):
        from django.urls import reverse

        from gongkai.core import permissions

        from . import selectors

        if not permissions.visible_units(user).exists():
            return []
        d = selectors.dashboard(user)
        base = reverse("credit_wb:index")
        items = []
        if d["overdue"]:
            items.append((_("逾期未公示") + f"：{d['overdue']}", f"{base}?queue=overdue"))
        if d["due_soon"]:
            items.append((_("3日内到期") + f"：{d['due_soon']}", f"{base}?queue=due_soon"))
        if d["unknown"]:
            items.append((_("缺少节假日安排，期限无法计算") + f"：{d['unknown']}", f"{base}?queue=unknown"))
        if d["display_ending"]:
            items.append((_("30日内公示期满的处罚") + f"：{d['display_ending']}", f"{base}?kind=penalty&queue=ending"))
        return [{"title": _("双公示"), "items": items, "empty": _("没有逾期或即将到期的双公示信息")}]

    def load_demo(self, ctx):
        from . import demo

        demo.load(ctx)
