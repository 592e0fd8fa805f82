from django.urls import include, path

from . import api
from .api import Router

router = Router()
router.register("organisations", api.OrganisationViewSet, basename="organisation")
router.register("audit-events", api.AuditEventViewSet, basename="audit-event")
router.register("users", api.StaffUserViewSet, basename="staff-user")
router.register("holidays", api.HolidayViewSet, basename="holiday")

urlpatterns = [
    path("me/", api.me, name="api-me"),
    path("workdays/add/", api.add_working_days, name="api-workdays-add"),
    path("", include(router.urls)),
]
