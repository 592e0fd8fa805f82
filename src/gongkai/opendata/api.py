"""Staff REST API for open data (the public read API is the CKAN-compatible one at /api/3/action/)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links, serializer_for_form
from gongkai.core.api import OrgScopedPermission
from gongkai.core.models import Organisation

from . import selectors, services
from .actions import DATASET_ACTIONS, RESOURCE_ACTIONS
from .forms import DatasetForm
from .models import Dataset, Resource


class ResourceSerializer(serializers.ModelSerializer):
    versions = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "uuid",
            "name",
            "description",
            "format",
            "url",
            "mimetype",
            "size",
            "sha256",
            "row_count",
            "download_count",
            "created_at",
            "modified_at",
            "versions",
            "actions",
        ]

    def get_versions(self, obj) -> list[dict]:
        return [
            {
                "number": v.number,
                "size": v.size,
                "sha256": v.sha256,
                "note": v.note,
                "created_at": v.created_at,
                "download_count": v.download_count,
            }
            for v in obj.versions.all()
        ]

    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        return api_links(RESOURCE_ACTIONS, request, obj, url_name="opendata-resource-act-{action}") if request else []


class DatasetSerializer(serializers.ModelSerializer):
    keywords = serializers.SerializerMethodField()
    resources = ResourceSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = [
            "id",
            "uuid",
            "name",
            "identifier",
            "title",
            "description",
            "unit",
            "domain",
            "themes",
            "keywords",
            "update_frequency",
            "open_type",
            "access_conditions",
            "licence",
            "temporal_start",
            "temporal_end",
            "spatial",
            "contact_name",
            "contact_phone",
            "contact_email",
            "state",
            "published_at",
            "created_at",
            "modified_at",
            "download_count",
            "resources",
            "actions",
        ]

    def get_keywords(self, obj) -> list[str]:
        return [t.name for t in obj.tags.all()]

    def get_actions(self, obj) -> list[dict]:
        request = self.context.get("request")
        return api_links(DATASET_ACTIONS, request, obj, url_name="opendata-dataset-act-{action}") if request else []


_CreateInput = type(
    "DatasetCreateInput",
    (serializer_for_form(DatasetForm, "DatasetFormInput"),),
    {"unit": serializers.IntegerField(help_text="信息资源提供方（单位编号）")},
)


@extend_schema(tags=["opendata"])
class DatasetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """本单位（及所监督单位）的数据集。"""

    serializer_class = DatasetSerializer
    permission_classes = [OrgScopedPermission]
    filterset_fields = ["state", "unit"]

    def get_queryset(self):
        return selectors.with_details(selectors.staff_datasets(self.request.user)).order_by("-modified_at")

    @extend_schema(request=_CreateInput, responses={201: DatasetSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data if hasattr(request.data, "get") else None
        if data is None:
            raise ValidationError(_("请求体应为 JSON 对象"))
        unit_id = data.get("unit")
        unit = Organisation.objects.filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
        if unit is None or not permissions.can_view(request.user, unit):
            raise ValidationError({"unit": [_("单位不存在或无权访问")]})
        form = DatasetForm(data, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        dataset = services.dataset_create(actor=request.user, unit=unit, data=form.cleaned_data)
        return Response(self.get_serializer(dataset).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["opendata"])
class ResourceViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ResourceSerializer
    permission_classes = [OrgScopedPermission]

    def get_queryset(self):
        return Resource.objects.filter(dataset__in=selectors.staff_datasets(self.request.user)).select_related(
            "dataset"
        )

    def unit_of(self, obj):
        return obj.dataset.unit


add_api_actions(DatasetViewSet, DATASET_ACTIONS, response_serializer=DatasetSerializer)
add_api_actions(ResourceViewSet, RESOURCE_ACTIONS, response_serializer=ResourceSerializer)
