"""REST API: an Open311 GeoReport v2-compatible endpoint for third-party apps and a staff appeals API.

Open311 (GeoReport v2, http://wiki.open311.org/GeoReport_v2/), mounted at /api/v1/open311/:

- ``GET services.json`` — the appeal types (service_code = type code);
- ``GET requests.json`` — published requests (masked public text) and, by
  ``service_request_id``, the status of any request;
- ``POST requests.json`` — submit (``api_key`` required when the policy says so);
- ``GET requests/{id}.json`` — one request.

Status maps to GeoReport's ``open``/``closed``; ``status_notes`` gives the
Chinese step. Contact data is never returned.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.core.api import OrgScopedPermission
from gongkai.core.models import Organisation, OrgKind

from . import access, screening, services
from .models import Appeal, AppealStatus, AppealType, Policy, PublicStatus

CLOSED = {AppealStatus.CLOSED, AppealStatus.REJECTED, AppealStatus.ANSWERED}


def _error(code: int, description: str) -> Response:
    return Response([{"code": code, "description": description}], status=code)


def _jurisdiction_ok(request) -> bool:
    given = request.query_params.get("jurisdiction_id")
    if not given and request.method == "POST":
        given = request.data.get("jurisdiction_id")
    return not given or given == Policy.get().open311_jurisdiction_id


def _dt(value):
    return timezone.localtime(value).isoformat() if value else None


def request_json(appeal: Appeal, request) -> dict:
    published = appeal.public_status == PublicStatus.PUBLISHED
    latest = appeal.steps.filter(is_internal=False).order_by("-created_at", "-pk").first()
    expected = None
    if appeal.due_date:
        expected = timezone.make_aware(
            timezone.datetime.combine(appeal.due_date, timezone.datetime.max.time().replace(microsecond=0))
        )
    return {
        "service_request_id": appeal.tracking_code,
        "status": "closed" if appeal.status in CLOSED else "open",
        "status_notes": (latest.summary if latest else appeal.get_status_display()),
        "service_name": appeal.type.name,
        "service_code": appeal.type.code,
        "description": (appeal.public_title + "\n" + appeal.public_content) if published else None,
        "agency_responsible": (appeal.unit or appeal.target_unit).name,
        "service_notice": f"办理时限：{appeal.type.time_limit_days}个工作日",
        "requested_datetime": _dt(appeal.received_at),
        "updated_datetime": _dt(appeal.updated_at),
        "expected_datetime": _dt(expected),
        "address": screening.screen(appeal.address_string).masked if published and appeal.address_string else None,
        "address_id": None,
        "zipcode": None,
        "lat": float(appeal.lat) if (published and appeal.lat is not None) else None,
        "long": float(appeal.long) if (published and appeal.long is not None) else None,
        "media_url": None,
        "answer": appeal.public_answer if published else None,
        "url": request.build_absolute_uri(reverse("interaction:appeal-detail", args=[appeal.pk]))
        if published
        else None,
    }


class Open311Services(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="Open311 GeoReport v2: service list", responses=dict)
    def get(self, request):
        if not _jurisdiction_ok(request):
            return _error(404, "jurisdiction_id not found")
        data = [
            {
                "service_code": t.code,
                "service_name": t.name,
                "description": t.description or f"{t.name}（办理时限{t.time_limit_days}个工作日）",
                "metadata": False,
                "type": "realtime",
                "keywords": t.name,
                "group": "政务公开互动交流",
            }
            for t in AppealType.objects.filter(is_active=True)
        ]
        return Response(data)


class Open311PostSerializer(serializers.Serializer):
    """GeoReport v2 POST requests.json fields (documentation only; the view validates)."""

    service_code = serializers.CharField()
    description = serializers.CharField(required=False)
    lat = serializers.FloatField(required=False)
    long = serializers.FloatField(required=False)
    address_string = serializers.CharField(required=False)
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False)
    first_name = serializers.CharField(required=False)
    last_name = serializers.CharField(required=False)
    api_key = serializers.CharField(required=False)
    jurisdiction_id = serializers.CharField(required=False)


class Open311Requests(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    @extend_schema(summary="Open311 GeoReport v2: list published requests", responses=dict)
    def get(self, request):
        if not _jurisdiction_ok(request):
            return _error(404, "jurisdiction_id not found")
        ids = [i for i in (request.query_params.get("service_request_id") or "").split(",") if i.strip()][:50]
        if ids:
            from gongkai.core.numbering import normalise_tracking_code

            qs = Appeal.objects.filter(tracking_code__in=[normalise_tracking_code(i) for i in ids])
        else:
            qs = Appeal.objects.filter(public_status=PublicStatus.PUBLISHED)
            code = request.query_params.get("service_code")
            if code:
                qs = qs.filter(type__code=code)
            status = request.query_params.get("status")
            if status == "open":
                qs = qs.exclude(status__in=CLOSED)
            elif status == "closed":
                qs = qs.filter(status__in=CLOSED)
            qs = qs.order_by("-published_at")[:1000]
        qs = qs.select_related("type", "unit", "target_unit")
        return Response([request_json(a, request) for a in qs])

    @extend_schema(summary="Open311 GeoReport v2: submit a request", request=Open311PostSerializer, responses=dict)
    def post(self, request):
        if is_ratelimited(
            request,
            group="interaction:open311",
            key="ip",
            rate=settings.GONGKAI_PUBLIC_FORM_RATE,
            method="POST",
            increment=True,
        ):
            return _error(429, "提交过于频繁，请稍后再试")
        data = request.data
        policy = Policy.get()
        if not _jurisdiction_ok(request):
            return _error(404, "jurisdiction_id not found")
        if policy.open311_require_api_key and not policy.api_key_valid(data.get("api_key", "")):
            return _error(403, "api_key 无效")
        service = AppealType.objects.filter(code=data.get("service_code", ""), is_active=True).first()
        if service is None:
            return _error(400, "service_code 无效")
        description = (data.get("description") or "").strip()
        lat = long = None
        try:
            if data.get("lat") not in (None, "") or data.get("long") not in (None, ""):
                lat, long = Decimal(str(data.get("lat"))), Decimal(str(data.get("long")))
                if not (-90 <= lat <= 90 and -180 <= long <= 180):
                    raise InvalidOperation
                lat, long = lat.quantize(Decimal("0.000001")), long.quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            return _error(400, "lat/long 无效")
        address = (data.get("address_string") or "").strip()
        if lat is None and not address and not description:
            return _error(400, "请提供 description、address_string 或 lat/long")
        target = (
            Organisation.objects.filter(kind=OrgKind.GOVERNMENT, level="county", is_active=True)
            .order_by("path")
            .first()
        )
        if target is None:
            return _error(503, "尚未配置受理机关")
        name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()
        title = (description.splitlines()[0] if description else address)[:40] or service.name
        try:
            appeal, created = services.appeal_submit(
                appeal_type=service,
                target_unit=target,
                title=title,
                content=description or address,
                name=name,
                phone=(data.get("phone") or "").strip(),
                email=(data.get("email") or "").strip(),
                anonymous=True,
                publish_consent=False,
                address_string=address,
                lat=lat,
                long=long,
                channel="open311",
            )
        except ValidationError as exc:
            return _error(400, "；".join(exc.messages))
        notice = (
            "已收到，请凭 service_request_id 和提交时的手机号码或邮箱查询进度"
            if created
            else "内容重复，返回已有的请求"
        )
        return Response(
            [{"service_request_id": appeal.tracking_code, "service_notice": notice, "account_id": None}],
            status=201 if created else 200,
        )


class Open311Request(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="Open311 GeoReport v2: one request", responses=dict)
    def get(self, request, code):
        from gongkai.core.numbering import normalise_tracking_code

        appeal = (
            Appeal.objects.select_related("type", "unit", "target_unit")
            .filter(tracking_code=normalise_tracking_code(code))
            .first()
        )
        if appeal is None:
            return _error(404, "service_request_id not found")
        return Response([request_json(appeal, request)])


# --- staff API ---------------------------------------------------------------------------------


class AppealStaffSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.code")
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "tracking_code",
            "type",
            "title",
            "content",
            "status",
            "target_unit",
            "unit",
            "co_units",
            "received_at",
            "due_date",
            "answer",
            "answered_at",
            "closed_at",
            "public_status",
            "contact",
        ]

    def get_contact(self, obj) -> dict | None:
        user = self.context["request"].user
        if access.can_see_contact(user, obj):
            return {"name": obj.name, "phone": obj.phone, "email": obj.email}
        return None


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)


class AppealPermission(OrgScopedPermission):
    def has_object_permission(self, request, view, obj):
        return access.can_view_appeal(request.user, obj)


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals of the units the user handles or oversees (contact data only for assigned handlers)."""

    serializer_class = AppealStaffSerializer
    permission_classes = [AppealPermission]
    filterset_fields = ["status", "unit"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        return access.visible_appeals(Appeal.objects.select_related("type"), self.request.user).order_by("-received_at")

    @extend_schema(request=AnswerSerializer, responses=AppealStaffSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        appeal = self.get_object()
        ser = AnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            appeal = services.appeal_answer(actor=request.user, appeal=appeal, answer=ser.validated_data["answer"])
        except ValidationError as exc:
            return Response({"detail": "；".join(exc.messages)}, status=400)
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=403)
        return Response(self.get_serializer(appeal).data)
