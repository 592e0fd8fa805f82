from django.apps import AppConfig


class CoreAppConfig(AppConfig):
    """A test-only app with a small state machine, to test gongkai.core.transitions and actions."""

    name = "tests.coreapp"
    label = "coreapp"
    default_auto_field = "django.db.models.BigAutoField"
