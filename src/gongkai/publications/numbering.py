"""索引号 allocation for publications, built on :mod:`gongkai.core.numbering`.

One number per publication at publication time (``gongkai.core.numbering.index_number``).
Bulk import reserves a block of numbers per (unit, category, year) in one counter update
(:func:`reserve_index_numbers`, i.e. ``numbering.index_numbers``), so imported and newly
published items share one gap-free sequence.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.core import numbering

from .models import INDEX_CATEGORY


def category_for(doc_type: str) -> str:
    return INDEX_CATEGORY.get(doc_type, "QT")


def allocate(pub, on: dt.date) -> str:
    return numbering.index_number(unit_code=pub.unit.code, category=category_for(pub.doc_type), year=on.year)


def reserve_index_numbers(*, unit_code: str, category: str, year: int, count: int) -> list[str]:
    """Reserve ``count`` consecutive index numbers; must run inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_index_numbers() must run inside a transaction")
    return numbering.index_numbers(unit_code=unit_code, category=category, year=year, count=count)
