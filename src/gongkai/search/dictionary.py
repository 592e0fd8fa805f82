"""The everyday ↔ official name dictionary (准生证 ↔ 生育服务证, 低保 ↔ 最低生活保障 …).

One dictionary for the whole product: 一网通查 expands query words with it
(``analysis.parse_query``) and the FAQ suggester maps every variant to one canonical word
(``Dictionary.canonicalise``). Pairs are rows of :class:`~gongkai.search.models.NamePair`
(seeded from ``data/name_pairs.tsv``, edited by the 政务公开办 in the workbench); pairs that
share a name form one group (connected components), so 医保 ↔ 医疗保障 and 医保 ↔ 医疗保险
make one group of three names.

The dictionary is built once per process and rebuilt when the version counter in the
cache changes (services bump it on commit), like the FAQ index.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

import ahocorasick
from django.core.cache import cache

from gongkai.core.chinese import normalise

log = logging.getLogger(__name__)

DATA_FILE = Path(__file__).parent / "data" / "name_pairs.tsv"
VERSION_KEY = "gongkai:search:dictionary:version"


def shipped_pairs() -> list[tuple[str, str, str]]:
    """``(everyday, official, source)`` rows of the shipped data file."""
    rows = []
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
            rows.append((parts[0].strip(), parts[1].strip(), parts[2].strip() if len(parts) > 2 else ""))
    return rows


class Dictionary:
    """Groups of names that mean the same, with a longest-match scanner over normalised text."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        officials: set[str] = set()
        for everyday, official in pairs:
            a, b = normalise(everyday).strip(), normalise(official).strip()
            if not a or not b or a == b:
                continue
            officials.add(b)
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        members: dict[str, list[str]] = {}
        for name in list(parent):
            members.setdefault(find(name), []).append(name)
        self.group_of: dict[str, tuple[str, ...]] = {}
        self.canonical_of: dict[str, str] = {}
        for names in members.values():
            names.sort(key=lambda n: (len(n), n))
            official = [n for n in names if n in officials]
            canonical = (official or names)[0]
            group = tuple(names)
            for n in names:
                self.group_of[n] = group
                self.canonical_of[n] = canonical
        self.automaton = ahocorasick.Automaton()
        for name in self.group_of:
            self.automaton.add_word(name, name)
        self.empty = not self.group_of
        if not self.empty:
            self.automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.group_of)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Longest non-overlapping dictionary names in normalised ``text``: ``[(start, end, name)]``."""
        if self.empty or not text:
            return []
        return [(end - len(name) + 1, end + 1, name) for end, name in self.automaton.iter_long(text)]

    def alternatives(self, name: str) -> tuple[str, ...]:
        """Every name of ``name``'s group (``name`` first), plus the groups of the dictionary
        names it contains (低保户 → 低保户, 最低生活保障家庭, 低保, 最低生活保障 …)."""
        out = [name]
        for other in self.group_of.get(name, ()):
            if other not in out:
                out.append(other)
        if len(name) > 2 and not self.empty:
            for _end, inner in self.automaton.iter(name):
                if inner != name and len(inner) >= 2:
                    for other in self.group_of.get(inner, ()):
                        if other not in out:
                            out.append(other)
        return tuple(out)

    def canonicalise(self, text: str) -> str:
        """``text`` (normalised) with every dictionary name replaced by its group's canonical name."""
        if self.empty or not text:
            return text
        out, pos = [], 0
        for start, end, name in self.find(text):
            out.append(text[pos:start])
            out.append(self.canonical_of[name])
            pos = end
        out.append(text[pos:])
        return "".join(out)


_lock = threading.Lock()
_state: dict = {"version": None, "dictionary": None}


def invalidate() -> None:
    """Every process rebuilds its dictionary on next use (services call this on commit)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "none"
    return version


def _load_pairs() -> list[tuple[str, str]]:
    try:
        from .models import NamePair

        if NamePair.objects.exists():
            return list(NamePair.objects.filter(is_active=True).values_list("everyday", "official"))
    except Exception:  # noqa: BLE001 - no database or table yet (migrations, bench, CLI before migrate)
        log.debug("search: name dictionary table unavailable, using the shipped file", exc_info=True)
    return [(a, b) for a, b, _s in shipped_pairs()]


def current() -> Dictionary:
    """The dictionary in force (database rows; the shipped file when the table is empty or absent)."""
    if _state.get("pinned") is not None:
        return _state["pinned"]
    try:
        version = _version()
    except Exception:  # noqa: BLE001 - cache unavailable: keep what we have
        version = _state["version"] or "none"
    with _lock:
        if _state["dictionary"] is not None and _state["version"] == version:
            return _state["dictionary"]
    dictionary = Dictionary(_load_pairs())
    with _lock:
        _state.update(version=version, dictionary=dictionary)
    return dictionary


def use(dictionary: Dictionary | None) -> None:
    """Pin a dictionary for this process (benchmarks without a database); ``None`` unpins."""
    with _lock:
        _state["pinned"] = dictionary
