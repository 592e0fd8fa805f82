"""REST API (/api/v1/catalogue/...): public reads of published data; staff writes through the services.

Reads: domains, templates (with elements), catalogues, versions and their items, unit lists
and unit items — public, because catalogues are published information. Drafts are visible
only to the disclosure office that owns them. Workflow steps are the actions of
:mod:`gongkai.catalogue.actions`, the same ones the workbench serves
(``POST catalogues/{id}/<action>/``, ``POST versions/{id}/<action>/``,
``POST unit-items/{id}/<action>/``); item edits are plain create/update/delete. A refused
step answers 403 (role) or 409 (state or an unmet condition, e.g. incomplete items).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from gongkai.core import permissions
from gongkai.core.actions import add_api_actions, api_links
from gongkai.core.models import Level, Organisation, OrgKind, Role
from gongkai.core.transitions import TransitionRefused

from . import selectors, services
from .actions import CATALOGUE_ACTIONS, UNIT_ITEM_ACTIONS, VERSION_ACTIONS
from .models import (
    Catalogue,
    CatalogueItem,
    CatalogueVersion,
    Domain,
    ElementDefinition,
    ElementTemplate,
    UnitItem,
    UnitList,
    VersionStatus,
)


def _links(action_set, serializer, obj, url_name: str) -> list[dict]:
    request = serializer.context.get("request")
    if request is None:
        return []
    return api_links(action_set, request, obj, url_name=url_name)


class ReadOrStaffWrite(drf_permissions.BasePermission):
    """Anyone may read; writing needs a staff user (the services then check unit and role)."""

    def has_permission(self, request, view):
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return permissions.is_staff_user(request.user)


# --- serializers -------------------------------------------------------------------------


class DomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = Domain
        fields = ["id", "code", "name", "is_national", "sort_order", "description", "owner_unit", "is_active"]
        read_only_fields = ["id", "code", "is_national", "sort_order", "is_active"]


class ElementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ElementDefinition
        fields = ["key", "name", "type", "required", "allowed_values", "order", "help_text", "aliases"]


class TemplateSerializer(serializers.ModelSerializer):
    elements = ElementSerializer(many=True, read_only=True, source="ordered_elements")

    class Meta:
        model = ElementTemplate
        fields = ["id", "key", "name", "description", "is_builtin", "owner_unit", "elements"]


class VersionSerializer(serializers.ModelSerializer):
    incomplete_items = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueVersion
        fields = [
            "id",
            "catalogue",
            "number",
            "status",
            "note",
            "published_at",
            "diff",
            "incomplete_items",
            "accepted_at",
            "accepted_note",
            "actions",
        ]

    def get_incomplete_items(self, obj) -> int:
        return obj.incomplete_items().count()

    def get_actions(self, obj) -> list[dict]:
        return _links(VERSION_ACTIONS, self, obj, "catalogue-version-act-{action}")


class CatalogueSerializer(serializers.ModelSerializer):
    domain_name = serializers.CharField(source="domain.name", read_only=True)
    latest_version = serializers.SerializerMethodField()
    draft_version = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Catalogue
        fields = [
            "id",
            "title",
            "domain",
            "domain_name",
            "template",
            "target_kind",
            "target_level",
            "owner",
            "description",
            "latest_version",
            "draft_version",
            "actions",
        ]

    def get_latest_version(self, obj) -> int | None:
        v = obj.latest_published()
        return v.number if v else None

    def get_draft_version(self, obj) -> int | None:
        """The id of the draft (for ``versions/{id}/publish/``), shown to its office only."""
        request = self.context.get("request")
        if request is None or not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, obj.owner):
            return None
        draft = obj.current_draft()
        return draft.pk if draft else None

    def get_actions(self, obj) -> list[dict]:
        return _links(CATALOGUE_ACTIONS, self, obj, "catalogue-catalogue-act-{action}")


class CatalogueCreateSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    domain = serializers.PrimaryKeyRelatedField(queryset=Domain.objects.filter(is_active=True))
    template = serializers.PrimaryKeyRelatedField(queryset=ElementTemplate.objects.filter(is_active=True))
    target_kind = serializers.ChoiceField(choices=OrgKind.choices)
    target_level = serializers.ChoiceField(choices=Level.choices)
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)


class CatalogueItemSerializer(serializers.ModelSerializer):
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    catalogue = serializers.IntegerField(source="version.catalogue_id", read_only=True)

    class Meta:
        model = CatalogueItem
        fields = [
            "id",
            "catalogue",
            "version",
            "version_number",
            "item_key",
            "sort_order",
            "level1",
            "name",
            "elements",
            "mandatory",
            "timeframe_text",
            "timeframe_rule",
            "is_complete",
            "problems",
            "incomplete_accepted",
        ]
        read_only_fields = [
            "id",
            "catalogue",
            "version_number",
            "item_key",
            "sort_order",
            "timeframe_rule",
            "is_complete",
            "problems",
            "incomplete_accepted",
        ]


class ItemInputSerializer(serializers.Serializer):
    level1 = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    elements = serializers.DictField(required=False)
    timeframe_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    mandatory = serializers.BooleanField(required=False, default=True)


class UnitListSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    domain = serializers.CharField(source="catalogue.domain.name", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = UnitList
        fields = ["id", "unit", "unit_name", "catalogue", "domain", "version", "version_number", "adopted_at"]


class UnitItemSerializer(serializers.ModelSerializer):
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True, default="")
    actions = serializers.SerializerMethodField()

    def get_actions(self, obj) -> list[dict]:
        return _links(UNIT_ITEM_ACTIONS, self, obj, "catalogue-unititem-act-{action}")

    class Meta:
        model = UnitItem
        fields = [
            "id",
            "unit_list",
            "unit",
            "source_item",
            "item_key",
            "is_local",
            "mandatory",
            "sort_order",
            "level1",
            "name",
            "elements",
            "timeframe_text",
            "timeframe_rule",
            "responsible_unit",
            "responsible_unit_name",
            "column_name",
            "note",
            "is_active",
            "actions",
        ]
        read_only_fields = fields


class LocalItemInputSerializer(serializers.Serializer):
    unit_list = serializers.PrimaryKeyRelatedField(queryset=UnitList.objects.all())
    level1 = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    elements = serializers.DictField(required=False)
    timeframe_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    column_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UnitItemUpdateSerializer(serializers.Serializer):
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    column_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    level1 = serializers.CharField(max_length=200, required=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    elements = serializers.DictField(required=False)
    timeframe_text = serializers.CharField(max_length=200, required=False, allow_blank=True)


# --- viewsets ----------------------------------------------------------------------------


class DomainViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The 26 national domains and local domains. POST (disclosure office): add a local domain."""

    serializer_class = DomainSerializer
    permission_classes = [ReadOrStaffWrite]
    queryset = Domain.objects.filter(is_active=True)
    filterset_fields = ["is_national"]
    pagination_class = None

    def perform_create(self, serializer):
        owner = serializer.validated_data.get("owner_unit")
        if owner is None:
            raise ValidationError({"owner_unit": _("请指定设立单位")})
        serializer.instance = services.domain_create(
            actor=self.request.user,
            owner_unit=owner,
            name=serializer.validated_data["name"],
            description=serializer.validated_data.get("description", ""),
        )


class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TemplateSerializer
    permission_classes = [drf_permissions.AllowAny]
    queryset = ElementTemplate.objects.filter(is_active=True).prefetch_related("elements")
    pagination_class = None


def _office_scope_q(user) -> Q:
    q = Q(versions__status=VersionStatus.PUBLISHED)
    if permissions.is_superuser(user):
        return Q()
    if getattr(user, "is_authenticated", False):
        q |= Q(owner__in=selectors.office_units(user))
    return q


class CatalogueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Standard catalogues: published ones for everybody, drafts for the owning disclosure office.

    Actions (``POST {id}/<action>/``): ``new-version``, ``discard-draft``, ``rederive``, ``targets``."""

    serializer_class = CatalogueSerializer
    permission_classes = [ReadOrStaffWrite]
    filterset_fields = ["domain", "target_kind", "target_level", "owner"]

    def get_queryset(self):
        if self.action and self.action.startswith("act_"):  # as the workbench: the keeping office's
            return selectors.catalogues_for_staff(self.request.user).order_by("id")
        return (
            Catalogue.objects.filter(_office_scope_q(self.request.user))
            .distinct()
            .select_related("domain", "owner")
            .order_by("id")
        )

    @extend_schema(request=CatalogueCreateSerializer, responses=CatalogueSerializer)
    def create(self, request, *args, **kwargs):
        data = CatalogueCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        catalogue = services.catalogue_create(actor=request.user, **data.validated_data)
        return Response(
            CatalogueSerializer(catalogue, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole history, not a page
    def versions(self, request, pk=None):
        catalogue = self.get_object()
        qs = catalogue.versions.all()
        if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, catalogue.owner):
            qs = qs.filter(status=VersionStatus.PUBLISHED)
        return Response(VersionSerializer(qs, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=ItemInputSerializer, responses=CatalogueItemSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """Add an item to the catalogue's draft (saved as incomplete when elements are missing)."""
        catalogue = self.get_object()
        if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, catalogue.owner):
            raise PermissionDenied(_("只有编制单位的政务公开办可以修改标准目录"))
        draft = catalogue.current_draft()
        if draft is None:
            raise TransitionRefused(_("没有草稿版本，请先新建修订版本"))
        data = ItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.item_add(actor=request.user, version=draft, **data.validated_data)
        return Response(CatalogueItemSerializer(item).data, status=status.HTTP_201_CREATED)


add_api_actions(CatalogueViewSet, CATALOGUE_ACTIONS, response_serializer=CatalogueSerializer)


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Versions of standard catalogues: published ones for everybody, drafts for the owning office.

    Actions (``POST {id}/<action>/``): ``accept-incomplete``, ``publish``."""

    serializer_class = VersionSerializer
    permission_classes = [ReadOrStaffWrite]
    filterset_fields = ["catalogue", "status"]

    def get_queryset(self):
        user = self.request.user
        qs = CatalogueVersion.objects.select_related("catalogue__owner").order_by("catalogue_id", "-number")
        if permissions.is_superuser(user):
            return qs
        kept = Q(catalogue__owner__in=selectors.office_units(user)) if user.is_authenticated else Q(pk__in=[])
        if self.action and self.action.startswith("act_"):  # as the workbench: the keeping office's
            return qs.filter(kept)
        return qs.filter(Q(status=VersionStatus.PUBLISHED) | kept)


add_api_actions(VersionViewSet, VERSION_ACTIONS, response_serializer=VersionSerializer)


class CatalogueItemViewSet(mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Standard items. Default: the latest published version of each catalogue (``?version=`` for another)."""

    serializer_class = CatalogueItemSerializer
    permission_classes = [ReadOrStaffWrite]
    filterset_fields = ["version", "mandatory"]

    def get_queryset(self):
        user = self.request.user
        qs = CatalogueItem.objects.select_related("version__catalogue").order_by("version_id", "sort_order", "id")
        visible = Q(version__status=VersionStatus.PUBLISHED)
        if permissions.is_superuser(user):
            visible = Q()
        elif getattr(user, "is_authenticated", False):
            visible |= Q(version__catalogue__owner__in=selectors.office_units(user))
        qs = qs.filter(visible)
        params = self.request.query_params
        if params.get("catalogue", "").isdigit() and not params.get("version"):
            catalogue = Catalogue.objects.filter(pk=int(params["catalogue"])).first()
            latest = catalogue.latest_published() if catalogue else None
            qs = qs.filter(version=latest) if latest else qs.none()
        if params.get("domain"):
            qs = qs.filter(version__catalogue__domain__code=params["domain"])
        if params.get("q"):
            from gongkai.core import chinese

            qs = qs.filter(search_text__contains=chinese.normalise(params["q"]))
        return qs

    @extend_schema(request=ItemInputSerializer)
    def update(self, request, *args, **kwargs):
        item = self.get_object()
        data = ItemInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        item = services.item_update(actor=request.user, item=item, **data.validated_data)
        return Response(CatalogueItemSerializer(item).data)

    def destroy(self, request, *args, **kwargs):
        services.item_delete(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnitListViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitListSerializer
    permission_classes = [drf_permissions.AllowAny]
    queryset = UnitList.objects.select_related("unit", "catalogue__domain", "version").order_by(
        "unit__path", "catalogue_id"
    )
    filterset_fields = ["unit", "catalogue", "catalogue__domain"]


class UnitItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Items of units' lists (active ones). POST: a local item; PATCH: responsible unit/column/note
    (and, for local items, the elements); actions ``POST {id}/drop/`` and ``POST {id}/restore/``."""

    serializer_class = UnitItemSerializer
    permission_classes = [ReadOrStaffWrite]
    filterset_fields = ["unit", "unit_list", "is_local", "mandatory"]

    def get_queryset(self):
        if self.action and self.action.startswith("act_"):
            # workflow actions: items of the units the caller may see (dropped ones too, to restore
            # them), exactly as the workbench finds them
            qs = permissions.scope(UnitItem.objects.all(), self.request.user)
        else:
            qs = UnitItem.objects.filter(is_active=True)
        qs = qs.select_related("responsible_unit").order_by("unit_list_id", "sort_order", "id")
        if self.request.query_params.get("domain"):
            qs = qs.filter(unit_list__catalogue__domain__code=self.request.query_params["domain"])
        return qs

    @extend_schema(request=LocalItemInputSerializer, responses=UnitItemSerializer)
    def create(self, request, *args, **kwargs):
        data = LocalItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.unit_item_add_local(actor=request.user, **data.validated_data)
        return Response(UnitItemSerializer(item, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=UnitItemUpdateSerializer, responses=UnitItemSerializer)
    def update(self, request, *args, **kwargs):
        item = self.get_object()
        data = UnitItemUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        item = services.unit_item_update(actor=request.user, item=item, **data.validated_data)
        return Response(UnitItemSerializer(item, context=self.get_serializer_context()).data)


add_api_actions(UnitItemViewSet, UNIT_ITEM_ACTIONS, response_serializer=UnitItemSerializer)
