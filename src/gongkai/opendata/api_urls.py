from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("opendata/datasets", api.DatasetViewSet, basename="opendata-dataset")
router.register("opendata/resources", api.ResourceViewSet, basename="opendata-resource")

urlpatterns = [path("", include(router.urls))]
