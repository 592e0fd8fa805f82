from django.urls import include, path

from gongkai.core.api import Router

from . import api

router = Router()
router.register("assessment/indicator-sets", api.IndicatorSetViewSet, basename="assessment-set")
router.register("assessment/periods", api.PeriodViewSet, basename="assessment-period")
router.register("assessment/assessees", api.AssesseeViewSet, basename="assessment-assessee")
router.register("assessment/bulletins", api.BulletinViewSet, basename="assessment-bulletin")
router.register("assessment/rectifications", api.RectificationViewSet, basename="assessment-rectification")
router.register("assessment/appeals", api.AppealViewSet, basename="assessment-appeal")

urlpatterns = [path("", include(router.urls))]
