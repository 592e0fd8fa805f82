"""A fresh install without demo data, and the unit directory (公开主体) page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.core.models import Organisation

from .content import publish, township_catalogue_items

pytestmark = pytest.mark.django_db


def test_empty_database_shows_a_helpful_home_page(client):
    assert not Organisation.objects.exists()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "本平台尚未发布政府信息" in html and reverse("portal:units") in html
    assert "平台尚未设置公开单位" in html  # says why there is no request form yet
    assert 'id="home-q"' in html  # search still works
    for heading in ("latest-heading", "consultations-heading", "answers-heading", "figures-heading", "popular-heading"):
        assert heading not in html, heading  # no empty boxes
    tasks = html.split('id="tasks-heading"')[1].split("</section>")[0]
    assert reverse("requests:apply") not in tasks  # no form to send a request to nobody
    assert "latest-heading" not in client.get("/?tab=notice").content.decode()
    units = client.get(reverse("portal:units"))
    assert units.status_code == 200 and "平台尚未设置公开单位" in units.content.decode()


def test_units_without_content_get_the_welcome_note_and_tasks(tree, client):
    html = client.get("/").content.decode()
    assert "本平台尚未发布政府信息" in html and "latest-heading" not in html
    assert reverse("requests:apply") in html and "平台尚未设置公开单位" not in html


def test_first_publication_replaces_the_welcome_note(tree, client):
    client.get("/")
    publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    html = client.get("/").content.decode()
    assert "本平台尚未发布政府信息" not in html and "latest-heading" in html


def test_directory_groups_units_with_catalogue_and_contact(tree, client):
    Organisation.objects.filter(pk=tree.dept_a.pk).update(
        contact_phone="0578-8060006", address="松阳县西屏街道紫荆路8号", office_hours="工作日 8:30-12:00，14:30-17:30"
    )
    township_catalogue_items(tree)  # 西屏街道 and the other township get a catalogue
    publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")  # 民政局 has published information
    html = client.get(reverse("portal:units")).content.decode()
    assert f'<h2 id="gov-{tree.county.pk}">{tree.county.name}</h2>' in html
    towns = html.index(">乡镇（街道）</h3>")
    departments = html.index(">政府部门</h3>")
    institutions = html.index(">公共企事业单位</h3>")
    assert towns < html.index(tree.town_a.name) < departments < html.index(tree.dept_a.name) < institutions
    assert html.index(tree.school.name) > institutions
    card = html[html.index(f'id="unit-{tree.dept_a.pk}"') :]
    card = card[: card.index("</li>")]
    assert "0578-8060006" in card and "松阳县西屏街道紫荆路8号" in card and "工作日 8:30-12:00" in card
    assert reverse("publications:unit", args=[tree.dept_a.pk]) in card
    assert reverse("catalogue:unit", args=[tree.dept_a.pk]) not in card  # no catalogue: no dead link
    town = html[html.index(f'id="unit-{tree.town_a.pk}"') :]
    assert reverse("catalogue:unit", args=[tree.town_a.pk]) in town[: town.index("</li>")]
    assert tree.province.name not in html.split("<main")[1]  # the site's county, not the tree above it


def test_directory_shows_no_personal_data(tree, client):
    html = client.get(reverse("portal:units")).content.decode()
    for user in (tree.editor_a, tree.office, tree.leader_b):
        assert user.username not in html
        if user.phone:
            assert user.phone not in html


def test_home_links_the_directory(tree, client):
    assert reverse("portal:units") in client.get("/").content.decode()
