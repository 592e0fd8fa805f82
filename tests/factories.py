"""factory-boy factories and a ready organisation tree for tests of every app."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import factory

from gongkai.core import credit_code
from gongkai.core.models import Level, Membership, Organisation, OrgKind, Role, User

PASSWORD = "pw-12345678"
_seq = itertools.count(1)


def make_credit_code(n: int | None = None, registry: str = "11", division: str = "331124") -> str:
    n = next(_seq) if n is None else n
    body = f"{n:08d}"
    org = "".join(credit_code.ALPHABET[int(c) + (i % 3) * 10] for i, c in enumerate(body)) + "0"
    return credit_code.make(registry + division + org)


def org(*, parent: Organisation | None, name: str, kind=OrgKind.GOVERNMENT, level=None, **extra) -> Organisation:
    from gongkai.core import services

    return services.organisation_create(
        actor=None,
        parent=parent,
        name=name,
        kind=kind,
        level=level or (parent.level if parent else Level.PROVINCE),
        credit_code=extra.pop("credit_code", make_credit_code()),
        **extra,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


def staff(unit: Organisation, *roles: str, username: str | None = None, full_name: str = "") -> User:
    kwargs = {"unit": unit}
    if username:
        kwargs["username"] = username
    if full_name:
        kwargs["full_name"] = full_name
    user = UserFactory(**kwargs)
    user.save()
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def unit_clerk(unit: Organisation) -> User:
    """A member of ``unit`` who drafts, reviews and signs (editor, reviewer, leader): test set-up that
    once used the system administrator, which no longer acts in units' business (三员分立)."""
    username = f"clerk_{unit.pk}"
    user = User.objects.filter(username=username).first()
    return user or staff(unit, Role.EDITOR, Role.REVIEWER, Role.LEADER, username=username, full_name="王晓红")


@dataclass
class OrgTree:
    province: Organisation
    city: Organisation
    county: Organisation
    town_a: Organisation
    town_b: Organisation
    dept_a: Organisation  # 县民政局
    dept_b: Organisation  # 县人社局
    school: Organisation
    office: User  # 公开办 at the county
    editor_a: User
    reviewer_a: User
    leader_a: User
    editor_b: User
    reviewer_b: User
    leader_b: User
    town_editor: User
    sysadmin: User


def build_org_tree() -> OrgTree:
    province = org(parent=None, name="浙江省人民政府", level=Level.PROVINCE)
    city = org(parent=province, name="丽水市人民政府", level=Level.CITY)
    county = org(parent=city, name="松阳县人民政府", level=Level.COUNTY)
    town_a = org(parent=county, name="西屏街道", level=Level.TOWNSHIP)
    town_b = org(parent=county, name="古市镇", level=Level.TOWNSHIP)
    dept_a = org(parent=county, name="松阳县民政局", kind=OrgKind.DEPARTMENT)
    dept_b = org(parent=county, name="松阳县人力资源和社会保障局", kind=OrgKind.DEPARTMENT)
    school = org(parent=dept_a, name="松阳县第一中学", kind=OrgKind.SCHOOL, credit_code=make_credit_code(registry="12"))
    sysadmin = staff(county, Role.SYSADMIN, username="root_admin", full_name="系统管理员")
    return OrgTree(
        province=province,
        city=city,
        county=county,
        town_a=town_a,
        town_b=town_b,
        dept_a=dept_a,
        dept_b=dept_b,
        school=school,
        office=staff(county, Role.DISCLOSURE_OFFICE, username="gkb", full_name="陈晓梅"),
        editor_a=staff(dept_a, Role.EDITOR, username="mz_editor", full_name="李娜"),
        reviewer_a=staff(dept_a, Role.REVIEWER, username="mz_reviewer", full_name="王建华"),
        leader_a=staff(dept_a, Role.LEADER, username="mz_leader", full_name="张国庆"),
        editor_b=staff(dept_b, Role.EDITOR, username="rs_editor", full_name="刘洋"),
        reviewer_b=staff(dept_b, Role.REVIEWER, username="rs_reviewer", full_name="吴敏"),
        leader_b=staff(dept_b, Role.LEADER, username="rs_leader", full_name="郑斌"),
        town_editor=staff(town_a, Role.EDITOR, username="xp_editor", full_name="叶芳"),
        sysadmin=sysadmin,
    )


def ensure_holiday_seed() -> None:
    """Put the migrations' 2019–2026 holiday schedules back if a flush removed them."""
    from gongkai.core.models import Holiday

    if not Holiday.objects.exists():
        import importlib

        from django.apps import apps as django_apps

        importlib.import_module("gongkai.core.migrations.0002_seed_holidays").seed(django_apps, None)


# Reference data that data migrations load and that a flush (after a transactional
# test: live server, parallel writers) removes. Each seeder is idempotent.
REFERENCE_SEEDS = [
    ("gongkai.core", "gongkai.core.migrations.0003_legal_periods", "seed_periods"),
    ("gongkai.catalogue", "gongkai.catalogue.migrations.0002_seed_builtin", "seed"),
    ("gongkai.interaction", "gongkai.interaction.migrations.0007_periods_data", "seed"),
    ("gongkai.credit", "gongkai.credit.migrations.0002_legal_periods", "seed_periods"),
    ("gongkai.opendata", "gongkai.opendata.migrations.0002_licences_and_themes", "seed"),
    ("gongkai.search", "gongkai.search.migrations.0005_seed_name_pairs", "seed"),
    ("gongkai.benefits", "gongkai.benefits.migrations.0002_seed_attributes_and_period", "seed"),
    ("gongkai.monitoring", "gongkai.monitoring.migrations.0002_periods_and_words", "seed"),
    ("gongkai.assessment", "gongkai.assessment.migrations.0002_reference_data", "forwards"),
]


def ensure_reference_data() -> None:
    """Holidays plus every app's migration-seeded reference rows, restored if missing."""
    import importlib

    from django.apps import apps as django_apps

    ensure_holiday_seed()
    for app, module, function in REFERENCE_SEEDS:
        if django_apps.is_installed(app):
            getattr(importlib.import_module(module), function)(django_apps, None)
