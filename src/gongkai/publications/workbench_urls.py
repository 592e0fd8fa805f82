from django.urls import path

from . import workbench_views as v

app_name = "publications_wb"

urlpatterns = [
    path("", v.home, name="home"),
    path("all/", v.staff_list, name="list"),
    path("new/", v.create, name="create"),
    path("queues/", v.queues, name="queues"),
    path("queues/<slug:state>/", v.queue, name="queue"),
    path("late/", v.late, name="late"),
    path("policies/", v.policies, name="policies"),
    path("policies/<int:unit_id>/", v.policy, name="policy"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/act/<slug:name>/", v.act, name="act"),
    path("<int:pk>/edit/", v.edit, name="edit"),
    path("<int:pk>/delete/", v.delete, name="delete"),
    path("<int:pk>/attachments/", v.attachment_add, name="attachment-add"),
    path("<int:pk>/attachments/<int:attachment_id>/", v.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", v.attachment_remove, name="attachment-remove"),
]
