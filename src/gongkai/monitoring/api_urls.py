from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("monitoring/sites", api.SiteViewSet, basename="monitoring-site")
router.register("monitoring/columns", api.ColumnViewSet, basename="monitoring-column")
router.register("monitoring/accounts", api.AccountViewSet, basename="monitoring-account")
router.register("monitoring/findings", api.FindingViewSet, basename="monitoring-finding")

urlpatterns = [path("", include(router.urls))]
