"""The national 双公示 reporting template: column order, headers and value codes.

The columns are those of the 信用中国 行政许可 / 行政处罚 信息数据标准 reporting template (2021
version, the one provincial credit platforms accept), in that order. Imports read them (by
header, so a file whose columns are in the template order but carry extra columns still reads),
the export to the credit platform writes exactly these columns in this order.

``失信程度`` (severity) is not a national column: imports accept it as an optional extra
column after 备注 (default 一般), because it sets the display period.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import IdType, LicenceCategory, LicenceStatus, PartyCategory, PenaltyType, Severity


@dataclass(frozen=True)
class Column:
    header: str  # exactly as in the national template
    field: str  # model field
    required: bool = False
    kind: str = "text"  # text / date / money / code / choice / multi


PARTY = [
    Column("行政相对人名称", "party_name", True),
    Column("行政相对人类别", "party_category", True, "choice"),
    Column("行政相对人代码_1（统一社会信用代码）", "credit_code", False, "code"),
    Column("行政相对人代码_2（工商注册号）", "registration_number"),
    Column("行政相对人代码_3（组织机构代码）", "organisation_code"),
    Column("行政相对人代码_4（税务登记号）", "tax_number"),
    Column("行政相对人代码_5（事业单位证书号）", "institution_number"),
    Column("行政相对人代码_6（社会组织登记证号）", "social_org_number"),
    Column("法定代表人", "legal_representative"),
    Column("法定代表人证件类型", "representative_id_type", False, "choice"),
    Column("法定代表人证件号码", "representative_id_number"),
    Column("证件类型", "id_type", False, "choice"),
    Column("证件号码", "id_number"),
]

LICENCE_COLUMNS = [
    *PARTY,
    Column("行政许可决定文书名称", "decision_document", True),
    Column("行政许可决定文书号", "decision_number", True),
    Column("许可类别", "category", True, "choice"),
    Column("许可证书名称", "certificate_name"),
    Column("许可编号", "certificate_number"),
    Column("许可内容", "content", True),
    Column("许可决定日期", "decided_on", True, "date"),
    Column("有效期自", "valid_from", True, "date"),
    Column("有效期至", "valid_to", True, "date"),
    Column("许可机关", "authority_name", True),
    Column("许可机关统一社会信用代码", "authority_code", True, "code"),
    Column("当前状态", "status", True, "choice"),
    Column("数据来源单位", "source_unit_name", True),
    Column("数据来源单位统一社会信用代码", "source_unit_code", True, "code"),
    Column("备注", "note"),
]

PENALTY_COLUMNS = [
    *PARTY,
    Column("行政处罚决定书文号", "decision_number", True),
    Column("违法行为类型", "violation_type", True),
    Column("违法事实", "facts", True),
    Column("处罚依据", "basis", True),
    Column("处罚类别", "penalty_types", True, "multi"),
    Column("处罚内容", "content", True),
    Column("罚款金额（万元）", "fine_amount", False, "money"),
    Column("没收违法所得、没收非法财物的金额（万元）", "confiscated_amount", False, "money"),
    Column("暂扣或吊销证照名称及编号", "licence_affected"),
    Column("处罚决定日期", "decided_on", True, "date"),
    Column("公示截止期", "display_until", False, "date"),
    Column("处罚机关", "authority_name", True),
    Column("处罚机关统一社会信用代码", "authority_code", True, "code"),
    Column("数据来源单位", "source_unit_name", True),
    Column("数据来源单位统一社会信用代码", "source_unit_code", True, "code"),
    Column("备注", "note"),
]

#: required in the national file, but taken from the deciding unit when left empty
DEFAULTED = frozenset({"authority_name", "authority_code", "source_unit_name", "source_unit_code"})

SEVERITY_COLUMN = Column("失信程度", "severity", False, "choice")

COLUMNS = {"licence": LICENCE_COLUMNS, "penalty": PENALTY_COLUMNS}
KIND_LABELS = {"licence": _("行政许可"), "penalty": _("行政处罚")}

# Value codes: the label (as written in the template) → stored value. Numeric national codes too.
CHOICES: dict[str, dict[str, str]] = {
    "party_category": {
        **{str(label): value for value, label in PartyCategory.choices},
        "法人及非法人组织": PartyCategory.LEGAL_PERSON,
        "法人": PartyCategory.LEGAL_PERSON,
        "非法人组织": PartyCategory.LEGAL_PERSON,
    },
    "id_type": {str(label): value for value, label in IdType.choices},
    "representative_id_type": {str(label): value for value, label in IdType.choices},
    "category": {str(label): value for value, label in LicenceCategory.choices},
    "status": {
        "有效": LicenceStatus.VALID,
        "无效": LicenceStatus.INVALID,
        "1": LicenceStatus.VALID,
        "2": LicenceStatus.INVALID,
    },
    "severity": {str(label): value for value, label in Severity.choices},
    "penalty_types": {str(label): value for value, label in PenaltyType.choices},
}
# Export: stored value → the template's label
LABELS: dict[str, dict[str, str]] = {
    field: {value: label for label, value in mapping.items() if not label.isdigit()}
    for field, mapping in CHOICES.items()
}
LABELS["party_category"][PartyCategory.LEGAL_PERSON] = "法人及非法人组织"
LABELS["status"] = {LicenceStatus.VALID: "有效", LicenceStatus.INVALID: "无效"}


def columns(kind: str, *, with_severity: bool = False) -> list[Column]:
    cols = list(COLUMNS[kind])
    if with_severity and kind == "penalty":
        cols.append(SEVERITY_COLUMN)
    return cols


def headers(kind: str) -> list[str]:
    return [c.header for c in COLUMNS[kind]]


def header_aliases(header: str) -> set[str]:
    """A header as written in the template and its common variants (half-width brackets, no code suffix)."""
    variants = {header, header.replace("（", "(").replace("）", ")")}
    if "（" in header and header.startswith("行政相对人代码"):
        inner = header[header.index("（") + 1 : -1]
        variants |= {inner, header.split("（")[0]}
    if header.endswith("（万元）"):
        variants.add(header[: -len("（万元）")])
    return {v.strip() for v in variants}
