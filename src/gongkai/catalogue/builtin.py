"""Built-in reference data: the 26 national pilot domains and the ready element templates.

Sources: 国务院办公厅《开展基层政务公开标准化规范化试点工作方案》(国办发〔2017〕42号) and
《关于全面推进基层政务公开标准化规范化工作的指导意见》(国办发〔2019〕54号), which list the
26 domains and the elements every item carries; the Putuo nine-element template and the
Haizhu eight-element layout are described in the pilot reports (docs/catalogue.md).

The data migration 0002 loads this data; :func:`ensure_builtin` is idempotent and works
with historical models (``apps``) or the real ones.
"""

from __future__ import annotations

# (code, name) in the order of the national guideline list.
NATIONAL_DOMAINS: list[tuple[str, str]] = [
    ("urban-planning", "城乡规划"),
    ("major-projects", "重大建设项目"),
    ("public-resource-trading", "公共资源交易"),
    ("budget", "财政预决算"),
    ("work-safety", "安全生产"),
    ("taxation", "税收管理"),
    ("land-compensation", "征地补偿"),
    ("house-expropriation", "国有土地上房屋征收"),
    ("rural-housing", "农村危房改造"),
    ("environment", "环境保护"),
    ("public-culture", "公共文化服务"),
    ("legal-services", "公共法律服务"),
    ("poverty-relief", "扶贫"),
    ("employment", "就业"),
    ("social-assistance", "社会救助"),
    ("elderly-care", "养老服务"),
    ("household-registration", "户籍管理"),
    ("agricultural-subsidies", "涉农补贴"),
    ("food-drug", "食品药品监管"),
    ("urban-enforcement", "城市综合执法"),
    ("compulsory-education", "义务教育"),
    ("health", "卫生健康"),
    ("social-insurance", "社会保险"),
    ("municipal-services", "市政服务"),
    ("disaster-relief", "救灾"),
    ("affordable-housing", "保障性住房"),
]

AUDIENCE = ["全社会", "特定群体"]
MODE = ["主动", "依申请"]
LEVEL = ["县级", "乡级"]
STAGE = ["决策", "执行", "管理", "服务", "结果"]
NATURE = ["权责清单", "公共服务清单"]

# Element dicts: key, name, type, required, allowed_values, aliases, help_text.
NATIONAL_ELEMENTS = [
    dict(key="name", name="事项名称", type="name", required=True, aliases=["公开事项", "事项"]),
    dict(
        key="content",
        name="公开内容（要素）",
        type="longtext",
        required=True,
        aliases=["公开内容", "公开内容(要素)", "内容要求"],
    ),
    dict(key="basis", name="公开依据", type="longtext", required=True, aliases=["设立依据", "依据"]),
    dict(key="timeframe", name="公开时限", type="timeframe", required=True, aliases=["公开时间", "时限"]),
    dict(key="subject", name="公开主体", type="text", required=True, aliases=["责任主体"]),
    dict(
        key="channel",
        name="公开渠道和载体",
        type="longtext",
        required=True,
        aliases=["公开渠道", "公开载体", "公开渠道及载体"],
    ),
    dict(key="audience", name="公开对象", type="multichoice", required=True, allowed_values=AUDIENCE),
    dict(key="mode", name="公开方式", type="multichoice", required=True, allowed_values=MODE),
    dict(key="level", name="公开层级", type="multichoice", required=True, allowed_values=LEVEL),
    dict(
        key="stage",
        name="五公开类别",
        type="choice",
        required=False,
        allowed_values=STAGE,
        aliases=["五公开", "“五公开”类别"],
    ),
    dict(key="nature", name="事项性质", type="choice", required=False, allowed_values=NATURE, aliases=["清单类别"]),
]

PUTUO_ELEMENTS = [
    dict(key="name", name="事项名称", type="name", required=True, aliases=["公开事项", "信息名称"]),
    dict(key="subject", name="公开主体", type="text", required=True),
    dict(
        key="attribute",
        name="公开属性",
        type="choice",
        required=True,
        allowed_values=["主动公开", "依申请公开", "不予公开"],
    ),
    dict(key="partial", name="部分公开情况", type="text", required=False, help_text="部分公开的，说明哪些内容不公开"),
    dict(key="reason", name="公开理由", type="longtext", required=False),
    dict(key="basis", name="公开依据", type="longtext", required=True),
    dict(key="form", name="公开形式", type="text", required=True, aliases=["公开方式"]),
    dict(key="timeframe", name="公开时限", type="timeframe", required=True),
    dict(key="platform", name="公开平台", type="text", required=True, aliases=["公开渠道"]),
    dict(key="carrier", name="公开载体", type="text", required=False),
]

HAIZHU_ELEMENTS = [
    dict(key="name", name="事项名称", type="name", required=True, aliases=["公开事项"]),
    dict(key="basis", name="设立依据", type="longtext", required=True, aliases=["公开依据"]),
    dict(key="content", name="内容要求", type="longtext", required=True, aliases=["公开内容"]),
    dict(key="subject", name="公开主体", type="text", required=True),
    dict(key="mode", name="公开方式", type="choice", required=True, allowed_values=MODE),
    dict(key="timeframe", name="公开时限", type="timeframe", required=True),
    dict(
        key="stage",
        name="“五公开”类别",
        type="choice",
        required=True,
        allowed_values=STAGE,
        aliases=["五公开类别", "五公开"],
    ),
    dict(key="nature", name="事项性质", type="choice", required=True, allowed_values=NATURE),
]

TEMPLATES = [
    (
        "national",
        "国家基层政务公开标准指引要素",
        "国办发〔2019〕54号及26个试点领域标准指引的要素：事项名称、公开内容（要素）、公开依据、公开时限、"
        "公开主体、公开渠道和载体、公开对象、公开方式、公开层级，另含“五公开”类别和事项性质。",
        NATIONAL_ELEMENTS,
    ),
    (
        "putuo-9",
        "九要素模板（上海普陀）",
        "每条信息对应公开主体、公开属性、部分公开情况、公开理由、公开依据、公开形式、公开时限、公开平台、公开载体9个要素。",
        PUTUO_ELEMENTS,
    ),
    (
        "haizhu-8",
        "八要素模板（广州海珠）",
        "按事项名称、设立依据、内容要求、公开主体、公开方式、公开时限、“五公开”类别、事项性质梳理。",
        HAIZHU_ELEMENTS,
    ),
]


def ensure_builtin(domain_model, template_model, element_model) -> None:
    """Create the national domains and built-in templates if missing (idempotent)."""
    for i, (code, name) in enumerate(NATIONAL_DOMAINS, start=1):
        domain_model.objects.get_or_create(
            code=code, defaults={"name": name, "is_national": True, "sort_order": i * 10}
        )
    for key, name, description, elements in TEMPLATES:
        template, created = template_model.objects.get_or_create(
            key=key, defaults={"name": name, "description": description, "is_builtin": True}
        )
        if not created:
            continue
        for order, spec in enumerate(elements, start=1):
            element_model.objects.create(
                template=template,
                key=spec["key"],
                name=spec["name"],
                type=spec["type"],
                required=spec.get("required", False),
                allowed_values=spec.get("allowed_values", []),
                aliases=spec.get("aliases", []),
                help_text=spec.get("help_text", ""),
                order=order * 10,
            )
