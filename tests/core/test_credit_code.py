"""统一社会信用代码 (GB 32100-2015): checksum, alphabet, length, division code; form and service errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.core import credit_code, services
from gongkai.core.models import OrgKind
from gongkai.core.views import OrganisationForm

# The worked example of GB 32100-2015 validators (a Fujian enterprise).
REAL_CODES = ["91350100M000100Y43"]


def _valid(prefix17: str) -> str:
    return credit_code.make(prefix17)


@pytest.mark.parametrize("code", REAL_CODES)
def test_known_codes_validate(code):
    assert credit_code.is_valid(code)
    assert credit_code.validate(code.lower()) == code


def test_made_codes_validate_and_are_normalised():
    code = _valid("11331124MB1234567")
    assert credit_code.validate(f"  {code.lower()} ") == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "应为18位，当前为0位"),
        ("91350100M000100Y4", "应为18位，当前为17位"),
        ("91350100M000100Y433", "应为18位，当前为19位"),
    ],
)
def test_wrong_length(code, message):
    with pytest.raises(credit_code.CreditCodeError, match=message):
        credit_code.validate(code)


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z"])
def test_illegal_letters_rejected(bad):
    code = "91350100M000100Y43"
    tampered = code[:10] + bad + code[11:]
    with pytest.raises(credit_code.CreditCodeError, match=f"非法字符：{bad}"):
        credit_code.validate(tampered)


def test_punctuation_and_chinese_rejected():
    with pytest.raises(credit_code.CreditCodeError, match="非法字符：-O"):
        credit_code.validate("9135010OM00-100Y43")
    with pytest.raises(credit_code.CreditCodeError, match="非法字符：松"):
        credit_code.validate("91350100M000100Y4松")


def test_full_width_input_is_normalised():
    assert credit_code.validate("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_division_code_must_be_digits():
    code = _valid("11A31124MB1234567")
    with pytest.raises(credit_code.CreditCodeError, match="行政区划代码"):
        credit_code.validate(code)


def test_every_single_character_change_of_the_check_digit_is_caught():
    code = "91350100M000100Y43"
    for c in credit_code.ALPHABET:
        if c != code[-1]:
            with pytest.raises(credit_code.CreditCodeError, match="校验位错误（应为 3）"):
                credit_code.validate(code[:-1] + c)


def test_changing_a_body_character_breaks_the_checksum():
    code = "91350100M000100Y43"
    for i in range(8, 17):
        for c in "0123456789ABC":
            if c != code[i]:
                assert not credit_code.is_valid(code[:i] + c + code[i + 1 :])


@pytest.mark.django_db
def test_service_rejects_invalid_code_with_field_error(tree):
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            actor=tree.office,
            parent=tree.county,
            name="松阳县统计局",
            kind=OrgKind.DEPARTMENT,
            credit_code="11331124MB12345670",
        )
    errors = excinfo.value.message_dict
    assert "credit_code" in errors
    assert "校验位错误" in errors["credit_code"][0]


@pytest.mark.django_db
def test_form_shows_chinese_error():
    form = OrganisationForm(
        data={"name": "松阳县统计局", "kind": "department", "level": "county", "credit_code": "ABC", "sort_order": 0}
    )
    assert not form.is_valid()
    assert form.errors["credit_code"] == ["统一社会信用代码应为18位，当前为3位"]
