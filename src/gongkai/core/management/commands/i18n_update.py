"""`gongkai i18n_update [--app APP]`: refresh the 繁體 and English catalogues of the gongkai apps.

For each app (``src/gongkai/<app>/locale/``):
1. ``makemessages`` for zh_Hant and en (needs GNU gettext's xgettext/msgmerge, a
   development-time tool; the product itself never needs gettext at run time);
2. every zh_Hant ``msgstr`` is generated from the Simplified msgid with OpenCC
   (``gongkai.core.chinese.to_traditional``: s2tw, characters only — s2twp's
   phrase rewriting turns 信用代码 into 信用程式碼 and 文件 into 檔案), so 繁體
   never lags behind;
3. English translations already in the catalogue are kept; ``msgmerge``'s fuzzy
   guesses are dropped (an English string guessed from a different Chinese one is
   wrong more often than not) and listed as untranslated;
4. ``.mo`` files are compiled with polib (pure Python, no msgfmt).

``--check`` changes nothing: it extracts each app's messages into a temporary copy
and reports every message the code uses that is missing from a catalogue, an English
message that is untranslated or fuzzy, a 繁體 message that is not the OpenCC
conversion, a translation whose placeholders differ from its msgid and a stale
``.mo``; it exits with status 1 when anything is found (tests/core/test_i18n.py runs
the same checks).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import polib
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands import makemessages
from django.test.utils import override_settings

from gongkai.core.chinese import to_traditional

LOCALES = {"zh_Hant": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}
IGNORE = ["tests/*", "migrations/*", "static/*", "data/*", "locale/*", "node_modules/*"]
# Placeholders a translation must keep: %(name)s, %s, %d, {name}, {0}.
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdfr]|\{[A-Za-z_0-9]*\}")


class MakeMessages(makemessages.Command):
    """Django's makemessages, also recognising ``_l`` (``gettext_lazy as _l``) and ``N_`` (``gettext_noop``,
    the sources of stored system messages, ``gongkai.core.messages``)."""

    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l", "--keyword=N_"]


def run_makemessages(app_path: Path, locales: list[str]) -> None:
    cwd = os.getcwd()
    try:
        os.chdir(app_path)
        # LOCALE_PATHS is cleared so makemessages writes into this app's own locale/ dir.
        with override_settings(LOCALE_PATHS=[]):
            call_command(
                MakeMessages(),
                locale=locales,
                domain="django",
                ignore_patterns=IGNORE,
                add_location="file",
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)


def uses_gettext(app_path: Path) -> bool:
    """Whether an app has catalogues or marks any string for translation."""
    if (app_path / "locale").is_dir():
        return True
    marker = re.compile(r"\b(gettext|ngettext|pgettext)\w*|\{%\s*(translate|trans|blocktranslate|blocktrans)\b")
    for path in app_path.rglob("*"):
        if path.suffix in (".py", ".html", ".txt") and not set(path.relative_to(app_path).parts) & {
            "tests",
            "migrations",
        }:
            if marker.search(path.read_text(encoding="utf-8", errors="replace")):
                return True
    return False


def extract(app_path: Path) -> polib.POFile:
    """The messages an app's code and templates use now, extracted without touching its catalogues."""
    skip = shutil.ignore_patterns("locale", "tests", "migrations", "static", "node_modules", "__pycache__", "data")
    with tempfile.TemporaryDirectory(prefix="gk-i18n-") as tmp:
        copy = Path(tmp) / app_path.name
        shutil.copytree(app_path, copy, ignore=skip)
        (copy / "locale").mkdir()
        run_makemessages(copy, ["en"])
        po_path = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
        return polib.pofile(str(po_path), wrapwidth=0) if po_path.exists() else polib.POFile()


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def check_app(app_path: Path, extracted: polib.POFile | None = None) -> list[str]:
    """Problems with an app's catalogues, one line each (empty: complete and compiled)."""
    extracted = extract(app_path) if extracted is None else extracted
    wanted = [e for e in extracted if not e.obsolete]
    problems = []
    for locale in LOCALES:
        po_path = app_path / "locale" / locale / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            if wanted:
                problems.append(f"{locale}: no catalogue ({len(wanted)} messages); run `gongkai i18n_update`")
            continue
        po = polib.pofile(str(po_path), wrapwidth=0)
        entries = {_key(e): e for e in po if not e.obsolete}
        for entry in wanted:
            if _key(entry) not in entries:
                problems.append(f"{locale}: missing {entry.msgid!r}")
        for entry in entries.values():
            if "fuzzy" in entry.flags:
                problems.append(f"{locale}: fuzzy {entry.msgid!r}")
            if locale == "zh_Hant":
                expected = to_traditional(entry.msgid)
                if _translations(entry) != [expected]:
                    problems.append(f"{locale}: not the OpenCC conversion {entry.msgid!r}")
                continue
            if not all(_translations(entry)):
                problems.append(f"{locale}: untranslated {entry.msgid!r}")
                continue
            sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
            expected = sorted(set(PLACEHOLDER.findall(" ".join(sources))))
            for text in _translations(entry):
                if sorted(set(PLACEHOLDER.findall(text))) != expected:
                    problems.append(f"{locale}: placeholders differ {entry.msgid!r} -> {text!r}")
        mo_path = po_path.with_suffix(".mo")
        compiled = {(e.msgctxt, e.msgid): _translations(e) for e in po if e.translated() and not e.obsolete}
        mo = (
            {(e.msgctxt, e.msgid): _translations(e) for e in polib.mofile(str(mo_path)) if e.msgid}
            if mo_path.exists()
            else {}
        )
        if compiled != mo:
            problems.append(f"{locale}: {mo_path.name} is stale; run `gongkai i18n_update --compile-only`")
    return problems


def gongkai_apps(only: str | None = None) -> list[tuple[str, Path]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai."):
            continue
        label = config.name.rsplit(".", 1)[-1]
        if only and only not in (label, config.label, config.name):
            continue
        found.append((label, Path(config.path)))
    return found


def fill_traditional(po: polib.POFile) -> int:
    changed = 0
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if entry.msgid_plural:
            plural = {0: to_traditional(entry.msgid)}
            if plural != entry.msgstr_plural:
                entry.msgstr_plural = plural
                changed += 1
        else:
            text = to_traditional(entry.msgid)
            if entry.msgstr != text:
                entry.msgstr = text
                changed += 1
    return changed


def drop_fuzzy(po: polib.POFile) -> list[str]:
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            entry.msgstr = ""
            if entry.msgid_plural:
                entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if not translated:
            missing.append(entry.msgid)
    return missing


def fix_header(po: polib.POFile, locale: str) -> None:
    po.metadata["Language"] = locale
    po.metadata["Plural-Forms"] = LOCALES[locale]
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Project-Id-Version"] = "gongkai"
    po.metadata.pop("POT-Creation-Date", None)  # keeps diffs to real changes
    po.header = "gongkai UI strings. Source language: Simplified Chinese (zh-hans)."


class Command(BaseCommand):
    help = "更新界面翻译：为各应用生成繁體（OpenCC 自动转换）和英文词条，并编译 .mo 文件。"

    def add_arguments(self, parser):
        parser.add_argument("--app", help="only this gongkai app (e.g. core, portal, catalogue)")
        parser.add_argument("--compile-only", action="store_true", help="only compile existing .po files to .mo")
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; list missing, untranslated or fuzzy messages and stale .mo files, exit 1 if any",
        )

    def handle(self, *args, app=None, compile_only=False, check=False, **options):
        targets = gongkai_apps(app)
        if not targets:
            raise CommandError(f"没有名为 {app} 的 gongkai 应用")
        if check:
            return self.report(targets)
        for label, path in targets:
            if not uses_gettext(path):
                continue
            locale_dir = path / "locale"
            locale_dir.mkdir(exist_ok=True)
            if not compile_only:
                run_makemessages(path, list(LOCALES))
            for locale in LOCALES:
                po_path = locale_dir / locale / "LC_MESSAGES" / "django.po"
                if not po_path.exists():
                    continue
                po = polib.pofile(str(po_path), wrapwidth=0)
                fix_header(po, locale)
                if locale == "zh_Hant":
                    fill_traditional(po)
                    missing = []
                else:
                    missing = drop_fuzzy(po)
                po.save(str(po_path))
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                entries = len([e for e in po if not e.obsolete])
                self.stdout.write(f"{label} {locale}: {entries} 条" + (f"，{len(missing)} 条待翻译" if missing else ""))
                for msgid in missing if options.get("verbosity", 1) > 1 else []:
                    self.stdout.write(f"  待翻译: {msgid}")

    def report(self, targets):
        failed = 0
        for label, path in targets:
            if not uses_gettext(path):
                continue
            problems = check_app(path)
            self.stdout.write(f"{label}: " + ("完整" if not problems else f"{len(problems)} 个问题"))
            for line in problems:
                self.stdout.write(f"  {line}")
            failed += len(problems)
        if failed:
            raise CommandError(f"界面翻译不完整：{failed} 个问题", returncode=1)
