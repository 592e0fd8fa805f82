from django.urls import path

from .api import ReportDetailAPIView, ReportListAPIView

urlpatterns = [
    path("annual-reports/", ReportListAPIView.as_view(), name="annual-reports-api"),
    path("annual-reports/<int:pk>/", ReportDetailAPIView.as_view(), name="annual-report-api"),
]
