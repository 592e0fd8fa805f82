from django.urls import path

from . import workbench_views as views

app_name = "requests_wb"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("register/", views.register, name="register"),
    path("stats/", views.statistics, name="stats"),
    path("<int:pk>/", views.detail, name="detail"),
    path("settings/", views.policy, name="policy"),
    path("<int:pk>/act/<slug:name>/", views.act, name="act"),
    path("<int:pk>/letters/<int:letter_pk>.<str:fmt>", views.letter_download, name="letter"),
    path("<int:pk>/attachments/<int:att_pk>/", views.attachment_download, name="attachment"),
]
