"""Which records are behind each figure, and the set-based (one GROUP BY per table) aggregation.

The owning apps' selectors give the official counts (``annual_table3`` etc.) and the ids of the
records in each cell, in their own keys (``gongkai.requests.selectors.table3_record_ids``,
``gongkai.publications.selectors.normative_record_ids``); this module maps those keys to the report's
rows and columns. The engine checks that the number of ids equals the figure the owner reported,
so a figure that cannot be traced to exactly its records fails a check.

``bulk_table3`` / ``bulk_normative`` compute the tables for MANY units at once with one GROUP BY
query per table (used by the benchmark and by the parallel generation when it is given many units).
"""

from __future__ import annotations

from gongkai.publications import selectors as publication_selectors
from gongkai.requests import selectors as request_selectors

from . import sources
from . import tables as T


def _t3_row(key: str) -> str | None:
    return sources._lookup(sources._T3_ROW_INDEX, key)


def _t3_col(key: str) -> str | None:
    return sources._lookup(sources._T3_COL_INDEX, key)


def requests_table3_ids(units, year: int) -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for (row, col), pks in request_selectors.table3_record_ids(units, year).items():
        out.setdefault((_t3_row(row), _t3_col(col)), []).extend(pks)
    return out


def requests_table4_ids(units, year: int) -> dict[str, list[int]]:
    groups = {"review": "review", "litigation_direct": "suit_direct", "litigation_after_review": "suit_after"}
    return {
        f"{groups.get(kind, kind)}_{outcome}": pks
        for (kind, outcome), pks in request_selectors.table4_record_ids(units, year).items()
    }


def bulk_table3(units, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """Table 三 for every unit in ``units`` with ONE query (see ``gongkai.requests.stats.bulk_table3``)."""
    result: dict[int, dict[str, dict[str, int]]] = {}
    for unit_id, rows in request_selectors.bulk_table3(units, year).items():
        table = result[unit_id] = {row: dict.fromkeys(T.T3_COL_KEYS, 0) for row in T.T3_ROW_KEYS}
        for row, cols in rows.items():
            rkey = "result_total" if row == "finished" else _t3_row(row)
            if rkey not in table:
                continue
            for col, n in cols.items():
                table[rkey][_t3_col(col)] += n
                table[rkey]["total"] += n
    return result


def normative_ids(units, year: int) -> dict[tuple[str, str], list[int]]:
    return publication_selectors.normative_record_ids(units, year)


def bulk_normative(units, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """Table 二 (rules, normative documents) for every unit (see ``gongkai.publications.selectors``)."""
    return publication_selectors.bulk_normative(units, year)


def attach_ids(table_cells: dict, ids: dict | None) -> None:
    """Put the record ids into the cells of a normalised table (``{row: {col: cell}}``)."""
    if ids is None:
        return
    for (row, col), pks in ids.items():
        if row in table_cells and col in table_cells[row]:
            table_cells[row][col]["ids"] = list(pks)
