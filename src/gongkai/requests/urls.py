from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("guide/", views.guide, name="guide"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/forget/", views.forget, name="forget"),
    path("track/<str:code>/", views.status, name="status"),
    path("track/<str:code>/letters/<int:pk>.<str:fmt>", views.letter, name="letter"),
]
