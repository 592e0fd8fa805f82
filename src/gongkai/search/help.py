"""Zero results never end the search: what the portal, the API and ``gongkai search`` offer
instead — a looser query, spelling or pinyin corrections, and related entries from other
services (FAQ entries, service guides …) registered with :func:`register_help_provider`."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import analysis
from .types import SearchQuery

log = logging.getLogger(__name__)

MAX_LOOSER = 3
MAX_CORRECTIONS = 3
RELATED_LIMIT = 3


@dataclass
class RelatedItem:
    title: str
    url: str
    snippet: str = ""


@dataclass
class RelatedGroup:
    key: str
    label: str
    items: list[RelatedItem]


@dataclass
class ZeroResultHelp:
    issue: str = ""  # analysis.ISSUE_* when the query had nothing to search for
    ignored: list[str] = field(default_factory=list)  # question words that were left out
    looser: list[tuple[str, int]] = field(default_factory=list)  # (query, how many it finds)
    without_filters: int = 0  # matches of the same text without the facet/date filters
    corrections: list[str] = field(default_factory=list)  # did you mean …
    related: list[RelatedGroup] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "issue": self.issue,
            "ignored": self.ignored,
            "looser": [{"q": q, "total": n} for q, n in self.looser],
            "without_filters": self.without_filters,
            "corrections": self.corrections,
            "related": [
                {
                    "kind": g.key,
                    "label": str(g.label),
                    "items": [{"title": i.title, "url": i.url, "snippet": i.snippet} for i in g.items],
                }
                for g in self.related
            ],
        }


# --- providers (other apps register theirs; search imports no app) ------------------------

HelpProvider = Callable[[str, int], list[RelatedItem]]
_providers: dict[str, tuple[str, HelpProvider]] = {}


def register_help_provider(key: str, label, provider: HelpProvider) -> None:
    """Offer related entries when a search finds nothing: ``provider(query, limit)`` returns
    ``[RelatedItem(title, url, snippet)]``. Call from the app's ``AppConfig.ready()``
    (the interaction app registers its FAQ entries; the guides app its service guides)."""
    _providers[key] = (label, provider)


def unregister_help_provider(key: str) -> None:
    _providers.pop(key, None)


def help_providers() -> dict[str, tuple[str, HelpProvider]]:
    return dict(_providers)


# --- corrections --------------------------------------------------------------------------

_homophones_lock = threading.Lock()
_homophones: dict = {"dictionary": None, "map": {}}
_LATIN = re.compile(r"^[a-z ]+$")


def _pinyin_map() -> dict[str, list[str]]:
    """Toneless pinyin (full) → dictionary names and popular search terms that sound so."""
    from . import dictionary, selectors

    current = dictionary.current()
    with _homophones_lock:
        if _homophones["dictionary"] is current:
            return _homophones["map"]
    words = set(current.group_of)
    try:
        words |= {t for t, _n in selectors.top_terms(None, 500) if 1 < len(t) <= 12}
    except Exception:  # noqa: BLE001 - no database (bench): the dictionary alone
        log.debug("search: popular terms unavailable for corrections", exc_info=True)
    mapping: dict[str, list[str]] = {}
    for w in sorted(words, key=lambda x: (len(x), x)):
        if not analysis._CJK_CHAR.search(w):
            continue
        full, _initials = analysis._pinyin(w)
        if full:
            mapping.setdefault(full, []).append(w)
    with _homophones_lock:
        _homophones.update(dictionary=current, map=mapping)
    return mapping


def corrections(text: str, parsed: analysis.ParsedQuery, count: Callable[[str], int]) -> list[str]:
    """Queries that sound like what was typed: pinyin typed in Latin letters (dibao → 低保), or
    Chinese words with a wrong character of the same sound (底保 → 低保)."""
    mapping = _pinyin_map()
    norm = analysis.normalise(text).strip()
    out: list[str] = []
    if _LATIN.match(norm):
        key = norm.replace(" ", "")
        out += [w for w in mapping.get(key, []) if w not in out]
    else:
        for term in parsed.terms:
            word = term.text
            if not analysis._CJK_CHAR.search(word) or count(word):
                continue
            full, _i = analysis._pinyin(word)
            for w in mapping.get(full, []):
                if w != word:
                    fixed = norm.replace(word, w)
                    if fixed not in out:
                        out.append(fixed)
    return [c for c in out if count(c)][:MAX_CORRECTIONS]


# --- the help itself ----------------------------------------------------------------------


def _looser_queries(q: SearchQuery, parsed: analysis.ParsedQuery) -> list[str]:
    candidates: list[str] = []
    text = q.text.strip()
    if parsed.phrases or parsed.excluded:
        plain = " ".join(w for w in re.sub(r"[\"“”「」]", " ", text).split() if not w.startswith("-"))
        if plain and plain != text:
            candidates.append(plain)
    strong = [t.text for t in parsed.terms if len(t.text) > 1]
    if len(strong) > 1:
        candidates += strong
    return candidates


def zero_result_help(q: SearchQuery, parsed: analysis.ParsedQuery, backend) -> ZeroResultHelp:
    """Everything the empty state offers. Never raises (a failing provider is logged)."""
    help_ = ZeroResultHelp(issue=parsed.issue or ("too_long" if parsed.truncated else ""), ignored=list(parsed.ignored))

    def count(text: str, *, filtered: bool = True) -> int:
        probe = replace(q, text=text, page=1, per_page=1, sort="relevance")
        if not filtered:
            probe = replace(probe, filters={}, date_from=None, date_to=None)
        try:
            return backend.search(probe).total
        except Exception:  # noqa: BLE001 - help is best effort
            log.exception("search: counting a suggested query failed")
            return 0

    if not parsed.issue:
        if q.filters or q.date_from or q.date_to:
            help_.without_filters = count(q.text, filtered=False)
        for text in _looser_queries(q, parsed):
            n = count(text)
            if n and text not in [t for t, _ in help_.looser]:
                help_.looser.append((text, n))
            if len(help_.looser) >= MAX_LOOSER:
                break
    try:
        help_.corrections = corrections(q.text, parsed, count)
    except Exception:  # noqa: BLE001
        log.exception("search: spelling suggestions failed")
    query = q.text.strip()[: analysis.MAX_QUERY_LENGTH]
    if query and parsed.issue != analysis.ISSUE_NO_TEXT:
        for key, (label, provider) in help_providers().items():
            try:
                items = list(provider(query, RELATED_LIMIT))[:RELATED_LIMIT]
            except Exception:  # noqa: BLE001 - one broken provider never breaks the page
                log.exception("search: help provider %s failed", key)
                continue
            if items:
                help_.related.append(RelatedGroup(key, label, items))
    return help_
