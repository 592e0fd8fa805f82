"""Inputs of the automatic indicators, read from the records of the other apps through their
selectors (never their models): monitoring (confirmed findings), publications (timeliness,
interpretations released with their policy), requests (replies on time), interaction (appeals
answered on time), reports (annual report published by the legal date).

An indicator's ``source`` names what feeds it:

=============================  ====================================================  =========
source                         input                                                  method
=============================  ====================================================  =========
``findings:rule,rule``         confirmed findings of these rules in the period         veto / deduction
``publication_timeliness``     published on time / published with a due date           ratio
``interpretation_sync``        policies with their interpretation released together    ratio
``request_on_time``            requests answered by the due date / answered            ratio
``appeal_response``            appeals answered by the due date / answered             ratio
``annual_report``              previous year's report published by 31 January           boolean
=============================  ====================================================  =========
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from gongkai.core.models import Organisation

METRICS = ("publication_timeliness", "interpretation_sync", "request_on_time", "appeal_response", "annual_report")


def _findings(units, start, end):
    from gongkai.monitoring import selectors

    return selectors.confirmed_counts([u.pk for u in units], start, end)


def _publications(units, start, end):
    from gongkai.publications import selectors

    return selectors.assessment_facts(units, start, end)


def _requests(units, start, end):
    from gongkai.requests import selectors

    return selectors.reply_facts(units, start, end)


def _appeals(units, start, end):
    from gongkai.interaction import selectors

    return selectors.appeal_facts(units, start, end)


def _reports(units, start, end):
    """Annual report for the year before ``end``'s year: published by 31 January (条例 art. 49)."""
    from gongkai.reports import selectors

    year = end.year - 1
    deadline = dt.date(end.year, 1, 31)
    out = {u.pk: {"ok": False, "year": year, "deadline": deadline.isoformat(), "published_on": None} for u in units}
    for report in selectors.published_reports(year=year).filter(unit__in=list(units)):
        if report.published_at is None:
            continue
        day = report.published_at.date()
        row = out[report.unit_id]
        if row["published_on"] is None or day.isoformat() < row["published_on"]:
            row["published_on"] = day.isoformat()
            row["ok"] = day <= deadline
    return out


def gather(units: list[Organisation], start: dt.date, end: dt.date, sources: set[str]) -> dict[int, dict[str, dict]]:
    """``{unit_id: {source: inputs}}`` for every source used by the set's indicators."""
    facts: dict[str, dict] = {}
    loaders: dict[str, Callable] = {
        "publication_timeliness": _publications,
        "interpretation_sync": _publications,
        "request_on_time": _requests,
        "appeal_response": _appeals,
        "annual_report": _reports,
    }
    cache: dict[Callable, dict] = {}
    for source in sources:
        loader = _findings if source.startswith("findings:") else loaders.get(source)
        if loader is None:
            continue
        if loader not in cache:
            cache[loader] = loader(units, start, end)
        facts[source] = cache[loader]
    out: dict[int, dict[str, dict]] = {}
    for unit in units:
        row = {}
        for source, data in facts.items():
            got = data.get(unit.pk, {})
            if source.startswith("findings:"):
                rules = [r.strip() for r in source.split(":", 1)[1].split(",") if r.strip()]
                veto = sum(got.get(r, {}).get("veto", 0) for r in rules)
                count = sum(sum(got.get(r, {}).values()) for r in rules)  # every confirmed finding of a listed rule
                row[source] = {"veto": veto, "count": count, "rules": rules}
            elif source == "publication_timeliness":
                row[source] = {"num": got.get("on_time", 0), "den": got.get("assessed", 0)}
            elif source == "interpretation_sync":
                row[source] = {"num": got.get("interpreted", 0), "den": got.get("needs_interpretation", 0)}
            elif source == "request_on_time":
                row[source] = {"num": got.get("on_time", 0), "den": got.get("finished", 0)}
            elif source == "appeal_response":
                row[source] = {"num": got.get("on_time", 0), "den": got.get("answered", 0)}
            else:
                row[source] = dict(got)
        out[unit.pk] = row
    return out
