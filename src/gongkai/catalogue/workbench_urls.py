from django.urls import path

from . import workbench_views as v

app_name = "catalogue_wb"

urlpatterns = [
    path("", v.catalogue_list, name="catalogue-list"),
    path("new/", v.catalogue_create, name="catalogue-create"),
    path("<int:pk>/", v.catalogue_detail, name="catalogue-detail"),
    path("<int:pk>/new-version/", v.version_new, name="version-new"),
    path("<int:pk>/export/", v.catalogue_export, name="catalogue-export"),
    path("<int:pk>/adoption/", v.adoption, name="adoption"),
    path("<int:pk>/rederive/", v.catalogue_rederive, name="rederive"),
    path("<int:pk>/targets/", v.catalogue_targets, name="targets"),
    path("versions/<int:pk>/", v.version_detail, name="version-detail"),
    path("versions/<int:pk>/publish/", v.version_publish, name="version-publish"),
    path("versions/<int:pk>/discard/", v.version_discard, name="version-discard"),
    path("versions/<int:version_pk>/items/new/", v.item_create, name="item-create"),
    path("items/<int:pk>/", v.item_edit, name="item-edit"),
    path("timeframe-check/", v.timeframe_check, name="timeframe-check"),
    path("domains/", v.domain_list, name="domain-list"),
    path("domains/<int:pk>/", v.domain_edit, name="domain-edit"),
    path("templates/", v.template_list, name="template-list"),
    path("templates/<int:pk>/", v.template_detail, name="template-detail"),
    path("elements/<int:pk>/", v.element_edit, name="element-edit"),
    path("import/", v.import_start, name="import"),
    path("import/<str:token>/", v.import_preview, name="import-preview"),
    path("lists/", v.my_lists, name="my-lists"),
    path("lists/<int:pk>/", v.unitlist_detail, name="unitlist-detail"),
    path("lists/<int:pk>/export/", v.unitlist_export, name="unitlist-export"),
    path("lists/<int:list_pk>/items/new/", v.unititem_add, name="unititem-add"),
    path("unit-items/<int:pk>/", v.unititem_edit, name="unititem-edit"),
    path("unit-items/<int:pk>/drop/", v.unititem_drop, name="unititem-drop"),
    path("unit-items/<int:pk>/restore/", v.unititem_restore, name="unititem-restore"),
]
