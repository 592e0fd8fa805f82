from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("publications", api.PublicPublicationViewSet, basename="publication")
router.register("staff/publications", api.StaffPublicationViewSet, basename="staff-publication")

urlpatterns = [path("", include(router.urls))]
