"""REST API: public create and status lookup (throttled), staff endpoints scoped to the user's units."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django_fsm import TransitionNotAllowed
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from gongkai.core.api import OrgScopedPermission
from gongkai.core.models import Organisation, User

from . import identity, selectors, services
from .models import (
    ApplicantType,
    Consultation,
    ConsultationKind,
    Delivery,
    Extension,
    Format,
    IdType,
    InformationRequest,
    OrgType,
    Outcome,
)


class PublicThrottle(ScopedRateThrottle):
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


def _raise(exc: DjangoValidationError):
    raise ValidationError(exc.message_dict if hasattr(exc, "message_dict") else {"detail": exc.messages})


class PublicCreateView(APIView):
    """File an information request (public, rate-limited). Returns the tracking code and due date."""

    permission_classes = [drf_permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]
    throttle_scope = "public_form"

    @extend_schema(request=CreateSerializer, responses={201: StatusSerializer})
    def post(self, request):
        ser = CreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        unit = data.pop("unit")
        try:
            req = services.request_submit(unit=unit, data=services.ApplicantData(**data))
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(StatusSerializer(req).data, status=status.HTTP_201_CREATED)


class PublicStatusView(APIView):
    """Status by tracking code + last 4 digits of the phone (rate-limited; never other people's data)."""

    permission_classes = [drf_permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]
    throttle_scope = "public_form"

    @extend_schema(request=LookupSerializer, responses={200: StatusSerializer})
    def post(self, request):
        ser = LookupSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        req = selectors.public_lookup(ser.validated_data["tracking_code"], ser.validated_data["phone_tail"])
        if req is None:
            return Response({"detail": "查询码或电话号码后4位不正确"}, status=404)
        return Response(StatusSerializer(req).data)


class StaffListSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name")

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
    id_number = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

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
            "correction_deadline",
            "legal_basis",
            "outcome_reason",
            "steps",
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
            {"on": s.on, "kind": s.kind, "actor": s.actor_name, "note": s.public_note, "internal_note": s.internal_note}
            for s in obj.steps.all()
        ]


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        [
            "assign",
            "note",
            "correction",
            "corrected",
            "deem_withdrawn",
            "consult",
            "answer",
            "transfer",
            "extension",
            "extension_decide",
            "reply",
            "close",
        ]
    )
    handler = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    items = serializers.CharField(required=False)
    date = serializers.DateField(required=False)
    kind = serializers.ChoiceField(ConsultationKind.choices, required=False)
    recipient = serializers.CharField(required=False)
    question = serializers.CharField(required=False)
    consultation = serializers.IntegerField(required=False)
    agrees = serializers.BooleanField(required=False, allow_null=True)
    to_unit = serializers.IntegerField(required=False)
    days = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True)
    extension = serializers.IntegerField(required=False)
    approve = serializers.BooleanField(required=False)
    outcome = serializers.ChoiceField(Outcome.choices, required=False)
    legal_basis = serializers.CharField(required=False, allow_blank=True)


class StaffRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests of the units visible to the user. Personal data masked except for the handler and leader."""

    permission_classes = [OrgScopedPermission]
    filterset_fields = ["status", "unit", "applicant_type", "outcome"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InformationRequest.objects.none()
        return selectors.visible_requests(self.request.user).order_by("due_date", "pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return StaffDetailSerializer
        if self.action == "transition":
            return TransitionSerializer
        return StaffListSerializer

    @extend_schema(request=TransitionSerializer, responses={200: StaffDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        req = self.get_object()
        ser = TransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        user = request.user
        a = d["action"]
        try:
            if a == "assign":
                services.request_assign(actor=user, req=req, handler=User.objects.get(pk=d.get("handler")))
            elif a == "note":
                services.request_add_note(actor=user, req=req, note=d.get("note", ""))
            elif a == "correction":
                services.request_correction_notice(actor=user, req=req, items=d.get("items", ""), sent_on=d.get("date"))
            elif a == "corrected":
                services.request_receive_correction(actor=user, req=req, corrected_on=d.get("date") or services.today())
            elif a == "deem_withdrawn":
                services.request_deem_withdrawn(actor=user, req=req, on=d.get("date"))
            elif a == "consult":
                services.consultation_send(
                    actor=user,
                    req=req,
                    kind=d.get("kind", ""),
                    recipient=d.get("recipient", ""),
                    question=d.get("question", ""),
                    sent_on=d.get("date"),
                )
            elif a == "answer":
                c = Consultation.objects.get(pk=d.get("consultation"), request=req)
                services.consultation_answer(
                    actor=user,
                    consultation=c,
                    answered_on=d.get("date") or services.today(),
                    answer=d.get("note", ""),
                    agrees=d.get("agrees"),
                )
            elif a == "transfer":
                services.request_transfer(
                    actor=user, req=req, to_unit=Organisation.objects.get(pk=d.get("to_unit")), note=d.get("note", "")
                )
            elif a == "extension":
                services.extension_request(actor=user, req=req, days=d.get("days") or 0, reason=d.get("reason", ""))
            elif a == "extension_decide":
                ext = Extension.objects.get(pk=d.get("extension"), request=req)
                services.extension_decide(
                    actor=user, extension=ext, approve=bool(d.get("approve")), note=d.get("note", "")
                )
            elif a == "reply":
                services.request_reply(
                    actor=user,
                    req=req,
                    outcome=d.get("outcome", ""),
                    reason=d.get("reason", ""),
                    legal_basis=d.get("legal_basis", ""),
                    replied_on=d.get("date"),
                )
            elif a == "close":
                services.request_close(actor=user, req=req)
        except DjangoValidationError as exc:
            _raise(exc)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except TransitionNotAllowed as exc:
            raise ValidationError({"detail": "当前状态下不能执行该操作"}) from exc
        except (User.DoesNotExist, Organisation.DoesNotExist, Consultation.DoesNotExist, Extension.DoesNotExist) as exc:
            raise ValidationError({"detail": "引用的对象不存在"}) from exc
        req.refresh_from_db()
        return Response(StaffDetailSerializer(req, context={"request": request}).data)
