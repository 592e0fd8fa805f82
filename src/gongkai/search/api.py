"""Public JSON API: /api/v1/search/ and /api/v1/search/suggest/ (anonymous, rate-limited)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from gongkai.core.throttle import ClientAddressMixin

from . import labels, selectors, services
from .backends import SearchUnavailable, get_backend
from .forms import SearchForm
from .types import FACET_KEYS


class SearchThrottle(ClientAddressMixin, AnonRateThrottle):
    scope = "search"

    def __init__(self):
        self.rate = getattr(settings, "GONGKAI_SEARCH_API_RATE", "60/min")
        super().__init__()


class HitSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="文档标识，来源:编号")
    kind = serializers.CharField()
    title = serializers.CharField()
    title_html = serializers.CharField(help_text="已转义的标题，命中词以 <mark> 标出")
    snippet_html = serializers.CharField(help_text="已转义的摘要，命中词以 <mark> 标出")
    url = serializers.CharField()
    score = serializers.FloatField()
    unit_id = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    doc_type = serializers.CharField()
    doc_type_label = serializers.CharField()
    domain = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    index_number = serializers.CharField()
    document_number = serializers.CharField()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class RelatedItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField()


class RelatedGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    items = RelatedItemSerializer(many=True)


class LooserSerializer(serializers.Serializer):
    q = serializers.CharField()
    total = serializers.IntegerField()


class HelpSerializer(serializers.Serializer):
    issue = serializers.CharField(help_text="only_stopwords：只有疑问词；no_text：没有可检索的文字；too_long：过长")
    ignored = serializers.ListField(child=serializers.CharField())
    looser = LooserSerializer(many=True, help_text="更宽的检索及其结果数")
    without_filters = serializers.IntegerField(help_text="去掉筛选条件后的结果数")
    corrections = serializers.ListField(child=serializers.CharField(), help_text="同音或拼音纠正")
    related = RelatedGroupSerializer(many=True, help_text="相关的常见问题、办事指南等")


class SearchResponseSerializer(serializers.Serializer):
    q = serializers.CharField()
    total = serializers.IntegerField()
    relaxed = serializers.BooleanField(help_text="没有结果包含足够多的检索词时，改为只需包含其中一个词")
    approximate = serializers.BooleanField(
        help_text="匹配极多时（PostgreSQL 检索后端）：排序只比较部分候选，总数和分面计数为近似值"
    )
    ignored = serializers.ListField(child=serializers.CharField(), help_text="忽略的疑问词和虚词")
    help = HelpSerializer(allow_null=True, help_text="没有结果时的帮助")
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()
    took_ms = serializers.FloatField()
    results = HitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True), help_text="键：" + "、".join(FACET_KEYS))


_PARAMS = [
    OpenApiParameter("q", str, description='检索词；"短语" 须连续出现；-词 排除'),
    *[OpenApiParameter(k, str, many=True, description=f"按 {k} 筛选（可重复）") for k in FACET_KEYS],
    OpenApiParameter("date_from", str, description="发布日期起 YYYY-MM-DD"),
    OpenApiParameter("date_to", str, description="发布日期止 YYYY-MM-DD"),
    OpenApiParameter("sort", str, enum=["relevance", "date"]),
    OpenApiParameter("page", int),
    OpenApiParameter("per_page", int, description="每页条数，1–100，默认 20"),
]


class SearchAPIView(APIView):
    """全文检索公开信息（一网通查）。"""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SearchThrottle]

    @extend_schema(
        operation_id="search", parameters=_PARAMS, responses={200: SearchResponseSerializer}, tags=["search"]
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            return Response({"errors": form.errors.get_json_data()}, status=status.HTTP_400_BAD_REQUEST)
        try:
            per_page = int(request.query_params.get("per_page") or 20)
        except ValueError:
            return Response({"errors": {"per_page": [{"message": _("每页条数应为数字。")}]}}, status=400)
        if not 1 <= per_page <= 100:
            return Response({"errors": {"per_page": [{"message": _("每页条数应在 1 到 100 之间。")}]}}, status=400)
        q = form.to_query(per_page=per_page)
        try:
            res = services.run_search(q, visitor=services.visitor_of(request))
        except SearchUnavailable:
            return Response({"detail": _("检索服务暂时不可用，请稍后再试。")}, status=503)
        results = []
        for h in res.hits:
            d = h.document
            results.append(
                {
                    "id": d.id,
                    "kind": d.kind,
                    "title": d.title,
                    "title_html": h.title_html,
                    "snippet_html": h.snippet_html,
                    "url": d.url,
                    "score": round(h.score, 4),
                    "unit_id": d.unit_id,
                    "unit_name": d.unit_name,
                    "doc_type": d.doc_type,
                    "doc_type_label": labels.label("type", d.doc_type),
                    "domain": d.domain,
                    "year": d.year,
                    "status": d.status,
                    "published_on": d.published_on,
                    "index_number": d.index_number,
                    "document_number": d.document_number,
                }
            )
        data = {
            "q": q.text,
            "total": res.total,
            "relaxed": res.relaxed,
            "approximate": res.approximate,
            "ignored": list(res.parsed.ignored) if res.parsed else [],
            "help": res.help.to_dict() if res.help else None,
            "page": q.page,
            "per_page": q.per_page,
            "took_ms": round(res.took_ms, 2),
            "results": results,
            "facets": {
                k: [{"value": v, "label": labels.label(k, v), "count": c} for v, c in res.facets.get(k, [])]
                for k in FACET_KEYS
            },
        }
        return Response(SearchResponseSerializer(data).data)


class SuggestAPIView(APIView):
    """检索词提示：按字或拼音（全拼、首字母）匹配标题，并给出热门检索词。"""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SearchThrottle]

    @extend_schema(
        operation_id="search_suggest",
        parameters=[OpenApiParameter("q", str, required=True)],
        responses={
            200: inline_serializer(
                "SuggestResponse",
                {"q": serializers.CharField(), "suggestions": serializers.ListField(child=serializers.CharField())},
            )
        },
        tags=["search"],
    )
    def get(self, request):
        prefix = (request.query_params.get("q") or "").strip()[:50]
        suggestions: list[str] = []
        if prefix:
            suggestions = selectors.popular_terms_with_prefix(prefix, 3)
            try:
                suggestions += [t for t in get_backend().suggest(prefix, 8) if t not in suggestions]
            except SearchUnavailable:
                pass
        return Response({"q": prefix, "suggestions": suggestions[:8]})
