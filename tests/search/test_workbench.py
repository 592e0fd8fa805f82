"""Index state on the workbench home: system administrators only."""

from __future__ import annotations

from gongkai.search import get_backend
from gongkai.search.models import IndexFailure

from .conftest import make_doc


def test_sysadmin_sees_index_state(tree, client_for):
    get_backend().index([make_doc("防汛预案", "防汛")])
    IndexFailure.objects.create(doc_id="publication:9", operation="index", error="disk full")
    html = client_for(tree.sysadmin).get("/workbench/").content.decode()
    assert "一网通查索引" in html and "已索引 1 条" in html and "1 条索引更新失败" in html


def test_other_staff_do_not(tree, client_for):
    html = client_for(tree.editor_a).get("/workbench/").content.decode()
    assert "一网通查索引" not in html
