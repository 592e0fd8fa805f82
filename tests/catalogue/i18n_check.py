"""Shared checks for an app's translations (used by the catalogue and publications tests)."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import polib
from django.conf import settings

from gongkai.core.chinese import to_traditional

SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"
CJK = re.compile(r"[\u4e00-\u9fff]")


def catalogue(app: str, locale: str, ext: str = "po"):
    path = SRC / app / "locale" / locale / "LC_MESSAGES" / f"django.{ext}"
    assert path.exists(), f"missing {path}: run `gongkai i18n_update --app {app}`"
    return polib.pofile(str(path)) if ext == "po" else polib.mofile(str(path))


def check_catalogues(app: str) -> None:
    en = catalogue(app, "en")
    untranslated = [e.msgid for e in en if not e.obsolete and not e.translated()]
    assert untranslated == [], untranslated[:10]
    assert not [e.msgid for e in en if "fuzzy" in e.flags]
    for entry in catalogue(app, "zh_Hant"):
        assert entry.msgstr == to_traditional(entry.msgid) or entry.msgid_plural
    for locale in ("en", "zh_Hant"):
        po = {e.msgid: e.msgstr for e in catalogue(app, locale) if e.translated() and not e.msgid_plural}
        mo = {e.msgid: e.msgstr for e in catalogue(app, locale, "mo") if e.msgid and not e.msgid_plural}
        assert po == mo, f"{app} {locale}: the .mo file is stale: run `gongkai i18n_update --compile-only`"


def ui_messages(app: str, min_chars: int = 4) -> list[str]:
    """This app's fixed interface strings (no placeholders: the pieces of a formatted message
    also occur in data) long enough not to occur inside Chinese data by chance."""
    entries = list(catalogue(app, "en"))
    quoted = " ".join(e.msgstr for e in entries)  # spreadsheet words the English quotes on purpose
    return [
        e.msgid.strip()
        for e in entries
        if "%(" not in e.msgid
        and "{{" not in e.msgid
        and len(CJK.findall(e.msgid)) >= min_chars
        and e.msgid.strip() not in quoted
    ]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'lang="zh-Hans"[^>]*>[^<]*', " ", page)  # the language switch names itself
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def english(client, url: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return visible_text(response.content.decode())


def _data() -> list[str]:
    """Names and titles from the database (data stays as written whatever the language)."""
    from django.apps import apps

    fields = [
        ("catalogue.Domain", "name"),
        ("catalogue.Catalogue", "title"),
        ("catalogue.ElementTemplate", "name"),
        ("catalogue.ElementTemplate", "description"),
        ("catalogue.ElementDefinition", "name"),
        ("catalogue.UnitItem", "level1"),
        ("catalogue.UnitItem", "name"),
        ("core.Organisation", "name"),
        ("publications.Publication", "title"),
    ]
    out = []
    for model, field in fields:
        out += [v for v in apps.get_model(model).objects.values_list(field, flat=True) if v]
    return sorted(set(out), key=len, reverse=True)


def assert_no_untranslated(app: str, text: str, url: str) -> None:
    for value in _data():
        text = text.replace(value, " ")
    leftovers = [m for m in ui_messages(app) if m in text]
    assert leftovers == [], (url, leftovers[:5])
