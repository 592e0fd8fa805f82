"""The footer and <meta> tags carry the site identifiers the national website rules ask for.

国办发〔2017〕47号《政府网站发展指引》: every page shows the 主办单位, 网站标识码 and filing numbers;
the 国办秘函〔2019〕19号 inspection reads SiteName/SiteDomain/SiteIDCode on every page and
ColumnName/ArticleTitle/PubDate on articles — gongkai's own monitoring checks the same tags.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.monitoring.engine import extract, rules
from tests.portal.content import publish

pytestmark = pytest.mark.django_db

IDS = {
    "GONGKAI_SITE_ORGANISER": "松阳县人民政府办公室",
    "GONGKAI_SITE_ID_CODE": "3311240001",
    "GONGKAI_SITE_ICP": "浙ICP备05012345号",
    "GONGKAI_SITE_POLICE_RECORD": "浙公网安备33112402000123号",
    "GONGKAI_SITE_URL": "https://www.songyang.gov.cn/gongkai/",
}


def _meta(html: str) -> dict:
    return extract.meta_tags(extract.parse(html))


def test_footer_and_home_meta(client, settings):
    for key, value in IDS.items():
        setattr(settings, key, value)
    html = client.get(reverse("portal:home")).content.decode()
    for text in (
        "主办单位：松阳县人民政府办公室",
        "网站标识码：3311240001",
        "浙ICP备05012345号",
        "浙公网安备33112402000123号",
    ):
        assert text in html
    assert 'href="https://beian.miit.gov.cn/"' in html
    found = extract.footer_identifiers(extract.footer_text(extract.parse(html)))
    assert found["site_code"] == "3311240001"
    assert set(found) == {"organiser", "site_code", "icp", "police"}, found
    meta = _meta(html)
    assert meta["SiteIDCode"] == "3311240001"
    assert meta["SiteDomain"] == "www.songyang.gov.cn"
    assert all(meta.get(m) for m in rules.HOME_META)


def test_unset_identifiers_are_left_out(client, settings):
    for key in IDS:
        setattr(settings, key, "")
    html = client.get(reverse("portal:home")).content.decode()
    assert "网站标识码" not in html and "主办单位" not in html
    assert 'name="SiteIDCode"' not in html


def test_article_pages_carry_the_article_tags(client, settings, tree):
    for key, value in IDS.items():
        setattr(settings, key, value)
    pub = publish(tree, title="关于2026年城乡居民最低生活保障标准调整的通知")
    html = client.get(pub.get_absolute_url()).content.decode()
    meta = _meta(html)
    assert all(meta.get(m) for m in rules.ARTICLE_META), meta
    assert meta["ArticleTitle"] == "关于2026年城乡居民最低生活保障标准调整的通知"
    assert meta["ContentSource"] == tree.dept_a.name
