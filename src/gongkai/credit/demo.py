"""Demo 双公示 records for 松阳县: licences and penalties of the market-supervision, health,
transport and law-enforcement bureaus, entered by the platform administrator. Parties are
fictitious (credit codes and ID numbers carry valid check characters, but belong to nobody).

Dates are relative to the day the demo is loaded, so the demo always has records on time, late
(published after 7 working days), overdue (still unpublished), ending soon and expired; plus the
penalty of the acceptance scenario, decided on 2026-02-13 (due 2026-03-02).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from gongkai.core import credit_code

from . import services
from .models import Penalty

SCJG = "松阳县市场监督管理局"
WJ = "松阳县卫生健康局"
JT = "松阳县交通运输局"
ZF = "松阳县综合行政执法局"

COMPANIES = [
    ("松阳县望松茶叶专业合作社", "周建国", "93"),
    ("松阳县西屏镇好再来餐饮店", "", "92"),
    ("浙江松阳香茶有限公司", "叶国平", "91"),
    ("松阳县古市镇老街药房有限公司", "吴丽君", "91"),
    ("松阳县安达货运有限公司", "蓝志强", "91"),
    ("松阳县大东坝镇鑫源石材厂", "毛国华", "92"),
    ("松阳县水南街道百家福超市", "", "92"),
    ("丽水市松阳县恒通驾驶员培训有限公司", "徐建平", "91"),
    ("松阳县新兴镇绿野农家乐", "", "92"),
    ("松阳县象溪镇金穗粮油加工厂", "包卫星", "92"),
]
PERSONS = [("欧阳明华", "19850312"), ("陈小军", "19790605"), ("李秀英", "19920118")]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _company_code(name: str, registry: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    body = "".join(credit_code.ALPHABET[b % len(credit_code.ALPHABET)] for b in digest[:9])
    return credit_code.make(registry + "331124" + body)


def _id_number(birth: str, seq: int) -> str:
    body = f"331124{birth}{seq:03d}"
    total = sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def _party(i: int) -> dict:
    name, rep, registry = COMPANIES[i % len(COMPANIES)]
    return {
        "party_name": name,
        "party_category": "法人及非法人组织" if registry == "91" or registry == "93" else "个体工商户",
        "credit_code": _company_code(name, registry),
        "legal_representative": rep,
    }


def _person(i: int) -> dict:
    name, birth = PERSONS[i % len(PERSONS)]
    return {
        "party_name": name,
        "party_category": "自然人",
        "id_type": "身份证",
        "id_number": _id_number(birth, 100 + i),
    }


PENALTIES = [
    # (days ago, severity, violation, facts, basis, types, content, fine 万元, party)
    (
        5,
        "一般",
        "销售不符合食品安全标准的食品",
        "当事人销售的绿茶经抽检，农药残留（联苯菊酯）项目不符合食品安全国家标准。",
        "《中华人民共和国食品安全法》第一百二十四条第一款第（一）项",
        "警告;罚款;没收违法所得",
        "警告，没收违法所得人民币1200元，罚款人民币50000元。",
        "5",
        0,
    ),
    (
        12,
        "一般",
        "未按规定公示食品经营许可证",
        "当事人未在经营场所显著位置悬挂食品经营许可证。",
        "《中华人民共和国食品安全法》第一百二十六条第一款第（十一）项",
        "警告",
        "警告。",
        "0",
        1,
    ),
    (
        40,
        "严重",
        "生产销售假冒注册商标的商品",
        "当事人生产销售标有“松阳银猴”注册商标的茶叶，系假冒注册商标的商品。",
        "《中华人民共和国商标法》第六十条第二款",
        "没收非法财物;罚款",
        "没收假冒茶叶86千克，罚款人民币150000元。",
        "15",
        2,
    ),
    (
        60,
        "一般",
        "销售过期药品",
        "当事人药房货架上陈列销售超过有效期的药品3种共11盒。",
        "《中华人民共和国药品管理法》第一百一十七条第一款",
        "没收违法所得;罚款",
        "没收违法所得320元，罚款20000元。",
        "2",
        3,
    ),
    (
        90,
        "一般",
        "超限运输",
        "当事人车辆浙K·3XXXX在松古线超限运输，超限率28%。",
        "《公路安全保护条例》第六十四条",
        "罚款",
        "罚款人民币3000元。",
        "0.3",
        4,
    ),
    (
        200,
        "一般",
        "未经许可擅自开采石料",
        "当事人未取得采矿许可证擅自开采建筑石料。",
        "《中华人民共和国矿产资源法》第三十九条",
        "罚款;没收违法所得",
        "责令停止开采，没收违法所得，罚款人民币80000元。",
        "8",
        5,
    ),
    (
        420,
        "一般",
        "销售标签不符合规定的预包装食品",
        "当事人销售的预包装食品标签未标明生产日期。",
        "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项",
        "罚款",
        "罚款人民币5000元。",
        "0.5",
        6,
    ),
]


def _penalty(
    i, days_ago, severity, violation, facts, basis, types, content, fine, party_index, today, unit, person=False
):
    decided = today - dt.timedelta(days=days_ago)
    party = _person(i) if person else _party(party_index)
    return {
        **party,
        "decision_number": f"松{unit.short_name[1:3] if unit.short_name else '执'}罚〔{decided.year}〕{100 + i}号",
        "violation_type": violation,
        "facts": facts,
        "basis": basis,
        "penalty_types": types,
        "content": content,
        "fine_amount": fine,
        "decided_on": decided.isoformat(),
        "severity": severity,
    }


def load(ctx) -> None:
    units = ctx["units"]
    admin = ctx["admin"]
    scjg, wj, jt, zf = (units.get(n) for n in (SCJG, WJ, JT, ZF))
    if scjg is None or Penalty.objects.filter(unit=scjg).exists():
        return  # idempotent
    today = timezone.localdate()
    # the acceptance scenario: decided 2026-02-13, due 2026-03-02, published on time
    scenario = services.record_create(
        actor=admin,
        kind="penalty",
        unit=scjg,
        data={
            **_party(0),
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
        },
    )
    if scenario.decided_on <= today:
        services.record_publish(actor=admin, record=scenario)
    for i, row in enumerate(PENALTIES):
        unit = [scjg, scjg, scjg, scjg, jt or scjg, zf or scjg, scjg][i]
        record = services.record_create(actor=admin, kind="penalty", unit=unit, data=_penalty(i, *row, today, unit))
        if i != 1:  # the second stays unpublished: overdue on the office's dashboard
            services.record_publish(actor=admin, record=record)
    # a natural person's penalty (name masked on the portal)
    person = services.record_create(
        actor=admin,
        kind="penalty",
        unit=zf or scjg,
        data=_penalty(
            20,
            8,
            "一般",
            "违反规定在城市道路上摆摊经营",
            "当事人在西屏街道紫荆路人行道上摆摊经营水果，经劝阻拒不改正。",
            "《城市市容和环境卫生管理条例》第三十六条第（二）项",
            "罚款",
            "罚款人民币200元。",
            "0.02",
            0,
            today,
            zf or scjg,
            person=True,
        ),
    )
    services.record_publish(actor=admin, record=person)
    # a withdrawn decision (revoked after administrative review)
    revoked = Penalty.objects.filter(unit=scjg, state="published").exclude(pk=scenario.pk).order_by("decided_on").last()
    if revoked is not None:
        services.record_withdraw(
            actor=admin,
            record=revoked,
            revocation_kind="revoked",
            revoked_on=today - dt.timedelta(days=1),
            reason="经松阳县人民政府行政复议，原处罚决定认定事实不清，予以撤销。",
        )
    _licences(admin, scjg, wj, jt, today)
    services.expire_displays(today=today)


LICENCES = [
    (
        "食品经营许可决定书",
        "JY2331124{n:07d}",
        "普通",
        "食品经营许可证",
        "预包装食品销售（含冷藏冷冻食品）；热食类食品制售",
        1825,
    ),
    (
        "药品经营许可决定书",
        "浙CB57{n:05d}",
        "普通",
        "药品经营许可证",
        "处方药、甲类非处方药、乙类非处方药：中成药、化学药制剂、抗生素制剂",
        1825,
    ),
    (
        "道路运输经营许可决定书",
        "浙交运管许可丽字33112{n:07d}号",
        "普通",
        "道路运输经营许可证",
        "道路普通货物运输",
        1460,
    ),
    (
        "医疗机构执业许可决定书",
        "PDY{n:05d}-333112417D1",
        "普通",
        "医疗机构执业许可证",
        "诊疗科目：全科医疗科、中医科、口腔科",
        1825,
    ),
    ("公共场所卫生许可决定书", "松卫公证字〔{y}〕第{n:04d}号", "普通", "卫生许可证", "住宿业（宾馆）", 1460),
]


def _licences(admin, scjg, wj, jt, today) -> None:
    for i in range(14):
        doc, number, category, cert, content, years = LICENCES[i % len(LICENCES)]
        unit = {0: scjg, 1: scjg, 2: jt or scjg, 3: wj or scjg, 4: wj or scjg}[i % len(LICENCES)]
        decided = today - dt.timedelta(days=3 + i * 9)
        num = number.format(n=1000 + i, y=decided.year)
        record = services.record_create(
            actor=admin,
            kind="licence",
            unit=unit,
            data={
                **_party(i + 3),
                "decision_document": doc,
                "decision_number": num,
                "category": category,
                "certificate_name": cert,
                "certificate_number": num,
                "content": content,
                "decided_on": decided.isoformat(),
                "valid_from": decided.isoformat(),
                "valid_to": (decided + dt.timedelta(days=years)).isoformat(),
                "status": "有效",
            },
        )
        if i % 5 != 4:  # every fifth licence is still waiting (overdue for the older ones)
            services.record_publish(actor=admin, record=record)
