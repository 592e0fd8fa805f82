"""/api/v1/: every app's ``api_urls`` module, plus the OpenAPI schema and docs. A new app adds its line."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

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
    # Swagger UI's start-up script is served as a file (the "split" view), so its page keeps the
    # site's CSP except for the inline <style> its template carries; Redoc's template has an
    # inline script and worker: the one page whose CSP is relaxed (no user data on it).
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_update({"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="schema")
        ),
        name="api-redoc",
    ),
]
