"""Public pages: listings, document pages, the regulations library, downloads, feeds."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.core import pageviews
from gongkai.core.models import Organisation
from gongkai.core.uploads import content_disposition

from . import selectors
from .models import NORMATIVE_TYPES, Attachment, DocType, LegalStatus, Publication, State
from .status import legal_status

PER_PAGE = 20
POLICY_TYPES = [DocType.POLICY, DocType.REGULATION, DocType.NORMATIVE]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _years() -> list[int]:
    """Publication years that have items (newest first)."""
    return [
        d.year for d in Publication.objects.filter(state=State.PUBLISHED).dates("published_on", "year", order="DESC")
    ]


def _listing(request, *, heading: str, doc_type=None, unit=None, domain=None, intro: str = "", feed_query: str = ""):
    q = request.GET.get("q", "").strip()[:100]
    year = _int(request.GET.get("year"))
    type_param = request.GET.get("type", "")
    unit_param = _int(request.GET.get("unit"))
    if doc_type is None and type_param in DocType.values:
        doc_type = type_param
    if unit is None and unit_param:
        unit = Organisation.objects.filter(pk=unit_param).first()
    qs = selectors.published(doc_type=doc_type, unit=unit, domain=domain, year=year, q=q)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publications/list.html",
        {
            "heading": heading,
            "intro": intro,
            "page": page,
            "query": query.urlencode(),
            "q": q,
            "year": year,
            "years": _years(),
            "doc_types": DocType.choices,
            "selected_type": type_param,
            "fixed_type": doc_type if isinstance(doc_type, str) and not type_param else None,
            "type_filter": not isinstance(doc_type, list) and not (isinstance(doc_type, str) and not type_param),
            "units": selectors.publishing_units(),
            "selected_unit": unit.pk if unit else None,
            "unit_filter": unit is None or bool(unit_param),
            "feed_query": feed_query,
        },
    )


@require_GET
def index(request):
    return _listing(
        request, heading=_("政府信息公开"), intro=_("各单位依法主动公开的政策文件、解读、通知公告、预决算等信息。")
    )


@require_GET
def policies(request):
    return _listing(request, heading=_("政策文件"), doc_type=POLICY_TYPES, intro=_("政策文件、规章和行政规范性文件。"))


@require_GET
def interpretations(request):
    return _listing(request, heading=_("政策解读"), doc_type=DocType.INTERPRETATION, feed_query="type=interpretation")


@require_GET
def by_type(request, doc_type: str):
    if doc_type not in DocType.values:
        raise Http404(_("没有这种信息类型"))
    return _listing(request, heading=DocType(doc_type).label, doc_type=doc_type, feed_query=f"type={doc_type}")


@require_GET
def by_unit(request, unit_id: int):
    unit = get_object_or_404(Organisation, pk=unit_id, is_active=True)
    return _listing(
        request, heading=_("%(unit)s · 主动公开信息") % {"unit": unit.name}, unit=unit, feed_query=f"unit={unit.pk}"
    )


@require_GET
def by_domain(request, domain_id: int):
    from gongkai.catalogue import selectors as catalogue

    domain = catalogue.domain_by_pk(domain_id)
    if domain is None:
        raise Http404(_("没有这个公开领域"))
    return _listing(request, heading=_("%(domain)s领域 · 主动公开信息") % {"domain": domain.name}, domain=domain)


@require_GET
def library(request):
    status = request.GET.get("status", "")
    if status not in LegalStatus.values:
        status = ""
    doc_type = request.GET.get("type", "")
    q = request.GET.get("q", "").strip()[:100]
    unit = Organisation.objects.filter(pk=_int(request.GET.get("unit")) or 0).first()
    qs = selectors.library(status=status, doc_type=doc_type, unit=unit, q=q)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = {s: selectors.library(status=s, doc_type=doc_type, unit=unit, q=q).count() for s in LegalStatus.values}
    return render(
        request,
        "publications/library.html",
        {
            "page": page,
            "query": query.urlencode(),
            "status": status,
            "statuses": LegalStatus.choices,
            "counts": counts,
            "doc_type": doc_type,
            "types": [(t.value, t.label) for t in NORMATIVE_TYPES],
            "q": q,
            "units": selectors.publishing_units(),
            "selected_unit": unit.pk if unit else None,
            "today": timezone.localdate(),
        },
    )


@require_GET
def detail(request, pk: int):
    pub = selectors.public_detail(pk)
    if pub is None:
        raise Http404(_("该信息不存在或尚未公开"))
    pageviews.record_view(request, "publications.publication", pub.pk)
    today = timezone.localdate()
    context = {
        "pub": pub,
        "withdrawn": pub.state == State.WITHDRAWN,
        "status": legal_status(pub, today),
        "interpretations": selectors.public_interpretations(pub),
        "repealed_by": [link for link in pub.legal_links_in.all()],
        "affects": [
            link for link in pub.legal_links_out.all() if link.target.state in (State.PUBLISHED, State.WITHDRAWN)
        ],
        "today": today,
        "unit_item": getattr(pub, "unit_item", None),
        "print_view": request.GET.get("print") == "1",
    }
    template = "publications/print.html" if context["print_view"] else "publications/detail.html"
    return render(request, template, context)


@require_GET
def attachment(request, pk: int):
    att = get_object_or_404(Attachment.objects.select_related("publication"), pk=pk)
    if att.publication.state != State.PUBLISHED:
        raise Http404(_("该附件不存在或所属信息已撤回"))
    if att.is_link:
        return redirect(att.external_url)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件缺失，请联系发布单位")) from exc
    response = FileResponse(handle, content_type=att.content_type)
    response["Content-Disposition"] = content_disposition(att.name)
    response["Cache-Control"] = "public, max-age=3600"
    return response
