"""/api/3/action/<name>: the CKAN-compatible read API (mounted by gongkai.urls)."""

from django.urls import re_path

from . import ckan

urlpatterns = [
    re_path(r"^(?P<name>[A-Za-z0-9_]{1,64})/?$", ckan.action, name="ckan-action"),
]
