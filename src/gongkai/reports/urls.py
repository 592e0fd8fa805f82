from django.urls import path

from . import portal_views, stats_views

app_name = "reports"

urlpatterns = [
    path("", portal_views.index, name="index"),
    path("statistics/", stats_views.public_statistics, name="statistics"),
    path("statistics/<slug:chart>.csv", stats_views.public_csv, name="statistics-csv"),
    path("<int:pk>/", portal_views.detail, name="detail"),
    path("<int:pk>/report.<str:fmt>", portal_views.download, name="download"),
]
