from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.index, name="index"),
    path("systems/<int:pk>/", views.system, name="system"),
    path("standards/<int:pk>/", views.standard, name="standard"),
    path("standards/<int:pk>/text/", views.attachment, name="attachment"),
]
