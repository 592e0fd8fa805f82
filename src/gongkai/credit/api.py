"""REST API: staff read access to licences and penalties, the endpoint a unit's case system
posts decisions to, and the staff actions (publish, withdraw, repair) from ``actions.py``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission
from gongkai.core.models import Organisation

from . import selectors, services, template
from .actions import LICENCE_ACTIONS, PENALTY_ACTIONS
from .models import Licence, Penalty

COMMON = [
    "id",
    "unit",
    "state",
    "party_name",
    "party_category",
    "credit_code",
    "decided_on",
    "authority_name",
    "authority_code",
    "source_unit_name",
    "source_unit_code",
    "publication_due",
    "published_at",
    "is_late",
    "revocation_kind",
    "revoked_on",
    "withdrawal_due",
    "withdrawn_at",
    "withdrawal_reason",
    "source",
    "external_id",
    "note",
]


class _RecordSerializer(serializers.ModelSerializer):
    is_late = serializers.BooleanField(read_only=True)
    id_number = serializers.SerializerMethodField(help_text="证件号码（已脱敏）")
    actions = serializers.SerializerMethodField()

    def get_id_number(self, obj) -> str:
        return obj.masked_id_number

    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        if request is None:
            return []
        action_set = LICENCE_ACTIONS if obj.kind == "licence" else PENALTY_ACTIONS
        return api_links(action_set, request, obj, url_name=f"credit-{obj.kind}-act-{{action}}")


class LicenceSerializer(_RecordSerializer):
    class Meta:
        model = Licence
        fields = [
            *COMMON,
            "id_number",
            "decision_document",
            "decision_number",
            "category",
            "certificate_name",
            "certificate_number",
            "content",
            "valid_from",
            "valid_to",
            "status",
            "actions",
        ]


class PenaltySerializer(_RecordSerializer):
    class Meta:
        model = Penalty
        fields = [
            *COMMON,
            "id_number",
            "decision_number",
            "violation_type",
            "facts",
            "basis",
            "penalty_types",
            "content",
            "fine_amount",
            "confiscated_amount",
            "licence_affected",
            "severity",
            "display_until",
            "repaired_at",
            "actions",
        ]


def _input_serializer(kind: str):
    attrs = {
        "unit": serializers.IntegerField(help_text="决定机关在本平台的单位编号"),
        "publish": serializers.BooleanField(required=False, default=False, help_text="保存后立即公示"),
        "external_id": serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="业务系统编号"),
    }
    for column in template.columns(kind, with_severity=True):
        help_text = column.header
        if column.kind == "multi":
            attrs[column.field] = serializers.ListField(
                child=serializers.CharField(), required=column.required, help_text=help_text
            )
        else:
            attrs[column.field] = serializers.CharField(
                required=column.required, allow_blank=not column.required, help_text=help_text
            )
    return type(f"{kind.capitalize()}Input", (serializers.Serializer,), attrs)


class _RecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [OrgScopedPermission]
    kind = ""
    filterset_fields = ["state", "unit"]

    def get_queryset(self):
        return selectors.staff_records(self.request.user, self.kind).order_by("-decided_on", "-pk")

    def create(self, request, *args, **kwargs):
        data = request.data if hasattr(request.data, "get") else None
        if data is None:
            raise ValidationError(_("请求体应为 JSON 对象"))
        unit_id = data.get("unit")
        unit = Organisation.objects.filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
        if unit is None or not permissions.can_view(request.user, unit):
            raise ValidationError({"unit": [_("单位不存在或无权访问")]})
        raw = {k: v for k, v in data.items() if k not in ("unit", "publish", "external_id")}
        publish = str(data.get("publish", "")).lower() in ("1", "true", "yes")
        record = services.record_create(
            actor=request.user,
            kind=self.kind,
            unit=unit,
            data=raw,
            source="api",
            external_id=str(data.get("external_id") or "")[:64],
            publish=publish,
        )
        serializer = self.get_serializer(record)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["credit"])
class LicenceViewSet(_RecordViewSet):
    """行政许可（双公示）。POST 供业务系统推送许可决定，字段与国家双公示数据模板一致。"""

    kind = "licence"
    serializer_class = LicenceSerializer

    @extend_schema(request=_input_serializer("licence"), responses={201: LicenceSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


@extend_schema(tags=["credit"])
class PenaltyViewSet(_RecordViewSet):
    """行政处罚（双公示）。POST 供执法办案系统推送处罚决定，字段与国家双公示数据模板一致。"""

    kind = "penalty"
    serializer_class = PenaltySerializer

    @extend_schema(request=_input_serializer("penalty"), responses={201: PenaltySerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


add_api_actions(LicenceViewSet, LICENCE_ACTIONS, response_serializer=LicenceSerializer)
add_api_actions(PenaltyViewSet, PENALTY_ACTIONS, response_serializer=PenaltySerializer)
