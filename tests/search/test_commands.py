"""``gongkai reindex`` and ``gongkai search``."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.search import SearchQuery, get_backend, register_source, unregister_source

from .conftest import make_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources():
    pubs = {
        str(i): make_doc(t, b, id=f"publication:{i}", published_on=dt.date(2024, 1, i))
        for i, (t, b) in enumerate(
            [("民政局低保审批办法", "低保审批"), ("医保缴费通知", "医保"), ("防汛预案", "防汛")], 1
        )
    }
    faqs = {
        "1": make_doc("如何申请低保？", "到乡镇民政办申请。", id="faq:1", kind="faq", doc_type="", unit_name="县民政局")
    }
    from gongkai.search import registry

    registry._sources.clear()  # only these two sources (restored after the test by conftest)
    register_source("publication", lambda: list(pubs.values()), pubs.get)
    register_source("faq", lambda: list(faqs.values()), faqs.get)
    yield pubs, faqs
    unregister_source("publication")
    unregister_source("faq")


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_reindex_rebuilds_everything(sources):
    pubs, faqs = sources
    get_backend().index([make_doc("孤儿文档", "已经删除", id="publication:99")])
    out = run("reindex")
    assert "publication: 共 3 条" in out and "faq: 共 1 条" in out and "完成：4 条" in out
    assert get_backend().count() == 4
    assert get_backend().search(SearchQuery(text="孤儿")).total == 0


def test_reindex_one_kind(sources):
    pubs, faqs = sources
    run("reindex")
    faqs["2"] = make_doc("医保卡丢了怎么办？", "补办。", id="faq:2", kind="faq")
    del faqs["1"]
    out = run("reindex", "--kind", "faq")
    assert "faq: 共 1 条" in out and "publication" not in out.split("来源：")[1].splitlines()[0]
    found = {h.id for h in get_backend().search(SearchQuery(text="", per_page=50)).hits}
    assert found == {"publication:1", "publication:2", "publication:3", "faq:2"}


def test_reindex_unknown_kind(sources):
    with pytest.raises(CommandError, match="未注册的检索来源"):
        run("reindex", "--kind", "nosuch")


def test_search_command_text_output(sources):
    run("reindex")
    out = run("search", "低保")
    assert out.startswith("共 2 条结果")
    lines = out.splitlines()
    assert "1. 民政局低保审批办法" in out or "1. 如何申请低保？" in out
    assert any(pubs_line.strip().startswith("11340000-2024-") and "县民政局" in pubs_line for pubs_line in lines)
    assert "<mark>" not in out


def test_search_command_json_and_filters(sources):
    run("reindex")
    data = json.loads(run("search", "低保", "--json", "--kind", "publication", "--unit", "县民政局"))
    assert data["total"] == 1
    hit = data["results"][0]
    assert hit["id"] == "publication:1" and hit["rank"] == 1 and hit["published_on"] == "2024-01-01"
    assert "<mark>低保</mark>" in hit["title_html"]
    data = json.loads(run("search", "--json", "--type", "nosuchtype"))
    assert data["total"] == 0


def test_search_command_bad_date(sources):
    with pytest.raises(CommandError, match="日期格式"):
        run("search", "低保", "--from", "2024/01/01")
