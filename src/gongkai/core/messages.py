"""System-generated messages stored in the database and translated when shown.

A note the system writes about a record (how a score was reached, what a check found, a
report figure's check result) is UI text, not data: it must be shown in the visitor's
language. Such a message is stored as ``{"msg": <简体 source>, "params": {...}}``: the
source is a msgid marked with ``gettext_noop`` where it is written (so ``makemessages``
collects it) and is translated by :func:`render` at display time; the parameters (names,
numbers, dates, quoted page text) are inserted after translation. A parameter may itself be
a message (a translated label) or a list of messages joined with a separator.

Text typed by people (titles, reasons, notes staff wrote) is never stored this way. A stored
value that is a plain string (rows written before messages were stored, quoted page text) is
shown as it is.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_  # noqa: N812 (the usual gettext alias)

__all__ = ["N_", "message", "join", "is_message", "render", "parse"]


def message(source: str, **params: Any) -> dict:
    """A message to store: ``source`` is a 简体 msgid marked with ``gettext_noop``."""
    return {"msg": source, "params": params}


def join(items: list, separator: str = "、") -> dict:
    """Several values (strings or messages) shown one after another with a translated separator."""
    return {"join": list(items), "sep": separator}


def is_message(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("msg"), str)


def render(value: Any) -> str:
    """The text of a stored message in the active language (plain strings are returned unchanged)."""
    if value is None or value == {} or value == "":
        return ""
    if is_message(value):
        params = {k: render(v) for k, v in (value.get("params") or {}).items()}
        text = gettext(value["msg"])
        if not params:
            return text
        try:
            return text % params
        except (KeyError, ValueError, TypeError):  # a translation that names another placeholder
            return value["msg"] % params
    if isinstance(value, dict) and "join" in value:
        return gettext(value.get("sep") or "、").join(render(v) for v in value["join"])
    if isinstance(value, (list, tuple)):
        return gettext("、").join(render(v) for v in value)
    return str(value)


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def parse(text: str, sources: list[str]) -> dict | None:
    """The message whose source produced ``text`` (for data migrations of rows stored as text), or None.

    Each ``%(name)s`` in a source matches any text; a source without placeholders matches itself.
    """
    for source in sources:
        pattern, pos, seen = "", 0, set()
        for m in _PLACEHOLDER.finditer(source):
            pattern += re.escape(source[pos : m.start()].replace("%%", "%"))
            name = m.group(1)
            pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.*?)"
            seen.add(name)
            pos = m.end()
        pattern += re.escape(source[pos:].replace("%%", "%"))
        found = re.fullmatch(pattern, text, flags=re.S)
        if found:
            return message(source, **found.groupdict())
    return None
