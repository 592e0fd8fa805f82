"""`gongkai monitoring check URL [--as-of] [--max-pages] [--json]`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.monitoring import loopback
from gongkai.monitoring.management.commands.monitoring import CHECK_RULES
from gongkai.monitoring.models import Site

from .conftest import publish

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("monitoring", *args, stdout=out)
    except SystemExit as exc:
        return out.getvalue(), exc.code
    return out.getvalue(), 0


def test_json_output_has_exactly_the_documented_shape(farm):
    url = publish(farm, loopback.SiteSpec("/xp", home_age=20, extra_article="<p>13905781234</p>"))
    text, code = run("check", url, "--as-of", "2026-11-20", "--json")
    data = json.loads(text)
    assert set(data) == {"site", "findings"} and data["site"] == url
    assert data["findings"] and all(
        set(f) == {"rule", "severity", "url", "column", "evidence"} for f in data["findings"]
    )
    assert {f["rule"] for f in data["findings"]} <= set(CHECK_RULES)
    assert {f["severity"] for f in data["findings"]} <= {"veto", "deduction", "notice"}
    assert "home_not_updated" in {f["rule"] for f in data["findings"]} and code == 1  # a veto → exit 1
    assert "13905781234" not in text and "139****1234" in text
    assert Site.objects.filter(home_url=url).exists()


def test_max_pages_limits_the_crawl(farm):
    url = publish(farm, loopback.SiteSpec("/mp"))
    text, _code = run("check", url, "--as-of", "2026-11-20", "--max-pages", "2")
    assert "2 pages" in text or "1 pages" in text


def test_bad_arguments_are_clear_errors(farm):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("monitoring", "check", "http://127.0.0.1:9/", "--as-of", "20.11.2026")
    with pytest.raises(CommandError, match="网址"):
        call_command("monitoring", "check", "ftp://x", "--json")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("monitoring", "check", "http://127.0.0.1:9/", "--max-pages", "0")


def test_unreachable_site_is_reported(farm):
    text, code = run("check", "http://127.0.0.1:9/", "--json")  # nothing listens on the discard port
    data = json.loads(text)
    assert [f["rule"] for f in data["findings"]] == ["site_unreachable"] and code == 1
