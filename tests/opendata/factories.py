"""Open-data fixtures: datasets with real-looking CSV/XLSX/JSON resources."""

from __future__ import annotations

import io
import json

import openpyxl

from gongkai.opendata import services

BUS_STOPS = "站点编号,站点名称,所在街道,经度,纬度,途经线路\n" + "\n".join(
    f"SY{n:04d},{name},{street},{119.48 + n / 1000:.5f},{28.44 + n / 1000:.5f},{lines}"
    for n, (name, street, lines) in enumerate(
        [
            ("县人民医院", "西屏街道", "1路;3路"),
            ("紫荆路口", "西屏街道", "1路;2路;5路"),
            ("松阳汽车站", "水南街道", "2路;K1"),
            ("松阳高铁站", "望松街道", "K1;K2"),
            ("古市镇政府", "古市镇", "城乡3"),
            ("大东坝镇中心", "大东坝镇", "城乡7"),
        ],
        start=1,
    )
)


def xlsx_bytes(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def dataset_data(name="songyang-bus-stops", title="松阳县公交站点信息", **over) -> dict:
    data = {
        "name": name,
        "title": title,
        "description": "松阳县城区及城乡公交站点名称、位置和途经线路。",
        "domain": "交通运输",
        "keywords": "公交，站点、出行",
        "update_frequency": "quarterly",
        "open_type": "unconditional",
        "access_conditions": "",
        "licence": "cc-by-4.0",
        "spatial": "浙江省丽水市松阳县",
        "contact_name": "松阳县交通运输局",
        "contact_phone": "0578-8062345",
        "contact_email": "",
    }
    data.update(over)
    if isinstance(data["licence"], str):
        from gongkai.opendata.models import DataLicence

        data["licence"] = DataLicence.objects.get(pk=data["licence"])
    return data


def published_dataset(actor, unit, *, name="songyang-bus-stops", title="松阳县公交站点信息", themes=("urban",), **over):
    from gongkai.opendata.models import Theme

    ds = services.dataset_create(
        actor=actor,
        unit=unit,
        data={**dataset_data(name=name, title=title, **over), "themes": list(Theme.objects.filter(name__in=themes))},
    )
    services.resource_add(actor=actor, dataset=ds, name="公交站点（CSV）", upload=("bus_stops.csv", BUS_STOPS.encode()))
    services.resource_add(
        actor=actor,
        dataset=ds,
        name="公交站点（XLSX）",
        upload=(
            "bus_stops.xlsx",
            xlsx_bytes([["站点编号", "站点名称"], ["SY0001", "县人民医院"], ["SY0002", "紫荆路口"]]),
        ),
    )
    services.resource_add(
        actor=actor, dataset=ds, name="实时到站接口", url="https://bus.example.gov.cn/api/arrivals", format="API"
    )
    return services.dataset_publish(actor=None, dataset=ds)  # the reviewer step is tested elsewhere


def json_bytes(records) -> bytes:
    return json.dumps(records, ensure_ascii=False).encode()
