"""索引号 allocation for publications, built on :mod:`gongkai.core.numbering`.

One number per publication at publication time (``gongkai.core.numbering.index_number``).
Bulk import reserves a block of numbers per (unit, category, year) in one counter update
(:func:`reserve_index_numbers`), using the same counter scope and layout as the core
function, so imported and newly published items share one gap-free sequence.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from gongkai.core import numbering
from gongkai.core.models import NumberSequence

from .models import INDEX_CATEGORY


def category_for(doc_type: str) -> str:
    return INDEX_CATEGORY.get(doc_type, "QT")


def allocate(pub, on: dt.date) -> str:
    return numbering.index_number(unit_code=pub.unit.code, category=category_for(pub.doc_type), year=on.year)


def reserve_index_numbers(*, unit_code: str, category: str, year: int, count: int) -> list[str]:
    """Reserve ``count`` consecutive index numbers; must run inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_index_numbers() must run inside a transaction")
    if count <= 0:
        return []
    scope = f"index:{unit_code}:{category}:{year}"
    if not NumberSequence.objects.filter(scope=scope).exists():
        try:
            with transaction.atomic():
                NumberSequence.objects.create(scope=scope, last_value=0)
        except IntegrityError:
            pass
    NumberSequence.objects.filter(scope=scope).update(last_value=F("last_value") + count)
    last = NumberSequence.objects.get(scope=scope).last_value
    layout = settings.GONGKAI_INDEX_NUMBER_FORMAT
    return [
        layout.format(unit_code=unit_code, category=category, year=year, seq=seq)
        for seq in range(last - count + 1, last + 1)
    ]
