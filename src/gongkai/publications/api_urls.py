from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("publications", api.PublicPublicationViewSet, basename="publication")
router.register("staff/publications", api.StaffPublicationViewSet, basename="staff-publication")

urlpatterns = [path("", include(router.urls))]
