"""Celery application. Tasks run eagerly (in-process) unless REDIS_URL is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
