"""/api/v1/: every app's ``api_urls`` module, plus the OpenAPI schema and docs. A new app adds its line."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

v1 = [
    path("", include("gongkai.core.api_urls")),
    path("", include("gongkai.search.api_urls")),
    path("", include("gongkai.catalogue.api_urls")),
    path("", include("gongkai.publications.api_urls")),
    path("", include("gongkai.requests.api_urls")),
    path("", include("gongkai.interaction.api_urls")),
    path("", include("gongkai.reports.api_urls")),
    path("", include("gongkai.guides.api_urls")),
    path("", include("gongkai.benefits.api_urls")),
    path("", include("gongkai.credit.api_urls")),
    path("", include("gongkai.opendata.api_urls")),
    path("", include("gongkai.standards.api_urls")),
    path("", include("gongkai.monitoring.api_urls")),
    path("", include("gongkai.assessment.api_urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
