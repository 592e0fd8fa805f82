from django.urls import path

from . import workbench_views as v

app_name = "assessment_wb"

urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("sets/", v.set_list, name="set-list"),
    path("sets/<int:pk>/", v.set_detail, name="set-detail"),
    path("sets/<int:pk>/act/<slug:name>/", v.set_act, name="set-act"),
    path("indicators/<int:pk>/act/<slug:name>/", v.indicator_act, name="indicator-act"),
    path("periods/", v.period_list, name="period-list"),
    path("periods/<int:pk>/", v.period_detail, name="period-detail"),
    path("periods/<int:pk>/act/<slug:name>/", v.period_act, name="period-act"),
    path("assessees/<int:pk>/", v.assessee_detail, name="assessee-detail"),
    path("assessees/<int:pk>/act/<slug:name>/", v.assessee_act, name="assessee-act"),
    path("appeals/<int:pk>/act/<slug:name>/", v.appeal_act, name="appeal-act"),
    path("bulletins/<int:pk>/", v.bulletin_detail, name="bulletin-detail"),
    path("bulletins/<int:pk>/act/<slug:name>/", v.bulletin_act, name="bulletin-act"),
    path("rectifications/", v.rectification_list, name="rectification-list"),
    path("rectifications/<int:pk>/", v.rectification_detail, name="rectification-detail"),
    path("rectifications/<int:pk>/act/<slug:name>/", v.rectification_act, name="rectification-act"),
    path("documents/<slug:kind>/<int:pk>.<slug:fmt>", v.document, name="document"),
    path("templates/", v.templates, name="templates"),
]
