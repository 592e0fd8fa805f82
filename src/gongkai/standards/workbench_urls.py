from django.urls import path

from . import workbench_views as v

app_name = "standards_wb"

urlpatterns = [
    path("", v.index, name="index"),
    path("systems/<int:pk>/", v.system, name="system"),
    path("systems/<int:pk>/act/<slug:name>/", v.system_act, name="system-act"),
    path("standards/<int:pk>/", v.standard, name="standard"),
    path("standards/<int:pk>/act/<slug:name>/", v.standard_act, name="standard-act"),
]
