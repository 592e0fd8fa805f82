from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/", views.org_list, name="org-list"),
    path("orgs/<int:pk>/", views.org_detail, name="org-detail"),
    path("orgs/<int:parent_pk>/new/", views.org_create, name="org-create"),
    path("audit/", views.audit_list, name="audit-list"),
    path("calendar/", views.holiday_list, name="holiday-list"),
    path("periods/", views.period_list, name="period-list"),
    path("periods/<str:code>/", views.period_edit, name="period-edit"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
]
