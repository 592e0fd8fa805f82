from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("datasets/<slug:name>/", views.dataset, name="dataset"),
    path("datasets/<slug:name>/resources/<int:pk>/download/", views.download, name="download"),
    path("datasets/<slug:name>/resources/<int:pk>/rows.json", views.rows, name="rows"),
]
