"""Core REST endpoints: organisations, the current user, the calendar, audit events."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, routers, serializers, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from . import permissions, privacy, selectors, workdays
from .models import AuditEvent, Holiday, Organisation, User
from .transitions import TransitionRefused


class Router(routers.SimpleRouter):
    """The API's router: numeric ids only, so ``/staff/publications/abc/`` is a 404, not a 500.

    A viewset with another lookup (a date, a tracking code) sets ``lookup_value_regex``.
    """

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None and getattr(viewset, "lookup_field", "pk") in (
            "pk",
            "id",
        ):
            base_regex = "(?P<{lookup_prefix}{lookup_url_kwarg}>[0-9]{{1,18}})"
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or "pk"
            return base_regex.format(lookup_prefix=lookup_prefix, lookup_url_kwarg=lookup_url_kwarg)
        return super().get_lookup_regex(viewset, lookup_prefix)


#: ValidationError codes of gongkai.core.uploads that mean "too large to accept" (HTTP 413)
TOO_LARGE_CODES = frozenset({"too_large", "archive", "too_complex"})


def exception_handler(exc, context):
    """DRF's handler, plus the domain's own refusals (settings: REST_FRAMEWORK.EXCEPTION_HANDLER).

    * :class:`~gongkai.core.transitions.TransitionRefused` → 409 ``{"detail", "code"}``;
    * a Django ``ValidationError`` from a service or an action form → 400, by field
      (``non_field_errors`` for the rest), like DRF's own validation errors;
    * :class:`~gongkai.core.workdays.CalendarMissing` → 409 naming the year to load;
    * an upload refused for its size, a zip bomb or too complex to read (codes
      :data:`TOO_LARGE_CODES` of :mod:`gongkai.core.uploads`) → 413.
    """
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, TransitionRefused):
        return Response({"detail": "；".join(exc.messages), "code": exc.code or "state"}, status=409)
    if isinstance(exc, DjangoValidationError):
        if not hasattr(exc, "error_dict") and {e.code for e in exc.error_list} & TOO_LARGE_CODES:
            return Response({"detail": "；".join(exc.messages), "code": "too_large"}, status=413)
        if hasattr(exc, "error_dict"):
            data = {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        else:
            data = {"non_field_errors": exc.messages}
        return Response(data, status=400)
    if isinstance(exc, workdays.CalendarMissing):
        return Response({"detail": str(exc), "code": "calendar_missing"}, status=409)
    return drf_exception_handler(exc, context)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "parent",
            "name",
            "short_name",
            "kind",
            "level",
            "credit_code",
            "division_code",
            "contact_phone",
            "address",
            "website",
            "depth",
            "is_active",
        ]


class OrgScopedPermission(drf_permissions.BasePermission):
    """Object-level check: the object's unit must be visible to the user.

    Views set ``unit_of(obj)`` (default: ``obj.unit``) to name the owning unit.
    """

    def has_permission(self, request, view):
        return permissions.is_staff_user(request.user)

    def has_object_permission(self, request, view, obj):
        unit = view.unit_of(obj) if hasattr(view, "unit_of") else getattr(obj, "unit", None)
        return permissions.can_view(request.user, unit)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Units visible to the current user (own units and those overseen; every unit for the system
    and security administrators, who maintain the tree and grant roles)."""

    serializer_class = OrganisationSerializer
    permission_classes = [OrgScopedPermission]
    filterset_fields = ["kind", "level", "parent"]

    def get_queryset(self):
        return permissions.organisation_units(self.request.user).order_by("path")

    def unit_of(self, obj):
        return obj

    def check_object_permissions(self, request, obj):
        if not permissions.may_view_organisation(request.user, obj):
            self.permission_denied(request)


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor_name",
            "unit",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "request_id",
            "hash",
        ]


class AuditReadPermission(OrgScopedPermission):
    """Staff only; which events is decided by :func:`selectors.audit_events_for` (events without a unit too)."""

    def has_object_permission(self, request, view, obj):
        return True


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Audit events: all for the audit administrator, the overseen units' for a disclosure office."""

    serializer_class = AuditEventSerializer
    permission_classes = [AuditReadPermission]
    filterset_fields = ["action", "object_type", "object_id", "unit"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        if not permissions.may_read_audit(self.request.user):
            raise PermissionDenied(_("只有审计管理员或政务公开办管理员可以查看审计日志"))
        return selectors.audit_events_for(self.request.user)


class StaffUserSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField(help_text="Masked unless the caller oversees the user's unit.")
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "unit", "phone", "is_active", "roles"]

    def get_phone(self, obj) -> str:
        viewer = self.context["request"].user
        return obj.phone if privacy.can_see_phone(viewer, obj) else privacy.mask_phone(obj.phone)

    def get_roles(self, obj) -> list[dict]:
        return [{"unit": m.unit_id, "role": m.role} for m in obj.memberships.all()]


class StaffUserViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff accounts of the units visible to the current user (phones masked unless overseen)."""

    serializer_class = StaffUserSerializer
    permission_classes = [OrgScopedPermission]
    filterset_fields = ["unit", "is_active"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return selectors.staff_list_for(self.request.user)

    def unit_of(self, obj):
        return obj.unit


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["date", "kind", "name"]


class HolidayViewSet(viewsets.ReadOnlyModelViewSet):
    """The working-day calendar (public)."""

    serializer_class = HolidaySerializer
    permission_classes = [drf_permissions.AllowAny]
    queryset = Holiday.objects.order_by("date")
    filterset_fields = ["kind"]
    lookup_field = "date"


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    unit = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.DictField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([drf_permissions.IsAuthenticated])
def me(request):
    """The current user, their unit and roles."""
    user = request.user
    roles = [
        {"unit": m.unit_id, "unit_name": m.unit.name, "role": m.role} for m in user.memberships.select_related("unit")
    ]
    return Response({"username": user.username, "full_name": user.full_name, "unit": user.unit_id, "roles": roles})


class WorkdayQuerySerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=0, max_value=366)


class WorkdayResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField()


@extend_schema(
    parameters=[WorkdayQuerySerializer],
    responses={
        200: WorkdayResultSerializer,
        409: OpenApiResponse(description="该年度的节假日安排尚未录入工作日历"),
    },
)
@api_view(["GET"])
@permission_classes([drf_permissions.AllowAny])
def add_working_days(request):
    """The n-th working day after a date (the start day is not counted)."""
    query = WorkdayQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    start, days = query.validated_data["start"], query.validated_data["days"]
    try:
        result = workdays.add_working_days(start, days)
    except workdays.CalendarMissing as exc:
        return Response({"detail": str(exc)}, status=409)
    return Response({"start": start, "days": days, "date": result})
