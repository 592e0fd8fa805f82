"""/catalog.ttl and /catalog.jsonld: the DCAT-AP catalogue (mounted at the site root by gongkai.urls)."""

from django.urls import path

from . import dcat

urlpatterns = [
    path("catalog.ttl", dcat.catalog_ttl, name="dcat-ttl"),
    path("catalog.jsonld", dcat.catalog_jsonld, name="dcat-jsonld"),
]
