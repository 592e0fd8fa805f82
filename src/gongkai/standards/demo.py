"""The demo county's standard system: 《松阳县政务公开标准体系》 (national standards are real
ones; the county's own SY/ZWGK standards and the Zhejiang provincial standards listed are
illustrative)."""

from __future__ import annotations

import datetime as dt

from . import services
from .models import Node, StandardSystem

NATIONAL = [
    ("GB/T 24421.1-2023", "服务业组织标准化工作指南 第1部分：总则", "1.1", "2023-12-01"),
    ("GB/T 24421.2-2023", "服务业组织标准化工作指南 第2部分：标准体系构建", "1.1", "2023-12-01"),
    ("GB/T 24421.3-2023", "服务业组织标准化工作指南 第3部分：标准编写", "1.1", "2023-12-01"),
    ("GB/T 24421.4-2023", "服务业组织标准化工作指南 第4部分：标准实施及评价", "1.1", "2023-12-01"),
    ("GB/T 1.1-2020", "标准化工作导则 第1部分：标准化文件的结构和起草规则", "1.1", "2020-10-01"),
    ("GB/T 20000.1-2014", "标准化工作指南 第1部分：标准化和相关活动的通用术语", "1.2", "2015-06-01"),
    ("GB/T 10001.1-2023", "公共信息图形符号 第1部分：通用符号", "1.3", "2024-04-01"),
    ("GB/T 7408.1-2023", "日期和时间 信息交换表示法 第1部分：基本规则", "1.4", "2024-07-01"),
    ("GB/T 22239-2019", "信息安全技术 网络安全等级保护基本要求", "2.2", "2019-12-01"),
    ("GB/T 35273-2020", "信息安全技术 个人信息安全规范", "2.2", "2020-10-01"),
    ("GB/T 39786-2021", "信息安全技术 信息系统密码应用基本要求", "2.2", "2021-10-01"),
    ("GB/T 21063.3-2007", "政务信息资源目录体系 第3部分：核心元数据", "3.1", "2008-02-01"),
    ("GB/T 19001-2016", "质量管理体系 要求", "3.3", "2017-07-01"),
]
OWN = [
    ("SY/ZWGK 001-2024", "政务公开标准体系编制说明", "1.1"),
    ("SY/ZWGK 002-2024", "政务公开术语", "1.2"),
    ("SY/ZWGK 101-2024", "政府网站信息发布安全管理规范", "2.2"),
    ("SY/ZWGK 102-2024", "政务公开工作人员配备与培训规范", "2.4"),
    ("SY/ZWGK 103-2024", "政务公开档案管理规范", "2.6"),
    ("SY/ZWGK 201-2024", "基层政务公开标准目录编制规范", "3.1"),
    ("SY/ZWGK 202-2024", "政府信息主动公开工作规范", "3.2"),
    ("SY/ZWGK 203-2024", "政府信息依申请公开办理规范", "3.2"),
    ("SY/ZWGK 204-2024", "行政许可和行政处罚信息公示（双公示）规范", "3.2"),
    ("SY/ZWGK 205-2024", "政府数据开放工作规范", "3.2"),
    ("SY/ZWGK 206-2024", "政策解读与回应关切工作规范", "3.3"),
    ("SY/ZWGK 301-2024", "政务公开工作考核评价规范", "3.4"),
]


def load(ctx) -> None:
    county, admin = ctx["county"], ctx["admin"]
    if StandardSystem.objects.filter(unit=county).exists():
        return
    system = services.system_create(
        actor=admin,
        unit=county,
        title="松阳县政务公开标准体系",
        published_on=dt.date(2024, 6, 1),
        description="按 GB/T 24421 构建，覆盖政务公开的通用基础、服务保障和服务提供，供全县各单位执行。",
    )
    parts = {n.code: n for n in Node.objects.filter(system=system, parent__isnull=False)}
    for number, title, code, effective in NATIONAL:
        services.standard_add(
            actor=admin,
            system=system,
            data={
                "node": parts[code],
                "level": "national",
                "number": number,
                "title": title,
                "effective_on": dt.date.fromisoformat(effective),
            },
        )
    services.standard_add(
        actor=admin,
        system=system,
        data={
            "node": parts["2.2"],
            "level": "industry",
            "number": "GA/T 1788.1-2021",
            "title": "公安视频图像信息系统安全技术要求 第1部分：通用要求",
            "effective_on": dt.date(2021, 12, 1),
        },
    )
    for number, title, code in OWN:
        services.standard_add(
            actor=admin,
            system=system,
            data={
                "node": parts[code],
                "level": "own",
                "number": number,
                "title": title,
                "effective_on": dt.date(2024, 6, 1),
            },
        )
    draft = services.standard_add(
        actor=admin,
        system=system,
        data={"node": parts["3.2"], "level": "own", "number": "SY/ZWGK 207-2026", "title": "政务新媒体信息发布规范"},
        drafting=True,
    )
    old = services.standard_add(
        actor=admin,
        system=system,
        data={
            "node": parts["3.2"],
            "level": "own",
            "number": "SY/ZWGK 202-2019",
            "title": "政府信息主动公开工作规范（2019版）",
            "effective_on": dt.date(2019, 9, 1),
        },
    )
    services.standard_repeal(actor=admin, standard=old, repealed_on=dt.date(2024, 6, 1), replaced_by="SY/ZWGK 202-2024")
    del draft
