"""A standard system with Putuo's composition (普陀区基层政务公开标准体系, 169 standards: 46 national,
1 industry, 4 local, 118 Putuo standards — the counts are from the pilot's report in
shared/seeds/003; the individual numbers and titles below are partly real national standards and
otherwise generated)."""

from __future__ import annotations

from gongkai.standards import services
from gongkai.standards.models import Node

REAL_NATIONAL = [
    ("GB/T 24421.1-2023", "服务业组织标准化工作指南 第1部分：总则", "1.1"),
    ("GB/T 24421.2-2023", "服务业组织标准化工作指南 第2部分：标准体系构建", "1.1"),
    ("GB/T 24421.3-2023", "服务业组织标准化工作指南 第3部分：标准编写", "1.1"),
    ("GB/T 24421.4-2023", "服务业组织标准化工作指南 第4部分：标准实施及评价", "1.1"),
    ("GB/T 1.1-2020", "标准化工作导则 第1部分：标准化文件的结构和起草规则", "1.1"),
    ("GB/T 20000.1-2014", "标准化工作指南 第1部分：标准化和相关活动的通用术语", "1.2"),
    ("GB/T 10001.1-2023", "公共信息图形符号 第1部分：通用符号", "1.3"),
    ("GB/T 7408.1-2023", "日期和时间 信息交换表示法 第1部分：基本规则", "1.4"),
    ("GB/T 22239-2019", "信息安全技术 网络安全等级保护基本要求", "2.2"),
    ("GB/T 35273-2020", "信息安全技术 个人信息安全规范", "2.2"),
    ("GB/T 21063.3-2007", "政务信息资源目录体系 第3部分：核心元数据", "3.1"),
    ("GB/T 19001-2016", "质量管理体系 要求", "3.3"),
]


def build(actor, unit, title="普陀区政府信息主动公开标准体系"):
    system = services.system_create(actor=actor, unit=unit, title=title)
    parts = {n.code: n for n in Node.objects.filter(system=system, parent__isnull=False)}
    codes = list(parts)
    rows = [(n, t, c, "national") for n, t, c in REAL_NATIONAL]
    rows += [
        (f"GB/T 3{i:04d}-2019", f"国家标准（生成）第{i}项", codes[i % len(codes)], "national")
        for i in range(46 - len(REAL_NATIONAL))
    ]
    rows += [("GA/T 1788.1-2021", "公安视频图像信息系统安全技术要求 第1部分：通用要求", "2.2", "industry")]
    rows += [(f"DB31/T {1100 + i}-2019", f"上海市地方标准（生成）第{i + 1}项", "3.2", "local") for i in range(4)]
    rows += [
        (f"PT/ZWGK {i + 1:03d}-2019", f"政府信息主动公开管理规范（生成）第{i + 1}项", codes[i % len(codes)], "own")
        for i in range(118)
    ]
    for number, name, code, level in rows:
        services.standard_add(
            actor=actor, system=system, data={"node": parts[code], "level": level, "number": number, "title": name}
        )
    return system
