from django.urls import path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("staff/requests", api.StaffRequestViewSet, basename="staff-requests")

urlpatterns = [
    path("requests/", api.PublicCreateView.as_view(), name="requests-create"),
    path("requests/status/", api.PublicStatusView.as_view(), name="requests-status"),
    path("staff/request-policies/<int:unit_id>/", api.PolicyView.as_view(), name="requests-policy"),
    *router.urls,
]
