from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongkai.core.apps import office_or_configuration


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = _("一网通查")
    default_auto_field = "django.db.models.BigAutoField"
    portal_nav = [(_("一网通查"), "search:search", 50, None)]
    workbench_nav = [
        (_("日常说法词典"), "search_wb:names", 60, office_or_configuration),
        (_("热门检索词"), "search_wb:terms", 61, "disclosure_office"),
    ]

    def ready(self):
        from . import services  # noqa: F401 - registers the search app's audit action names

    def workbench_panels(self, user) -> list[dict]:
        """System administrators see the state of the search index."""
        from gongkai.core import permissions

        if not permissions.is_configuration_admin(user):
            return []
        from .backends import SearchUnavailable, backend_name, get_backend
        from .models import IndexFailure

        try:
            count = get_backend().count()
            state = _("检索后端 %(name)s：已索引 %(count)s 条") % {"name": backend_name(), "count": count}
        except SearchUnavailable as exc:
            state = str(exc)
        items = [(state, "/search/")]
        failures = IndexFailure.objects.count()
        if failures:
            items.append(
                (_("%(n)s 条索引更新失败，等待自动重试（或运行 gongkai reindex）") % {"n": failures}, "/search/")
            )
        return [{"title": _("一网通查索引"), "items": items, "empty": ""}]
