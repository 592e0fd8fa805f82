"""Search integration (Celery tasks run eagerly in tests): a published item is found, a
withdrawn or unpublished one is not, attachment text and imports are searchable, and
the status facet follows the dates through the daily refresh job."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from gongkai.publications import services, tasks
from gongkai.publications.importer import import_file
from gongkai.search import SearchQuery, get_backend

from .files import docx_bytes

pytestmark = pytest.mark.django_db(transaction=True)
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    from gongkai.search.testing import isolated_index

    yield from isolated_index(settings, tmp_path)


def ids(text, **filters):
    res = get_backend().search(SearchQuery(text=text, filters={k: [v] for k, v in filters.items()}))
    return [h.id for h in res.hits]


def test_published_found_withdrawn_not(tree, draft, publish):
    pub = draft(title="松阳县城乡居民医保参保缴费通知")
    assert ids("医保") == []
    pub = services.publication_submit(actor=tree.editor_a, publication=pub)
    assert ids("医保") == []  # in review: not public
    pub = _finish(tree, pub)
    assert ids("医保") == [f"publication:{pub.pk}"]
    assert ids("醫保") == [f"publication:{pub.pk}"]  # 繁體 query
    services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="内容有误")
    assert ids("医保") == []


def _finish(tree, pub):
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    pub = services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub)
    return services.publication_sign_off(actor=tree.leader_a, publication=pub)


def test_attachment_text_is_searchable(tree, draft, publish):
    pub = draft(title="关于调整救助标准的通知", body="<p>详见附件。</p>")
    services.attachment_add(
        actor=tree.editor_a, publication=pub, name="标准.docx", data=docx_bytes("城乡居民最低生活保障标准调整方案")
    )
    pub = publish(pub)
    assert f"publication:{pub.pk}" in ids("最低生活保障标准")


def test_import_is_indexed_in_bulk(tree, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {"type": "通知公告", "title": "2019年松阳县防汛防台工作通知", "published_on": "2019-06-01"},
                {"type": "通知公告", "title": "2020年松阳县森林防火工作通知", "published_on": "2020-02-01"},
            ]
        ),
        encoding="utf-8",
    )
    report = import_file(path, unit=tree.dept_a)
    assert report.indexed == 2
    assert len(ids("防汛")) == 1 and len(ids("松阳县")) == 2


def test_status_facet_follows_dates(tree, draft, publish):
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=CST), tick=False):
        pub = publish(
            draft(doc_type="normative", title="松阳县养老服务补贴管理办法", effective_from=dt.date(2027, 1, 1))
        )
        assert ids("养老服务", status="尚未生效") == [f"publication:{pub.pk}"]
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 10, tzinfo=CST), tick=False):
        assert tasks.refresh_status_changes() == 1
        assert ids("养老服务", status="有效") == [f"publication:{pub.pk}"]
