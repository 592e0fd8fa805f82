"""Staff REST API for standard systems and standards, with their actions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission

from . import selectors
from .actions import STANDARD_ACTIONS, SYSTEM_ACTIONS
from .models import Standard, StandardSystem


class StandardSerializer(serializers.ModelSerializer):
    node_name = serializers.CharField(source="node.name", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Standard
        fields = [
            "id",
            "system",
            "node",
            "node_name",
            "level",
            "number",
            "title",
            "status",
            "effective_on",
            "repealed_on",
            "replaced_by",
            "attachment_name",
            "note",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        return api_links(STANDARD_ACTIONS, request, obj, url_name="standards-standard-act-{action}") if request else []


class SystemSerializer(serializers.ModelSerializer):
    levels = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = StandardSystem
        fields = ["id", "unit", "title", "description", "published_on", "is_public", "levels", "actions"]

    def get_levels(self, obj) -> dict:
        return selectors.level_counts(obj)

    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        return api_links(SYSTEM_ACTIONS, request, obj, url_name="standards-system-act-{action}") if request else []


@extend_schema(tags=["standards"])
class SystemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SystemSerializer
    permission_classes = [OrgScopedPermission]

    def get_queryset(self):
        return selectors.staff_systems(self.request.user).order_by("unit__path")


@extend_schema(tags=["standards"])
class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StandardSerializer
    permission_classes = [OrgScopedPermission]
    filterset_fields = ["system", "level", "status"]

    def get_queryset(self):
        return (
            Standard.objects.filter(system__in=selectors.staff_systems(self.request.user))
            .select_related("system__unit", "node")
            .order_by("system", "number")
        )

    def unit_of(self, obj):
        return obj.system.unit


add_api_actions(SystemViewSet, SYSTEM_ACTIONS, response_serializer=SystemSerializer)
add_api_actions(StandardViewSet, STANDARD_ACTIONS, response_serializer=StandardSerializer)
