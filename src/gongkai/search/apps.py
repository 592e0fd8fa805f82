from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = _("一网通查")
    default_auto_field = "django.db.models.BigAutoField"
    portal_nav = [(_("一网通查"), "search:search", 50, None)]
