"""The warehouse names a figure's period (core.period_of, in the reconciliation's descriptions) in the same words as
the report (pipeline/domain/periods.py): never '31.12.2015' for an annual average."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipeline.domain.config import PROJECT_DIR
from pipeline.domain.periods import PERIOD_KINDS, period_label


@pytest.mark.parametrize("kind", sorted(PERIOD_KINDS))
def test_sql_and_python_name_a_period_alike(kind):
    con = duckdb.connect()
    con.execute((PROJECT_DIR / "warehouse" / "sql" / "core" / "macros.sql").read_text(encoding="utf-8"))
    for day in (dt.date(2015, 12, 31), dt.date(2023, 12, 31), dt.date(2020, 6, 30)):
        assert con.execute("SELECT core.period_of(?, ?)", [kind, day]).fetchone()[0] == period_label(kind, day)
    assert con.execute("SELECT core.period_of('annual_average', DATE '2015-12-31')").fetchone()[0] == "annual average 2015"
