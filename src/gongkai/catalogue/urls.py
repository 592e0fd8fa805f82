from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("sample.xlsx", views.sample, name="sample"),
    path("domain/<slug:code>/", views.domain_detail, name="domain"),
    path("standard/<int:pk>/", views.standard_detail, name="standard"),
    path("unit/<int:pk>/", views.unit_detail, name="unit"),
    path("unit/<int:pk>/print/", views.unit_print, name="unit-print"),
    path("unit/<int:pk>/export.xlsx", views.unit_export, name="unit-export"),
    path("item/<int:pk>/", views.item_detail, name="item"),
]
