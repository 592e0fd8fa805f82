from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("domains", api.DomainViewSet, basename="catalogue-domain")
router.register("templates", api.TemplateViewSet, basename="catalogue-template")
router.register("catalogues", api.CatalogueViewSet, basename="catalogue-catalogue")
router.register("versions", api.VersionViewSet, basename="catalogue-version")
router.register("items", api.CatalogueItemViewSet, basename="catalogue-item")
router.register("unit-lists", api.UnitListViewSet, basename="catalogue-unitlist")
router.register("unit-items", api.UnitItemViewSet, basename="catalogue-unititem")

urlpatterns = [path("catalogue/", include(router.urls))]
