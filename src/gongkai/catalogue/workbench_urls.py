from django.urls import path

from .workbench_views import catalogues, imports, lists, setup

app_name = "catalogue_wb"

urlpatterns = [
    path("", catalogues.catalogue_list, name="catalogue-list"),
    path("new/", catalogues.catalogue_create, name="catalogue-create"),
    path("<int:pk>/", catalogues.catalogue_detail, name="catalogue-detail"),
    path("<int:pk>/act/<slug:name>/", catalogues.catalogue_act, name="catalogue-act"),
    path("<int:pk>/export/", catalogues.catalogue_export, name="catalogue-export"),
    path("<int:pk>/adoption/", catalogues.adoption, name="adoption"),
    path("versions/<int:pk>/", catalogues.version_detail, name="version-detail"),
    path("versions/<int:pk>/act/<slug:name>/", catalogues.version_act, name="version-act"),
    path("versions/<int:version_pk>/items/new/", catalogues.item_create, name="item-create"),
    path("items/<int:pk>/", catalogues.item_edit, name="item-edit"),
    path("timeframe-check/", catalogues.timeframe_check, name="timeframe-check"),
    path("domains/", setup.domain_list, name="domain-list"),
    path("domains/<int:pk>/", setup.domain_edit, name="domain-edit"),
    path("templates/", setup.template_list, name="template-list"),
    path("templates/<int:pk>/", setup.template_detail, name="template-detail"),
    path("elements/<int:pk>/", setup.element_edit, name="element-edit"),
    path("import/", imports.import_start, name="import"),
    path("import/<str:token>/", imports.import_preview, name="import-preview"),
    path("lists/", lists.my_lists, name="my-lists"),
    path("lists/<int:pk>/", lists.unitlist_detail, name="unitlist-detail"),
    path("lists/<int:pk>/export/", lists.unitlist_export, name="unitlist-export"),
    path("lists/<int:list_pk>/items/new/", lists.unititem_add, name="unititem-add"),
    path("unit-items/<int:pk>/", lists.unititem_edit, name="unititem-edit"),
    path("unit-items/<int:pk>/act/<slug:name>/", lists.unititem_act, name="unititem-act"),
]
