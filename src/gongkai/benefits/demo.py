"""Demo data for 松阳县: benefit policies with items, criteria, and a published recipient batch.

Policy names follow the kind of county policies published under 惠企利民; amounts and document
numbers are illustrative. Recipients are fictitious.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from gongkai.core.models import Organisation

from . import services
from .models import Attribute, BenefitItem, Policy

# (unit, title, number, summary, [(title, category, audience, amount, max, payment, valid_until, apply, guide codes, criteria)])
POLICIES = [
    (
        "松阳县经济商务科技局",
        "松阳县促进工业经济高质量发展若干政策",
        "松政发〔2025〕12号",
        "支持企业创新、稳岗扩岗的奖补政策，由县经商科局会同县财政局兑现。",
        [
            (
                "高新技术企业认定奖励",
                "subsidy",
                "enterprise",
                "首次认定奖励20万元，重新认定奖励10万元",
                "200000",
                "财政直接拨付至企业账户",
                "2026-12-31",
                "每年3月在“政策直达快享”平台申报，县经商科局审核后公示兑现。",
                [],
                [("registered_in", "in", ["松阳县"]), ("high_tech", "eq", "是"), ("years_founded", "ge", "1")],
            ),
            (
                "小微企业吸纳就业社保补贴",
                "subsidy",
                "enterprise",
                "按实际缴纳的社会保险费给予补贴，每人每年最高5000元",
                "50000",
                "按季度拨付",
                "2026-12-31",
                "招用人员参保后向县人社局申请。",
                ["331124-XZ-0008"],
                [
                    ("registered_in", "in", ["松阳县"]),
                    ("small_micro", "eq", "是"),
                    ("employees", "le", "300"),
                    ("new_hires", "ge", "1"),
                ],
            ),
            (
                "规上工业企业技术改造补助",
                "subsidy",
                "enterprise",
                "按设备投资额的10%补助，最高300万元",
                "3000000",
                "项目验收后拨付",
                "2026-06-30",
                "项目竣工后向县经商科局申报。",
                [],
                [
                    ("registered_in", "in", ["松阳县"]),
                    ("industry", "in", ["制造业"]),
                    ("annual_revenue", "ge", "2000"),
                    ("years_founded", "ge", "2"),
                ],
            ),
            (
                "新办餐饮企业开业扶持",
                "relief",
                "enterprise",
                "首年免收店招审批相关费用，减免部分行政事业性收费",
                "",
                "直接减免",
                "2025-06-30",
                "办理营业执照时同步申请。",
                ["331124-XZ-0007"],
                [("registered_in", "in", ["松阳县"]), ("industry", "in", ["住宿和餐饮业"])],
            ),
        ],
    ),
    (
        "松阳县卫生健康局",
        "松阳县育儿补贴实施办法",
        "松卫〔2025〕8号",
        "对本县户籍、符合政策生育的家庭发放育儿补贴。",
        [
            (
                "育儿补贴",
                "subsidy",
                "resident",
                "每孩每年3600元，发放至3周岁",
                "3600",
                "按年发放至社会保障卡",
                "2027-12-31",
                "孩子落户后，在“浙里办”或乡镇（街道）便民服务中心申请。",
                ["331124-XZ-0003"],
                [("hukou", "in", ["松阳县"]), ("children", "ge", "1")],
            ),
        ],
    ),
    (
        "松阳县人力资源和社会保障局",
        "松阳县高校毕业生就业创业扶持政策",
        "松人社〔2025〕5号",
        "鼓励高校毕业生来松就业创业。",
        [
            (
                "高校毕业生就业补贴",
                "subsidy",
                "resident",
                "一次性补贴1万元",
                "10000",
                "审核后发放至本人账户",
                "2026-12-31",
                "在本县就业并参保满6个月后申请。",
                [],
                [("graduate_years", "le", "2"), ("employment", "in", ["就业", "灵活就业"]), ("age", "le", "35")],
            ),
        ],
    ),
]

RECIPIENTS = [
    (
        "高新技术企业认定奖励",
        "2025年度高新技术企业认定奖励（第一批）",
        2025,
        [
            ("浙江松阳茶叶机械有限公司", False, "91331124MA2A1B2C3D", "西屏街道", "200000"),
            ("松阳县恒通不锈钢制品有限公司", False, "91331124MA2A4E5F6G", "望松街道", "200000"),
            ("丽水松川电子科技有限公司", False, "91331124MA2A7H8J9K", "水南街道", "100000"),
        ],
    ),
    (
        "育儿补贴",
        "2025年第一季度育儿补贴发放名单",
        2025,
        [
            ("叶晓华", True, "332529199203151234", "古市镇", "3600"),
            ("周明", True, "33252919900708223X", "西屏街道", "3600"),
            ("欧阳丽丽", True, "332529199511205678", "象溪镇", "3600"),
        ],
    ),
]


def _attr(code: str) -> Attribute:
    return Attribute.objects.get(code=code)


@transaction.atomic
def load(ctx) -> None:
    admin = ctx["admin"]
    from gongkai.guides.models import Guide

    for unit_name, title, number, summary, items in POLICIES:
        unit = Organisation.objects.filter(name=unit_name).first()
        if unit is None or Policy.objects.filter(title=title).exists():
            continue
        policy = services.policy_save(
            actor=admin,
            unit=unit,
            data={"title": title, "document_number": number, "summary": summary, "issued_on": dt.date(2025, 3, 1)},
        )
        for name, category, audience, amount, amount_max, payment, until, apply, codes, criteria in items:
            guide_ids = list(Guide.objects.filter(code__in=codes).values_list("pk", flat=True))
            item = services.item_save(
                actor=admin,
                policy=policy,
                data={
                    "title": name,
                    "category": category,
                    "audience": audience,
                    "amount_text": amount,
                    "amount_max": Decimal(amount_max) if amount_max else None,
                    "payment": payment,
                    "valid_from": dt.date(2025, 1, 1),
                    "valid_until": dt.date.fromisoformat(until),
                    "how_to_apply": apply,
                    "contact": "0578-8061234",
                    "guide_ids": guide_ids,
                },
            )
            for code, operator, value in criteria:
                services.criterion_add(actor=admin, item=item, attribute=_attr(code), operator=operator, value=value)
            item = services.item_submit(actor=admin, item=item)
            if item.valid_until >= dt.date.today():
                services.item_publish(actor=admin, item=item)
    for item_title, batch_title, year, rows in RECIPIENTS:
        item = BenefitItem.objects.filter(title=item_title, state="published").first()
        if item is None or item.batches.filter(title=batch_title).exists():
            continue
        batch = services.batch_create(actor=admin, item=item, title=batch_title, year=year)
        services.batch_import(
            actor=admin,
            batch=batch,
            rows=[
                {"name": n, "kind": "个人" if person else "单位", "id_number": idn, "township": t, "amount": a}
                for n, person, idn, t, a in rows
            ],
        )
        batch = services.batch_submit(actor=admin, batch=batch)
        services.batch_publish(actor=admin, batch=batch)
