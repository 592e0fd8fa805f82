"""Staff REST API of the interaction app: appeals, FAQ entries, consultations and their comments.

Lists are scoped like the workbench (another unit's records are 404). Every staff action of
:mod:`gongkai.interaction.actions` is a documented ``POST …/{id}/<action>/`` route (the same
checks and input validation as the workbench); each record lists the actions open to the
caller in ``actions``. FAQ entries and consultation drafts are created and edited with the
same forms as the workbench editors (``POST`` / ``PUT`` / ``PATCH``). The citizen's side of
appeals is the Open311 API (:mod:`gongkai.interaction.open311`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from gongkai.core.actions import add_api_actions, api_links, form_data, serializer_for_form
from gongkai.core.api import OrgScopedPermission

from . import access, selectors, services
from .actions import APPEAL_ACTIONS, COMMENT_ACTIONS, CONSULTATION_ACTIONS, FAQ_ACTIONS
from .forms import ConsultationForm, FaqForm
from .models import Appeal, Comment, Consultation, FaqEntry


class ActionLink(serializers.Serializer):
    """An action open to the caller on this record."""

    name = serializers.CharField()
    label = serializers.CharField()
    method = serializers.CharField()
    url = serializers.URLField()


def _links(action_set, serializer, obj, url_name: str) -> list[dict]:
    request = serializer.context.get("request")
    if request is None:
        return []
    return api_links(action_set, request, obj, url_name=url_name)


# --- appeals -------------------------------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    kind = serializers.CharField()
    summary = serializers.CharField(source="display_summary")
    detail = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    is_internal = serializers.BooleanField()
    by_requester = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class AppealSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.code")
    time_limit_days = serializers.IntegerField(source="type.time_limit_days")
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    co_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    contact = serializers.SerializerMethodField(help_text="Only for handlers of the assigned units.")
    steps = serializers.SerializerMethodField()
    faq_entries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "tracking_code",
            "type",
            "time_limit_days",
            "title",
            "content",
            "status",
            "target_unit",
            "unit",
            "co_units",
            "received_at",
            "clock_started_on",
            "due_date",
            "reject_reason",
            "answer",
            "answered_at",
            "closed_at",
            "reopen_count",
            "publish_consent",
            "public_status",
            "public_title",
            "public_content",
            "public_answer",
            "published_at",
            "faq_entries",
            "contact",
            "steps",
            "actions",
        ]

    def get_contact(self, obj) -> dict | None:
        user = self.context["request"].user
        if access.can_see_contact(user, obj):
            return {"name": obj.name, "phone": obj.phone, "email": obj.email}
        return None

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, obj) -> list[dict]:
        return StepSerializer(obj.steps.all(), many=True).data

    @extend_schema_field(ActionLink(many=True))
    def get_actions(self, obj) -> list[dict]:
        return _links(APPEAL_ACTIONS, self, obj, "interaction-appeal-act-{action}")


class AppealPermission(OrgScopedPermission):
    def has_object_permission(self, request, view, obj):
        return access.can_view_appeal(request.user, obj)


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals of the units the user handles or oversees (contact data only for assigned handlers)."""

    serializer_class = AppealSerializer
    permission_classes = [AppealPermission]
    filterset_fields = ["status", "unit", "public_status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        return selectors.appeals_for_staff(self.request.user).prefetch_related("co_units").order_by("-received_at")


add_api_actions(AppealViewSet, APPEAL_ACTIONS, response_serializer=AppealSerializer)


# --- editors through the API: the workbench's forms validate the input ------------------------------


def _form_or_400(form):
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


def _merged(instance_data: dict, data) -> dict:
    """PATCH: the record's values overlaid with the fields sent."""
    merged = dict(instance_data)
    for key in data:
        merged[key] = data.get(key)
    return merged


class FaqSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    actions = serializers.SerializerMethodField()

    class Meta:
        model = FaqEntry
        fields = [
            "id",
            "question",
            "answer",
            "unit",
            "domain",
            "domain_name",
            "topics",
            "status",
            "version",
            "reviewed_on",
            "review_date",
            "review_date_manual",
            "is_stale",
            "source_appeal",
            "updated_at",
            "actions",
        ]

    @extend_schema_field(ActionLink(many=True))
    def get_actions(self, obj) -> list[dict]:
        return _links(FAQ_ACTIONS, self, obj, "interaction-faq-act-{action}")


FaqInput = serializer_for_form(FaqForm, "FaqInput")


def _faq_data(request, entry: FaqEntry | None = None, *, partial: bool = False) -> dict:
    data = request.data if hasattr(request.data, "get") else None
    if data is None:
        raise ValidationError({"non_field_errors": [_("请求内容应为 JSON 对象或表单字段")]})
    if entry is not None and partial:
        current = {
            "question": entry.question,
            "answer": entry.answer,
            "unit": entry.unit_id,
            "domain": entry.domain_id,
            "domain_name": "" if entry.domain_id else entry.domain_name,
            "topics": "、".join(entry.topics.values_list("name", flat=True)),
            "review_date": entry.review_date if entry.review_date_manual else None,
        }
        data = _merged(current, data)
    data = {key: data.get(key) for key in data} if not isinstance(data, dict) else dict(data)
    if isinstance(data.get("topics"), list):
        data["topics"] = "、".join(str(t) for t in data["topics"])
    return form_data(data)


def _editor_schema(input_serializer, output_serializer):
    """OpenAPI for an editor viewset: the input is the workbench form's fields."""
    return extend_schema_view(
        create=extend_schema(request=input_serializer, responses={201: output_serializer}),
        update=extend_schema(request=input_serializer, responses=output_serializer),
        partial_update=extend_schema(request=input_serializer, responses=output_serializer),
    )


class EditorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create (POST) and edit (PUT/PATCH) through the workbench's form and one service."""

    permission_classes = [OrgScopedPermission]
    filterset_fields = ["status", "unit"]


@_editor_schema(FaqInput, FaqSerializer)
class FaqViewSet(EditorViewSet):
    """FAQ entries of the units the user manages; every save is a new version."""

    serializer_class = FaqSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FaqEntry.objects.none()
        return selectors.faq_for_staff(self.request.user).order_by("pk")

    def _form(self, data):
        return _form_or_400(FaqForm(data, units=access.content_units(self.request.user)))

    def create(self, request, *args, **kwargs):
        form = self._form(_faq_data(request))
        entry = services.faq_create(actor=request.user, **form.service_kwargs())
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        form = self._form(_faq_data(request, entry, partial=kwargs.get("partial", False)))
        entry = services.faq_update(actor=request.user, entry=entry, **form.service_kwargs())
        return Response(self.get_serializer(entry).data)


add_api_actions(FaqViewSet, FAQ_ACTIONS, response_serializer=FaqSerializer)


# --- consultations and comments ---------------------------------------------------------------------------


class ConsultationAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class ConsultationSerializer(serializers.ModelSerializer):
    attachments = ConsultationAttachmentSerializer(many=True, read_only=True)
    figures = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "unit",
            "title",
            "summary",
            "draft",
            "explanation",
            "opens_on",
            "closes_on",
            "period_days",
            "short_period_reason",
            "status",
            "contact",
            "feedback_report",
            "reported_at",
            "attachments",
            "figures",
            "actions",
        ]

    def get_figures(self, obj) -> dict:
        return selectors.consultation_figures(obj)

    @extend_schema_field(ActionLink(many=True))
    def get_actions(self, obj) -> list[dict]:
        return _links(CONSULTATION_ACTIONS, self, obj, "interaction-consultation-act-{action}")


ConsultationInput = serializer_for_form(ConsultationForm, "ConsultationInput")
CONSULTATION_EDITABLE = [
    "title",
    "summary",
    "draft",
    "explanation",
    "opens_on",
    "closes_on",
    "short_period_reason",
    "contact",
]


@_editor_schema(ConsultationInput, ConsultationSerializer)
class ConsultationViewSet(EditorViewSet):
    """Consultations of the units the user manages; drafts are edited until they are opened."""

    serializer_class = ConsultationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Consultation.objects.none()
        return (
            Consultation.objects.filter(unit__in=access.content_units(self.request.user))
            .select_related("unit")
            .prefetch_related("attachments")
            .order_by("pk")
        )

    def _data(self, c: Consultation | None = None, *, partial: bool = False) -> dict:
        data = self.request.data if hasattr(self.request.data, "get") else None
        if data is None:
            raise ValidationError({"non_field_errors": [_("请求内容应为 JSON 对象或表单字段")]})
        if c is not None and partial:
            data = _merged(model_to_dict(c, fields=["unit", *CONSULTATION_EDITABLE]), data)
        return form_data(data)

    def create(self, request, *args, **kwargs):
        units = access.content_units(request.user)
        form = _form_or_400(ConsultationForm(self._data(), units=units))
        c = services.consultation_create(actor=request.user, **form.cleaned_data)
        return Response(self.get_serializer(c).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        c = self.get_object()
        units = access.content_units(request.user)
        data = self._data(c, partial=kwargs.get("partial", False))
        form = _form_or_400(ConsultationForm(data, instance=Consultation.objects.get(pk=c.pk), units=units))
        fields = {k: v for k, v in form.cleaned_data.items() if k in CONSULTATION_EDITABLE}
        c = services.consultation_update(actor=request.user, consultation=c, **fields)
        return Response(self.get_serializer(c).data)


add_api_actions(ConsultationViewSet, CONSULTATION_ACTIONS, response_serializer=ConsultationSerializer)


class CommentSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "consultation",
            "author_name",
            "contact",
            "content",
            "public_content",
            "status",
            "reject_reason",
            "moderated_at",
            "adoption",
            "adoption_note",
            "created_at",
            "actions",
        ]

    @extend_schema_field(ActionLink(many=True))
    def get_actions(self, obj) -> list[dict]:
        return _links(COMMENT_ACTIONS, self, obj, "interaction-comment-act-{action}")


class CommentPermission(OrgScopedPermission):
    def has_object_permission(self, request, view, obj):
        return access.can_edit_unit_content(request.user, obj.consultation.unit)


class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Comments on the consultations of the units the user manages (moderation and adoption)."""

    serializer_class = CommentSerializer
    permission_classes = [CommentPermission]
    filterset_fields = ["consultation", "status", "adoption"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return selectors.comments_for_staff(self.request.user).order_by("pk")


add_api_actions(CommentViewSet, COMMENT_ACTIONS, response_serializer=CommentSerializer)
