"""Demo catalogues for the demo county (called by ``gongkai load_demo`` through AppConfig.load_demo).

For each of eight domains the county's disclosure office keeps two standard catalogues —
one for the townships (乡级 items) and one for the domain's lead county department
(县级 items) — publishes them and so derives every township's and department's list.
A township adds one local item so that the portal shows the difference. Idempotent.
"""

from __future__ import annotations

from gongkai.core.models import Level, OrgKind

from . import services
from .demo_data import DOMAIN_LEAD, ITEMS, as_elements
from .models import Catalogue, Domain, ElementTemplate, UnitList

OPTIONAL_GROUPS = {"监督", "监督检查", "健康促进", "办事窗口"}


def load(ctx: dict) -> None:
    county = ctx["county"]
    units = ctx["units"]
    actor = ctx["users"].get("gkb")
    template = ElementTemplate.objects.get(key="national")
    for domain_name, rows in ITEMS.items():
        domain = Domain.objects.get(name=domain_name)
        for kind, level, flag in (
            (OrgKind.GOVERNMENT, Level.TOWNSHIP, "乡级"),
            (OrgKind.DEPARTMENT, Level.COUNTY, "县级"),
        ):
            if Catalogue.objects.filter(owner=county, domain=domain, target_kind=kind, target_level=level).exists():
                continue
            catalogue = services.catalogue_create(
                actor=actor, owner=county, domain=domain, template=template, target_kind=kind, target_level=level
            )
            if kind == OrgKind.DEPARTMENT:
                lead = units.get(DOMAIN_LEAD[domain_name])
                if lead is not None:
                    services.catalogue_set_target_units(actor=actor, catalogue=catalogue, units=[lead])
            version = catalogue.current_draft()
            for row in rows:
                level1, name, elements, timeframe = as_elements(row)
                if flag not in elements["level"]:
                    continue
                services.item_add(
                    actor=actor,
                    version=version,
                    level1=level1,
                    name=name,
                    elements=elements,
                    timeframe_text=timeframe,
                    mandatory=level1 not in OPTIONAL_GROUPS,
                )
            services.version_publish(actor=actor, version=version, note="演示数据：依据国家标准指引编制")
    # A local item in 西屏街道's 社会救助 list.
    xiping = units.get("西屏街道")
    ul = UnitList.objects.filter(unit=xiping, catalogue__domain__name="社会救助").first() if xiping else None
    if ul and not ul.items.filter(is_local=True).exists():
        services.unit_item_add_local(
            actor=ctx["users"].get("xp_editor"),
            unit_list=ul,
            level1="困难群众结对帮扶",
            name="“暖心帮扶”走访名单",
            elements={
                "content": "1.帮扶对象所在社区 2.结对干部 3.走访时间 4.帮扶措施",
                "basis": "《松阳县困难群众结对帮扶工作方案》",
                "subject": "西屏街道办事处",
                "channel": "■政府网站 ■社区公示栏",
                "audience": ["特定群体"],
                "mode": ["主动"],
                "level": ["乡级"],
                "stage": "执行",
                "nature": "公共服务清单",
            },
            timeframe_text="每季度结束后15日内",
            column_name="社会救助",
        )
