from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = _("一网通查")
    default_auto_field = "django.db.models.BigAutoField"
    portal_nav = [(_("一网通查"), "search:search", 50, None)]

    def ready(self):
        from celery.schedules import crontab
        from django.conf import settings

        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "search-retry-failed-updates",
            {"task": "search.retry_failed_updates", "schedule": crontab(minute="*/5")},
        )
