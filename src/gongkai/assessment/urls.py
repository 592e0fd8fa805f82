from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results-csv"),
]
