"""One validation of a licence or penalty, shared by the workbench form, the spreadsheet import
and the API for units' case systems, so the three accept and refuse exactly the same records.

:func:`clean` takes raw values (strings from a spreadsheet, JSON values from the API, typed
values from a form) keyed by model field and returns typed values, or raises
``ValidationError`` with messages by field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import credit_code as cc

from . import deadlines, template
from .models import IdType, PartyCategory, PenaltyType, Severity

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SPLIT = re.compile(r"[;；、,，/]")


def id_card_is_valid(number: str) -> bool:
    """A mainland resident ID number (GB 11643-1999): 18 characters with its check character."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text.endswith(" 00:00:00"):
        text = text[:-9]
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        try:  # the common case (YYYY-MM-DD), without strptime
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            pass  # fall through to the formats (and their error message)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("日期“%(value)s”无法识别，请使用 YYYY-MM-DD 格式") % {"value": text})


def parse_money(value: Any) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("金额“%(value)s”不是数字（单位：万元）") % {"value": value}) from None
    if amount < 0 or not amount.is_finite():
        raise ValueError(_("金额不能为负数"))
    if amount >= Decimal(10) ** 8:
        raise ValueError(_("金额“%(value)s”过大（单位为万元，请核对）") % {"value": value})
    return amount.quantize(Decimal("0.000001"))


def _choice(field: str, value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    mapping = template.CHOICES[field]
    if text in mapping:
        return mapping[text]
    if text in mapping.values():
        return text
    raise ValueError(
        _("“%(value)s”不是有效的取值，可选：%(choices)s")
        % {"value": text, "choices": "、".join(k for k in mapping if not k.isdigit() and not k.isascii())}
    )


def _multi(value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else _SPLIT.split(str(value or ""))
    out = []
    for item in items:
        item = str(item).strip()
        if item:
            out.append(_choice("penalty_types", item))
    return list(dict.fromkeys(out))


def _code(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        return cc.validate(text)
    except cc.CreditCodeError as exc:
        raise ValueError(str(exc)) from None


PARSERS = {"date": parse_date, "money": parse_money, "code": _code, "multi": _multi}


def _parse(column: template.Column, value: Any) -> Any:
    if column.kind == "choice":
        return _choice(column.field, value)
    parser = PARSERS.get(column.kind)
    if parser is not None:
        return parser(value)
    text = "" if value is None else str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))  # a number typed into a text cell (e.g. a registration number)
    return text


def _field_limits(kind: str) -> dict[str, int]:
    from .models import Licence, Penalty

    model = Licence if kind == "licence" else Penalty
    return {f.name: f.max_length for f in model._meta.concrete_fields if getattr(f, "max_length", None)}


_PLANS: dict[str, list[tuple[template.Column, bool, int | None]]] = {}


def _plan(kind: str) -> list[tuple[template.Column, bool, int | None]]:
    """Per column: the column, whether it must be filled in, its length limit (computed once)."""
    plan = _PLANS.get(kind)
    if plan is None:
        limits = _field_limits(kind)
        plan = _PLANS[kind] = [
            (
                column,
                column.required and column.field not in template.DEFAULTED,
                limits.get(column.field) if column.kind != "choice" else None,
            )
            for column in template.columns(kind, with_severity=True)
        ]
    return plan


def clean(kind: str, raw: dict[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """Typed, checked values of one record; ``ValidationError({field: [messages]})`` otherwise."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for column, required, limit in _plan(kind):
        value = raw.get(column.field)
        try:
            parsed = _parse(column, value)
        except ValueError as exc:
            errors.setdefault(column.field, []).append(str(exc))
            continue
        if required and parsed in ("", None, []):
            errors.setdefault(column.field, []).append(_("“%(header)s”必须填写") % {"header": column.header})
            continue
        if limit and isinstance(parsed, str) and len(parsed) > limit:
            errors.setdefault(column.field, []).append(
                _("“%(header)s”不能超过%(limit)s个字符") % {"header": column.header, "limit": limit}
            )
            continue
        data[column.field] = parsed
    _check_party(data, errors)
    _check_dates(kind, data, errors, today)
    if errors:
        raise ValidationError(errors)
    return data


def _check_party(data: dict, errors: dict) -> None:
    category = data.get("party_category")
    if category == PartyCategory.NATURAL_PERSON:
        if not data.get("id_number"):
            errors.setdefault("id_number", []).append(_("行政相对人为自然人时，证件号码必须填写"))
        elif (data.get("id_type") or IdType.ID_CARD) == IdType.ID_CARD:
            number = data["id_number"].upper()
            data["id_number"] = number
            data["id_type"] = IdType.ID_CARD
            if not id_card_is_valid(number):
                errors.setdefault("id_number", []).append(_("身份证号码格式或校验位错误"))
    elif category:
        codes = ("credit_code", "registration_number", "organisation_code", "tax_number", "institution_number")
        if "credit_code" not in errors and not any(data.get(c) for c in (*codes, "social_org_number")):
            errors.setdefault("credit_code", []).append(
                _("法人及非法人组织、个体工商户须填写统一社会信用代码（或其他行政相对人代码之一）")
            )
        if category == PartyCategory.LEGAL_PERSON and data.get("credit_code") and not data.get("legal_representative"):
            errors.setdefault("legal_representative", []).append(_("法人及非法人组织须填写法定代表人"))


def _check_dates(kind: str, data: dict, errors: dict, today: dt.date) -> None:
    decided = data.get("decided_on")
    if decided is None:
        return
    if decided > today:
        errors.setdefault("decided_on", []).append(
            _("决定日期 %(date)s 晚于今天，不能录入尚未作出的决定") % {"date": decided.isoformat()}
        )
    if kind == "licence":
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            errors.setdefault("valid_to", []).append(_("有效期至不能早于有效期自"))
        return
    for t in data.get("penalty_types") or []:
        if t == PenaltyType.FINE and not data.get("fine_amount"):
            errors.setdefault("fine_amount", []).append(_("处罚类别含罚款时须填写罚款金额"))
    severity = data.get("severity") or Severity.ORDINARY
    data["severity"] = severity
    until = data.get("display_until")
    if until is None:
        return
    if until < decided:
        errors.setdefault("display_until", []).append(
            _("公示截止期 %(until)s 早于处罚决定日期 %(decided)s")
            % {"until": until.isoformat(), "decided": decided.isoformat()}
        )
        return
    longest = deadlines.display_maximum(decided, severity)
    shortest = deadlines.display_minimum(decided, severity)
    label = dict(Severity.choices)[severity]
    if until > longest:
        errors.setdefault("display_until", []).append(
            _("%(severity)s失信行为的公示截止期最晚为 %(date)s") % {"severity": label, "date": longest.isoformat()}
        )
    elif until < shortest:
        errors.setdefault("display_until", []).append(
            _("%(severity)s失信行为的公示截止期最早为 %(date)s") % {"severity": label, "date": shortest.isoformat()}
        )
