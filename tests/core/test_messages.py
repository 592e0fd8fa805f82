"""Stored system messages: translated when shown, parameters inserted after translation, rows stored as
text before converted by the data migrations' parser."""

from __future__ import annotations

from importlib import import_module

from django.utils import translation

from gongkai.core.messages import join, message, parse, render


def test_a_message_is_translated_when_shown_and_its_parameters_are_kept():
    stored = message("%(kind)s：%(value)s", kind=message("手机号码"), value="139****1234")
    with translation.override("en"):
        assert render(stored) == "Mobile phone: 139****1234"
    with translation.override("zh-hant"):
        assert render(stored) == "手機號碼：139****1234"
    with translation.override("zh-hans"):
        assert render(stored) == "手机号码：139****1234"


def test_lists_are_joined_with_the_languages_separator_and_plain_text_is_shown_as_it_is():
    names = join(["SiteName", "SiteDomain"], "、")
    with translation.override("en"):
        assert (
            render(message("首页缺少元数据：%(names)s", names=names))
            == "The home page lacks metadata: SiteName, SiteDomain"
        )
        assert render("县民政局填写的说明") == "县民政局填写的说明" and render({}) == render(None) == ""


def test_text_stored_before_messages_is_parsed_back_into_a_message():
    sources = ["否决：%(count)s处", "%(count)s处，扣%(points)s分", "达标"]
    assert parse("3处，扣6.00分", sources) == message("%(count)s处，扣%(points)s分", count="3", points="6.00")
    assert parse("达标", sources) == message("达标")
    assert parse("栏目设置基本齐全", sources) is None


def test_the_monitoring_migration_converts_old_evidence():
    convert = import_module("gongkai.monitoring.migrations.0003_finding_evidence_msg").convert
    assert convert("手机号码：139****1234") == message(
        "%(kind)s：%(value)s", kind=message("手机号码"), value="139****1234"
    )
    assert convert("网站底部未标注ICP备案编号") == message("网站底部未标注%(label)s", label=message("ICP备案编号"))
    assert convert("首页图片不可用：http://x.gov.cn/a.png（HTTP 404）")["params"]["why"] == "HTTP 404"
    assert convert("人工复核：页面已更正") is None
