"""Realistic 双公示 rows (fictitious parties; credit codes and ID numbers with valid check characters)."""

from __future__ import annotations

import datetime as dt

from gongkai.core import credit_code
from tests.factories import make_credit_code

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(birth: str = "19850312", seq: str = "123") -> str:
    body = "331124" + birth + seq
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def company_code(n: int = 7) -> str:
    return make_credit_code(n, registry="91")


def penalty_data(**overrides) -> dict:
    data = {
        "party_name": "松阳县望松茶叶专业合作社",
        "party_category": "法人及非法人组织",
        "credit_code": company_code(),
        "legal_representative": "周建国",
        "decision_number": "松市监处罚〔2026〕12号",
        "violation_type": "销售不符合食品安全标准的食品",
        "facts": "当事人于2025年11月销售的绿茶经抽检，农药残留（联苯菊酯）项目不符合食品安全国家标准。",
        "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（一）项",
        "penalty_types": "警告;罚款;没收违法所得",
        "content": "警告，没收违法所得人民币1200元，罚款人民币50000元。",
        "fine_amount": "5",
        "confiscated_amount": "0.12",
        "decided_on": "2026-02-13",
        "severity": "一般",
    }
    data.update(overrides)
    return data


def licence_data(**overrides) -> dict:
    data = {
        "party_name": "松阳县西屏镇好再来餐饮店",
        "party_category": "个体工商户",
        "credit_code": make_credit_code(31, registry="92"),
        "decision_document": "食品经营许可决定书",
        "decision_number": "JY23311240012345",
        "category": "普通",
        "certificate_name": "食品经营许可证",
        "certificate_number": "JY23311240012345",
        "content": "食品经营许可：预包装食品销售（含冷藏冷冻食品），热食类食品制售",
        "decided_on": "2026-03-02",
        "valid_from": "2026-03-02",
        "valid_to": "2031-03-01",
        "status": "有效",
    }
    data.update(overrides)
    return data


def natural_person(**overrides) -> dict:
    return {
        "party_name": "欧阳明华",
        "party_category": "自然人",
        "credit_code": "",
        "legal_representative": "",
        "id_type": "身份证",
        "id_number": id_number(),
        **overrides,
    }


def today() -> dt.date:
    return dt.date.today()


assert credit_code.is_valid(company_code())
