"""Names of attachments that are links to files on an old website.

Old sites serve files through scripts (``/module/download/downfile.jsp?filename=…``,
``/attach.aspx?id=…``): the script's name is not a file name and must never become the
attachment's name (it would show on pages and in search snippets). :func:`link_label` takes
the name given with the link, else the file name in the query string, else the last path
segment when it is a document, else “<title> 附件N”.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urlparse

from django.utils.translation import gettext as _

from gongkai.core.uploads import clean_filename

NAME_PARAMS = ("filename", "file_name", "fname", "fn", "name", "title", "attname", "realname", "file")
DOCUMENT_SUFFIXES = {
    ".pdf",
    ".doc",
    ".docx",
    ".wps",
    ".xls",
    ".xlsx",
    ".et",
    ".ppt",
    ".pptx",
    ".ofd",
    ".txt",
    ".csv",
    ".zip",
    ".rar",
    ".7z",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
}
SCRIPT_NAME = re.compile(r"\.(jsp|jspx|asp|aspx|php|do|action|cgi|ashx|html?)$", re.IGNORECASE)


def _document_name(text: str) -> str:
    name = PurePosixPath(unquote(text or "").replace("\\", "/")).name.strip()
    return name if PurePosixPath(name).suffix.lower() in DOCUMENT_SUFFIXES else ""


def link_label(url: str, *, name: str = "", title: str = "", n: int = 1) -> str:
    """A meaningful name for a linked attachment (see the module docstring)."""
    given = (name or "").strip()
    if given and not SCRIPT_NAME.search(given):
        return clean_filename(given)
    parts = urlparse(url or "")
    query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=False)}
    for key in NAME_PARAMS:
        found = _document_name(query.get(key, "")) or (query.get(key, "").strip() if key == "title" else "")
        if found:
            return clean_filename(found)
    from_path = _document_name(parts.path)
    if from_path:
        return clean_filename(from_path)
    label = _("%(title)s 附件%(n)s") % {"title": title, "n": n} if title else _("附件%(n)s") % {"n": n}
    return clean_filename(label.strip())


def is_script_name(name: str) -> bool:
    return bool(SCRIPT_NAME.search(name or "")) or not PurePosixPath(name or "").suffix
