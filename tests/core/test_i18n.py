"""Chinese UI through Django i18n: 简体 msgids, 繁體 generated with OpenCC, English translated.

The catalogue tests are parametrised over every gongkai app that marks strings for
translation (found on disk, not listed by hand). For each app the messages its code
and templates use *now* are extracted (``makemessages`` on a temporary copy, once per
app per session) and compared with its catalogues, so a new string added without
its translations fails here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from gongkai.core.chinese import to_traditional
from gongkai.core.management.commands import i18n_update

SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists() and i18n_update.uses_gettext(p))


@functools.cache
def _problems(app: str) -> tuple[str, ...]:
    return tuple(i18n_update.check_app(SRC / app))


def _only(app: str, *kinds: str) -> list[str]:
    return [line for line in _problems(app) if any(kind in line for kind in kinds)]


def test_every_app_with_ui_strings_is_checked():
    assert {"core", "portal", "workbench", "reports", "requests", "api", "catalogue", "publications"} <= set(APPS)
    for app in APPS:
        for locale in i18n_update.LOCALES:
            assert (SRC / app / "locale" / locale / "LC_MESSAGES" / "django.po").exists(), (app, locale)


@pytest.mark.parametrize("app", APPS)
def test_every_message_in_use_is_in_both_catalogues(app):
    assert _only(app, ": missing ", ": no catalogue") == [], f"run `gongkai i18n_update --app {app}`"


@pytest.mark.parametrize("app", APPS)
def test_english_catalogue_is_complete(app):
    problems = _only(app, "en: untranslated", "en: fuzzy", "en: placeholders")
    assert problems == [], f"write the English in src/gongkai/{app}/locale/en/LC_MESSAGES/django.po"


@pytest.mark.parametrize("app", APPS)
def test_traditional_catalogue_is_generated_with_opencc(app):
    assert _only(app, "zh_Hant: not the OpenCC", "zh_Hant: fuzzy") == [], f"run `gongkai i18n_update --app {app}`"
    po = polib.pofile(str(SRC / app / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("app", APPS)
def test_compiled_catalogues_match_sources(app):
    assert _only(app, "is stale") == [], f"run `gongkai i18n_update --app {app} --compile-only`"


def test_no_gettext_inside_f_strings():
    """xgettext does not read f-strings: a message marked inside one never reaches the catalogues."""
    marked = re.compile(r"""\bf(["']).*?\{\s*(_|gettext|gettext_lazy|pgettext)\(""")
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marked.search(line)
    ]
    assert found == []


def _fake_app(tmp_path, english: dict[str, str]) -> Path:
    app = tmp_path / "fakeapp"
    (app / "templates").mkdir(parents=True)
    (app / "apps.py").write_text("")
    (app / "views.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "from django.utils.translation import gettext_lazy as _l\n"
        "TITLE = _l('申请列表')\n"
        "def f(n):\n    return _('共%(n)s件') % {'n': n}\n"
    )
    (app / "templates" / "page.html").write_text("{% load i18n %}<h1>{% translate '年度报告' %}</h1>")
    for locale in i18n_update.LOCALES:
        po = polib.POFile()
        i18n_update.fix_header(po, locale)
        for msgid, text in english.items():
            po.append(polib.POEntry(msgid=msgid, msgstr=to_traditional(msgid) if locale == "zh_Hant" else text))
        path = app / "locale" / locale / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True)
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))
    return app


def test_check_finds_new_untranslated_and_stale_messages(tmp_path):
    complete = {"申请列表": "Requests", "共%(n)s件": "%(n)s in all", "年度报告": "Annual report"}
    app = _fake_app(tmp_path, complete)
    assert i18n_update.uses_gettext(app)
    assert {e.msgid for e in i18n_update.extract(app)} == set(complete)
    assert i18n_update.check_app(app) == []

    app = _fake_app(tmp_path / "2", {"申请列表": "Requests", "共%(n)s件": "%(n)s in all"})
    assert i18n_update.check_app(app) == ["zh_Hant: missing '年度报告'", "en: missing '年度报告'"]

    app = _fake_app(tmp_path / "3", {**complete, "共%(n)s件": "In all"})
    assert i18n_update.check_app(app) == ["en: placeholders differ '共%(n)s件' -> 'In all'"]

    po_path = app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.find("共%(n)s件").msgstr = "%(n)s altogether"
    po.find("年度报告").msgstr = ""
    po.find("申请列表").flags.append("fuzzy")
    po.save(str(po_path))
    assert sorted(i18n_update.check_app(app)) == [
        "en: django.mo is stale; run `gongkai i18n_update --compile-only`",
        "en: fuzzy '申请列表'",
        "en: untranslated '年度报告'",
    ]


def test_check_command_fails_on_an_incomplete_catalogue(monkeypatch, capsys):
    from django.core.management import CommandError, call_command

    monkeypatch.setattr(i18n_update, "check_app", lambda path, extracted=None: ["en: untranslated '年度报告'"])
    with pytest.raises(CommandError, match="界面翻译不完整"):
        call_command("i18n_update", "--check", "--app", "reports")
    assert "en: untranslated '年度报告'" in capsys.readouterr().out


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
