from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("text-size/", views.text_size, name="text-size"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
