from django.urls import include, path, re_path

from gongkai.core.api import Router

from . import api, open311

router = Router()
router.register("interaction/appeals", api.AppealViewSet, basename="interaction-appeal")
router.register("interaction/faq", api.FaqViewSet, basename="interaction-faq")
router.register("interaction/consultations", api.ConsultationViewSet, basename="interaction-consultation")
router.register("interaction/comments", api.CommentViewSet, basename="interaction-comment")

urlpatterns = [
    re_path(r"^open311/services\.json$", open311.Open311Services.as_view(), name="open311-services"),
    re_path(r"^open311/requests\.json$", open311.Open311Requests.as_view(), name="open311-requests"),
    re_path(
        r"^open311/requests/(?P<code>[^/]{1,80})\.json$",  # any id: a malformed one gets GeoReport's 404
        open311.Open311Request.as_view(),
        name="open311-request",
    ),
    path("", include(router.urls)),
]
