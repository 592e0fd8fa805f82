"""Reads of the benefits app (the only module other apps import)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from gongkai.core import permissions

from . import matcher
from .models import Attribute, BatchState, BenefitItem, ItemState, Policy, RecipientBatch


def published_items(*, audience: str = "", category: str = "", unit=None) -> QuerySet[BenefitItem]:
    qs = BenefitItem.objects.filter(state=ItemState.PUBLISHED).select_related("policy__unit")
    if audience:
        qs = qs.filter(audience=audience)
    if category:
        qs = qs.filter(category=category)
    if unit is not None:
        qs = qs.filter(policy__unit=unit)
    return qs.order_by("-published_at", "pk")


def public_item(pk: int) -> BenefitItem | None:
    return published_items().prefetch_related("criteria__attribute").filter(pk=pk).first()


def items_by_ids(ids) -> dict[int, BenefitItem]:
    """Published items by id (life-event steps)."""
    return {i.pk: i for i in published_items().filter(pk__in=list(ids))}


def items_published_since(since: dt.datetime, *, unit=None, item_ids=None) -> list[BenefitItem]:
    qs = published_items().filter(published_at__gt=since)
    if unit is not None:
        qs = qs.filter(policy__unit=unit)
    if item_ids is not None:
        qs = qs.filter(pk__in=list(item_ids))
    return list(qs[:50])


def items_for_guide(guide_id: int) -> list[BenefitItem]:
    """Published items that link a guide (guide pages show "related benefits")."""
    return [i for i in published_items() if guide_id in (i.guide_ids or [])]


def attributes(audience: str) -> QuerySet[Attribute]:
    return Attribute.objects.filter(audience=audience).order_by("sort_order", "code")


def compiled_items(audience: str | None = None) -> list[tuple[int, str, tuple[matcher.Spec, ...]]]:
    """Published items with their criteria compiled for the matcher (one query for all criteria)."""
    qs = published_items(audience=audience or "").prefetch_related("criteria__attribute")
    out = []
    for item in qs:
        specs = []
        for c in item.criteria.all():
            a = c.attribute
            try:
                specs.append(
                    matcher.compile_spec(
                        attribute=a.code,
                        label=a.label,
                        type=a.type,
                        operator=c.operator,
                        value=c.value,
                        unit_label=a.unit_label,
                    )
                )
            except matcher.CriterionInvalid:  # an attribute's type changed after the criterion was written
                continue
        out.append((item.pk, item.audience, tuple(specs)))
    return out


def public_batches(item: BenefitItem | None = None) -> QuerySet[RecipientBatch]:
    qs = RecipientBatch.objects.filter(state__in=[BatchState.PUBLISHED, BatchState.CLOSED]).select_related(
        "item__policy__unit"
    )
    if item is not None:
        qs = qs.filter(item=item)
    return qs.annotate(n=Count("recipients"), total=Sum("recipients__amount"))


def fund_totals(*, unit=None) -> list[dict]:
    """Amounts paid per policy and year, from published recipient lists: ``[{policy, year, total, count}]``."""
    qs = public_batches()
    if unit is not None:
        qs = qs.filter(item__policy__unit=unit)
    sums: dict[tuple[int, int], dict] = defaultdict(lambda: {"total": Decimal("0"), "count": 0})
    policies: dict[int, Policy] = {}
    for batch in qs:
        key = (batch.item.policy_id, batch.year)
        policies[batch.item.policy_id] = batch.item.policy
        sums[key]["total"] += batch.total or Decimal("0")
        sums[key]["count"] += batch.n
    rows = [
        {"policy": policies[pid], "year": year, "total": v["total"], "count": v["count"]}
        for (pid, year), v in sums.items()
    ]
    return sorted(rows, key=lambda r: (-r["year"], r["policy"].title))


# --- staff ----------------------------------------------------------------------------


def staff_policies(user) -> QuerySet[Policy]:
    return permissions.scope(Policy.objects.select_related("unit"), user).order_by("-pk")


def staff_items(user, *, state: str = "") -> QuerySet[BenefitItem]:
    qs = permissions.scope(BenefitItem.objects.select_related("policy__unit"), user, unit_field="policy__unit")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-updated_at")


def staff_batches(user) -> QuerySet[RecipientBatch]:
    qs = RecipientBatch.objects.select_related("item__policy__unit")
    return permissions.scope(qs, user, unit_field="item__policy__unit").annotate(
        n=Count("recipients"), total=Sum("recipients__amount")
    )


def queue_counts(user) -> dict[str, int]:
    items = staff_items(user)
    return {
        "review": items.filter(state=ItemState.REVIEW).count(),
        "expiring": items.filter(
            state=ItemState.PUBLISHED,
            valid_until__isnull=False,
            valid_until__lte=dt.date.today() + dt.timedelta(days=30),
        ).count(),
        "batches": staff_batches(user).filter(state=BatchState.REVIEW).count(),
    }
