"""REST API: staff benefit items and batches with their actions; public items and the matcher."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission

from . import matcher, selectors, services
from .actions import BATCH_ACTIONS, ITEM_ACTIONS
from .models import Audience, BenefitItem, RecipientBatch


class CriterionSerializer(serializers.Serializer):
    attribute = serializers.CharField(source="attribute.code")
    label = serializers.CharField(source="attribute.label")
    operator = serializers.CharField()
    value = serializers.JSONField()


class ItemSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = BenefitItem
        fields = [
            "id",
            "policy",
            "title",
            "category",
            "audience",
            "amount_text",
            "amount_max",
            "payment",
            "valid_from",
            "valid_until",
            "how_to_apply",
            "guide_ids",
            "state",
            "criteria",
            "actions",
        ]

    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return []
        return api_links(ITEM_ACTIONS, request, obj, url_name="benefit-item-act-{action}")


class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ItemSerializer
    permission_classes = [OrgScopedPermission]

    def get_queryset(self):
        qs = BenefitItem.objects.select_related("policy__unit").prefetch_related("criteria__attribute").order_by("pk")
        return permissions.scope(qs, self.request.user, unit_field="policy__unit")

    def unit_of(self, obj):
        return obj.policy.unit


class BatchSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = RecipientBatch
        fields = ["id", "item", "title", "year", "state", "published_on", "display_until", "actions"]

    def get_actions(self, obj) -> list[dict]:
        return api_links(BATCH_ACTIONS, self.context["request"], obj, url_name="recipient-batch-act-{action}")


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BatchSerializer
    permission_classes = [OrgScopedPermission]

    def get_queryset(self):
        qs = RecipientBatch.objects.select_related("item__policy__unit").order_by("pk")
        return permissions.scope(qs, self.request.user, unit_field="item__policy__unit")

    def unit_of(self, obj):
        return obj.item.policy.unit


add_api_actions(ItemViewSet, ITEM_ACTIONS, response_serializer=ItemSerializer)
add_api_actions(BatchViewSet, BATCH_ACTIONS, response_serializer=BatchSerializer)


class PublicItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ItemSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return selectors.published_items().prefetch_related("criteria__attribute")


@extend_schema(
    summary="政策匹配",
    request=inline_serializer("MatchInput", {"audience": serializers.CharField(), "facts": serializers.DictField()}),
    responses={200: inline_serializer("MatchOutput", {"results": serializers.ListField()})},
)
@api_view(["POST"])
@permission_classes([AllowAny])
def match_api(request):
    """Match stated facts against every published item (nothing is stored)."""
    data = request.data if hasattr(request.data, "get") else {}
    audience = data.get("audience", Audience.ENTERPRISE)
    if audience not in Audience.values:
        return Response({"audience": [_("应为 enterprise 或 resident")]}, status=400)
    raw = data.get("facts") or {}
    if not isinstance(raw, dict):
        return Response({"facts": [_("应为对象")]}, status=400)
    facts, errors = services.clean_facts(audience, raw)
    if errors:
        return Response({"facts": errors}, status=400)
    results = matcher.match(selectors.compiled_items(audience), facts, audience)
    return Response(
        {
            "results": [
                {
                    "item": r.item_id,
                    "status": r.status,
                    "missing": r.missing,
                    "reasons": [{"outcome": line.outcome, "text": line.text} for line in r.lines],
                }
                for r in results
            ]
        }
    )
