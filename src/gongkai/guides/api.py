"""REST API: guides and versions for staff (with their actions), published guides and points for everyone."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission

from . import selectors
from .actions import GUIDE_ACTIONS, VERSION_ACTIONS
from .models import Guide, GuideVersion, ServicePoint


@extend_schema_serializer(component_name="GuideVersion")  # catalogue has a "Version" component
class VersionSerializer(serializers.ModelSerializer):
    missing = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = GuideVersion
        fields = [
            "id",
            "guide",
            "number",
            "state",
            "name",
            "code",
            "kind",
            "legal_basis",
            "implementing_body",
            "service_objects",
            "conditions",
            "materials",
            "process",
            "legal_limit_days",
            "promised_limit_days",
            "no_fee",
            "fees",
            "consultation",
            "complaint",
            "location_time",
            "visits",
            "online_url",
            "flagged_incomplete",
            "published_at",
            "missing",
            "actions",
        ]

    def get_missing(self, obj) -> list[str]:
        return obj.missing_elements()

    def get_actions(self, obj) -> list[dict]:
        return api_links(VERSION_ACTIONS, self.context["request"], obj, url_name="guide-version-act-{action}")


class GuideSerializer(serializers.ModelSerializer):
    everyday_name = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    current_version = serializers.IntegerField(source="current_id", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Guide
        fields = ["id", "unit", "code", "name", "everyday_name", "current_version", "theme", "actions"]

    def get_actions(self, obj) -> list[dict]:
        return api_links(GUIDE_ACTIONS, self.context["request"], obj, url_name="guide-act-{action}")


class GuideViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff: the guides of the units the caller may see."""

    serializer_class = GuideSerializer
    permission_classes = [OrgScopedPermission]

    def get_queryset(self):
        return permissions.scope(Guide.objects.select_related("unit").order_by("pk"), self.request.user)

    def unit_of(self, obj):
        return obj.unit


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VersionSerializer
    permission_classes = [OrgScopedPermission]

    def get_queryset(self):
        qs = GuideVersion.objects.select_related("guide__unit").order_by("pk")
        return permissions.scope(qs, self.request.user, unit_field="guide__unit")

    def unit_of(self, obj):
        return obj.guide.unit


add_api_actions(VersionViewSet, VERSION_ACTIONS, response_serializer=VersionSerializer)
add_api_actions(GuideViewSet, GUIDE_ACTIONS, response_serializer=GuideSerializer)


class PublicGuideSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="current.name")
    everyday_name = serializers.CharField(read_only=True)
    kind = serializers.CharField(source="current.kind")
    visits = serializers.IntegerField(source="current.visits")
    promised_limit_days = serializers.IntegerField(source="current.promised_limit_days")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Guide
        fields = ["id", "code", "name", "everyday_name", "kind", "visits", "promised_limit_days", "unit", "url"]


class PublicGuideViewSet(viewsets.ReadOnlyModelViewSet):
    """Everyone: published guides."""

    serializer_class = PublicGuideSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.published_guides().order_by("pk")


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServicePoint
        fields = ["id", "name", "address", "opening_hours", "phone", "services", "barrier_free", "lng", "lat"]


class PointViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PointSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return ServicePoint.objects.filter(is_active=True).order_by("pk")
