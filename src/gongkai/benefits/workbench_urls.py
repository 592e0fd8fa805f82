from django.urls import path

from . import wb_views

app_name = "benefits_wb"

urlpatterns = [
    path("", wb_views.index, name="index"),
    path("policies/new/", wb_views.policy_new, name="policy-new"),
    path("policies/<int:policy_pk>/items/new/", wb_views.item_edit, name="item-new"),
    path("items/<int:pk>/", wb_views.item, name="item"),
    path("items/<int:pk>/edit/", wb_views.item_edit, name="item-edit"),
    path("items/<int:pk>/act/<slug:name>/", wb_views.item_act, name="item-act"),
    path("batches/<int:pk>/", wb_views.batch, name="batch"),
    path("batches/<int:pk>/act/<slug:name>/", wb_views.batch_act, name="batch-act"),
]
