from django.urls import path

from . import views

app_name = "benefits"

urlpatterns = [
    path("", views.index, name="index"),
    path("match/", views.match, name="match"),
    path("profile/<str:token>/delete/", views.profile_delete, name="profile-delete"),
    path("items/<int:pk>/", views.item, name="item"),
    path("policies/<int:pk>/", views.policy, name="policy"),
    path("recipients/<int:pk>/", views.batch, name="batch"),
    path("funds/", views.funds, name="funds"),
]
