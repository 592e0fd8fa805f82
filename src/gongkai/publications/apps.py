from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "gongkai.publications"
    label = "publications"
    verbose_name = _("主动公开")
    default_auto_field = "django.db.models.BigAutoField"
    portal_nav = [
        (_("政府信息公开"), "publications:index", 20, None),
        (_("政策文件"), "publications:policies", 21, None),
        (_("规范性文件库"), "publications:library", 22, None),
    ]
    workbench_nav = [
        (_("信息发布"), "publications_wb:home", 20, None),
        (_("审核签发"), "publications_wb:queues", 21, None),
        (_("全部信息"), "publications_wb:list", 22, None),
        (_("发布时效"), "publications_wb:late", 23, None),
    ]

    def ready(self):
        from gongkai.core import deadlines

        from . import audit, indexing, services  # noqa: F401 - audit registers the action names

        indexing.register()
        # 应公开日期 follow the holiday calendar and the art. 26 period (and, hourly, catalogue timeframes)
        deadlines.register_recompute("publications.publication", lambda: services.recompute_due_dates().changed)

    def workbench_panels(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext

        from . import selectors

        items = []
        drafts = selectors.my_drafts(user).count()
        if drafts:
            items.append((gettext("草稿 %(n)s 件") % {"n": drafts}, reverse("publications_wb:home")))
        for state, n in selectors.queue_counts(user).items():
            if n:
                label = gettext("%(step)s %(n)s 件") % {"step": selectors.QUEUE_LABELS[state], "n": n}
                items.append((label, reverse("publications_wb:queue", args=[state])))
        late = selectors.late_items(user).count()
        if late:
            items.append((gettext("逾期或超期未发布 %(n)s 件") % {"n": late}, reverse("publications_wb:late")))
        return [{"title": gettext("信息发布"), "items": items, "empty": gettext("没有待办的发布事项")}]

    def load_demo(self, ctx):
        from .demo import load

        load(ctx)
