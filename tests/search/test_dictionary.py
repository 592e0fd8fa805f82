"""The everyday ↔ official name dictionary: shipped data, staff editing through audited
services and the workbench, used by search expansion at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.search import SearchQuery, dictionary, services
from gongkai.search.models import NamePair

pytestmark = pytest.mark.django_db


def test_shipped_dictionary_has_at_least_200_sourced_pairs():
    rows = dictionary.shipped_pairs()
    assert len(rows) >= 200
    assert all(source for _a, _b, source in rows)
    pairs = {(a, b) for a, b, _s in rows}
    for pair in [
        ("准生证", "生育服务证"),
        ("办房本", "不动产登记"),
        ("房产证", "不动产权证书"),
        ("身份证", "居民身份证"),
        ("低保", "最低生活保障"),
        ("户口本", "居民户口簿"),
        ("驾照", "机动车驾驶证"),
        ("社保", "社会保险"),
        ("医保", "医疗保障"),
    ]:
        assert pair in pairs


def test_groups_join_pairs_that_share_a_name():
    d = dictionary.Dictionary([("医保", "医疗保障"), ("医保", "医疗保险"), ("社保", "社会保险")])
    assert set(d.alternatives("医疗保险")) == {"医保", "医疗保障", "医疗保险"}
    assert d.canonicalise("我的医保卡") == "我的医疗保险卡" or d.canonicalise("我的医保卡").startswith("我的医疗")
    assert [name for _s, _e, name in d.find("社保和医保")] == ["社保", "医保"]


def test_the_migration_seeded_the_table():
    assert NamePair.objects.filter(everyday="准生证", official="生育服务证", is_active=True).exists()


def test_office_adds_edits_and_disables_pairs_audited(tree, backend, doc, django_capture_on_commit_callbacks):
    target = doc("关于开展出生一件事联办的通知", "出生医学证明、户口登记、医保参保一次办。")
    backend.index([target, doc("防汛工作部署", "防汛")])
    assert backend.search(SearchQuery(text="新生儿落户")).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        pair = services.name_pair_create(
            actor=tree.office, everyday="新生儿落户", official="出生一件事", source="县政务服务中心"
        )
    assert [h.id for h in backend.search(SearchQuery(text="新生儿落户")).hits] == [target.id]
    with django_capture_on_commit_callbacks(execute=True):
        services.name_pair_set_active(actor=tree.office, pair=pair, active=False)
    assert backend.search(SearchQuery(text="新生儿落户")).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.name_pair_update(
            actor=tree.office, pair=pair, everyday="新生儿落户", official="出生一件事联办", source="县政务服务中心"
        )
    assert backend.search(SearchQuery(text="新生儿落户")).total == 1
    actions = list(
        AuditEvent.objects.filter(object_type="search.namepair", object_id=str(pair.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["search.name_pair.create", "search.name_pair.disable", "search.name_pair.update"]


def test_only_the_office_edits_and_bad_pairs_are_refused(tree):
    with pytest.raises(PermissionDenied):
        services.name_pair_create(actor=tree.editor_a, everyday="甲", official="乙")
    with pytest.raises(ValidationError):
        services.name_pair_create(actor=tree.office, everyday="低保", official="低保")
    with pytest.raises(ValidationError):
        services.name_pair_create(actor=tree.office, everyday="", official="乙")
    with pytest.raises(ValidationError):
        services.name_pair_create(actor=tree.office, everyday="准生证", official="生育服务证")  # already there


def test_workbench_page(tree, client_for):
    client = client_for(tree.office)
    html = client.get(reverse("search_wb:names"), {"q": "准生证"}).content.decode()
    assert "生育服务证" in html
    resp = client.post(
        reverse("search_wb:name-new"), {"everyday": "老年卡", "official": "老年人优待证", "is_active": "on"}
    )
    assert resp.status_code == 302
    pair = NamePair.objects.get(everyday="老年卡")
    resp = client.post(reverse("search_wb:name-active", args=[pair.pk]), {"active": "0"})
    assert resp.status_code == 302 and not NamePair.objects.get(pk=pair.pk).is_active
    resp = client.post(reverse("search_wb:name-new"), {"everyday": "", "official": "x"})
    assert resp.status_code == 400 and "这个字段是必填项" in resp.content.decode() or resp.status_code == 400
    assert client_for(tree.editor_a).get(reverse("search_wb:names")).status_code == 403


def test_an_empty_dictionary_expands_nothing():
    empty = dictionary.Dictionary([])
    assert (
        empty.alternatives("低保户") == ("低保户",)
        and empty.find("低保") == []
        and empty.canonicalise("低保") == "低保"
    )
