"""Chinese UI through Django i18n: 简体 msgids, 繁體 generated with OpenCC, English translated."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from gongkai.core.chinese import to_traditional
from gongkai.core.management.commands import i18n_update

APPS = ["core", "portal", "workbench"]
SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"


def _catalogue(app, locale, ext="po"):
    path = SRC / app / "locale" / locale / "LC_MESSAGES" / f"django.{ext}"
    assert path.exists(), f"missing {path}: run `gongkai i18n_update`"
    return polib.pofile(str(path)) if ext == "po" else polib.mofile(str(path))


@pytest.mark.parametrize("app", APPS)
def test_english_catalogue_is_complete(app):
    po = _catalogue(app, "en")
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == []
    assert all("fuzzy" not in e.flags for e in po)


@pytest.mark.parametrize("app", APPS)
def test_traditional_catalogue_is_generated_with_opencc(app):
    po = _catalogue(app, "zh_Hant")
    for entry in po:
        if entry.msgid_plural:  # 繁體 has one plural form
            assert entry.msgstr_plural == {0: to_traditional(entry.msgid)}
        else:
            assert entry.msgstr == to_traditional(entry.msgid)
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("locale", ["zh_Hant", "en"])
def test_compiled_catalogues_match_sources(app, locale):
    po = {e.msgid: e.msgstr for e in _catalogue(app, locale) if e.translated()}
    mo = {e.msgid: e.msgstr for e in _catalogue(app, locale, "mo") if e.msgid}
    assert po == mo, "the .mo file is stale: run `gongkai i18n_update --compile-only`"


def test_gettext_in_each_language():
    from django.utils.translation import gettext

    with translation.override("zh-hant"):
        assert gettext("跳到主要内容") == "跳到主要內容"
        assert gettext("组织机构") == "組織機構"
    with translation.override("en"):
        assert gettext("跳到主要内容") == "Skip to main content"
        assert gettext("审计日志") == "Audit log"
    with translation.override("zh-hans"):
        assert gettext("审计日志") == "审计日志"


def _get(client, url, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_pages_in_traditional_and_english(tree, client_for):
    client = client_for(tree.office)
    page = _get(client, reverse("core:org-list"), "zh-hant")
    assert 'lang="zh-Hant"' in page and "組織機構" in page and "跳到主要內容" in page
    assert "松陽縣人民政府" in page  # database text converted on GET pages too
    page = _get(client, reverse("core:org-list"), "en")
    assert 'lang="en"' in page
    for text in [
        "Organisations",
        "Skip to main content",
        "Audit log",
        "Filter",
        "Unified social credit code",
        "Sign out",
    ]:
        assert text in page
    page = _get(client, reverse("portal:home"), "en")
    assert "Accessibility" in page and "Staff sign-in" in page


@pytest.mark.django_db
def test_language_switch_form(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accessibility/"})
    assert response.status_code == 302 and response["Location"] == "/accessibility/"
    page = client.get("/accessibility/").content.decode()
    assert "Large text" in page and "WCAG 2.1" in page


def test_fill_traditional_and_drop_fuzzy(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="审计日志", msgstr=""))
    po.append(polib.POEntry(msgid="单位", msgstr="Org", flags=["fuzzy"]))
    i18n_update.fill_traditional(po)
    assert [e.msgstr for e in po] == ["審計日誌", "單位"]
    en = polib.POFile()
    en.append(polib.POEntry(msgid="审计日志", msgstr="Audit log"))
    en.append(polib.POEntry(msgid="审计事件", msgstr="Audit log", flags=["fuzzy"]))  # msgmerge's wrong guess
    assert i18n_update.drop_fuzzy(en) == ["审计事件"]
    assert [e.msgstr for e in en] == ["Audit log", ""]


def test_command_compile_only(tmp_path, monkeypatch, capsys):
    """--compile-only recompiles every app's catalogues without needing gettext."""
    from django.core.management import call_command

    call_command("i18n_update", "--compile-only", "--app", "workbench")
    assert "workbench en: " in capsys.readouterr().out
    with pytest.raises(Exception, match="没有名为 nope 的 gongkai 应用"):
        call_command("i18n_update", "--app", "nope")


def test_traditional_conversion_keeps_form_values():
    from gongkai.core.middleware import to_traditional_html

    html = (
        '<h1>松阳县民政局</h1><input name="name" value="松阳县民政局">'
        "<input value='县' type=text><textarea name=b>关于调整最低生活保障标准的通知</textarea><p>标准</p>"
    )
    out = to_traditional_html(html)
    assert out.startswith("<h1>松陽縣民政局</h1>")
    assert 'value="松阳县民政局"' in out and "value='县'" in out
    assert "<textarea name=b>关于调整最低生活保障标准的通知</textarea>" in out and out.endswith("<p>標準</p>")
    button = '<button type="submit" name="language" value="zh-hans" lang="zh-Hans">简体中文</button>'
    assert to_traditional_html(button + "<p>简体</p>") == button + "<p>簡體</p>"


@pytest.mark.django_db
def test_editing_in_traditional_does_not_rewrite_stored_text(tree, client_for):
    client = client_for(tree.office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    page = client.get(reverse("core:org-detail", args=[tree.dept_a.pk])).content.decode()
    assert "<h1>松陽縣民政局</h1>" in page
    assert 'value="松阳县民政局"' in page  # the form sends back the stored simplified name


def test_error_messages_follow_the_language():
    from gongkai.core import credit_code

    for lang, expected in [
        ("zh-hans", "统一社会信用代码应为18位，当前为3位"),
        ("zh-hant", "統一社會信用代碼應為18位，當前為3位"),
        ("en", "A unified social credit code has 18 characters, this one has 3"),
    ]:
        with translation.override(lang), pytest.raises(credit_code.CreditCodeError) as excinfo:
            credit_code.validate("123")
        assert str(excinfo.value) == expected


def test_traditional_keeps_official_terms():
    assert to_traditional("统一社会信用代码") == "統一社會信用代碼"
    assert to_traditional("政府信息公开") == "政府信息公開"
    assert to_traditional("政策文件") == "政策文件"
