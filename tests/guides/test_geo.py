"""Coordinate conversion against published reference pairs (< 1 m), and bad input."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.guides import geo

DATA = json.loads((Path(__file__).parent / "data" / "crs_reference_pairs.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", DATA["triples"], ids=lambda r: r["name"])
def test_gcj02_and_bd09_to_wgs84_within_a_metre(row):
    for crs in ("gcj02", "bd09"):
        lng, lat = geo.to_wgs84(*row[crs], crs)
        assert geo.distance_m(lng, lat, *row["wgs84"]) < 1.0, (row["name"], crs)


@pytest.mark.parametrize("row", DATA["gcj_pairs"], ids=lambda r: r["name"])
def test_eviltransform_vectors(row):
    lng, lat = geo.to_wgs84(*row["gcj02"], "GCJ-02")
    assert geo.distance_m(lng, lat, *row["wgs84"]) < 1.0


@given(st.floats(min_value=97, max_value=130), st.floats(min_value=18, max_value=50))
def test_round_trip_is_exact(lng, lat):
    g = geo.wgs84_to_gcj02(lng, lat)
    back = geo.to_wgs84(*g, "gcj02")
    assert geo.distance_m(*back, lng, lat) < 0.01
    b = geo.gcj02_to_bd09(*g)
    assert geo.distance_m(*geo.to_wgs84(*b, "bd09"), lng, lat) < 0.01


def test_outside_china_is_unchanged():
    assert geo.to_wgs84(2.35, 48.85, "gcj02") == (2.35, 48.85)


@pytest.mark.parametrize(
    "lng,lat,crs,message",
    [
        ("119.48", "28.45", "mars", "未知的坐标系"),
        ("东经119", "28.45", "wgs84", "不是数字"),
        ("", "28.45", "wgs84", "为空"),
        ("28.45", "119.48", "wgs84", "填反"),
        ("200", "28", "wgs84", "超出范围"),
        ("nan", "28", "wgs84", "不是有效数字"),
    ],
)
def test_bad_coordinates_are_explained(lng, lat, crs, message):
    with pytest.raises(geo.CoordinateError, match=message):
        geo.to_wgs84(lng, lat, crs)
