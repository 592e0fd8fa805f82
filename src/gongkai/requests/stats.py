"""Annual report tables 三 and 四 (国办公开办函〔2021〕30号), computed from records.

Table 三 counts, per applicant column, for a set of units and a year:

* 一 new: requests received in the year;
* 二 carried over: received before the year and not finished before 1 January;
* 三 outcomes: requests finished in the year, by reply type (art. 36 types;
  已主动公开 counts as 予以公开; a request deemed abandoned after no correction
  counts as 其他处理 1; one withdrawn by the applicant as 其他处理 3);
* 四 carried forward: received by 31 December and not finished by then.

So 一 + 二 = 三（七） + 四 holds for every column by construction; the tests check it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from .models import ApplicantType, InformationRequest, OrgType, Outcome, ReviewCase, ReviewKind, ReviewOutcome

COLUMNS = [
    ("natural", "自然人"),
    (OrgType.COMMERCIAL.value, "商业企业"),
    (OrgType.RESEARCH.value, "科研机构"),
    (OrgType.CHARITY.value, "社会公益组织"),
    (OrgType.LEGAL.value, "法律服务机构"),
    (OrgType.OTHER.value, "其他"),
    ("total", "总计"),
]

# outcome -> (section key, item number within the section, 0 = the section itself)
OUTCOME_ROWS = {
    Outcome.PUBLIC_ALREADY: ("public", 0),
    Outcome.PUBLIC: ("public", 0),
    Outcome.PARTIAL: ("partial", 0),
    Outcome.WITHHELD_SECRET: ("withheld", 1),
    Outcome.WITHHELD_LAW: ("withheld", 2),
    Outcome.WITHHELD_SAFETY: ("withheld", 3),
    Outcome.WITHHELD_THIRD_PARTY: ("withheld", 4),
    Outcome.WITHHELD_INTERNAL: ("withheld", 5),
    Outcome.WITHHELD_PROCESS: ("withheld", 6),
    Outcome.WITHHELD_CASE_FILE: ("withheld", 7),
    Outcome.WITHHELD_QUERY: ("withheld", 8),
    Outcome.UNAVAILABLE_NOT_HELD: ("unavailable", 1),
    Outcome.UNAVAILABLE_NOT_READY: ("unavailable", 2),
    Outcome.UNAVAILABLE_UNCLEAR: ("unavailable", 3),
    Outcome.NOT_HANDLED_PETITION: ("not_handled", 1),
    Outcome.NOT_HANDLED_REPEAT: ("not_handled", 2),
    Outcome.NOT_HANDLED_PUBLICATION: ("not_handled", 3),
    Outcome.NOT_HANDLED_EXCESSIVE: ("not_handled", 4),
    Outcome.NOT_HANDLED_CONFIRM: ("not_handled", 5),
    Outcome.OTHER_NO_CORRECTION: ("other", 1),
    Outcome.OTHER_NO_FEE: ("other", 2),
    Outcome.OTHER: ("other", 3),
}

# The official rows, in order: (key, label, indent level). Section rows of 三 that
# have items are the sum of their items, exactly as on the national form.
ROWS = [
    ("new", "一、本年新收政府信息公开申请数量", 0),
    ("carried", "二、上年结转政府信息公开申请数量", 0),
    ("outcomes", "三、本年度办理结果", 0),
    ("public", "（一）予以公开", 1),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ("withheld", "（三）不予公开", 1),
    ("withheld.1", "1.属于国家秘密", 2),
    ("withheld.2", "2.其他法律行政法规禁止公开", 2),
    ("withheld.3", "3.危及“三安全一稳定”", 2),
    ("withheld.4", "4.保护第三方合法权益", 2),
    ("withheld.5", "5.属于三类内部事务信息", 2),
    ("withheld.6", "6.属于四类过程性信息", 2),
    ("withheld.7", "7.属于行政执法案卷", 2),
    ("withheld.8", "8.属于行政查询事项", 2),
    ("unavailable", "（四）无法提供", 1),
    ("unavailable.1", "1.本机关不掌握相关政府信息", 2),
    ("unavailable.2", "2.没有现成信息需要另行制作", 2),
    ("unavailable.3", "3.补正后申请内容仍不明确", 2),
    ("not_handled", "（五）不予处理", 1),
    ("not_handled.1", "1.信访举报投诉类申请", 2),
    ("not_handled.2", "2.重复申请", 2),
    ("not_handled.3", "3.要求提供公开出版物", 2),
    ("not_handled.4", "4.无正当理由大量反复申请", 2),
    ("not_handled.5", "5.要求行政机关确认或重新出具已获取信息", 2),
    ("other", "（六）其他处理", 1),
    ("other.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("other.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
    ("other.3", "3.其他", 2),
    ("finished", "（七）总计", 1),
    ("forward", "四、结转下年度继续办理", 0),
]


# Rows that are headings on the national form (no figures of their own).
HEADER_ROWS = {"outcomes"}
CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass
class Table:
    columns: list[tuple[str, str]]
    rows: list[tuple[str, str, int]]
    cells: dict[str, dict[str, int]] = field(default_factory=dict)

    def value(self, row: str, column: str) -> int:
        return self.cells.get(row, {}).get(column, 0)

    def as_rows(self):
        """[(label, indent, [values per column])] for templates and exports."""
        return [
            (label, indent, ["" if key in HEADER_ROWS else self.value(key, c) for c, _ in self.columns])
            for key, label, indent in self.rows
        ]


def column_of(req: InformationRequest) -> str:
    if req.applicant_type == ApplicantType.PERSON:
        return "natural"
    return req.org_type or OrgType.OTHER.value


def annual_table3(units, year: int) -> Table:
    """Table 三 for requests addressed to ``units`` (a queryset or list) in ``year``."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = (
        InformationRequest.objects.filter(unit__in=units, received_on__lte=end)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=start))
        # "status" too: django-fsm reads its field on load, and a deferred one costs a query per row.
        .only("applicant_type", "org_type", "received_on", "finished_on", "outcome", "status")
    )
    table = Table(columns=COLUMNS, rows=ROWS)
    cells: dict[str, dict[str, int]] = {key: {c: 0 for c, _ in COLUMNS} for key, _, _ in ROWS}

    def add(row: str, col: str) -> None:
        cells[row][col] += 1
        cells[row]["total"] += 1

    for req in qs.iterator(chunk_size=2000):
        col = column_of(req)
        add("new" if req.received_on >= start else "carried", col)
        if req.finished_on is not None and req.finished_on <= end:
            section, item = OUTCOME_ROWS.get(req.outcome, ("other", 3))
            add(section, col)
            if item:
                add(f"{section}.{item}", col)
            add("finished", col)
        else:
            add("forward", col)
    table.cells = cells
    return table


TABLE4_GROUPS = [
    (ReviewKind.REVIEW.value, "行政复议"),
    (ReviewKind.LITIGATION_DIRECT.value, "行政诉讼 未经复议直接起诉"),
    (ReviewKind.LITIGATION_AFTER_REVIEW.value, "行政诉讼 复议后起诉"),
]
TABLE4_RESULTS = [
    (ReviewOutcome.UPHELD.value, "结果维持"),
    (ReviewOutcome.CORRECTED.value, "结果纠正"),
    (ReviewOutcome.OTHER.value, "其他结果"),
    (ReviewOutcome.PENDING.value, "尚未审结"),
    ("total", "总计"),
]


def annual_table4(units, year: int) -> dict[str, dict[str, int]]:
    """Table 四: cases filed in the year, or filed earlier and still pending at its start.

    The outcome is the one known at 31 December: a case decided later counts as 尚未审结.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = ReviewCase.objects.filter(unit__in=units, filed_on__lte=end).filter(
        Q(filed_on__gte=start) | Q(decided_on__isnull=True) | Q(decided_on__gte=start)
    )
    result = {g: {r: 0 for r, _ in TABLE4_RESULTS} for g, _ in TABLE4_GROUPS}
    for case in qs:
        outcome = case.outcome
        if outcome != ReviewOutcome.PENDING and (case.decided_on is None or case.decided_on > end):
            outcome = ReviewOutcome.PENDING
        result[case.kind][outcome] += 1
        result[case.kind]["total"] += 1
    return result


# --- the records behind each figure, and many units at once (read by the reports app) --------


def _leaf(outcome: str) -> str:
    """Table 三 row of a finished request's outcome, in this module's keys ("public", "withheld.1" …)."""
    section, item = OUTCOME_ROWS.get(outcome, ("other", 3))
    return f"{section}.{item}" if item else section


def _col(applicant_type: str, org_type: str) -> str:
    return "natural" if applicant_type == ApplicantType.PERSON else (org_type or OrgType.OTHER.value)


def _table3_queryset(units, year: int):
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = InformationRequest.objects.filter(unit__in=units, received_on__lte=end).filter(
        Q(finished_on__isnull=True) | Q(finished_on__gte=start)
    )
    return qs, start, end


def table3_record_ids(units, year: int) -> dict[tuple[str, str], list[int]]:
    """(row, column) → ids of the requests counted in that cell of :func:`annual_table3`.

    Rows: "new", "carried", "forward" and the outcome leaves ("public", "partial", "withheld.1" …).
    """
    qs, start, end = _table3_queryset(units, year)
    rows = qs.values_list("pk", "applicant_type", "org_type", "received_on", "finished_on", "outcome").order_by("pk")
    out: dict[tuple[str, str], list[int]] = {}
    for pk, atype, otype, received, finished, outcome in rows.iterator(chunk_size=2000):
        col = _col(atype, otype)
        out.setdefault(("new" if received >= start else "carried", col), []).append(pk)
        row = _leaf(outcome) if finished is not None and finished <= end else "forward"
        out.setdefault((row, col), []).append(pk)
    return out


def table4_record_ids(units, year: int) -> dict[tuple[str, str], list[int]]:
    """(review kind, outcome at 31 December) → ids of the cases counted in :func:`annual_table4`."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = (
        ReviewCase.objects.filter(unit__in=units, filed_on__lte=end)
        .filter(Q(filed_on__gte=start) | Q(decided_on__isnull=True) | Q(decided_on__gte=start))
        .values_list("pk", "kind", "outcome", "decided_on")
        .order_by("pk")
    )
    out: dict[tuple[str, str], list[int]] = {}
    for pk, kind, outcome, decided in qs:
        if outcome != ReviewOutcome.PENDING and (decided is None or decided > end):
            outcome = ReviewOutcome.PENDING
        out.setdefault((kind, outcome), []).append(pk)
    return out


def bulk_table3(units, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """Table 三 for every unit in ``units`` with ONE query (GROUP BY unit × applicant column, one
    filtered COUNT per row): ``{unit_id: {row: {column: n}}}`` in :func:`table3_record_ids`' keys
    plus "finished" (三（七）), without the "total" column."""
    from django.db.models import Case, CharField, Count, F, Value, When

    qs, start, end = _table3_queryset(units, year)
    done = Q(finished_on__isnull=False, finished_on__lte=end)
    by_leaf: dict[str, list[str]] = {}
    for outcome in OUTCOME_ROWS:
        by_leaf.setdefault(_leaf(outcome), []).append(str(outcome))
    known = [str(o) for o in OUTCOME_ROWS]
    counts = {
        "new": Count("id", filter=Q(received_on__gte=start)),
        "carried": Count("id", filter=Q(received_on__lt=start)),
        "forward": Count("id", filter=~done),
        "finished": Count("id", filter=done),
    }
    for i, (leaf, outcomes) in enumerate(sorted(by_leaf.items())):
        q = Q(outcome__in=outcomes)
        if leaf == "other.3":  # an unknown outcome is filed under （六）3.其他, as in annual_table3
            q |= ~Q(outcome__in=known)
        counts[f"leaf{i}"] = Count("id", filter=done & q)
    names = {f"leaf{i}": leaf for i, leaf in enumerate(sorted(by_leaf))}
    rows = (
        qs.annotate(
            col=Case(
                When(applicant_type=ApplicantType.PERSON, then=Value("natural")),
                When(org_type="", then=Value(OrgType.OTHER.value)),
                default=F("org_type"),
                output_field=CharField(),
            )
        )
        .values("unit_id", "col")
        .annotate(**counts)
        .order_by()
    )
    result: dict[int, dict[str, dict[str, int]]] = {}
    for r in rows:
        table = result.setdefault(r["unit_id"], {})
        for key in counts:
            row = names.get(key, key)
            table.setdefault(row, {})
            table[row][r["col"]] = table[row].get(r["col"], 0) + r[key]
    return result


def answered_on_time(units, year: int) -> list[dict]:
    """Per unit: requests answered in ``year`` with a due date, and how many by that date (art. 33)."""
    from django.db.models import Count, F

    rows = (
        InformationRequest.objects.filter(unit__in=units, finished_on__year=year, due_date__isnull=False)
        .values("unit__name", "unit__short_name")
        .annotate(answered=Count("id"), on_time=Count("id", filter=Q(finished_on__lte=F("due_date"))))
        .order_by("unit__name")
    )
    return [
        {"unit": r["unit__short_name"] or r["unit__name"], "answered": r["answered"], "on_time": r["on_time"]}
        for r in rows
    ]
