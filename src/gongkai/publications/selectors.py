"""Read queries for publications: the public portal, staff queues, statistics for other apps.

Public selectors only ever return items that are public (published, or withdrawn with
a notice); staff selectors are scoped with ``gongkai.core.permissions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role

from .guards import STEP_ROLE
from .models import NORMATIVE_TYPES, REVIEW_STATES, DocType, LegalLink, LinkKind, Publication, State
from .status import IN_FORCE, annotate_status, status_expression

#: the review queues as the workbench names them
QUEUE_LABELS = {
    State.ATTRIBUTE_REVIEW: _("待公开属性审查"),
    State.CONFIDENTIALITY_REVIEW: _("待保密审查"),
    State.SIGNOFF: _("待签发"),
}


def _related(qs: QuerySet) -> QuerySet:
    return qs.select_related("unit", "domain")


# --- public -----------------------------------------------------------------------


def published(
    *,
    doc_type: str | Iterable[str] | None = None,
    unit: Organisation | None = None,
    include_sub_units: bool = False,
    domain=None,
    year: int | None = None,
    q: str = "",
) -> QuerySet[Publication]:
    """Published items (not withdrawn), newest first."""
    qs = _related(Publication.objects.filter(state=State.PUBLISHED))
    if doc_type:
        qs = qs.filter(doc_type=doc_type) if isinstance(doc_type, str) else qs.filter(doc_type__in=list(doc_type))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path) if include_sub_units else qs.filter(unit=unit)
    if domain is not None:
        qs = qs.filter(domain=domain)
    if year:
        qs = qs.filter(published_on__year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(document_number__icontains=q) | Q(index_number__icontains=q))
    return qs.order_by("-published_on", "-id")


def public_detail(pk: int) -> Publication | None:
    """A published or withdrawn item (withdrawn items keep a page saying so)."""
    qs = _related(Publication.objects.filter(state__in=[State.PUBLISHED, State.WITHDRAWN]))
    qs = qs.select_related("interprets", "unit_item").prefetch_related(
        "attachments", "legal_links_in__by", "legal_links_out__target"
    )
    return qs.filter(pk=pk).first()


def public_interpretations(pub: Publication) -> QuerySet[Publication]:
    return Publication.objects.filter(interprets=pub, state=State.PUBLISHED).order_by("published_on", "id")


def library(
    *,
    status: str = "",
    doc_type: str = "",
    unit: Organisation | None = None,
    q: str = "",
    on: dt.date | None = None,
) -> QuerySet[Publication]:
    """The regulations and normative documents library (规章/规范性文件库) with derived status."""
    qs = _related(Publication.objects.filter(state=State.PUBLISHED, doc_type__in=NORMATIVE_TYPES))
    qs = annotate_status(qs, on)
    if status:
        qs = qs.filter(status_value=status)
    if doc_type in NORMATIVE_TYPES:
        qs = qs.filter(doc_type=doc_type)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(document_number__icontains=q) | Q(issuer__icontains=q))
    return qs.order_by("-effective_from", "-published_on", "-id")


def publishing_units() -> QuerySet[Organisation]:
    """Units that have published something (for portal filters and unit listings)."""
    return Organisation.objects.filter(publications__state=State.PUBLISHED).distinct().order_by("path")


def published_for_unit_item(unit_item) -> QuerySet[Publication]:
    """Published items fulfilling a catalogue item (used by the catalogue portal)."""
    return (
        Publication.objects.filter(unit_item=unit_item, state=State.PUBLISHED)
        .select_related("unit")
        .order_by("-published_on", "-id")
    )


def portal_counts(*, year: int, since: dt.date) -> dict[str, int]:
    """For the portal home page: items published in ``year`` and on or after ``since`` (one query)."""
    return Publication.objects.filter(state=State.PUBLISHED).aggregate(
        year=Count("id", filter=Q(published_on__year=year)),
        recent=Count("id", filter=Q(published_on__gte=since)),
    )


def public_change_marker() -> QuerySet:
    """When a public item last changed (published, edited or withdrawn): a one-value query
    (``SELECT updated_at … LIMIT 1``) that the portal runs as a subquery to key its caches."""
    return (
        Publication.objects.filter(state__in=[State.PUBLISHED, State.WITHDRAWN])
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )


def feed_items(*, unit: Organisation | None = None, doc_type: str = "", limit: int = 50) -> list[Publication]:
    qs = Publication.objects.filter(state=State.PUBLISHED).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    return list(qs.order_by("-published_at", "-published_on", "-id")[:limit])


# --- staff ------------------------------------------------------------------------


def staff_list(user, *, state: str = "", doc_type: str = "", unit_id: int | None = None, q: str = "") -> QuerySet:
    qs = _related(permissions.scope(Publication.objects.all(), user))
    if state:
        qs = qs.filter(state=state)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(document_number__icontains=q) | Q(index_number__icontains=q))
    return qs.order_by("-updated_at", "-id")


def staff_get(user, pk: int) -> Publication | None:
    """One item if the user may see its unit (None otherwise, so views answer 404)."""
    pub = _related(Publication.objects.filter(pk=pk)).select_related("interprets", "created_by").first()
    if pub is None or not permissions.can_view(user, pub.unit):
        return None
    return pub


def my_drafts(user) -> QuerySet[Publication]:
    """Drafts the user may edit: their own, plus drafts returned to their units' editors."""
    units = permissions.units_with_role(user, Role.EDITOR)
    return _related(Publication.objects.filter(state=State.DRAFT, unit__in=units)).order_by("-updated_at")


def in_review_for_editor(user) -> QuerySet[Publication]:
    """Items of the user's editor units that are waiting in review (to follow their progress)."""
    units = permissions.units_with_role(user, Role.EDITOR)
    return _related(Publication.objects.filter(state__in=REVIEW_STATES, unit__in=units)).order_by("-updated_at")


def queue_units(user, state: str) -> QuerySet[Organisation]:
    """Units whose items at review step ``state`` the user sees in the queue: where they hold that
    step's role, and every unit a disclosure office (政务公开办) oversees (to follow, not to act)."""
    mine = permissions.units_with_role(user, STEP_ROLE[state])
    overseen = permissions.units_with_role(user, Role.DISCLOSURE_OFFICE)
    return Organisation.objects.filter(Q(pk__in=mine.values("pk")) | Q(pk__in=overseen.values("pk")))


def review_queue(user, state: str) -> QuerySet[Publication]:
    """Items waiting at ``state`` in the units of :func:`queue_units`, oldest first."""
    if state not in REVIEW_STATES:
        return Publication.objects.none()
    qs = Publication.objects.filter(state=state, unit__in=queue_units(user, state))
    return _related(qs).order_by("updated_at", "id")


def queue_counts(user) -> dict[str, int]:
    return {state: review_queue(user, state).count() for state in REVIEW_STATES}


def late_items(user, *, unit_id: int | None = None, on: dt.date | None = None) -> QuerySet[Publication]:
    """Published late, or still unpublished after the due date (visible units only)."""
    on = on or timezone.localdate()
    qs = permissions.scope(Publication.objects.all(), user)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    pending = Q(state__in=[State.DRAFT, *REVIEW_STATES], due_on__lt=on, attribute="proactive")
    late = Q(state__in=[State.PUBLISHED, State.WITHDRAWN], is_late=True)
    return _related(qs.filter(pending | late)).order_by("due_on", "id")


# --- statistics for other apps (reports, assessment, catalogue) ----------------------


def timeliness_stats(units: Iterable[Organisation], year: int, *, on: dt.date | None = None) -> dict[int, dict]:
    """Per unit, for items published in ``year``: how many were assessed against a due date,
    on time, late; plus items still unpublished past their due date (as of ``on``).

    Returns ``{unit_id: {"unit", "published", "assessed", "on_time", "late", "late_rate",
    "overdue_pending"}}`` for every unit given (zeros included).
    """
    units = list(units)
    on = on or timezone.localdate()
    ids = [u.pk for u in units]
    public = [State.PUBLISHED, State.WITHDRAWN]
    rows = (
        Publication.objects.filter(unit_id__in=ids, state__in=public, published_on__year=year)
        .values("unit_id")
        .annotate(
            published=Count("id"),
            assessed=Count("id", filter=Q(due_on__isnull=False)),
            late=Count("id", filter=Q(is_late=True)),
        )
    )
    pending = (
        Publication.objects.filter(
            unit_id__in=ids,
            state__in=[State.DRAFT, *REVIEW_STATES],
            due_on__lt=on,
            due_on__year=year,
            attribute="proactive",
        )
        .values("unit_id")
        .annotate(n=Count("id"))
    )
    by_unit = {r["unit_id"]: r for r in rows}
    pending_by_unit = {r["unit_id"]: r["n"] for r in pending}
    result = {}
    for unit in units:
        r = by_unit.get(unit.pk, {})
        assessed, late = r.get("assessed", 0), r.get("late", 0)
        result[unit.pk] = {
            "unit": unit,
            "published": r.get("published", 0),
            "assessed": assessed,
            "on_time": assessed - late,
            "late": late,
            "late_rate": round(late / assessed, 4) if assessed else 0.0,
            "overdue_pending": pending_by_unit.get(unit.pk, 0),
        }
    return result


REPORT_ROWS = {"规章": DocType.REGULATION, "行政规范性文件": DocType.NORMATIVE}


def normative_counts(units: Iterable[Organisation], year: int) -> dict[str, dict[str, int]]:
    """Annual report table 二, 第二十条第（一）项 (国办公开办函〔2021〕30号).

    - made (本年制发件数): published in ``year`` (withdrawn items excluded: they were retracted);
    - repealed (本年废止件数): repeal records taking effect in ``year``;
    - in_force (现行有效件数): status 有效 or 已修改 on 31 December of ``year`` (or today,
      for the current year).
    """
    ids = [u.pk for u in units]
    year_end = min(dt.date(year, 12, 31), timezone.localdate())
    result = {}
    for label, doc_type in REPORT_ROWS.items():
        base = Publication.objects.filter(unit_id__in=ids, doc_type=doc_type, state=State.PUBLISHED)
        made = base.filter(published_on__year=year).count()
        repealed = (
            LegalLink.objects.filter(kind=LinkKind.REPEAL, target__in=base, effective_on__year=year)
            .values("target")
            .distinct()
            .count()
        )
        in_force = (
            base.filter(published_on__lte=year_end)
            .annotate(status_value=status_expression(year_end))
            .filter(status_value__in=[s.value for s in IN_FORCE])
            .count()
        )
        result[label] = {"made": made, "repealed": repealed, "in_force": in_force}
    return result


# --- for the annual report and the statistics (read by the reports app) ------------------------


def normative_record_ids(units, year: int) -> dict[tuple[str, str], list[int]]:
    """(row, column) → ids behind :func:`normative_counts`: rows "rules" (规章) and "normative"
    (行政规范性文件), columns "made", "repealed", "in_force" (table 二, 第二十条第（一）项)."""
    year_end = min(dt.date(year, 12, 31), timezone.localdate())
    out: dict[tuple[str, str], list[int]] = {}
    for row, doc_type in (("rules", DocType.REGULATION), ("normative", DocType.NORMATIVE)):
        base = Publication.objects.filter(unit__in=units, doc_type=doc_type, state=State.PUBLISHED)
        out[(row, "made")] = list(base.filter(published_on__year=year).order_by("pk").values_list("pk", flat=True))
        out[(row, "repealed")] = sorted(
            set(
                LegalLink.objects.filter(kind=LinkKind.REPEAL, target__in=base, effective_on__year=year).values_list(
                    "target_id", flat=True
                )
            )
        )
        out[(row, "in_force")] = list(
            base.filter(published_on__lte=year_end)
            .annotate(status_value=status_expression(year_end))
            .filter(status_value__in=[s.value for s in IN_FORCE])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return out


def bulk_normative(units, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """:func:`normative_counts` for every unit at once: one GROUP BY for made/in force, one for repeals."""
    year_end = min(dt.date(year, 12, 31), timezone.localdate())
    types = {DocType.REGULATION.value: "rules", DocType.NORMATIVE.value: "normative"}
    base = Publication.objects.filter(unit__in=units, doc_type__in=list(types), state=State.PUBLISHED)
    result: dict[int, dict[str, dict[str, int]]] = {}

    def slot(unit_id, doc_type):
        table = result.setdefault(unit_id, {r: {"made": 0, "repealed": 0, "in_force": 0} for r in types.values()})
        return table[types[doc_type]]

    rows = (
        base.annotate(status_value=status_expression(year_end))
        .values("unit_id", "doc_type")
        .annotate(
            made=Count("id", filter=Q(published_on__year=year)),
            in_force=Count("id", filter=Q(published_on__lte=year_end, status_value__in=[s.value for s in IN_FORCE])),
        )
        .order_by()
    )
    for r in rows:
        s = slot(r["unit_id"], r["doc_type"])
        s["made"], s["in_force"] = r["made"], r["in_force"]
    repeals = (
        LegalLink.objects.filter(kind=LinkKind.REPEAL, target__in=base, effective_on__year=year)
        .values("target__unit_id", "target__doc_type")
        .annotate(n=Count("target_id", distinct=True))
        .order_by()
    )
    for r in repeals:
        slot(r["target__unit_id"], r["target__doc_type"])["repealed"] = r["n"]
    return result


def published_counts(units, year: int) -> dict:
    """Published items of ``year``: by unit (top 20), type, month and domain, as ``[label, n]`` rows."""
    from django.db.models.functions import ExtractMonth

    qs = Publication.objects.filter(
        unit__in=units, state__in=[State.PUBLISHED, State.WITHDRAWN], published_on__year=year
    )
    types = dict(DocType.choices)
    by_unit = [
        [r["unit__short_name"] or r["unit__name"], r["n"]]
        for r in qs.values("unit__name", "unit__short_name").annotate(n=Count("id")).order_by("-n")[:20]
    ]
    by_type = [
        [str(types.get(r["doc_type"], r["doc_type"])), r["n"]]
        for r in qs.values("doc_type").annotate(n=Count("id")).order_by("-n")
    ]
    months = {
        r["m"]: r["n"]
        for r in qs.annotate(m=ExtractMonth("published_on")).values("m").annotate(n=Count("id")).order_by()
    }
    by_domain = [
        [r["domain__name"] or gettext("未归类"), r["n"]]
        for r in qs.values("domain__name").annotate(n=Count("id")).order_by("-n")[:20]
    ]
    return {
        "by_unit": by_unit,
        "by_type": by_type,
        "by_month": [[gettext("%(m)s月") % {"m": m}, months.get(m, 0)] for m in range(1, 13)],
        "by_domain": by_domain,
    }


def publications_by_ids(user, ids) -> QuerySet[Publication]:
    """The publications among ``ids`` that ``user`` may see (the records behind a report figure)."""
    return permissions.scope(Publication.objects.filter(pk__in=ids), user).select_related("unit")


def assessment_facts(units: Iterable[Organisation], start: dt.date, end: dt.date) -> dict[int, dict]:
    """For the assessment app, per unit, items published in [start, end]: ``assessed`` (with a
    due date), ``on_time``; ``needs_interpretation`` (policies marked as needing one) and
    ``interpreted`` (those with a published interpretation released no later than the policy)."""
    ids = [u.pk for u in units]
    public = [State.PUBLISHED, State.WITHDRAWN]
    base = Publication.objects.filter(unit_id__in=ids, state__in=public, published_on__gte=start, published_on__lte=end)
    out = {i: {"assessed": 0, "on_time": 0, "needs_interpretation": 0, "interpreted": 0} for i in ids}
    for r in base.values("unit_id").annotate(
        assessed=Count("id", filter=Q(due_on__isnull=False)),
        late=Count("id", filter=Q(due_on__isnull=False, is_late=True)),
    ):
        out[r["unit_id"]].update(assessed=r["assessed"], on_time=r["assessed"] - r["late"])
    policies = base.filter(needs_interpretation=True).exclude(doc_type=DocType.INTERPRETATION)
    for unit_id, pk, published_on in policies.values_list("unit_id", "pk", "published_on"):
        out[unit_id]["needs_interpretation"] += 1
        together = Publication.objects.filter(
            interprets_id=pk, doc_type=DocType.INTERPRETATION, state=State.PUBLISHED, published_on__lte=published_on
        ).exists()
        out[unit_id]["interpreted"] += int(together)
    return out
