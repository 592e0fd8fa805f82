"""Public pages: benefit items, the matcher, recipient lists (masked) and fund totals."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import matcher, privacy, selectors, services
from .models import Audience, Category, Policy, RecipientBatch

SESSION_PROFILES = "gk_benefit_profiles"


@require_GET
def index(request):
    audience = request.GET.get("audience", "")
    category = request.GET.get("category", "")
    items = selectors.published_items(
        audience=audience if audience in Audience.values else "",
        category=category if category in Category.values else "",
    )
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "audience": audience,
        "category": category,
        "audiences": Audience.choices,
        "categories": Category.choices,
        "query": "&".join(f"{k}={v}" for k, v in (("audience", audience), ("category", category)) if v),
    }
    return render(request, "benefits/index.html", context)


@require_GET
def item(request, pk: int):
    obj = selectors.public_item(pk)
    if obj is None:
        raise Http404(_("该事项不存在或已下架"))
    from gongkai.guides import selectors as guides

    context = {
        "item": obj,
        "criteria": obj.criteria.all(),
        "guides": list(guides.guides_by_ids(obj.guide_ids or []).values()),
        "batches": selectors.public_batches(obj),
    }
    return render(request, "benefits/item.html", context)


@require_GET
def policy(request, pk: int):
    obj = get_object_or_404(Policy.objects.select_related("unit"), pk=pk)
    items = selectors.published_items().filter(policy=obj)
    if not items.exists():
        raise Http404
    return render(request, "benefits/policy.html", {"policy": obj, "items": items})


@require_http_methods(["GET", "POST"])
def match(request):
    """The matcher: the visitor states facts; nothing is stored unless they tick "keep"."""
    audience = request.POST.get("audience") or request.GET.get("audience") or Audience.ENTERPRISE
    if audience not in Audience.values:
        audience = Audience.ENTERPRISE
    attributes = list(selectors.attributes(audience))
    results, errors, saved, raw = None, {}, None, {}
    if request.method == "POST":
        raw = {
            a.code: (request.POST.getlist(a.code) if a.type == "choice" else request.POST.get(a.code, ""))
            for a in attributes
        }
        raw = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in raw.items()}
        facts, errors = services.clean_facts(audience, raw)
        if not errors:
            compiled = selectors.compiled_items(audience)
            found = matcher.match(compiled, facts, audience)
            items = {i.pk: i for i in selectors.published_items(audience=audience)}
            results = [(items[r.item_id], r) for r in found if r.item_id in items]
            saved = services.profile_save(audience=audience, facts=facts, consent=request.POST.get("consent") == "1")
            if saved is not None:
                request.session[SESSION_PROFILES] = [*request.session.get(SESSION_PROFILES, [])[-4:], saved.token]
            from gongkai.guides.services import stat_hit

            stat_hit("matcher", audience)
    context = {
        "audience": audience,
        "audiences": Audience.choices,
        "attributes": attributes,
        "raw": raw,
        "errors": errors,
        "results": results,
        "saved": saved,
        "counts": _counts(results),
    }
    return render(request, "benefits/match.html", context, status=400 if errors else 200)


def _counts(results) -> dict:
    out = {matcher.ELIGIBLE: 0, matcher.POSSIBLE: 0, matcher.NOT_ELIGIBLE: 0}
    for _item, r in results or []:
        out[r.status] += 1
    return out


@require_http_methods(["GET", "POST"])
def profile_delete(request, token: str):
    deleted = None
    if request.method == "POST":
        deleted = services.profile_delete(token=token[:64])
        request.session[SESSION_PROFILES] = [t for t in request.session.get(SESSION_PROFILES, []) if t != token]
    return render(request, "benefits/profile_delete.html", {"token": token, "deleted": deleted})


@require_GET
def batch(request, pk: int):
    obj = get_object_or_404(selectors.public_batches(), pk=pk)
    rows = [privacy.public_row(r) for r in obj.recipients.all()]
    return render(request, "benefits/batch.html", {"batch": obj, "rows": rows})


@require_GET
def funds(request):
    return render(request, "benefits/funds.html", {"rows": selectors.fund_totals()})


def batch_for_staff(pk: int) -> RecipientBatch:
    return get_object_or_404(RecipientBatch.objects.select_related("item__policy__unit"), pk=pk)
