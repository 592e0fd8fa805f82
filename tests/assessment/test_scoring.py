"""Scoring primitives and ranking (pure functions): caps, rescaling, bonus threshold, ties."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.assessment import scoring
from gongkai.assessment.scoring import Ind, Outcome, score_leaf, total

ded = Ind(1, "4.1", "链接可用性", "deduction", D(10), D(1), D(6))


def test_deduction_per_item_and_cap():
    assert score_leaf(ded, {"count": 0}).points == D(10)
    assert score_leaf(ded, {"count": 5}).points == D(5)
    assert score_leaf(ded, {"count": 6}).points == D(4)  # at the cap
    assert score_leaf(ded, {"count": 60}).points == D(4)  # never more than the cap
    no_cap = Ind(2, "x", "x", "deduction", D(5), D(2), None)
    assert score_leaf(no_cap, {"count": 9}).points == D(0)


def test_ratio_not_applicable_without_records():
    r = Ind(3, "2", "按期答复率", "ratio", D(20))
    assert score_leaf(r, {"num": 0, "den": 0}).points is None
    assert score_leaf(r, {"num": 3, "den": 4}).points == D(15)
    assert score_leaf(r, {"num": 9, "den": 4}).points == D(20)  # never above the weight


def test_veto_and_manual_veto():
    v = Ind(4, "否决2", "站点无法访问", "veto")
    assert score_leaf(v, {"veto": 1}).vetoed and not score_leaf(v, {"veto": 0}).vetoed
    assert score_leaf(v, {"manual_veto": True}).vetoed


def test_rescaling_over_what_applies():
    a = Ind(5, "1", "a", "ratio", D(20))
    b = Ind(6, "2", "b", "manual", D(80))
    t = total(
        [(a, Outcome(None)), (b, Outcome(D(60)))],
        total_points=D(100),
        pass_mark=D(60),
        bonus_threshold=D(60),
        bonus_cap=D(30),
    )
    assert t.base == D(75) and t.passed  # 60 of the 80 points that apply


def test_bonus_counts_only_at_the_threshold():
    a = Ind(7, "1", "a", "manual", D(100))
    bonus = Ind(8, "加分", "创新", "bonus", D(30))
    kw = {"total_points": D(100), "pass_mark": D(60), "bonus_threshold": D(60), "bonus_cap": D(10)}
    at = total([(a, Outcome(D(60))), (bonus, Outcome(D(25)))], **kw)
    below = total([(a, Outcome(D("59.99"))), (bonus, Outcome(D(25)))], **kw)
    assert (at.bonus, at.total) == (D(10), D(70))  # capped at 10
    assert (below.bonus, below.total, below.passed) == (D(0), D("59.99"), False)


def test_veto_fails_whatever_the_score():
    a = Ind(9, "1", "a", "manual", D(100))
    v = Ind(10, "否决3", "网站不更新", "veto")
    t = total(
        [(a, Outcome(D(100))), (v, Outcome(None, vetoed=True))],
        total_points=D(100),
        pass_mark=D(60),
        bonus_threshold=D(60),
        bonus_cap=D(0),
    )
    assert t.vetoed and not t.passed and t.veto_reasons == ["否决3 网站不更新"]


def test_ranking_ties_and_vetoes_per_category():
    ranks = scoring.rank(
        [
            ("a", "dept", False, D(90), "001"),
            ("b", "dept", False, D(95), "002"),
            ("c", "dept", False, D(90), "003"),
            ("d", "dept", True, D(99), "004"),
            ("e", "dept", False, D(80), "005"),
            ("f", "town", False, D(50), "006"),
        ]
    )
    assert ranks == {"b": 1, "a": 2, "c": 2, "e": 4, "d": 5, "f": 1}


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), st.booleans()), min_size=1, max_size=30), st.randoms())
def test_ranking_does_not_depend_on_input_order(rows, rnd):
    entries = [(i, "c", veto, D(score), f"{i:04d}") for i, (score, veto) in enumerate(rows)]
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    assert scoring.rank(entries) == scoring.rank(shuffled)


@settings(deadline=None)
@given(
    st.integers(0, 200),
    st.decimals(min_value=0, max_value=10, places=2),
    st.decimals(min_value=0, max_value=20, places=2),
)
def test_deduction_stays_within_zero_and_weight(count, per_item, cap):
    ind = Ind(1, "x", "x", "deduction", D(20), per_item, cap)
    points = score_leaf(ind, {"count": count}).points
    assert D(0) <= points <= D(20) and points >= D(20) - cap
