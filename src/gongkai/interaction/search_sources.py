"""What the interaction app gives 一网通查 (``gongkai.search``): published FAQ entries, published
appeals (the masked public texts only), public consultations and their feedback reports; and
the FAQ entries offered when a search finds nothing. Wired from ``InteractionConfig.ready()``;
services call :func:`schedule` once per state change (after commit, never raises)."""

from __future__ import annotations

import logging
import re

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from gongkai.core import privacy

log = logging.getLogger(__name__)

FAQ = "faq"
APPEAL = "appeal"
CONSULTATION = "consultation"
REPORT = "consultation_report"
_PHONE_LIKE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?\d[\d -]{6,16}\d(?!\d)")


def _search():
    try:
        from gongkai.search import types
    except ImportError:  # search app not installed
        return None
    return types


def masked(text: str) -> str:
    """Public appeal text as published (screened and masked by staff), with any digit run that
    still looks like a phone or ID number masked once more (``core.privacy``)."""
    return _PHONE_LIKE.sub(lambda m: privacy.mask_phone(m.group(0)), text or "")


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html or "")).strip()


# --- documents ----------------------------------------------------------------------------------


def faq_document(entry):
    SearchDocument = _search().SearchDocument
    topics = " ".join(t.name for t in entry.topics.all())
    day = entry.created_at.date() if entry.created_at else None
    return SearchDocument(
        id=f"{FAQ}:{entry.pk}",
        kind=FAQ,
        title=entry.question,
        body=entry.answer + ("\n" + topics if topics else ""),
        url=reverse("interaction:faq-detail", args=[entry.pk]),
        unit_id=entry.unit_id,
        unit_name=entry.unit.name if entry.unit_id else "",
        doc_type="",
        domain=entry.domain_name or "",
        year=day.year if day else None,
        status="",
        published_on=day,
    )


def appeal_document(appeal):
    SearchDocument = _search().SearchDocument
    day = appeal.published_at.date() if appeal.published_at else None
    unit = appeal.unit or appeal.target_unit
    return SearchDocument(
        id=f"{APPEAL}:{appeal.pk}",
        kind=APPEAL,
        title=masked(appeal.public_title),
        body=masked(appeal.public_content) + "\n" + str(_("答复：")) + masked(appeal.public_answer),
        url=reverse("interaction:appeal-detail", args=[appeal.pk]),
        unit_id=unit.pk if unit else None,
        unit_name=unit.name if unit else "",
        doc_type="",
        domain="",
        year=day.year if day else None,
        status="",
        published_on=day,
        extra={"appeal_type": appeal.type.name},
    )


def consultation_document(c):
    SearchDocument = _search().SearchDocument
    day = c.opens_on
    return SearchDocument(
        id=f"{CONSULTATION}:{c.pk}",
        kind=CONSULTATION,
        title=c.title,
        body="\n".join(x for x in (c.summary, _plain(c.draft), _plain(c.explanation)) if x),
        url=reverse("interaction:consultation", args=[c.pk]),
        unit_id=c.unit_id,
        unit_name=c.unit.name,
        doc_type="",
        domain="",
        year=day.year if day else None,
        status="",
        published_on=day,
        extra={"closes_on": c.closes_on.isoformat() if c.closes_on else ""},
    )


def report_document(c):
    SearchDocument = _search().SearchDocument
    day = c.reported_at.date() if c.reported_at else c.closes_on
    return SearchDocument(
        id=f"{REPORT}:{c.pk}",
        kind=REPORT,
        title=str(_("%(title)s 意见采纳情况反馈")) % {"title": c.title},
        body=_plain(c.feedback_report),
        url=reverse("interaction:consultation", args=[c.pk]) + "#rep-h",
        unit_id=c.unit_id,
        unit_name=c.unit.name,
        doc_type="",
        domain="",
        year=day.year if day else None,
        status="",
        published_on=day,
    )


# --- sources ------------------------------------------------------------------------------------


def _faq_qs():
    from .selectors import published_faq

    return published_faq()


def _appeal_qs():
    from .selectors import public_appeals

    return public_appeals().select_related("target_unit")


def _consultation_qs():
    from .models import Consultation, ConsultationStatus

    return Consultation.objects.exclude(status=ConsultationStatus.DRAFT).select_related("unit")


def _report_qs():
    from .models import Consultation, ConsultationStatus

    return Consultation.objects.filter(status=ConsultationStatus.REPORTED).select_related("unit")


def _getter(qs_fn, build):
    def get(pk: str):
        try:
            obj = qs_fn().get(pk=int(pk))
        except (ValueError, qs_fn().model.DoesNotExist):
            return None
        return build(obj)

    return get


def _iter(qs_fn, build):
    def iter_all():
        qs = qs_fn().order_by("pk")
        last = 0
        while True:
            batch = list(qs.filter(pk__gt=last)[:1000])
            if not batch:
                return
            for obj in batch:
                yield build(obj)
            last = batch[-1].pk

    return iter_all


SOURCES = [
    (FAQ, _faq_qs, faq_document, _("常见问题"), "interaction:faq", 20),
    (APPEAL, _appeal_qs, appeal_document, _("留言答复"), "interaction:appeal-list", 30),
    (CONSULTATION, _consultation_qs, consultation_document, _("意见征集"), "interaction:consultations", 40),
    (REPORT, _report_qs, report_document, _("意见采纳反馈"), "interaction:consultations", 41),
]


def faq_help(query: str, limit: int):
    """Closest FAQ entries for an empty search result page."""
    from gongkai.search.help import RelatedItem

    from .selectors import faq_search

    return [
        RelatedItem(e.question, reverse("interaction:faq-detail", args=[e.pk]), e.answer[:80])
        for e in faq_search(query, limit=limit)
    ]


def register() -> None:
    if _search() is None:
        return
    from django.urls import reverse_lazy

    from gongkai.search import register_source
    from gongkai.search.help import register_help_provider

    for kind, qs_fn, build, label, list_name, order in SOURCES:
        register_source(
            kind, _iter(qs_fn, build), _getter(qs_fn, build), label=label, list_url=reverse_lazy(list_name), order=order
        )
    register_help_provider(FAQ, _("常见问题"), faq_help)
    from gongkai.search import semantic

    semantic.register_texts(FAQ, faq_texts)


def faq_texts() -> dict[str, str]:
    """What the optional semantic re-ranker embeds per published FAQ entry."""
    return {str(pk): f"{q} {a[:120]}" for pk, q, a in _faq_qs().values_list("pk", "question", "answer")}


def schedule(kind: str, pk: int) -> None:
    """(Re)index one item after the current transaction commits; removed when no longer public.
    A consultation also refreshes its feedback report. Never raises."""
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    schedule_index(f"{kind}:{pk}")
    if kind == CONSULTATION:
        schedule_index(f"{REPORT}:{pk}")
