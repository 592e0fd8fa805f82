"""Root URLs: every app's public pages, staff pages (/workbench/<app>/) and API (gongkai.api.urls).

Public pages live under ``/`` (portal) and each capability's public prefix;
staff pages under ``/workbench/``; the API under ``/api/``. A new app adds its lines here.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/3/action/", include("gongkai.opendata.ckan_urls")),  # CKAN-compatible read API (open data)
    path("api/action/", include("gongkai.opendata.ckan_urls")),  # the same, unversioned (ckanapi's default)
    path("api/", include("gongkai.api.urls")),
    path("workbench/", include("gongkai.workbench.urls")),
    path("staff/", include("gongkai.core.urls")),
    # Capability apps: staff pages, then public pages.
    path("workbench/search/", include("gongkai.search.workbench_urls")),
    path("search/", include("gongkai.search.urls")),
    path("workbench/catalogue/", include("gongkai.catalogue.workbench_urls")),
    path("catalogue/", include("gongkai.catalogue.urls")),
    path("workbench/publications/", include("gongkai.publications.workbench_urls")),
    path("publications/", include("gongkai.publications.urls")),
    path("workbench/requests/", include("gongkai.requests.workbench_urls")),
    path("requests/", include("gongkai.requests.urls")),
    path("workbench/interaction/", include("gongkai.interaction.workbench_urls")),
    path("interaction/", include("gongkai.interaction.urls")),
    path("workbench/reports/", include("gongkai.reports.workbench_urls")),
    path("reports/", include("gongkai.reports.urls")),
    path("workbench/guides/", include("gongkai.guides.workbench_urls")),
    path("guides/", include("gongkai.guides.urls")),
    path("workbench/benefits/", include("gongkai.benefits.workbench_urls")),
    path("benefits/", include("gongkai.benefits.urls")),
    path("workbench/credit/", include("gongkai.credit.workbench_urls")),
    path("credit/", include("gongkai.credit.urls")),
    path("workbench/opendata/", include("gongkai.opendata.workbench_urls")),
    path("opendata/", include("gongkai.opendata.urls")),
    path("workbench/standards/", include("gongkai.standards.workbench_urls")),
    path("standards/", include("gongkai.standards.urls")),
    path("", include("gongkai.opendata.dcat_urls")),  # /catalog.ttl, /catalog.jsonld (DCAT-AP)
    path("workbench/monitoring/", include("gongkai.monitoring.workbench_urls")),
    path("workbench/assessment/", include("gongkai.assessment.workbench_urls")),
    path("assessment/", include("gongkai.assessment.urls")),
]

urlpatterns.append(path("", include("gongkai.portal.urls")))

# MEDIA_ROOT is never served by path, not even in DEBUG or the demo: every file is downloaded
# through a view that checks what it belongs to (drafts live in private storage anyway).

handler400 = "gongkai.portal.errors.bad_request"
handler403 = "gongkai.portal.errors.permission_denied"
handler404 = "gongkai.portal.errors.page_not_found"
handler500 = "gongkai.portal.errors.server_error"
