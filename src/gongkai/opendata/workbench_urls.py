from django.urls import path

from . import workbench_views as v

app_name = "opendata_wb"

urlpatterns = [
    path("", v.index, name="index"),
    path("new/", v.create, name="create"),
    path("stats/", v.stats, name="stats"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/act/<slug:name>/", v.act, name="act"),
    path("resources/<int:pk>/act/<slug:name>/", v.resource_act, name="resource-act"),
]
