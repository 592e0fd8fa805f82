from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("staff/requests", api.StaffRequestViewSet, basename="staff-requests")

urlpatterns = [
    path("requests/", api.PublicCreateView.as_view(), name="requests-create"),
    path("requests/status/", api.PublicStatusView.as_view(), name="requests-status"),
    *router.urls,
]
