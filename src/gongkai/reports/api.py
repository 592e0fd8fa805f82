"""Public read-only API of published annual reports (figures with the official labels)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import exports, selectors
from .models import AnnualReport, ReportStatus


class ReportSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField(source="unit.name")
    unit_code = serializers.CharField(source="unit.credit_code")
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField()


class ReportDetailSerializer(serializers.Serializer):
    title = serializers.CharField()
    unit = serializers.CharField()
    unit_code = serializers.CharField()
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.CharField()
    published_at = serializers.CharField(allow_null=True)
    correction_note = serializers.CharField()
    sections = serializers.ListField(child=serializers.DictField())
    tables = serializers.DictField(
        help_text=gettext_lazy("表二、表三、表四：行、列均使用国办公开办函〔2021〕30号的正式标签")
    )
    notes = serializers.ListField(child=serializers.CharField())
    checks = serializers.ListField(child=serializers.DictField())


class ReportListAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="annual_reports_list",
        tags=["reports"],
        parameters=[OpenApiParameter("year", int, description=gettext_lazy("报告年度"))],
        responses={200: ReportSummarySerializer(many=True)},
    )
    def get(self, request):
        try:
            year = int(request.query_params.get("year") or 0) or None
        except ValueError:
            return Response({"detail": _("year 应为年份数字")}, status=400)
        qs = selectors.published_reports(year=year)
        return Response(ReportSummarySerializer(qs[:500], many=True).data)


class ReportDetailAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="annual_reports_retrieve", tags=["reports"], responses={200: ReportDetailSerializer})
    def get(self, request, pk: int):
        try:
            report = AnnualReport.objects.select_related("unit").get(
                pk=pk, status__in=[ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED]
            )
        except AnnualReport.DoesNotExist:
            raise Http404 from None
        return Response(exports.to_json(report))
