from django.urls import include, path, re_path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("interaction/appeals", api.AppealViewSet, basename="interaction-appeal")

urlpatterns = [
    re_path(r"^open311/services\.json$", api.Open311Services.as_view(), name="open311-services"),
    re_path(r"^open311/requests\.json$", api.Open311Requests.as_view(), name="open311-requests"),
    re_path(
        r"^open311/requests/(?P<code>[A-Za-z0-9-]{4,40})\.json$", api.Open311Request.as_view(), name="open311-request"
    ),
    path("", include(router.urls)),
]
