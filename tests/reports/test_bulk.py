"""The set-based aggregation (one GROUP BY per table, all units) equals the owning apps' per-unit results."""

import pytest

from gongkai.core.models import Organisation
from gongkai.publications.selectors import normative_counts
from gongkai.reports import record_sets, sources
from gongkai.reports import tables as T
from gongkai.requests.stats import annual_table3

pytestmark = pytest.mark.django_db


def test_bulk_tables_equal_per_unit_results(tree, county_records):
    units = Organisation.objects.all()
    t3 = record_sets.bulk_table3(units, 2025)
    t2 = record_sets.bulk_normative(units, 2025)
    assert t3[tree.dept_b.pk]["withheld_process"]["legal"] == 1
    assert t3[tree.dept_b.pk]["carried_out"]["total"] == 1
    assert t2[tree.dept_a.pk]["normative"] == {"made": 1, "repealed": 1, "in_force": 1}
    empty3 = {r: dict.fromkeys(T.T3_COL_KEYS, 0) for r in T.T3_ROW_KEYS}
    for unit in units:
        theirs = sources.normalise_table3(annual_table3([unit], 2025))
        mine = t3.get(unit.pk, empty3)
        for r in T.T3_ROW_KEYS:
            for c in T.T3_COL_KEYS:
                if theirs[r][c]["v"] is not None:
                    assert mine[r][c] == theirs[r][c]["v"], (unit.name, r, c)
        lib = normative_counts([unit], 2025)
        mine2 = t2.get(
            unit.pk,
            {
                "rules": {"made": 0, "repealed": 0, "in_force": 0},
                "normative": {"made": 0, "repealed": 0, "in_force": 0},
            },
        )
        assert mine2["rules"] == lib["规章"] and mine2["normative"] == lib["行政规范性文件"], unit.name
