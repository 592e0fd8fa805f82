from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("credit/licences", api.LicenceViewSet, basename="credit-licence")
router.register("credit/penalties", api.PenaltyViewSet, basename="credit-penalty")

urlpatterns = [path("", include(router.urls))]
