from django.urls import path

from . import wb_views

app_name = "search_wb"

urlpatterns = [
    path("names/", wb_views.name_list, name="names"),
    path("names/new/", wb_views.name_edit, name="name-new"),
    path("names/<int:pk>/", wb_views.name_edit, name="name-edit"),
    path("names/<int:pk>/active/", wb_views.name_set_active, name="name-active"),
    path("terms/", wb_views.term_list, name="terms"),
    path("terms/<int:pk>/act/<slug:name>/", wb_views.term_act, name="term-act"),
]
