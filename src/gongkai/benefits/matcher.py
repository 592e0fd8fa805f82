"""The deterministic policy matcher: a profile's facts against benefit items' criteria.

For each item the answer is one of

* ``eligible`` — every criterion is met;
* ``possible`` — none is failed, but some facts are missing (they are named);
* ``not_eligible`` — at least one criterion is not met (each failed one gives its reason),

with one line per criterion. The matcher is a pure function of the criteria and the facts:
no database access, no randomness; :func:`compile_items` turns the items into plain tuples
once, so matching many profiles costs only comparisons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

ELIGIBLE = "eligible"
POSSIBLE = "possible"
NOT_ELIGIBLE = "not_eligible"

MET = "met"
UNMET = "unmet"
MISSING = "missing"

_SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "in": "in", "not_in": "not_in"}


def _symbol(operator: str) -> str:
    if operator == "in":
        return _("属于")
    if operator == "not_in":
        return _("不属于")
    return _SYMBOLS.get(operator, operator)


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


class CriterionInvalid(ValueError):
    """A criterion that can never be evaluated (e.g. a non-numeric value for a numeric attribute)."""


@dataclass(frozen=True)
class Spec:
    """One criterion, compiled: attribute code/label/type, operator and the typed value."""

    attribute: str
    label: str
    type: str  # number | boolean | choice | text
    operator: str
    value: object
    unit_label: str = ""

    def describe(self) -> str:
        value = self.value
        if isinstance(value, frozenset | tuple | list):
            value = "、".join(sorted(str(v) for v in value))
        elif isinstance(value, bool):
            value = _yes_no(value)
        elif isinstance(value, Decimal):
            value = _fmt(value)
        return f"{self.label} {_symbol(self.operator)} {value}{self.unit_label}"


@dataclass(frozen=True)
class Line:
    spec: Spec
    outcome: str  # met | unmet | missing
    given: object = None

    @property
    def text(self) -> str:
        rule = self.spec.describe()
        if self.outcome == MISSING:
            return _("需要补充：%(label)s（条件：%(rule)s）") % {"label": self.spec.label, "rule": rule}
        given = _display(self.given, self.spec)
        if self.outcome == MET:
            return _("符合：%(rule)s（您填写的是 %(given)s）") % {"rule": rule, "given": given}
        return _("不符合：%(rule)s（您填写的是 %(given)s）") % {"rule": rule, "given": given}


@dataclass(frozen=True)
class Result:
    item_id: int
    status: str
    lines: tuple[Line, ...]

    @property
    def missing(self) -> list[str]:
        return [line.spec.label for line in self.lines if line.outcome == MISSING]

    @property
    def failed(self) -> list[Line]:
        return [line for line in self.lines if line.outcome == UNMET]


def _fmt(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _display(value, spec: Spec) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Decimal):
        return _fmt(value) + spec.unit_label
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(str(v) for v in value)
    return str(value)


def to_number(value) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", "").replace("，", "")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def to_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("是", "true", "1", "yes", "y", "on"):
        return True
    if text in ("否", "false", "0", "no", "n", "off"):
        return False
    raise ValueError(text)


def compile_spec(*, attribute: str, label: str, type: str, operator: str, value, unit_label: str = "") -> Spec:
    """Type-check and compile one criterion; :class:`CriterionInvalid` says what is wrong."""
    if operator not in _SYMBOLS:
        raise CriterionInvalid(_("未知的比较方式：%(op)s") % {"op": operator})
    if type == "number":
        if operator in ("in", "not_in"):
            raise CriterionInvalid(_("“%(label)s”是数值，不能用“属于”比较") % {"label": label})
        try:
            typed = to_number(value)
        except (InvalidOperation, ValueError, TypeError):
            raise CriterionInvalid(
                _("“%(label)s”是数值属性，条件值“%(value)s”不是数字") % {"label": label, "value": value}
            ) from None
    elif type == "boolean":
        if operator not in ("eq", "ne"):
            raise CriterionInvalid(_("“%(label)s”是是/否属性，只能用 = 或 ≠") % {"label": label})
        try:
            typed = to_bool(value)
        except ValueError:
            raise CriterionInvalid(
                _("“%(label)s”是是/否属性，条件值“%(value)s”不是“是”或“否”") % {"label": label, "value": value}
            ) from None
    else:
        if operator in ("lt", "le", "gt", "ge"):
            raise CriterionInvalid(_("“%(label)s”是文字或选项属性，不能比较大小") % {"label": label})
        if operator in ("in", "not_in"):
            values = value if isinstance(value, list | tuple) else str(value).replace("，", ",").split(",")
            typed = frozenset(str(v).strip() for v in values if str(v).strip())
            if not typed:
                raise CriterionInvalid(_("“%(label)s”的可选值为空") % {"label": label})
        else:
            typed = str(value).strip()
    return Spec(attribute, label, type, operator, typed, unit_label)


def _given(spec: Spec, raw):
    """The profile's value converted to the attribute's type (None when missing or unreadable)."""
    if raw is None or raw == "" or raw == []:
        return None
    try:
        if spec.type == "number":
            return to_number(raw)
        if spec.type == "boolean":
            return to_bool(raw)
    except (InvalidOperation, ValueError, TypeError):
        return None
    if isinstance(raw, list | tuple | set):
        return frozenset(str(v).strip() for v in raw)
    return str(raw).strip()


def check(spec: Spec, given) -> str:
    if given is None:
        return MISSING
    op, want = spec.operator, spec.value
    if isinstance(given, frozenset):  # a multi-valued fact (行业: several) meets "in" if any value does
        if op == "in":
            return MET if given & want else UNMET
        if op == "not_in":
            return MET if not (given & want) else UNMET
        if op == "eq":
            return MET if want in given else UNMET
        return MET if want not in given else UNMET
    ok = {
        "eq": lambda: given == want,
        "ne": lambda: given != want,
        "lt": lambda: given < want,
        "le": lambda: given <= want,
        "gt": lambda: given > want,
        "ge": lambda: given >= want,
        "in": lambda: given in want,
        "not_in": lambda: given not in want,
    }[op]()
    return MET if ok else UNMET


def evaluate(item_id: int, specs: Iterable[Spec], facts: dict) -> Result:
    lines = []
    for spec in specs:
        given = _given(spec, facts.get(spec.attribute))
        lines.append(Line(spec, check(spec, given), given))
    outcomes = {line.outcome for line in lines}
    if UNMET in outcomes:
        status = NOT_ELIGIBLE
    elif MISSING in outcomes:
        status = POSSIBLE
    else:
        status = ELIGIBLE
    return Result(item_id, status, tuple(lines))


def match(compiled: list[tuple[int, str, tuple[Spec, ...]]], facts: dict, audience: str | None = None) -> list[Result]:
    """Results for every compiled item of the profile's audience, eligible first, then possible."""
    order = {ELIGIBLE: 0, POSSIBLE: 1, NOT_ELIGIBLE: 2}
    results = [evaluate(item_id, specs, facts) for item_id, aud, specs in compiled if audience in (None, aud)]
    return sorted(results, key=lambda r: (order[r.status], len(r.missing), r.item_id))


def status_only(compiled: list[tuple[int, str, tuple[Spec, ...]]], facts: dict) -> list[tuple[int, str]]:
    """The statuses alone (bulk use: the benchmark, statistics): no reason lines are built."""
    out = []
    for item_id, _aud, specs in compiled:
        status = ELIGIBLE
        for spec in specs:
            outcome = check(spec, _given(spec, facts.get(spec.attribute)))
            if outcome == UNMET:
                status = NOT_ELIGIBLE
                break
            if outcome == MISSING:
                status = POSSIBLE
        out.append((item_id, status))
    return out
