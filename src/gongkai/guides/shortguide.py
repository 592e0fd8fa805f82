"""The printable one-page short guide (简版指南): A4 PDF rendered with WeasyPrint.

The page uses the everyday wording where there is one, the legal text otherwise, and fits one
A4 page for ordinary guides (long lists of materials are cut with "见完整指南"). Font:
WenQuanYi Micro Hei (Debian ``fonts-wqy-microhei``), as the product's other PDFs.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)

MAX_MATERIALS = 12


def context(guide, request=None) -> dict:
    version = guide.current
    wording = guide.wording
    plain = wording.plain if wording else {}
    materials = version.materials[:MAX_MATERIALS]
    return {
        "guide": guide,
        "v": version,
        "everyday_name": wording.everyday_name if wording else "",
        "plain": plain,
        "materials": materials,
        "more_materials": max(0, len(version.materials) - MAX_MATERIALS),
        "url": request.build_absolute_uri(guide.get_absolute_url())
        if request is not None
        else guide.get_absolute_url(),
    }


def render_html(guide, request=None) -> str:
    return render_to_string("guides/short_guide.html", context(guide, request))


def render_pdf(guide, request=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(guide, request)).write_pdf()
