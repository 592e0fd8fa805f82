"""A failed write must not leave the embedded index locked for every later write."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.search import SearchDocument
from gongkai.search.backends.tantivy import TantivyBackend


def _doc(pk: int, title: str) -> SearchDocument:
    return SearchDocument(
        id=f"publication:{pk}",
        kind="publication",
        title=title,
        body="关于做好最低生活保障工作的通知正文",
        url=f"/p/{pk}/",
        unit_id=1,
        unit_name="松阳县民政局",
        doc_type="notice",
        domain="社会救助",
        year=2026,
        status="",
        published_on=dt.date(2026, 3, 2),
    )


def test_write_after_failed_write_succeeds(tmp_path):
    backend = TantivyBackend(tmp_path / "idx")
    bad = _doc(1, "低保标准调整")
    bad.body = object()  # not text: the write fails inside the writer block
    with pytest.raises(Exception) as excinfo:
        backend.index([bad])
    assert excinfo.value is not None  # the traceback (and its frames) is still alive here
    backend.index([_doc(2, "松阳县低保标准调整的通知")])
    assert backend.count() == 1


def test_lazy_strings_are_stored_as_text():
    from django.utils.translation import gettext_lazy

    doc = _doc(3, "通知")
    doc = SearchDocument(**{**doc.to_dict(), "doc_type": gettext_lazy("通知公告"), "published_on": doc.published_on})
    assert type(doc.doc_type) is str and doc.doc_type == "通知公告"
