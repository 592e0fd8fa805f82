"""Everyday ↔ official names: the one shared dictionary lives in the search app.

The guides app keeps no second dictionary. It asks ``gongkai.search.dictionary`` (the
staff-editable ``NamePair`` table seeded with ≥ 200 pairs) for the names that mean the same as
a guide's name, and puts them beside the guide's own everyday name and aliases in the search
document, so 一网通查 finds 生育服务证 by 准生证 even before query-side expansion. Where the search
app has no dictionary (an older install), the guide's own wording still applies.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def _dictionary():
    try:
        from gongkai.search import dictionary
    except ImportError:  # search app without the shared dictionary
        return None
    try:
        return dictionary.current()
    except Exception:  # noqa: BLE001 - no table yet (migrations) or no cache: names still work
        log.debug("guides: name dictionary unavailable", exc_info=True)
        return None


def alternatives(text: str) -> list[str]:
    """Other names (everyday or official) for the dictionary names that occur in ``text``."""
    d = _dictionary()
    if d is None or not text:
        return []
    from gongkai.core.chinese import normalise

    normalised = normalise(text)
    out: list[str] = []
    for _start, _end, name in d.find(normalised):
        for other in d.alternatives(name):
            if other != name and other not in out and other not in normalised:
                out.append(other)
    return out


def canonical(text: str) -> str:
    """``text`` with every dictionary name replaced by its group's canonical (official) name."""
    d = _dictionary()
    if d is None or not text:
        return text
    from gongkai.core.chinese import normalise

    return d.canonicalise(normalise(text))
