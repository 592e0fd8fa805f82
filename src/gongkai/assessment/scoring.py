"""Scoring and ranking as pure functions of stored inputs (so a ranking can be recomputed and
compared at any time: the same inputs always give the same points and ranks).

Per leaf indicator (:func:`score_leaf`):

* ``veto`` — vetoed when its input counts any veto (``inputs["veto"] > 0`` or a manual veto);
* ``deduction`` — ``weight − min(cap, per_item × count)``, never below 0 (per-indicator cap);
* ``ratio`` — ``weight × num / den``; **not applicable** when ``den == 0``;
* ``boolean`` — full weight when ``ok``, else 0; not applicable when ``applicable`` is false;
* ``manual`` — the points a person gave (0…weight); not applicable until scored;
* ``bonus`` — the points given (manual or input), counted only above the set's bonus threshold.

Totals (:func:`total`): the base is rescaled over the indicators that apply
(``total_points × earned / applicable weight``), bonus is added (capped) when the base reaches
``bonus_threshold``, any veto fails the unit, otherwise ``pass_mark`` decides. Ranks
(:func:`rank`) are per category: not vetoed before vetoed, then by total, ties share a rank
(1, 2, 2, 4), equal units ordered by a stable key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gongkai.core.messages import N_, message

ZERO = Decimal("0")
CENT = Decimal("0.01")
SCORED = ("deduction", "ratio", "boolean", "manual")


def q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ind:
    id: int
    code: str
    name: str
    method: str
    weight: Decimal = ZERO
    per_item: Decimal = ZERO
    cap: Decimal | None = None


@dataclass
class Outcome:
    points: Decimal | None  # None: not applicable
    vetoed: bool = False
    note: dict | str = ""  # a stored message (gongkai.core.messages), translated when shown


def score_leaf(ind: Ind, inputs: dict, manual: Decimal | None = None) -> Outcome:
    m = ind.method
    if m == "veto":
        hit = int(inputs.get("veto", 0) or 0) > 0 or bool(inputs.get("manual_veto"))
        return Outcome(
            None, vetoed=hit, note=message(N_("否决：%(count)s处"), count=str(inputs.get("veto", 0))) if hit else ""
        )
    if m == "deduction":
        count = int(inputs.get("count", 0) or 0)
        cap = ind.cap if ind.cap is not None else ind.weight
        deduct = min(cap, ind.per_item * count)
        return Outcome(
            q(max(ZERO, ind.weight - deduct)),
            note=message(N_("%(count)s处，扣%(points)s分"), count=str(count), points=str(q(deduct))),
        )
    if m == "ratio":
        den = int(inputs.get("den", 0) or 0)
        if den <= 0:
            return Outcome(None, note=message(N_("无可计算的记录，不适用")))
        num = min(int(inputs.get("num", 0) or 0), den)
        return Outcome(q(ind.weight * num / den), note=f"{num}/{den}")
    if m == "boolean":
        if inputs.get("applicable") is False:
            return Outcome(None, note=message(N_("不适用")))
        return Outcome(
            ind.weight if inputs.get("ok") else ZERO,
            note=message(N_("达标")) if inputs.get("ok") else message(N_("未达标")),
        )
    if m == "manual":
        if manual is None:
            return Outcome(None, note=message(N_("尚未评分")))
        return Outcome(q(min(max(manual, ZERO), ind.weight)))
    if m == "bonus":
        given = manual if manual is not None else Decimal(str(inputs.get("points", 0) or 0))
        return Outcome(q(min(max(given, ZERO), ind.weight)))
    return Outcome(None)


@dataclass
class Total:
    base: Decimal
    bonus: Decimal
    total: Decimal
    vetoed: bool
    passed: bool
    veto_reasons: list[str] = field(default_factory=list)
    applicable_weight: Decimal = ZERO


def total(
    leaves: Iterable[tuple[Ind, Outcome]],
    *,
    total_points: Decimal,
    pass_mark: Decimal,
    bonus_threshold: Decimal,
    bonus_cap: Decimal,
) -> Total:
    earned = applicable = bonus = ZERO
    reasons = []
    for ind, out in leaves:
        if out.vetoed:
            reasons.append(f"{ind.code} {ind.name}")
        if ind.method in SCORED and out.points is not None:
            earned += out.points
            applicable += ind.weight
        elif ind.method == "bonus" and out.points is not None:
            bonus += out.points
    base = q(total_points * earned / applicable) if applicable else ZERO
    counted_bonus = q(min(bonus, bonus_cap)) if base >= bonus_threshold else ZERO
    vetoed = bool(reasons)
    return Total(
        base=base,
        bonus=counted_bonus,
        total=q(base + counted_bonus),
        vetoed=vetoed,
        passed=not vetoed and base >= pass_mark,
        veto_reasons=reasons,
        applicable_weight=applicable,
    )


def rank(entries: Iterable[tuple[object, str, bool, Decimal, str]]) -> dict[object, int]:
    """``entries`` = (key, category, vetoed, total, stable sort key) → {key: rank within category}."""
    by_cat: dict[str, list] = {}
    for e in entries:
        by_cat.setdefault(e[1], []).append(e)
    ranks = {}
    for rows in by_cat.values():
        rows.sort(key=lambda e: (e[2], -e[3], e[4]))
        for i, e in enumerate(rows):
            if i and (rows[i - 1][2], rows[i - 1][3]) == (e[2], e[3]):
                ranks[e[0]] = ranks[rows[i - 1][0]]
            else:
                ranks[e[0]] = i + 1
    return ranks
