from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("guides/staff", api.GuideViewSet, basename="guide")
router.register("guides/versions", api.VersionViewSet, basename="guide-version")
router.register("guides/public", api.PublicGuideViewSet, basename="guide-public")
router.register("guides/points", api.PointViewSet, basename="guide-point")

urlpatterns = [path("", include(router.urls))]
