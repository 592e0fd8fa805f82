"""The interaction app's catalogues: English written for every message, 繁體 generated, compiled; pages in English."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

from gongkai.core.chinese import to_traditional
from gongkai.interaction import services

LOCALE = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "interaction" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _po(locale: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / locale / "LC_MESSAGES" / "django.po"))


def test_every_message_has_an_english_translation_with_its_placeholders():
    po = _po("en")
    assert len(po) > 400
    for entry in po:
        assert entry.translated() and "fuzzy" not in entry.flags, entry.msgid
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert not CJK.search(text), (entry.msgid, text)  # written in English, not copied
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), entry.msgid


def test_traditional_is_generated_and_catalogues_are_compiled():
    for entry in _po("zh_Hant"):
        assert entry.msgstr == to_traditional(entry.msgid) or entry.msgid_plural
    for locale in ("en", "zh_Hant"):
        po = {(e.msgctxt, e.msgid): e.msgstr for e in _po(locale) if e.translated() and not e.msgid_plural}
        mo = polib.mofile(str(LOCALE / locale / "LC_MESSAGES" / "django.mo"))
        compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid and not e.msgid_plural}
        assert po == compiled, "stale .mo: run `gongkai i18n_update --app interaction --compile-only`"


def _visible_chinese(html: str) -> list[str]:
    """Chinese text a visitor sees, leaving out data (titles, names) passed in ``allowed``."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", body)
    return [line.strip() for line in text.splitlines() if CJK.search(line)]


@pytest.mark.parametrize(
    "url",
    [
        "/interaction/",
        "/interaction/submit/",
        "/interaction/track/",
        "/interaction/faq/",
        "/interaction/consultations/",
    ],
)
def test_public_pages_have_no_chinese_ui_text_in_english(tree, types, client, url):
    client.cookies["django_language"] = "en"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    data = {t.name for t in types.values()} | {t.description for t in types.values()}
    data |= {tree.county.name, tree.county.display_name}
    leftover = [line for line in _visible_chinese(_main(html)) if line not in data]
    assert leftover == []


def _main(html: str) -> str:
    match = re.search(r"<main\b.*?</main>", html, flags=re.S)
    return match.group() if match else html


def test_step_history_is_shown_in_the_readers_language(tree, assigned):
    step = assigned.steps.get(kind="assigned")
    assert step.summary == f"分拨至{tree.dept_a.display_name}办理"  # the record, in Chinese
    with translation.override("en"):
        assert step.display_summary == f"Assigned to {tree.dept_a.display_name}"
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="答复")
    with translation.override("en"):
        assert appeal.steps.get(kind="answered").display_summary == f"Answered by {tree.dept_a.display_name}"
