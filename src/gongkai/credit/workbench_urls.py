from django.urls import path

from . import workbench_views as v

app_name = "credit_wb"

urlpatterns = [
    path("", v.index, name="index"),
    path("import/", v.import_view, name="import"),
    path("export.csv", v.export, name="export"),
    path("stats/", v.stats, name="stats"),
    path("template/<slug:kind>.xlsx", v.template_download, name="template"),
    path("<slug:kind>/new/", v.create, name="create"),
    path("<slug:kind>/<int:pk>/", v.detail, name="detail"),
    path("<slug:kind>/<int:pk>/act/<slug:name>/", v.act, name="act"),
]
