"""The GB/T 24421 structure of a service standard system (服务业组织标准化工作指南, 2023 edition,
part 2 标准体系构建): three sub-systems and their usual parts, as used by the disclosure
standard systems of the pilots (普陀区《政府信息主动公开标准体系》, 滨湖区《政务公开标准体系》).

A new system starts from this tree; a unit may rename, add or drop parts.
"""

from __future__ import annotations

STRUCTURE: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "1",
        "通用基础标准体系",
        [
            ("1.1", "标准化导则"),
            ("1.2", "术语与缩略语"),
            ("1.3", "符号与标志"),
            ("1.4", "数值与数据"),
            ("1.5", "量和单位"),
        ],
    ),
    (
        "2",
        "服务保障标准体系",
        [
            ("2.1", "环境与安全"),
            ("2.2", "信息与网络安全"),
            ("2.3", "设施设备"),
            ("2.4", "人力资源"),
            ("2.5", "财务与采购"),
            ("2.6", "档案与文件管理"),
        ],
    ),
    (
        "3",
        "服务提供标准体系",
        [
            ("3.1", "服务规范"),
            ("3.2", "服务提供规范"),
            ("3.3", "运行管理规范"),
            ("3.4", "服务评价与改进"),
        ],
    ),
]
