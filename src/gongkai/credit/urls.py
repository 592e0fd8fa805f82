from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.index, name="index"),
    path("licences/<int:pk>/", views.licence, name="licence"),
    path("penalties/<int:pk>/", views.penalty, name="penalty"),
]
