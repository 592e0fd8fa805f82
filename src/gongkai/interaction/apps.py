from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = _("互动交流")
    default_auto_field = "django.db.models.BigAutoField"

    portal_nav = [
        (_("我要留言"), "interaction:index", 40, None),
        (_("常见问题"), "interaction:faq", 41, None),
        (_("意见征集"), "interaction:consultations", 42, None),
    ]
    workbench_nav = [
        (_("留言诉求"), "interaction_wb:index", 40, None),
        (_("常见问题库"), "interaction_wb:faq-list", 41, None),
        (_("意见征集"), "interaction_wb:consultation-list", 42, None),
        (_("互动统计"), "interaction_wb:stats", 43, None),
    ]

    def ready(self):
        from gongkai.core import deadlines, rotation

        from . import audit_actions, models, search_sources, services  # noqa: F401 - audit_actions registers its names
        from .services import _common

        deadlines.register_recompute("interaction.appeal", services.appeal_recompute_due_dates)
        deadlines.register_recompute("interaction.faq", services.faq_recompute_review_dates)
        search_sources.register()
        # `gongkai crypto rotate` recomputes the keyed duplicate digests over the contact data.
        rotation.register_refresh(models.Appeal, _common.appeal_digests)
        rotation.register_refresh(models.Comment, _common.comment_digests)
        from gongkai.core import privacy

        from . import screening

        privacy.register_term_screen(screening.term_is_sensitive)  # popular search terms

    def workbench_panels(self, user):
        from django.urls import reverse

        from . import selectors

        counts = selectors.queue_counts(user)
        stale = selectors.stale_faq(user).count()
        pending = selectors.moderation_queue(user).count()
        base = reverse("interaction_wb:appeal-list")
        items = []
        labels = {
            "received": _("待受理/分拨"),
            "mine": _("本单位待办"),
            "due_soon": _("即将到期"),
            "overdue": _("已超期"),
        }
        for key, label in labels.items():
            if counts[key]:
                items.append((f"{label}：{counts[key]}", f"{base}?queue={key}"))
        if stale:
            items.append((f"{_('待复核的常见问题')}：{stale}", reverse("interaction_wb:faq-list") + "?stale=1"))
        if pending:
            items.append((f"{_('待审核的征集意见')}：{pending}", reverse("interaction_wb:moderation")))
        return [{"title": _("互动交流"), "items": items, "empty": _("暂无待办的留言、常见问题或征集意见")}]

    def load_demo(self, ctx):
        from .demo import load

        load(ctx)
