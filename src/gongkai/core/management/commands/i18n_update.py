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
"""

from __future__ import annotations

import os
from pathlib import Path

import polib
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from gongkai.core.chinese import to_traditional

LOCALES = {"zh_Hant": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}
IGNORE = ["tests/*", "migrations/*", "static/*", "data/*", "locale/*", "node_modules/*"]


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

    def handle(self, *args, app=None, compile_only=False, **options):
        targets = gongkai_apps(app)
        if not targets:
            raise CommandError(f"没有名为 {app} 的 gongkai 应用")
        cwd = os.getcwd()
        for label, path in targets:
            locale_dir = path / "locale"
            locale_dir.mkdir(exist_ok=True)
            if not compile_only:
                try:
                    os.chdir(path)
                    # LOCALE_PATHS is cleared so makemessages writes into this app's own locale/ dir.
                    with override_settings(LOCALE_PATHS=[]):
                        call_command(
                            "makemessages",
                            locale=list(LOCALES),
                            domain="django",
                            ignore_patterns=IGNORE,
                            add_location="file",
                            no_obsolete=True,
                            verbosity=0,
                        )
                finally:
                    os.chdir(cwd)
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
