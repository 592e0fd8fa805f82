from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("benefits/items", api.ItemViewSet, basename="benefit-item")
router.register("benefits/batches", api.BatchViewSet, basename="recipient-batch")
router.register("benefits/public", api.PublicItemViewSet, basename="benefit-public")

urlpatterns = [
    path("benefits/match/", api.match_api, name="benefit-match"),
    path("", include(router.urls)),
]
