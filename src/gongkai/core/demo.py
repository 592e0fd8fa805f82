"""Demo data for a realistic county: 浙江省丽水市松阳县 (10 townships, 25 departments,
schools, hospitals, water and power companies), staff for every role.

Names are the real administrative units; credit codes are generated (valid
checksums, not the real codes); people and phone numbers are fictitious.
Everything is created through the services, so the demo is audited like real use,
and loading twice changes nothing (idempotent).
"""

from __future__ import annotations

import hashlib

from django.db import transaction

from . import credit_code, services
from .models import Level, Membership, Organisation, OrgKind, Role, User

DEMO_PASSWORD = "Gongkai-Demo-2026"  # noqa: S105 - the documented demo password
COUNTY_DIVISION = "331124"

TOWNSHIPS = [
    ("西屏街道", "西屏"),
    ("水南街道", "水南"),
    ("望松街道", "望松"),
    ("古市镇", "古市"),
    ("象溪镇", "象溪"),
    ("大东坝镇", "大东坝"),
    ("新兴镇", "新兴"),
    ("玉岩镇", "玉岩"),
    ("赤寿乡", "赤寿"),
    ("樟溪乡", "樟溪"),
]

DEPARTMENTS = [
    ("松阳县人民政府办公室", "县府办"),
    ("松阳县发展和改革局", "县发改局"),
    ("松阳县教育局", "县教育局"),
    ("松阳县经济商务科技局", "县经商科局"),
    ("松阳县公安局", "县公安局"),
    ("松阳县民政局", "县民政局"),
    ("松阳县司法局", "县司法局"),
    ("松阳县财政局", "县财政局"),
    ("松阳县人力资源和社会保障局", "县人社局"),
    ("丽水市生态环境局松阳分局", "生态环境分局"),
    ("松阳县住房和城乡建设局", "县住建局"),
    ("松阳县交通运输局", "县交通局"),
    ("松阳县水利局", "县水利局"),
    ("松阳县农业农村局", "县农业农村局"),
    ("松阳县文化和广电旅游体育局", "县文广旅体局"),
    ("松阳县卫生健康局", "县卫健局"),
    ("松阳县退役军人事务局", "县退役军人局"),
    ("松阳县应急管理局", "县应急局"),
    ("松阳县审计局", "县审计局"),
    ("松阳县市场监督管理局", "县市场监管局"),
    ("松阳县统计局", "县统计局"),
    ("松阳县医疗保障局", "县医保局"),
    ("松阳县综合行政执法局", "县综合执法局"),
    ("丽水市自然资源和规划局松阳分局", "自然资源分局"),
    ("松阳县林业局", "县林业局"),
]

INSTITUTIONS = [
    ("松阳县第一中学", "松阳一中", OrgKind.SCHOOL, "松阳县教育局"),
    ("松阳县西屏中心小学", "西屏小学", OrgKind.SCHOOL, "松阳县教育局"),
    ("松阳县古市中学", "古市中学", OrgKind.SCHOOL, "松阳县教育局"),
    ("松阳县人民医院", "县人民医院", OrgKind.HOSPITAL, "松阳县卫生健康局"),
    ("松阳县中医院", "县中医院", OrgKind.HOSPITAL, "松阳县卫生健康局"),
    ("松阳县古市镇中心卫生院", "古市卫生院", OrgKind.HOSPITAL, "松阳县卫生健康局"),
    ("松阳县自来水有限公司", "县自来水公司", OrgKind.WATER, None),
    ("国网浙江松阳县供电有限公司", "县供电公司", OrgKind.POWER, None),
]

# (username, full name, unit name, roles)
STAFF = [
    ("gkb", "陈晓梅", "松阳县人民政府", [Role.DISCLOSURE_OFFICE]),
    ("gkb_editor", "周立军", "松阳县人民政府", [Role.EDITOR, Role.REVIEWER]),
    ("mz_editor", "李娜", "松阳县民政局", [Role.EDITOR]),
    ("mz_reviewer", "王建华", "松阳县民政局", [Role.REVIEWER]),
    ("mz_leader", "张国庆", "松阳县民政局", [Role.LEADER]),
    ("rs_editor", "刘洋", "松阳县人力资源和社会保障局", [Role.EDITOR]),
    ("rs_reviewer", "吴敏", "松阳县人力资源和社会保障局", [Role.REVIEWER]),
    ("rs_leader", "郑斌", "松阳县人力资源和社会保障局", [Role.LEADER]),
    ("jy_editor", "徐静", "松阳县教育局", [Role.EDITOR, Role.REVIEWER]),
    ("jy_leader", "孙伟", "松阳县教育局", [Role.LEADER]),
    ("wj_editor", "胡丽", "松阳县卫生健康局", [Role.EDITOR, Role.REVIEWER]),
    ("wj_leader", "朱明", "松阳县卫生健康局", [Role.LEADER]),
    ("xp_editor", "叶芳", "西屏街道", [Role.EDITOR]),
    ("xp_reviewer", "潘志强", "西屏街道", [Role.REVIEWER]),
    ("xp_leader", "蓝永平", "西屏街道", [Role.LEADER]),
    ("gs_editor", "毛丽萍", "古市镇", [Role.EDITOR, Role.REVIEWER]),
    ("gs_leader", "包卫东", "古市镇", [Role.LEADER]),
    ("sysadmin", "系统管理员", None, [Role.SYSADMIN]),
    # 三员分立: three administrators, three people.
    ("secadmin", "安全管理员", None, [Role.SECURITY_ADMIN]),
    ("auditor", "审计管理员", None, [Role.AUDIT_ADMIN]),
]


def _code(registry: str, name: str) -> str:
    """A deterministic, checksum-valid credit code for a demo unit."""
    alphabet = credit_code.ALPHABET
    digest = hashlib.sha256(name.encode()).digest()
    org = "".join(alphabet[b % len(alphabet)] for b in digest[:9])
    return credit_code.make(registry + COUNTY_DIVISION + org)


def _org(name, short, kind, level, parent, registry="11", **extra) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing
    return services.organisation_create(
        actor=None,
        parent=parent,
        name=name,
        short_name=short,
        kind=kind,
        level=level,
        credit_code=_code(registry, name),
        division_code=extra.pop("division_code", ""),
        contact_phone=extra.pop("contact_phone", ""),
        address=extra.pop("address", ""),
        website=extra.pop("website", ""),
        office_hours="工作日 8:30-12:00，14:30-17:30",
        sort_order=services.next_sort_order(parent),
    )


@transaction.atomic
def load() -> dict:
    province = _org("浙江省人民政府", "浙江省", OrgKind.GOVERNMENT, Level.PROVINCE, None, division_code="330000")
    city = _org("丽水市人民政府", "丽水市", OrgKind.GOVERNMENT, Level.CITY, province, division_code="331100")
    county = _org(
        "松阳县人民政府",
        "松阳县",
        OrgKind.GOVERNMENT,
        Level.COUNTY,
        city,
        division_code=COUNTY_DIVISION,
        contact_phone="0578-8061234",
        address="浙江省丽水市松阳县西屏街道紫荆路1号",
    )
    by_name = {county.name: county}
    for i, (name, short) in enumerate(TOWNSHIPS, start=1):
        by_name[name] = _org(
            name,
            short,
            OrgKind.GOVERNMENT,
            Level.TOWNSHIP,
            county,
            division_code=f"{COUNTY_DIVISION}{i:03d}",
            contact_phone=f"0578-80{i:02d}{i * 7 % 100:02d}0",
        )
    for i, (name, short) in enumerate(DEPARTMENTS, start=1):
        by_name[name] = _org(name, short, OrgKind.DEPARTMENT, Level.COUNTY, county, contact_phone=f"0578-806{i:04d}")
    for name, short, kind, parent_name in INSTITUTIONS:
        parent = by_name.get(parent_name, county) if parent_name else county
        registry = "91" if kind in (OrgKind.WATER, OrgKind.POWER) else "12"
        by_name[name] = _org(name, short, kind, Level.COUNTY, parent, registry=registry)

    users = {}
    for username, full_name, unit_name, roles in STAFF:
        unit = by_name.get(unit_name) if unit_name else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                unit=unit or county,
                roles=[],
                phone="1390578"
                + str(int(hashlib.md5(username.encode(), usedforsecurity=False).hexdigest(), 16) % 10000).zfill(4),
            )
        for role in roles:
            if not Membership.objects.filter(user=user, unit=unit or county, role=role).exists():
                services.membership_grant(actor=None, user=user, unit=unit or county, role=role)
        users[username] = user

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD, full_name="平台管理员")
    return {"county": county, "units": by_name, "users": users, "admin": admin}
