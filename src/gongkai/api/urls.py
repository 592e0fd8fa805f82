"""/api/v1/: every app's ``api_urls`` module, plus the OpenAPI schema and docs."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

v1 = []
for config in apps.get_app_configs():
    if config.name.startswith("gongkai.") and find_spec(f"{config.name}.api_urls"):
        v1.append(path("", include(import_module(f"{config.name}.api_urls"))))

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
