"""A school type whose foreign pupils the publisher keeps secret ('.' in Regionaldatenbank 21111-01-03-4): Bad
Kreuznach's pre-school class and Waldorf school, 2023/24. The table prints the symbol and says so, where it used to
stop the profile's build (found by `make bench` over all 400 districts, 2026-12-07)."""

from __future__ import annotations

import duckdb

from pipeline.domain.manifest import load_manifest
from pipeline.report.context import ReportContext, district_editions
from pipeline.report.folders import EditionFolder
from pipeline.report.marts import MartReader
from pipeline.report.parts import tables
from tests.conftest import RAW


def test_a_secret_foreign_pupils_cell_is_printed_as_its_symbol(warehouse, tmp_path):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = MartReader(con)
        eds = district_editions(marts, load_manifest(RAW), "07133")
        ctx = ReportContext(marts, eds[-1], eds, EditionFolder(tmp_path), "07133")
        part = tables.pupils(ctx, ctx.facts_for(("pupils",), "access-to-services"))
    finally:
        con.close()
    md = part.markdown.replace("\\", "")
    # the raw file: Vorschulbereich 12 pupils, foreign '.'; Freie Waldorfschulen 139, foreign '.'; Insgesamt 17,575, 2,396
    assert "| Waldorf schools | 139 | . | – |" in md
    assert "| All general schools | 17,575 | 2,396 | 13.6 % |" in md
    assert "the publisher withholds the foreign pupils of" in md and "all general schools include them" in md
