from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggest/", views.suggest, name="suggest"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/short.pdf", views.short_guide, name="short"),
    path("lists/<slug:which>/", views.lists, name="lists"),
    path("points/", views.points, name="points"),
    path("points/<int:pk>/", views.point, name="point"),
    path("events/", views.events, name="events"),
    path("events/<slug:slug>/", views.event, name="event"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/remove/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
