"""Status of regulations and normative documents (有效 / 失效 / 尚未生效 / 已修改).

The status is never stored: it is a function of the document's dates, its repeal and
amendment records and *today's date*, so it changes by itself when a date passes.
The same rule is implemented twice, once in Python (:func:`legal_status`, for one
document) and once as a SQL expression (:func:`annotate_status`, for filtering and
counting lists); tests check that both agree.

Rule, first match wins:
1. repealed by a repeal record whose effective date has come → 失效
2. 失效日期 reached (the document is invalid from that day on) → 失效
3. 施行日期 still in the future → 尚未生效
4. amended by an amendment record whose effective date has come → 已修改 (still in force)
5. otherwise → 有效
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Case, When
from django.utils import timezone

from .models import NORMATIVE_TYPES, LegalLink, LegalStatus, LinkKind

IN_FORCE = (LegalStatus.VALID, LegalStatus.AMENDED)


def today() -> dt.date:
    return timezone.localdate()


def legal_status(pub, on: dt.date | None = None) -> str | None:
    if pub.doc_type not in NORMATIVE_TYPES:
        return None
    on = on or today()
    links = list(pub.legal_links_in.all()) if pub.pk else []
    if any(link.kind == LinkKind.REPEAL and link.effective_on <= on for link in links):
        return LegalStatus.INVALID
    if pub.expires_on and pub.expires_on <= on:
        return LegalStatus.INVALID
    if pub.effective_from and pub.effective_from > on:
        return LegalStatus.NOT_YET
    if any(link.kind == LinkKind.AMEND and link.effective_on <= on for link in links):
        return LegalStatus.AMENDED
    return LegalStatus.VALID


def status_expression(on: dt.date):
    repealed = LegalLink.objects.filter(target=OuterRef("pk"), kind=LinkKind.REPEAL, effective_on__lte=on)
    amended = LegalLink.objects.filter(target=OuterRef("pk"), kind=LinkKind.AMEND, effective_on__lte=on)
    return Case(
        When(~Q(doc_type__in=NORMATIVE_TYPES), then=Value("")),
        When(Exists(repealed), then=Value(LegalStatus.INVALID.value)),
        When(expires_on__lte=on, then=Value(LegalStatus.INVALID.value)),
        When(effective_from__gt=on, then=Value(LegalStatus.NOT_YET.value)),
        When(Exists(amended), then=Value(LegalStatus.AMENDED.value)),
        default=Value(LegalStatus.VALID.value),
        output_field=CharField(),
    )


def annotate_status(qs: QuerySet, on: dt.date | None = None) -> QuerySet:
    """Annotate ``status_value`` (a LegalStatus value, "" for non-normative types)."""
    return qs.annotate(status_value=status_expression(on or today()))
