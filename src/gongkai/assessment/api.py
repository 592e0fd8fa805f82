"""REST API of the assessment app (staff): indicator sets, periods and results, bulletins,
rectifications, result appeals — every workbench action as ``POST …/{id}/<action>/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers, viewsets

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission

from . import actions as A
from . import selectors
from .models import Assessee, Bulletin, Indicator, IndicatorSet, Period, Rectification, ResultAppeal


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "parent", "code", "name", "method", "weight", "per_item", "cap", "source", "verified", "note"]


class IndicatorSetSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorSet
        fields = [
            "id",
            "name",
            "version",
            "year",
            "issuer",
            "basis",
            "unit_category",
            "total_points",
            "pass_mark",
            "bonus_threshold",
            "bonus_cap",
            "status",
            "indicators",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(A.SET_ACTIONS, self.context["request"], obj, url_name="assessment-set-act-{action}")


class AssesseeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Assessee
        fields = [
            "id",
            "period",
            "unit",
            "unit_name",
            "category",
            "base",
            "bonus",
            "total",
            "vetoed",
            "veto_reasons",
            "passed",
            "rank",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(A.ASSESSEE_ACTIONS, self.context["request"], obj, url_name="assessment-assessee-act-{action}")


class PeriodSerializer(serializers.ModelSerializer):
    assessees = AssesseeSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Period
        fields = [
            "id",
            "name",
            "indicator_set",
            "root",
            "start",
            "end",
            "seed",
            "status",
            "inputs_at",
            "ranked_at",
            "ranking_hash",
            "published_on",
            "appeal_due",
            "assessees",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(A.PERIOD_ACTIONS, self.context["request"], obj, url_name="assessment-period-act-{action}")


class BulletinSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = ["id", "period", "root", "title", "number", "status", "issued_on", "actions"]

    def get_actions(self, obj) -> list[dict]:
        return api_links(A.BULLETIN_ACTIONS, self.context["request"], obj, url_name="assessment-bulletin-act-{action}")


class RectificationSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "period",
            "bulletin",
            "unit",
            "problems",
            "finding_ids",
            "issued_on",
            "due_on",
            "status",
            "response",
            "responded_at",
            "recheck_due",
            "recheck_note",
            "escalation_reason",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(
            A.RECTIFICATION_ACTIONS, self.context["request"], obj, url_name="assessment-rectification-act-{action}"
        )


@extend_schema_serializer(component_name="AssessmentAppeal")  # interaction has an "Appeal" component
class AppealSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = ResultAppeal
        fields = ["id", "assessee", "reason", "submitted_on", "status", "decision", "actions"]

    def get_actions(self, obj) -> list[dict]:
        return api_links(A.APPEAL_ACTIONS, self.context["request"], obj, url_name="assessment-appeal-act-{action}")


class _Scoped(viewsets.ReadOnlyModelViewSet):
    permission_classes = [OrgScopedPermission]
    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.scoped()


class IndicatorSetViewSet(_Scoped):
    serializer_class = IndicatorSetSerializer
    model = IndicatorSet

    def scoped(self):
        return (
            selectors.indicator_sets().order_by("pk")
            if selectors.is_office(self.request.user)
            else IndicatorSet.objects.none()
        )

    def unit_of(self, obj):
        return self.request.user.unit


class PeriodViewSet(_Scoped):
    serializer_class = PeriodSerializer
    model = Period

    def scoped(self):
        return selectors.periods_for(self.request.user).prefetch_related("assessees__unit").order_by("pk")

    def unit_of(self, obj):
        return obj.root


class AssesseeViewSet(_Scoped):
    serializer_class = AssesseeSerializer
    model = Assessee
    filterset_fields = ["period", "unit"]

    def scoped(self):
        visible = permissions.visible_units(self.request.user)
        return Assessee.objects.filter(unit__in=visible).select_related("period", "unit").order_by("pk")


class BulletinViewSet(_Scoped):
    serializer_class = BulletinSerializer
    model = Bulletin

    def scoped(self):
        return selectors.bulletins_for(self.request.user).order_by("pk")

    def unit_of(self, obj):
        return obj.root


class RectificationViewSet(_Scoped):
    serializer_class = RectificationSerializer
    model = Rectification
    filterset_fields = ["status", "unit"]

    def scoped(self):
        return selectors.rectifications_for(self.request.user).order_by("pk")


class AppealViewSet(_Scoped):
    serializer_class = AppealSerializer
    model = ResultAppeal

    def scoped(self):
        return (
            ResultAppeal.objects.filter(assessee__unit__in=permissions.visible_units(self.request.user))
            .select_related("assessee__period__root")
            .order_by("pk")
        )

    def unit_of(self, obj):
        return obj.assessee.unit


add_api_actions(IndicatorSetViewSet, A.SET_ACTIONS, response_serializer=IndicatorSetSerializer)
add_api_actions(PeriodViewSet, A.PERIOD_ACTIONS, response_serializer=PeriodSerializer)
add_api_actions(AssesseeViewSet, A.ASSESSEE_ACTIONS, response_serializer=AssesseeSerializer)
add_api_actions(BulletinViewSet, A.BULLETIN_ACTIONS, response_serializer=BulletinSerializer)
add_api_actions(RectificationViewSet, A.RECTIFICATION_ACTIONS, response_serializer=RectificationSerializer)
add_api_actions(AppealViewSet, A.APPEAL_ACTIONS, response_serializer=AppealSerializer)
