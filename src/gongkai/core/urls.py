from django.urls import path

from . import auth_views, views

app_name = "core"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("login/otp/", auth_views.login_otp, name="login-otp"),
    path("logout/", auth_views.logout, name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("security/", auth_views.security, name="security"),
    path("security/locks/", auth_views.lock_list, name="lock-list"),
    path("orgs/", views.org_list, name="org-list"),
    path("orgs/<int:pk>/", views.org_detail, name="org-detail"),
    path("orgs/<int:parent_pk>/new/", views.org_create, name="org-create"),
    path("audit/", views.audit_list, name="audit-list"),
    path("audit/export.csv", auth_views.audit_export, name="audit-export"),
    path("calendar/", views.holiday_list, name="holiday-list"),
    path("periods/", views.period_list, name="period-list"),
    path("periods/<str:code>/", views.period_edit, name="period-edit"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
]
