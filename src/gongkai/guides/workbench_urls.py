from django.urls import path

from . import wb_views

app_name = "guides_wb"

urlpatterns = [
    path("", wb_views.index, name="index"),
    path("new/", wb_views.create, name="create"),
    path("import/", wb_views.import_view, name="import"),
    path("<int:pk>/", wb_views.guide, name="guide"),
    path("<int:pk>/act/<slug:name>/", wb_views.guide_act, name="guide-act"),
    path("versions/<int:pk>/edit/", wb_views.version_edit, name="version-edit"),
    path("versions/<int:pk>/act/<slug:name>/", wb_views.version_act, name="version-act"),
    path("points/", wb_views.points, name="points"),
    path("points/new/", wb_views.point_edit, name="point-new"),
    path("points/import/", wb_views.points_import, name="points-import"),
    path("points/<int:pk>/", wb_views.point_edit, name="point-edit"),
    path("events/", wb_views.events, name="events"),
    path("events/new/", wb_views.event_edit, name="event-new"),
    path("events/<int:pk>/", wb_views.event_edit, name="event-edit"),
    path("stats/", wb_views.stats, name="stats"),
]
