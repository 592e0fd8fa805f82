"""Demo open data for 松阳县: twelve datasets of county bureaus with CSV, XLSX and JSON files
generated at load time (real place names, fictitious figures) and one API link. Published by
the platform administrator."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random

import openpyxl
from django.utils import timezone

from . import services
from .models import DataLicence, Dataset, Theme

TOWNS = ["西屏街道", "水南街道", "望松街道", "古市镇", "象溪镇", "大东坝镇", "新兴镇", "玉岩镇", "赤寿乡", "樟溪乡"]


def _csv(header, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def _xlsx(header, rows, title="数据") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _json(header, rows) -> bytes:
    return json.dumps([dict(zip(header, r, strict=True)) for r in rows], ensure_ascii=False, indent=1).encode()


def _datasets(rng: random.Random, today: dt.date):
    stops = [
        ("县人民医院", "西屏街道"),
        ("紫荆路口", "西屏街道"),
        ("松阳汽车站", "水南街道"),
        ("松阳高铁站", "望松街道"),
        ("古市镇政府", "古市镇"),
        ("大东坝镇中心", "大东坝镇"),
        ("象溪镇政府", "象溪镇"),
        ("新兴镇中心", "新兴镇"),
        ("玉岩镇政府", "玉岩镇"),
        ("樟溪乡政府", "樟溪乡"),
        ("赤寿乡政府", "赤寿乡"),
        ("望松街道办", "望松街道"),
    ]
    bus = (
        ["站点编号", "站点名称", "所在乡镇（街道）", "经度", "纬度", "途经线路"],
        [
            (
                f"SY{i:04d}",
                n,
                t,
                round(119.48 + rng.uniform(-0.15, 0.15), 5),
                round(28.45 + rng.uniform(-0.1, 0.1), 5),
                ";".join(sorted(rng.sample(["1路", "2路", "3路", "5路", "K1", "城乡3", "城乡7"], 2))),
            )
            for i, (n, t) in enumerate(stops, 1)
        ],
    )
    scenic = (
        ["景区名称", "等级", "所在乡镇（街道）", "开放时间", "咨询电话"],
        [
            ("松阳县大木山茶园景区", "4A", "新兴镇", "08:00-17:30", "0578-8101234"),
            ("松阳县箬寮原始林景区", "4A", "安民乡", "08:00-17:00", "0578-8102345"),
            ("松阳县杨家堂村景区", "3A", "三都乡", "全天", "0578-8103456"),
            ("松阳老街", "3A", "西屏街道", "全天", "0578-8104567"),
            ("松阳县卯山景区", "3A", "古市镇", "08:00-17:00", "0578-8105678"),
        ],
    )
    care = (
        ["机构名称", "机构类型", "所在乡镇（街道）", "床位数", "收住对象", "联系电话"],
        [
            (
                f"松阳县{t}{k}",
                k,
                t,
                rng.choice([30, 45, 60, 80, 120]),
                "自理、介护老人",
                f"0578-80{rng.randint(10000, 99999)}",
            )
            for t in TOWNS
            for k in ["居家养老服务照料中心"]
        ][:10]
        + [("松阳县社会福利中心", "公办养老机构", "西屏街道", 320, "特困供养、失能老人", "0578-8061111")],
    )
    clinics = (
        ["机构名称", "类别", "级别", "地址", "床位数"],
        [
            ("松阳县人民医院", "综合医院", "二级甲等", "西屏街道紫荆路", 600),
            ("松阳县中医院", "中医医院", "二级甲等", "西屏街道长松路", 300),
            ("松阳县妇幼保健院", "妇幼保健院", "二级", "水南街道", 80),
        ]
        + [(f"松阳县{t}卫生院", "乡镇卫生院", "一级", t, rng.choice([10, 20, 30])) for t in TOWNS[3:]],
    )
    schools = (
        ["学校名称", "学段", "办学性质", "所在乡镇（街道）", "在校生数"],
        [
            ("松阳县第一中学", "普通高中", "公办", "西屏街道", 2100),
            ("松阳县第二中学", "普通高中", "公办", "水南街道", 1500),
            ("松阳县古市中学", "初中", "公办", "古市镇", 900),
            ("松阳县西屏中心小学", "小学", "公办", "西屏街道", 1800),
        ]
        + [(f"松阳县{t}中心小学", "小学", "公办", t, rng.randint(150, 600)) for t in TOWNS[3:]],
    )
    start = today - dt.timedelta(days=60)
    air = (
        ["日期", "AQI", "首要污染物", "PM2.5（μg/m³）", "PM10（μg/m³）", "空气质量级别"],
        [
            (
                (start + dt.timedelta(days=i)).isoformat(),
                aqi,
                "PM2.5" if aqi > 50 else "—",
                round(aqi * 0.6),
                round(aqi * 0.9),
                "优" if aqi <= 50 else "良",
            )
            for i, aqi in enumerate(rng.randint(22, 88) for _ in range(60))
        ],
    )
    tea = (
        ["年份", "乡镇（街道）", "茶园面积（亩）", "干毛茶产量（吨）", "产值（万元）"],
        [
            (y, t, rng.randint(8000, 22000), rng.randint(900, 2600), rng.randint(18000, 52000))
            for y in (2023, 2024, 2025)
            for t in TOWNS
        ],
    )
    jobs = (
        ["招聘单位", "岗位", "人数", "学历要求", "月薪（元）", "截止日期"],
        [
            (
                f"浙江松阳{c}有限公司",
                p,
                rng.randint(1, 10),
                e,
                f"{rng.randint(4, 6)}000-{rng.randint(7, 9)}000",
                (today + dt.timedelta(days=rng.randint(10, 60))).isoformat(),
            )
            for c, p, e in [
                ("香茶", "制茶工", "不限"),
                ("不锈钢", "焊工", "高中"),
                ("电子", "质检员", "中专"),
                ("文旅", "讲解员", "大专"),
                ("物流", "驾驶员", "初中"),
                ("茶业", "电商运营", "大专"),
                ("建设", "施工员", "大专"),
            ]
        ],
    )
    toilets = (
        ["名称", "类别", "所在乡镇（街道）", "开放时间", "无障碍设施"],
        [
            (f"{t}公厕{i}号", rng.choice(["一类", "二类"]), t, "全天", rng.choice(["有", "无"]))
            for t in TOWNS[:5]
            for i in (1, 2)
        ],
    )
    budget = (
        ["科目", "2025年执行数（万元）", "2026年预算数（万元）", "增长（%）"],
        [
            ("一般公共预算收入", 185600, 193000, 4.0),
            ("税收收入", 121300, 127000, 4.7),
            ("一般公共预算支出", 512000, 528000, 3.1),
            ("教育支出", 98300, 101000, 2.7),
            ("社会保障和就业支出", 62100, 65200, 5.0),
            ("卫生健康支出", 48800, 50300, 3.1),
        ],
    )
    return [
        (
            "songyang-bus-stops",
            "松阳县公交站点信息",
            "县城及城乡公交站点名称、位置和途经线路。",
            "松阳县交通运输局",
            "交通运输",
            "urban",
            "公交、站点、出行",
            "quarterly",
            [("公交站点（CSV）", "bus_stops.csv", _csv(*bus)), ("公交站点（XLSX）", "bus_stops.xlsx", _xlsx(*bus))],
        ),
        (
            "songyang-scenic-spots",
            "松阳县A级旅游景区名录",
            "全县A级旅游景区名称、等级、开放时间和咨询电话。",
            "松阳县文化和广电旅游体育局",
            "文化旅游",
            "economy",
            "景区、旅游、文旅",
            "annual",
            [("A级景区（CSV）", "scenic.csv", _csv(*scenic))],
        ),
        (
            "songyang-elderly-care",
            "松阳县养老服务机构名录",
            "养老机构和居家养老服务照料中心的床位数、收住对象和联系电话。",
            "松阳县民政局",
            "民政服务",
            "livelihood",
            "养老、民政、床位",
            "semiannual",
            [("养老机构（CSV）", "care.csv", _csv(*care)), ("养老机构（JSON）", "care.json", _json(*care))],
        ),
        (
            "songyang-medical-institutions",
            "松阳县医疗卫生机构名录",
            "医院、乡镇卫生院的类别、级别、地址和床位数。",
            "松阳县卫生健康局",
            "卫生健康",
            "livelihood",
            "医院、卫生院、医疗",
            "annual",
            [("医疗机构（XLSX）", "clinics.xlsx", _xlsx(*clinics))],
        ),
        (
            "songyang-schools",
            "松阳县中小学校名录",
            "普通高中、初中、小学的学段、办学性质和在校生数。",
            "松阳县教育局",
            "教育科技",
            "livelihood",
            "学校、教育、招生",
            "annual",
            [("学校名录（CSV）", "schools.csv", _csv(*schools))],
        ),
        (
            "songyang-air-quality",
            "松阳县环境空气质量日报",
            "县城空气自动监测站每日AQI、首要污染物和PM2.5、PM10浓度。",
            "丽水市生态环境局松阳分局",
            "资源环境",
            "environment",
            "空气质量、AQI、环境",
            "daily",
            [("空气质量日报（CSV）", "air.csv", _csv(*air))],
        ),
        (
            "songyang-tea-production",
            "松阳县茶叶生产统计",
            "各乡镇（街道）茶园面积、干毛茶产量和产值。",
            "松阳县农业农村局",
            "农业农村",
            "agriculture",
            "茶叶、农业、产量",
            "annual",
            [("茶叶生产（XLSX）", "tea.xlsx", _xlsx(*tea))],
        ),
        (
            "songyang-job-vacancies",
            "松阳县企业招聘岗位信息",
            "县内企业发布的招聘岗位、人数、学历要求和薪资范围。",
            "松阳县人力资源和社会保障局",
            "社会保障",
            "livelihood",
            "就业、招聘、岗位",
            "weekly",
            [("招聘岗位（CSV）", "jobs.csv", _csv(*jobs))],
        ),
        (
            "songyang-public-toilets",
            "松阳县城乡公厕分布",
            "城乡公共厕所名称、类别、开放时间和无障碍设施情况。",
            "松阳县综合行政执法局",
            "城建住房",
            "urban",
            "公厕、市政设施",
            "semiannual",
            [("公厕分布（CSV）", "toilets.csv", _csv(*toilets))],
        ),
        (
            "songyang-budget",
            "松阳县一般公共预算收支",
            "一般公共预算收入、支出主要科目的上年执行数和本年预算数。",
            "松阳县财政局",
            "财税金融",
            "governance",
            "预算、财政、决算",
            "annual",
            [("预算收支（XLSX）", "budget.xlsx", _xlsx(*budget))],
        ),
        (
            "songyang-water-levels",
            "松阳县主要河道实时水位",
            "松阴溪等主要河道水文站实时水位（接口）。",
            "松阳县水利局",
            "资源环境",
            "environment",
            "水位、水文、防汛",
            "realtime",
            [("实时水位接口", "https://slj.example.gov.cn/api/water-levels", "API")],
        ),
        (
            "songyang-credit-penalties",
            "松阳县行政处罚双公示数据",
            "全县行政处罚决定公示信息（公示期内），字段与国家双公示数据标准一致。",
            "松阳县市场监督管理局",
            "信用服务",
            "governance",
            "双公示、行政处罚、信用",
            "daily",
            "credit",
        ),
    ]


def _credit_csv() -> bytes | None:
    try:
        from gongkai.credit import importer, selectors
    except ImportError:
        return None
    buf = io.StringIO()
    buf.write("\ufeff")
    importer.export_csv("penalty", selectors.public_records("penalty").order_by("decided_on"), buf)
    return buf.getvalue().encode()


def load(ctx) -> None:
    units, admin = ctx["units"], ctx["admin"]
    if Dataset.objects.exists():
        return  # idempotent
    rng = random.Random(20261202)  # noqa: S311 - demo figures, not security
    licence = DataLicence.objects.get(pk="cc-by-4.0")
    for name, title, description, unit_name, domain, theme, keywords, freq, resources in _datasets(
        rng, timezone.localdate()
    ):
        unit = units.get(unit_name) or ctx["county"]
        dataset = services.dataset_create(
            actor=admin,
            unit=unit,
            data={
                "name": name,
                "title": title,
                "description": description,
                "domain": domain,
                "keywords": keywords,
                "themes": list(Theme.objects.filter(name=theme)),
                "update_frequency": freq,
                "open_type": "unconditional",
                "licence": licence,
                "spatial": "浙江省丽水市松阳县",
                "contact_name": unit.name,
                "contact_phone": unit.contact_phone,
                "temporal_start": dt.date(2023, 1, 1),
            },
        )
        if resources == "credit":
            data = _credit_csv()
            if not data:
                continue
            resources = [("行政处罚（CSV，国家双公示模板）", "penalties.csv", data)]
        for label, filename, content in resources:
            if content == "API":
                services.resource_add(actor=admin, dataset=dataset, name=label, url=filename, format="API")
            else:
                services.resource_add(actor=admin, dataset=dataset, name=label, upload=(filename, content))
        services.dataset_publish(actor=admin, dataset=dataset)
