"""The stable public data types of the search module (what source apps hand to the index
and what a search returns). Backends, views and the API all speak these types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

FACET_KEYS = ("unit", "type", "year", "domain", "status", "kind")


@dataclass
class SearchDocument:
    """One searchable document, built by its source app (publications, catalogue, faq ...)."""

    id: str  # globally unique, "kind:pk", e.g. "publication:123"
    kind: str  # source kind, e.g. "publication", "catalogue_item", "faq"
    title: str
    body: str  # plain text (attachments' extracted text appended by the source)
    url: str
    unit_id: int | None
    unit_name: str
    doc_type: str  # e.g. "policy", "normative", "interpretation", "notice" ...
    domain: str  # domain name or ""
    year: int | None
    status: str  # e.g. "有效", "失效", "尚未生效", ""
    published_on: date | None
    index_number: str = ""
    document_number: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Sources may hand over lazy translation strings (labels) or None: store plain text.
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            setattr(self, name, "" if value is None else str(value))

    def to_dict(self) -> dict[str, Any]:
        # Not dataclasses.asdict (a recursive deep copy): this runs once per indexed document.
        data = {name: getattr(self, name) for name in _DOC_FIELDS}
        data["published_on"] = self.published_on.isoformat() if self.published_on else None
        data["extra"] = dict(self.extra or {})
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchDocument:
        data = dict(data)
        published = data.get("published_on")
        if isinstance(published, str) and published:
            data["published_on"] = date.fromisoformat(published[:10])
        data.setdefault("extra", {})
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def facet_values(self) -> dict[str, str]:
        """The document's value for every facet key (empty string = no value)."""
        return {
            "unit": self.unit_name or "",
            "type": self.doc_type or "",
            "year": str(self.year) if self.year else "",
            "domain": self.domain or "",
            "status": self.status or "",
            "kind": self.kind or "",
        }


_DOC_FIELDS = tuple(SearchDocument.__dataclass_fields__)
_TEXT_FIELDS = (
    "id",
    "kind",
    "title",
    "body",
    "url",
    "unit_name",
    "doc_type",
    "domain",
    "status",
    "index_number",
    "document_number",
)


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # keys: FACET_KEYS
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 20
    sort: Literal["relevance", "date"] = "relevance"


@dataclass
class Hit:
    id: str
    score: float
    title_html: str  # HTML-escaped, matches wrapped in <mark>
    snippet_html: str  # HTML-escaped, matches wrapped in <mark>
    document: SearchDocument


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    took_ms: float
    query: SearchQuery | None = None
    parsed: Any = None  # the analysis.ParsedQuery that ran (terms, ignored words, issue)
    relaxed: bool = False  # nothing matched enough terms: these hits match some of them
    # The PostgreSQL backend on a query with very many matches: a bounded candidate set was
    # ranked, and total and facet counts can be slightly high (``backends.postgres``).
    approximate: bool = False
    help: Any = None  # services.ZeroResultHelp when nothing was found

    @property
    def pages(self) -> int:
        per_page = self.query.per_page if self.query else 20
        return max(1, -(-self.total // max(per_page, 1)))
