"""Word lists (规范表述 wrong forms with the right one, confusable pairs, sensitive words)
matched with one Aho-Corasick automaton (pyahocorasick), minus a site's allowed phrases."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True)
class Entry:
    text: str
    kind: str  # wrong | confusable | sensitive
    correct: str = ""
    entry_id: int | None = None
    creator_id: int | None = None


@dataclass(frozen=True)
class WordHit:
    entry: Entry
    start: int
    context: str


class Scanner:
    def __init__(self, entries: list[Entry]):
        self.automaton = ahocorasick.Automaton()
        for entry in entries:
            if entry.text:
                self.automaton.add_word(entry.text, entry)
        self.empty = not entries
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, text: str, *, allowed: tuple[str, ...] = (), limit: int = 50) -> list[WordHit]:
        if self.empty or not text:
            return []
        spans = []
        for phrase in allowed:
            if not phrase:
                continue
            pos = text.find(phrase)
            while pos >= 0:
                spans.append((pos, pos + len(phrase)))
                pos = text.find(phrase, pos + 1)
        hits, seen = [], set()
        for end, entry in self.automaton.iter(text):
            start = end - len(entry.text) + 1
            if any(s <= start and end < e for s, e in spans) or entry.text in seen:
                continue
            seen.add(entry.text)
            hits.append(WordHit(entry, start, text[max(0, start - 25) : end + 26]))
            if len(hits) >= limit:
                break
        return hits
