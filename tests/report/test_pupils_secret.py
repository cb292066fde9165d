"""A school type whose foreign pupils the publisher keeps secret ('.' in Regionaldatenbank 21111-01-03-4): Bad
Kreuznach's pre-school class and Waldorf school, 2023/24. The table prints the symbol and says so, where it used to
stop the profile's build (found by `make bench` over all 400 districts, 2026-12-07)."""

from __future__ import annotations

from pipeline.report.parts import tables
from tests.report.conftest import newest_edition


def test_a_secret_foreign_pupils_cell_is_printed_as_its_symbol(warehouse, tmp_path):
    with newest_edition(warehouse, "07133", tmp_path) as ctx:
        part = tables.pupils(ctx, ctx.facts)
    md = part.markdown.replace("\\", "")
    # the raw file: Vorschulbereich 12 pupils, foreign '.'; Freie Waldorfschulen 139, foreign '.'; Insgesamt 17,575, 2,396
    assert "| Waldorf schools | 139 | . | – |" in md
    assert "| All general schools | 17,575 | 2,396 | 13.6 % |" in md
    assert "the publisher withholds the foreign pupils of" in md and "all general schools include them" in md
