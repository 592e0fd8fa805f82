"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) for third-party apps, at /api/v1/open311/.

- ``GET services.json`` — the appeal types (service_code = type code);
- ``GET requests.json`` — published requests (masked public text), filters ``service_code``,
  ``status=open|closed``, ``start_date``/``end_date`` (W3C date-times on the requested time);
  with ``service_request_id=a,b`` the status of the given requests;
- ``POST requests.json`` — submit (``api_key`` required when the policy says so);
- ``GET requests/{id}.json`` — one request.

Status maps to GeoReport's ``open``/``closed``; ``status_notes`` gives the latest public step.
Contact data is never returned. Errors are GeoReport's ``[{"code", "description"}]`` with the
HTTP status of ``code`` (400 bad input, 403 bad key, 404 unknown jurisdiction or id, 429 too many).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.core.models import Organisation, OrgKind
from gongkai.core.numbering import normalise_tracking_code

from . import screening, services
from .models import Appeal, AppealStatus, AppealType, Policy, PublicStatus

CLOSED = {AppealStatus.CLOSED, AppealStatus.REJECTED, AppealStatus.ANSWERED}
MAX_RESULTS = 1000


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description

    def response(self) -> Response:
        return Response([{"code": self.code, "description": self.description}], status=self.code)


def _data(request) -> dict:
    """The request's fields as strings (GeoReport fields are strings; a JSON body that is not an object is refused)."""
    data = request.data
    if not hasattr(data, "get"):
        raise Open311Error(400, _("请求内容应为表单字段或 JSON 对象"))
    return data


def _text(data, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    if not isinstance(value, str):
        raise Open311Error(400, _("%(name)s 应为字符串") % {"name": name})
    return value.strip()


def _check_jurisdiction(request, data=None) -> None:
    given = request.query_params.get("jurisdiction_id") or (_text(data, "jurisdiction_id") if data is not None else "")
    if given and given != Policy.get().open311_jurisdiction_id:
        raise Open311Error(404, _("jurisdiction_id 不存在"))


def _dt(value):
    return timezone.localtime(value).isoformat() if value else None


def _limit_notice(appeal_type: AppealType) -> str:
    return _("办理时限：%(days)s个工作日") % {"days": appeal_type.time_limit_days}


def public_address(appeal: Appeal) -> str | None:
    """The appeal's 事发地点 for public output: masked by the same screening as other public text
    (addresses with house numbers, phone and ID numbers, e-mail, plus the submitter's own name,
    phone and e-mail wherever they appear)."""
    if not appeal.address_string:
        return None
    known = [v for v in (appeal.name, appeal.phone, getattr(appeal, "email", "")) if v]
    return screening.screen(appeal.address_string, known=known).masked


def request_json(appeal: Appeal, request) -> dict:
    published = appeal.public_status == PublicStatus.PUBLISHED
    latest = appeal.steps.filter(is_internal=False).order_by("-created_at", "-pk").first()
    expected = None
    if appeal.due_date:
        expected = timezone.make_aware(dt.datetime.combine(appeal.due_date, dt.time(23, 59, 59)))
    return {
        "service_request_id": appeal.tracking_code,
        "status": "closed" if appeal.status in CLOSED else "open",
        "status_notes": latest.display_summary if latest else appeal.get_status_display(),
        "service_name": appeal.type.name,
        "service_code": appeal.type.code,
        "description": (appeal.public_title + "\n" + appeal.public_content) if published else None,
        "agency_responsible": (appeal.unit or appeal.target_unit).name,
        "service_notice": _limit_notice(appeal.type),
        "requested_datetime": _dt(appeal.received_at),
        "updated_datetime": _dt(appeal.updated_at),
        "expected_datetime": _dt(expected),
        # 事发地点 as on the public appeal page: screened and masked (house numbers, phones, names
        # the citizen gave); the point rounded to about 100 m, never a door.
        "address": public_address(appeal) if published else None,
        "address_id": None,
        "zipcode": None,
        "lat": round(float(appeal.lat), 3) if (published and appeal.lat is not None) else None,
        "long": round(float(appeal.long), 3) if (published and appeal.long is not None) else None,
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
        try:
            _check_jurisdiction(request)
        except Open311Error as exc:
            return exc.response()
        data = [
            {
                "service_code": t.code,
                "service_name": t.name,
                "description": t.description or f"{t.name}（{_limit_notice(t)}）",
                "metadata": False,
                "type": "realtime",
                "keywords": t.name,
                "group": _("政务公开互动交流"),
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


def _when(value: str, name: str, *, end: bool = False):
    """A GeoReport date filter: a W3C date-time, or a date (the whole day)."""
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is None:
                raise ValueError(value)
            parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    except ValueError as exc:
        raise Open311Error(400, _("%(name)s 应为日期时间，如 2026-05-01T00:00:00+08:00") % {"name": name}) from exc
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _list(request):
    params = request.query_params
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()][:50]
    if ids:
        return Appeal.objects.filter(tracking_code__in=[normalise_tracking_code(i) for i in ids])
    qs = Appeal.objects.filter(public_status=PublicStatus.PUBLISHED)
    if params.get("service_code"):
        qs = qs.filter(type__code=params["service_code"][:20])
    status = params.get("status")
    if status == "open":
        qs = qs.exclude(status__in=CLOSED)
    elif status == "closed":
        qs = qs.filter(status__in=CLOSED)
    elif status:
        raise Open311Error(400, _("status 只能是 open 或 closed"))
    start, end = (
        _when(params.get("start_date", ""), "start_date"),
        _when(params.get("end_date", ""), "end_date", end=True),
    )
    if start:
        qs = qs.filter(received_at__gte=start)
    if end:
        qs = qs.filter(received_at__lte=end)
    return qs.order_by("-published_at")[:MAX_RESULTS]


def _coordinates(data) -> tuple[Decimal | None, Decimal | None]:
    lat, long = _text(data, "lat"), _text(data, "long")
    if not lat and not long:
        return None, None
    try:
        lat_d, long_d = Decimal(lat), Decimal(long)
        if not (-90 <= lat_d <= 90 and -180 <= long_d <= 180):
            raise InvalidOperation
    except (InvalidOperation, ValueError) as exc:
        raise Open311Error(400, _("lat/long 无效")) from exc
    return lat_d.quantize(Decimal("0.000001")), long_d.quantize(Decimal("0.000001"))


def _submit(request) -> Response:
    data = _data(request)
    policy = Policy.get()
    _check_jurisdiction(request, data)
    if policy.open311_require_api_key and not policy.api_key_valid(_text(data, "api_key")):
        raise Open311Error(403, _("api_key 无效"))
    service = AppealType.objects.filter(code=_text(data, "service_code")[:20], is_active=True).first()
    if service is None:
        raise Open311Error(400, _("service_code 无效"))
    description = _text(data, "description")
    lat, long = _coordinates(data)
    address = _text(data, "address_string")
    if lat is None and not address and not description:
        raise Open311Error(400, _("请提供 description、address_string 或 lat/long"))
    target = (
        Organisation.objects.filter(kind=OrgKind.GOVERNMENT, level="county", is_active=True).order_by("path").first()
    )
    if target is None:
        raise Open311Error(503, _("尚未配置受理机关"))
    name = f"{_text(data, 'last_name')}{_text(data, 'first_name')}".strip()
    title = (description.splitlines()[0] if description else address)[:40] or service.name
    try:
        appeal, created = services.appeal_submit(
            appeal_type=service,
            target_unit=target,
            title=title,
            content=description or address,
            name=name,
            phone=_text(data, "phone"),
            email=_text(data, "email"),
            anonymous=True,
            publish_consent=False,  # no separate consent can be given through GeoReport
            address_string=address,
            lat=lat,
            long=long,
            channel="open311",
        )
    except ValidationError as exc:
        raise Open311Error(400, "；".join(exc.messages)) from exc
    notice = (
        _("已收到，请凭 service_request_id 和提交时的手机号码或邮箱查询进度")
        if created
        else _("内容重复，返回已有的请求")
    )
    return Response(
        [{"service_request_id": appeal.tracking_code, "service_notice": notice, "account_id": None}],
        status=201 if created else 200,
    )


class Open311Requests(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    @extend_schema(
        summary="Open311 GeoReport v2: list published requests",
        parameters=[
            OpenApiParameter("service_request_id", str, description="comma-separated ids"),
            OpenApiParameter("service_code", str),
            OpenApiParameter("status", str, enum=["open", "closed"]),
            OpenApiParameter("start_date", str),
            OpenApiParameter("end_date", str),
            OpenApiParameter("jurisdiction_id", str),
        ],
        responses=dict,
    )
    def get(self, request):
        try:
            _check_jurisdiction(request)
            qs = _list(request).select_related("type", "unit", "target_unit")
            return Response([request_json(a, request) for a in qs])
        except Open311Error as exc:
            return exc.response()

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
            return Open311Error(429, _("提交过于频繁，请稍后再试")).response()
        try:
            return _submit(request)
        except Open311Error as exc:
            return exc.response()


class Open311Request(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="Open311 GeoReport v2: one request", responses=dict)
    def get(self, request, code):
        try:
            _check_jurisdiction(request)
        except Open311Error as exc:
            return exc.response()
        appeal = (
            Appeal.objects.select_related("type", "unit", "target_unit")
            .filter(tracking_code=normalise_tracking_code(code))
            .first()
        )
        if appeal is None:
            return Open311Error(404, _("service_request_id 不存在")).response()
        return Response([request_json(appeal, request)])
