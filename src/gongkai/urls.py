"""Root URLs. Each installed gongkai app with a ``urls`` module is mounted at its own prefix.

Public pages live under ``/`` (portal) and each capability's public prefix;
staff pages under ``/workbench/``; the API under ``/api/``.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.api.urls")),
    path("workbench/", include("gongkai.workbench.urls")),
    path("staff/", include("gongkai.core.urls")),
]

# Capability apps: public pages at /<app>/ (module ``urls``), staff pages at
# /workbench/<app>/ (module ``workbench_urls``).
for config in apps.get_app_configs():
    name = config.name
    short = name.rsplit(".", 1)[-1]
    if not name.startswith("gongkai.") or short in {"core", "portal", "workbench", "api"}:
        continue
    if find_spec(f"{name}.workbench_urls"):
        urlpatterns.append(path(f"workbench/{short}/", include(import_module(f"{name}.workbench_urls"))))
    if find_spec(f"{name}.urls"):
        urlpatterns.append(path(f"{short}/", include(import_module(f"{name}.urls"))))

urlpatterns.append(path("", include("gongkai.portal.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "gongkai.portal.errors.bad_request"
handler403 = "gongkai.portal.errors.permission_denied"
handler404 = "gongkai.portal.errors.page_not_found"
handler500 = "gongkai.portal.errors.server_error"
