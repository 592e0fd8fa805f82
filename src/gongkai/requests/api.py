"""REST API: public create and status lookup (throttled), staff endpoints scoped to the user's units."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import OrgScopedPermission
from gongkai.core.client_address import client_address
from gongkai.core.models import Organisation
from gongkai.core.throttle import ClientAddressMixin, PublicWriteThrottle

from . import access, identity, selectors, services, tracking
from .actions import REQUEST_ACTIONS
from .choices import Channel
from .models import (
    ApplicantType,
    Delivery,
    Format,
    IdType,
    InformationRequest,
    LetterState,
    OrgType,
    RequestPolicy,
)


class TrackingThrottle(ClientAddressMixin, ScopedRateThrottle):
    """Status lookups per client address (never per X-Forwarded-For value the caller chooses)."""

    scope_attr = "throttle_scope"


class CreateSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    applicant_type = serializers.ChoiceField(ApplicantType.choices)
    name = serializers.CharField(max_length=100)
    id_type = serializers.ChoiceField(IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    org_type = serializers.ChoiceField(OrgType.choices, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=60, required=False, allow_blank=True)
    phone = serializers.RegexField(r"^[0-9\-+ ]{7,20}$")
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=200)
    postcode = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True)
    description = serializers.CharField(min_length=5, max_length=2000)
    purpose = serializers.CharField(max_length=500, required=False, allow_blank=True)
    preferred_format = serializers.ChoiceField(Format.choices)
    delivery = serializers.ChoiceField(Delivery.choices)


class StepSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    note = serializers.CharField(source="public_note")


class StatusSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    unit = serializers.CharField(source="unit.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    received_on = serializers.DateField()
    corrected_on = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    due_problem = serializers.CharField()
    outcome = serializers.CharField()
    steps = serializers.SerializerMethodField()
    letters = serializers.SerializerMethodField()

    def get_steps(self, obj) -> list[dict]:
        return StepSerializer(selectors.public_steps(obj), many=True).data

    def get_letters(self, obj) -> list[dict]:
        return [
            {"kind": lt.kind, "number": lt.number, "issued_on": lt.issued_on} for lt in selectors.public_letters(obj)
        ]


class LookupSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(max_length=30)
    phone_tail = serializers.RegexField(r"^\d{4}$")


class PublicCreateView(APIView):
    """File an information request (public, rate-limited). Returns the tracking code and due date."""

    permission_classes = [drf_permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [PublicWriteThrottle]
    throttle_group = "requests:apply"  # the same allowance as the public form

    @extend_schema(request=CreateSerializer, responses={201: StatusSerializer})
    def post(self, request):
        ser = CreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        unit = data.pop("unit")
        req = services.request_submit(unit=unit, data=services.ApplicantData(**data))  # refusals → 400 by field
        return Response(StatusSerializer(req).data, status=status.HTTP_201_CREATED)


class PublicStatusView(APIView):
    """Status by tracking code + last 4 digits of the phone (rate-limited; never other people's data)."""

    permission_classes = [drf_permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [TrackingThrottle]
    throttle_scope = "public_form"

    @extend_schema(request=LookupSerializer, responses={200: StatusSerializer})
    def post(self, request):
        ser = LookupSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            req = tracking.lookup(
                ser.validated_data["tracking_code"],
                ser.validated_data["phone_tail"],
                address=client_address(request._request),
            )
        except tracking.TrackingLocked as exc:
            raise Throttled(
                wait=exc.retry_after, detail=_("该查询码输错次数过多，已暂时锁定，请稍后再试或致电受理机关")
            ) from exc
        if req is None:
            return Response({"detail": _("查询码或电话号码后4位不正确")}, status=404)
        return Response(StatusSerializer(req).data)


class StaffListSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "tracking_code",
            "unit",
            "unit_name",
            "status",
            "channel",
            "applicant_type",
            "org_type",
            "name",
            "phone",
            "received_on",
            "corrected_on",
            "extension_days",
            "due_date",
            "due_problem",
            "handler",
            "outcome",
            "finished_on",
        ]

    def get_name(self, obj) -> str:
        return identity.mask_name(obj.name) if obj.applicant_type == ApplicantType.PERSON else obj.name

    def get_phone(self, obj) -> str:
        return identity.mask_phone(obj.phone)


class StaffDetailSerializer(StaffListSerializer):
    """One request with its trail, consultations, extensions, reply drafts, letters, cases and
    the actions open to the caller (``actions``: name, label, method, url)."""

    id_number = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    consultations = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    reply_drafts = serializers.SerializerMethodField()
    letters = serializers.SerializerMethodField()
    review_cases = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(StaffListSerializer.Meta):
        fields = StaffListSerializer.Meta.fields + [
            "id_type",
            "id_number",
            "credit_code",
            "address",
            "description",
            "purpose",
            "preferred_format",
            "delivery",
            "correction_notice_due",
            "correction_requested_on",
            "correction_deadline",
            "legal_basis",
            "outcome_reason",
            "steps",
            "consultations",
            "extensions",
            "reply_drafts",
            "letters",
            "review_cases",
            "actions",
        ]

    def _clear(self, obj) -> bool:
        return services.can_see_personal_data(self.context["request"].user, obj)

    def get_name(self, obj) -> str:
        return obj.name if self._clear(obj) else super().get_name(obj)

    def get_phone(self, obj) -> str:
        return obj.phone if self._clear(obj) else identity.mask_phone(obj.phone)

    def get_id_number(self, obj) -> str:
        return obj.id_number if self._clear(obj) else identity.mask_id(obj.id_number)

    def get_address(self, obj) -> str:
        return obj.address if self._clear(obj) else identity.mask_address(obj.address)

    def get_steps(self, obj) -> list[dict]:
        return [
            {
                "on": s.on,
                "kind": s.kind,
                "label": s.get_kind_display(),
                "actor": s.actor_name,
                "internal": s.internal,
                "note": s.public_note,
                "internal_note": s.internal_note,
                "due_after": s.due_after,
            }
            for s in obj.steps.all()
        ]

    def get_consultations(self, obj) -> list[dict]:
        return [
            {
                "id": c.pk,
                "kind": c.kind,
                "recipient": c.recipient,
                "sent_on": c.sent_on,
                "reply_due": c.reply_due,
                "answered_on": c.answered_on,
                "agrees": c.agrees,
                "answer": c.answer,
            }
            for c in obj.consultations.all()
        ]

    def get_extensions(self, obj) -> list[dict]:
        return [
            {"id": e.pk, "days": e.days, "reason": e.reason, "status": e.status, "decided_on": e.decided_on}
            for e in obj.extensions.all()
        ]

    def get_reply_drafts(self, obj) -> list[dict]:
        return [
            {
                "id": d.pk,
                "outcome": d.outcome,
                "reason": d.reason,
                "legal_basis": d.legal_basis,
                "drafted_by": d.drafted_by_id,
                "decision": d.decision,
                "decided_by": d.decided_by_id,
                "decision_note": d.decision_note,
            }
            for d in obj.reply_drafts.all()
        ]

    def get_letters(self, obj) -> list[dict]:
        request = self.context["request"]
        out = []
        for lt in obj.letters.all():
            urls = {}
            if lt.state == LetterState.READY:
                for fmt in ("pdf", "docx"):
                    path = reverse("staff-requests-letter", kwargs={"pk": obj.pk, "letter_pk": lt.pk, "fmt": fmt})
                    urls[fmt] = request.build_absolute_uri(path)
            out.append(
                {
                    "id": lt.pk,
                    "kind": lt.kind,
                    "number": lt.number,
                    "issued_on": lt.issued_on,
                    "to_applicant": lt.to_applicant,
                    "state": lt.state,
                    "error": lt.error,
                    "download": urls,
                }
            )
        return out

    def get_review_cases(self, obj) -> list[dict]:
        return [
            {
                "id": c.pk,
                "kind": c.kind,
                "case_number": c.case_number,
                "filed_on": c.filed_on,
                "outcome": c.outcome,
                "decided_on": c.decided_on,
            }
            for c in obj.review_cases.all()
        ]

    def get_actions(self, obj) -> list[dict]:
        return api_links(REQUEST_ACTIONS, self.context["request"], obj, url_name="staff-requests-act-{action}")


class RegisterSerializer(CreateSerializer):
    """A request received in person, by post, fax or e-mail (条例第三十一条: the receipt date by channel)."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    channel = serializers.ChoiceField([c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = serializers.DateField()
    receipt_evidence = serializers.CharField(max_length=200, required=False, allow_blank=True)


class StaffRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests of the units visible to the user. Personal data masked except for the handler and leader.

    ``POST`` registers a request received offline; ``POST {id}/<action>/`` runs one handling step
    (the same actions, inputs and checks as the workbench; the detail lists the caller's open
    actions). Refusals: 403 role, 404 unknown/invisible, 409 state or precondition, 400 input.
    """

    permission_classes = [OrgScopedPermission]
    filterset_fields = ["status", "unit", "applicant_type", "outcome"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InformationRequest.objects.none()
        return selectors.visible_requests(self.request.user).order_by("due_date", "pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return StaffDetailSerializer
        if self.action == "create":
            return RegisterSerializer
        return StaffListSerializer

    def retrieve(self, request, *args, **kwargs):
        req = self.get_object()
        if services.can_see_personal_data(request.user, req):
            services.personal_data_viewed(actor=request.user, req=req, where="api")
        return Response(self.get_serializer(req).data)

    @extend_schema(request=RegisterSerializer, responses={201: StaffDetailSerializer})
    def create(self, request):
        ser = RegisterSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        unit, channel = data.pop("unit"), data.pop("channel")
        received_on, evidence = data.pop("received_on"), data.pop("receipt_evidence", "")
        req = services.request_register(
            actor=request.user,
            unit=unit,
            data=services.ApplicantData(**data),
            channel=channel,
            received_on=received_on,
            receipt_evidence=evidence,
        )
        return Response(StaffDetailSerializer(req, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: OpenApiResponse(description="")},
        summary="Download a letter (PDF or DOCX)",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"letters/(?P<letter_pk>[0-9]{1,18})/(?P<fmt>pdf|docx)",
        url_name="letter",
    )
    def letter(self, request, pk=None, letter_pk=None, fmt=None):
        req = self.get_object()
        letter = get_object_or_404(req.letters, pk=letter_pk, state=LetterState.READY)
        field = letter.pdf if fmt == "pdf" else letter.docx
        if not field:
            raise Http404()
        return FileResponse(field.open("rb"), as_attachment=True, filename=f"{letter.number}.{fmt}")


add_api_actions(StaffRequestViewSet, REQUEST_ACTIONS, response_serializer=StaffDetailSerializer)


class PolicySerializer(serializers.Serializer):
    unit = serializers.IntegerField(read_only=True)
    unit_name = serializers.CharField(read_only=True)
    reply_signoff = serializers.BooleanField()
    accepts_requests = serializers.BooleanField(allow_null=True, required=False)
    accepts = serializers.BooleanField(read_only=True)


class PolicyView(APIView):
    """A unit's request settings (GET: its staff; PUT: its leader or the disclosure office)."""

    permission_classes = [OrgScopedPermission]

    def _unit(self, request, unit_id: int) -> Organisation:
        unit = get_object_or_404(Organisation, pk=unit_id)
        if not permissions.can_view(request.user, unit):
            raise Http404()
        return unit

    @staticmethod
    def _data(policy: RequestPolicy) -> dict:
        return {
            "unit": policy.unit_id,
            "unit_name": policy.unit.name,
            "reply_signoff": policy.reply_signoff,
            "accepts_requests": policy.accepts_requests,
            "accepts": policy.accepts,
        }

    @extend_schema(responses={200: PolicySerializer})
    def get(self, request, unit_id: int):
        return Response(self._data(RequestPolicy.for_unit(self._unit(request, unit_id))))

    @extend_schema(request=PolicySerializer, responses={200: PolicySerializer})
    def put(self, request, unit_id: int):
        unit = self._unit(request, unit_id)
        if not access.can_set_policy(request.user, unit):
            raise DjangoPermissionDenied(_("只有单位负责人或政务公开办可以修改依申请公开设置"))
        ser = PolicySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        policy = services.policy_update(
            actor=request.user,
            unit=unit,
            reply_signoff=ser.validated_data["reply_signoff"],
            accepts_requests=ser.validated_data.get("accepts_requests"),
        )
        return Response(self._data(policy))
