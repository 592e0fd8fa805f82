from django.urls import path

from . import stats_views, views

app_name = "reports_wb"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("generate-all/", views.generate_all, name="generate-all"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("oversight/", views.oversight, name="oversight"),
    path("statistics/", stats_views.workbench_statistics, name="statistics"),
    path("statistics/<slug:chart>.csv", stats_views.workbench_csv, name="statistics-csv"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit_text, name="edit"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/delete/", views.delete_draft, name="delete"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/figure/<str:table>/<str:row>/<str:col>/", views.figure, name="figure"),
    path("<int:pk>/trace/<str:table>/<str:row>/<str:col>/", views.trace, name="trace"),
]
