from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.units, name="units"),
    path("text-size/", views.text_size, name="text-size"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
