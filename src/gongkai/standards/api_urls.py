from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("standards/systems", api.SystemViewSet, basename="standards-system")
router.register("standards/standards", api.StandardViewSet, basename="standards-standard")

urlpatterns = [path("", include(router.urls))]
