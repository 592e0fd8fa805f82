"""Service points: CSV import converting GCJ-02/BD-09, all-or-nothing, nearest by position or address."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.guides import geo, selectors, services
from gongkai.guides.models import Crs, ServicePoint

pytestmark = pytest.mark.django_db

HEADER = "name,address,township,services,lng,lat,crs\n"


def test_import_converts_and_records_the_source_system(tree):
    g = geo.wgs84_to_gcj02(119.40, 28.528)
    b = geo.gcj02_to_bd09(*geo.wgs84_to_gcj02(119.566, 28.288))
    rows = [
        {
            "name": "古市镇便民服务中心",
            "address": "古市大街",
            "township": "古市镇",
            "services": "生育登记、低保",
            "lng": str(g[0]),
            "lat": str(g[1]),
            "crs": "GCJ-02",
        },
        {"name": "大东坝镇便民服务中心", "address": "大东坝村", "lng": str(b[0]), "lat": str(b[1]), "crs": "百度"},
    ]
    report = services.points_import(actor=tree.editor_a, unit=tree.dept_a, rows=rows)
    assert report == {"created": 2, "updated": 0, "errors": []}
    gushi = ServicePoint.objects.get(name="古市镇便民服务中心")
    assert gushi.source_crs == Crs.GCJ02 and gushi.township == tree.town_b and gushi.services == ["生育登记", "低保"]
    assert geo.distance_m(float(gushi.lng), float(gushi.lat), 119.40, 28.528) < 1
    assert ServicePoint.objects.get(name="大东坝镇便民服务中心").source_crs == Crs.BD09


def test_a_bad_row_saves_nothing(tree):
    rows = [
        {"name": "甲", "address": "地址", "lng": "119.4", "lat": "28.5", "crs": "wgs84"},
        {"name": "乙", "address": "地址", "lng": "abc", "lat": "28.5", "crs": "wgs84"},
        {"name": "丙", "address": "地址", "lng": "119.4", "lat": "28.5", "crs": "mars"},
    ]
    report = services.points_import(actor=tree.editor_a, unit=tree.dept_a, rows=rows)
    assert [n for n, _m in report["errors"]] == [3, 4] and "不是数字" in report["errors"][0][1]
    assert "未知的坐标系" in report["errors"][1][1] and not ServicePoint.objects.exists()


def test_workbench_upload_rejects_gbk(tree, client_for):
    data = (HEADER + "甲,地址,,,119.4,28.5,wgs84\n").encode("gbk")
    r = client_for(tree.editor_a).post(
        "/workbench/guides/points/import/", {"unit": tree.dept_a.pk, "file": SimpleUploadedFile("p.csv", data)}
    )
    assert r.status_code == 400 and "UTF-8" in r.content.decode() and not ServicePoint.objects.exists()


def _points(tree):
    for name, lng, lat in [("县行政服务中心", 119.4836, 28.4506), ("古市镇便民服务中心", 119.40, 28.528)]:
        services.point_save(
            actor=tree.editor_a, unit=tree.dept_a, data={"name": name, "address": name}, lng=lng, lat=lat
        )


def test_nearest_by_position_and_typed_address(tree, client):
    _points(tree)
    page = client.get("/guides/points/", {"lng": "119.41", "lat": "28.52"}).content.decode()
    assert page.index("古市镇便民服务中心") < page.index("县行政服务中心") and "最近" in page
    page = client.get("/guides/points/", {"address": "县行政服务中心附近"}).content.decode()
    assert page.index("县行政服务中心") < page.index("古市镇便民服务中心")
    page = client.get("/guides/points/", {"address": "北京"}).content.decode()
    assert "没有找到该地址" in page
    located = selectors.locate_address("古市")
    assert located[2] == "古市镇便民服务中心"


def test_map_page_works_without_javascript_and_tiles(tree, client, settings):
    _points(tree)
    settings.GONGKAI_MAP_TILES = "tianditu"
    settings.GONGKAI_TIANDITU_KEY = ""
    page = client.get("/guides/points/").content.decode()
    assert 'data-mode="none"' in page and "point-list" in page and "leaflet.js" in page
    settings.GONGKAI_TIANDITU_KEY = "abc123"
    assert "tianditu.gov.cn" in client.get("/guides/points/").content.decode()
