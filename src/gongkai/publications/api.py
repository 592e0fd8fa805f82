"""REST API: public read endpoints (published items) and staff endpoints (drafts and the
workflow actions), org-scoped. Views are thin: serializers parse, services act.

The staff workflow steps are :data:`gongkai.publications.actions.PUBLICATION_ACTIONS`, added as
``POST staff/publications/{id}/<action>/`` routes (the workbench serves the same actions with
the same checks); each item lists the actions open to the caller under ``actions``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from gongkai.core import permissions
from gongkai.core import uploads as att
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.api import TOO_LARGE_CODES, OrgScopedPermission
from gongkai.core.models import Organisation
from gongkai.core.transitions import TransitionRefused

from . import selectors, services
from .actions import PUBLICATION_ACTIONS
from .models import DocType, Publication, State
from .status import legal_status


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    external = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request and not obj.is_link else url

    def get_external(self, obj) -> bool:
        return obj.is_link


class PublicationSerializer(serializers.ModelSerializer):
    """A public item with its information index (信息索引)."""

    doc_type_label = serializers.CharField(source="get_doc_type_display", read_only=True)
    topic_label = serializers.CharField(source="get_topic_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    legal_status = serializers.SerializerMethodField()
    legal_status_label = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "index_number",
            "title",
            "doc_type",
            "doc_type_label",
            "topic",
            "topic_label",
            "unit",
            "unit_name",
            "issuer",
            "document_number",
            "made_on",
            "published_on",
            "effective_from",
            "expires_on",
            "legal_status",
            "legal_status_label",
            "interprets",
            "interpretation_form",
            "video_url",
            "fiscal_year",
            "budget_kind",
            "comment_until",
            "state",
            "withdrawn_at",
            "withdrawn_reason",
            "url",
            "body",
            "attachments",
        ]
        read_only_fields = fields

    def get_legal_status(self, obj) -> str | None:
        return legal_status(obj)

    def get_legal_status_label(self, obj) -> str:
        return obj.get_legal_status_display()

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.get_absolute_url()) if request else obj.get_absolute_url()

    def get_body(self, obj) -> str:
        return "" if obj.state == State.WITHDRAWN else obj.body

    def get_attachments(self, obj) -> list[dict]:
        if obj.state == State.WITHDRAWN:
            return []
        return AttachmentSerializer(obj.attachments.all(), many=True, context=self.context).data


class PublicFilter(serializers.Serializer):
    type = serializers.ChoiceField(choices=DocType.choices, required=False)
    unit = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    q = serializers.CharField(required=False, max_length=100)


@extend_schema_view(list=extend_schema(parameters=[PublicFilter]))
class PublicPublicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published items (public). Withdrawn items stay readable by id with their reason."""

    serializer_class = PublicationSerializer
    permission_classes = [drf_permissions.AllowAny]
    authentication_classes = []
    filter_backends = []

    def get_queryset(self):
        if self.action == "retrieve":
            return Publication.objects.filter(state__in=[State.PUBLISHED, State.WITHDRAWN]).select_related("unit")
        f = PublicFilter(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        data = f.validated_data
        unit = Organisation.objects.filter(pk=data["unit"]).first() if data.get("unit") else None
        if data.get("unit") and unit is None:
            return Publication.objects.none()
        return selectors.published(
            doc_type=data.get("type"), unit=unit, year=data.get("year"), q=data.get("q", "")
        ).prefetch_related("attachments", "legal_links_in")


# --- staff --------------------------------------------------------------------------


class StaffPublicationSerializer(PublicationSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    body = serializers.CharField(required=False, allow_blank=True)
    missing = serializers.SerializerMethodField(help_text="What must be filled in before the draft can go to review.")
    actions = serializers.SerializerMethodField(help_text="The workflow actions open to the caller now.")

    class Meta(PublicationSerializer.Meta):
        fields = PublicationSerializer.Meta.fields + [
            "state_label",
            "changed_on",
            "needs_interpretation",
            "interpretation_waiver",
            "drafting_notes",
            "short_comment_reason",
            "attribute",
            "attribute_ground",
            "attribute_reason",
            "due_on",
            "is_late",
            "unit_item",
            "domain",
            "created_at",
            "updated_at",
            "missing",
            "actions",
        ]
        read_only_fields = fields

    def get_missing(self, obj) -> dict[str, str]:
        return services.readiness_errors(obj) if obj.state == State.DRAFT else {}

    def get_actions(self, obj) -> list[dict]:
        return api_links(PUBLICATION_ACTIONS, self.context["request"], obj, url_name="staff-publication-act-{action}")


class DraftInputSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False)
    doc_type = serializers.ChoiceField(choices=DocType.choices, required=False)
    title = serializers.CharField(max_length=1000, required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    topic = serializers.ChoiceField(choices=Publication._meta.get_field("topic").choices, required=False)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    made_on = serializers.DateField(required=False, allow_null=True)
    changed_on = serializers.DateField(required=False, allow_null=True)
    effective_from = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    interprets = serializers.PrimaryKeyRelatedField(queryset=Publication.objects.all(), required=False, allow_null=True)
    interpretation_form = serializers.ChoiceField(
        choices=Publication._meta.get_field("interpretation_form").choices, required=False, allow_blank=True
    )
    video_url = serializers.URLField(required=False, allow_blank=True)
    needs_interpretation = serializers.BooleanField(required=False)
    drafting_notes = serializers.CharField(required=False, allow_blank=True)
    comment_until = serializers.DateField(required=False, allow_null=True)
    short_comment_reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    fiscal_year = serializers.IntegerField(required=False, allow_null=True)
    budget_kind = serializers.ChoiceField(
        choices=Publication._meta.get_field("budget_kind").choices, required=False, allow_blank=True
    )

    def validate_interprets(self, value):
        user = self.context["request"].user
        if value is not None and not permissions.can_view(user, value.unit):
            raise serializers.ValidationError(_("所选文件不存在"))
        return value


class UploadInput(serializers.Serializer):
    file = serializers.FileField()


class StaffPublicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Drafts and review transitions, scoped to the user's units (staff only)."""

    serializer_class = StaffPublicationSerializer
    permission_classes = [OrgScopedPermission]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    filterset_fields = ["state", "doc_type", "unit"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Publication.objects.none()
        return permissions.scope(Publication.objects.select_related("unit"), self.request.user).order_by(
            "-updated_at", "-id"
        )

    def get_object(self):
        pub = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, pub)
        return pub

    def _out(self, pub, code=status.HTTP_200_OK):
        pub.refresh_from_db()
        return Response(StaffPublicationSerializer(pub, context={"request": self.request}).data, status=code)

    @extend_schema(request=DraftInputSerializer, responses=StaffPublicationSerializer)
    def create(self, request, *args, **kwargs):
        data = DraftInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = values.pop("unit", None)
        if unit is None or "doc_type" not in values or "title" not in values:
            raise ValidationError({"detail": _("须提供 unit、doc_type 和 title")})
        pub = services.publication_create(actor=request.user, unit=unit, **values)
        return self._out(pub, status.HTTP_201_CREATED)

    @extend_schema(request=DraftInputSerializer, responses=StaffPublicationSerializer)
    def partial_update(self, request, *args, **kwargs):
        pub = self.get_object()
        data = DraftInputSerializer(data=request.data, context={"request": request}, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("unit", None)
        services.publication_update(actor=request.user, publication=pub, **values)
        return self._out(pub)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.publication_delete(actor=request.user, publication=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request={"multipart/form-data": UploadInput}, responses=AttachmentSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        pub = self.get_object()
        s = UploadInput(data=request.data)
        s.is_valid(raise_exception=True)
        upload = s.validated_data["file"]
        if upload.size > att.max_bytes():
            message = _("文件过大，单个附件不能超过 %(mb)s MB") % {"mb": att.max_bytes() // 1024 // 1024}
            raise ValidationError({"file": [message]})
        try:
            a = services.attachment_add(actor=request.user, publication=pub, name=upload.name, data=upload.read())
        except TransitionRefused:
            raise
        except DjangoValidationError as exc:  # the file itself: type, size, damaged, scanner
            if {getattr(e, "code", None) for e in exc.error_list} & TOO_LARGE_CODES:
                raise  # zip bomb / too complex: 413 (gongkai.core.api.exception_handler)
            raise ValidationError({"file": exc.messages}) from None
        return Response(AttachmentSerializer(a, context={"request": request}).data, status=status.HTTP_201_CREATED)


add_api_actions(StaffPublicationViewSet, PUBLICATION_ACTIONS, response_serializer=StaffPublicationSerializer)
