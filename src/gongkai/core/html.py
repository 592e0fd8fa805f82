"""The one HTML sanitiser of the product: rich text through nh3 (Ammonia), titles to plain text.

Every app that stores or shows user-supplied rich text (publication bodies, consultation
drafts, answers) cleans it with :func:`sanitize_html` when saving and again when rendering
(``|rich_text`` filter), so no script, event handler, style or unsafe URL survives.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sup",
    "sub",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "span",
    "div",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_HAS_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLOCK_END = re.compile(r"<\s*(br\s*/?|/p|/h\d|/li|/tr|/div|/blockquote|/caption|/table)\s*>", re.I)
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitize_html(value: str) -> str:
    """Rich text for a body: keep basic structure, drop scripts, handlers, styles and unsafe URLs.

    Plain text (no tags at all, e.g. from an old website export) becomes paragraphs.
    """
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        return ""
    if not _HAS_TAG.search(value):
        paragraphs = [p.strip() for p in value.split("\n") if p.strip()]
        value = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """Text content of (sanitised) HTML, one line per block, for search, feeds and snippets."""
    if not value:
        return ""
    value = _BLOCK_END.sub("\n", value)
    text = html.unescape(nh3.clean(value, tags=set()))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def clean_title(value: str) -> str:
    """A title is plain text: markup is removed (script/style content dropped), whitespace collapsed."""
    text = html.unescape(nh3.clean(value or "", tags=set()))
    return " ".join(text.split())
