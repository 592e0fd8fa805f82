"""REST API of the monitoring app (staff): sites, columns, accounts, findings and their actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission
from gongkai.core.models import Organisation

from . import selectors, services
from .actions import ACCOUNT_ACTIONS, COLUMN_ACTIONS, FINDING_ACTIONS, SITE_ACTIONS
from .models import Account, Column, Finding, Platform, Site, SiteKind


class ColumnSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Column
        fields = [
            "id",
            "site",
            "name",
            "kind",
            "list_url",
            "item_selector",
            "status",
            "last_item_on",
            "item_count",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(COLUMN_ACTIONS, self.context["request"], obj, url_name="monitoring-column-act-{action}")


class SiteSerializer(serializers.ModelSerializer):
    columns = ColumnSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "home_url",
            "domain",
            "site_code",
            "icp_number",
            "police_number",
            "unit",
            "kind",
            "is_own_portal",
            "status",
            "last_crawled_at",
            "columns",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(SITE_ACTIONS, self.context["request"], obj, url_name="monitoring-site-act-{action}")


class SiteCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    home_url = serializers.CharField(max_length=300)
    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    kind = serializers.ChoiceField(choices=SiteKind.choices, default=SiteKind.DEPARTMENT)
    site_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    icp_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    police_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class FindingSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()
    evidence = serializers.CharField(source="evidence_text", read_only=True, label=gettext_lazy("证据"))

    class Meta:
        model = Finding
        fields = [
            "id",
            "site",
            "account",
            "unit",
            "rule",
            "severity",
            "confidence",
            "url",
            "column_name",
            "evidence",
            "context",
            "html_sha256",
            "first_seen_at",
            "last_seen_at",
            "status",
            "reviewed_by",
            "reviewed_at",
            "dismiss_reason",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(FINDING_ACTIONS, self.context["request"], obj, url_name="monitoring-finding-act-{action}")


class AccountSerializer(serializers.ModelSerializer):
    flagged_duplicate = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = [
            "id",
            "platform",
            "name",
            "account_id",
            "unit",
            "feed_url",
            "status",
            "last_post_on",
            "flagged_duplicate",
            "actions",
        ]

    def get_flagged_duplicate(self, obj) -> bool:
        cache = self.context.setdefault("_dup", selectors.duplicate_account_ids())
        return obj.pk in cache

    def get_actions(self, obj) -> list[dict]:
        return api_links(ACCOUNT_ACTIONS, self.context["request"], obj, url_name="monitoring-account-act-{action}")


class AccountCreateSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    platform = serializers.ChoiceField(choices=Platform.choices)
    name = serializers.CharField(max_length=100)
    account_id = serializers.CharField(max_length=100)
    feed_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")


class _Create:
    create_serializer = None
    create_service = None

    def create(self, request, *args, **kwargs):
        data = self.create_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = data.validated_data["unit"]
        if not permissions.can_view(request.user, unit):
            raise PermissionDenied(_("您无权为该单位登记"))
        obj = type(self).create_service(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


class SiteViewSet(_Create, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Registered websites of the units the caller oversees (POST registers one)."""

    serializer_class = SiteSerializer
    permission_classes = [OrgScopedPermission]
    create_serializer = SiteCreateSerializer
    create_service = staticmethod(services.site_register)
    filterset_fields = ["status", "unit", "kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Site.objects.none()
        return selectors.sites_for(self.request.user).prefetch_related("columns").order_by("name", "pk")


class ColumnViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ColumnSerializer
    permission_classes = [OrgScopedPermission]
    filterset_fields = ["site", "status", "kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Column.objects.none()
        return (
            Column.objects.filter(site__in=selectors.sites_for(self.request.user))
            .select_related("site__unit")
            .order_by("pk")
        )

    def unit_of(self, obj):
        return obj.site.unit


class AccountViewSet(_Create, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AccountSerializer
    permission_classes = [OrgScopedPermission]
    create_serializer = AccountCreateSerializer
    create_service = staticmethod(services.account_register)
    filterset_fields = ["platform", "status", "unit"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Account.objects.none()
        return selectors.accounts_for(self.request.user).order_by("pk")


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """Findings with their evidence (personal data always masked)."""

    serializer_class = FindingSerializer
    permission_classes = [OrgScopedPermission]
    filterset_fields = ["status", "rule", "severity", "site", "unit"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Finding.objects.none()
        return selectors.findings_for(self.request.user)


add_api_actions(SiteViewSet, SITE_ACTIONS, response_serializer=SiteSerializer)
add_api_actions(ColumnViewSet, COLUMN_ACTIONS, response_serializer=ColumnSerializer)
add_api_actions(AccountViewSet, ACCOUNT_ACTIONS, response_serializer=AccountSerializer)
add_api_actions(FindingViewSet, FINDING_ACTIONS, response_serializer=FindingSerializer)
