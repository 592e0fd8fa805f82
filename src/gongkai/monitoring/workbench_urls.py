from django.urls import path

from . import workbench_views as v

app_name = "monitoring_wb"

urlpatterns = [
    path("", v.site_list, name="site-list"),
    path("sites/<int:pk>/", v.site_detail, name="site-detail"),
    path("sites/<int:pk>/act/<slug:name>/", v.site_act, name="site-act"),
    path("columns/<int:pk>/act/<slug:name>/", v.column_act, name="column-act"),
    path("accounts/", v.account_list, name="account-list"),
    path("accounts/<int:pk>/", v.account_detail, name="account-detail"),
    path("accounts/<int:pk>/act/<slug:name>/", v.account_act, name="account-act"),
    path("findings/", v.finding_list, name="finding-list"),
    path("findings/<int:pk>/", v.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/screenshot/", v.finding_screenshot, name="finding-screenshot"),
    path("findings/<int:pk>/act/<slug:name>/", v.finding_act, name="finding-act"),
    path("words/", v.word_lists, name="word-lists"),
]
