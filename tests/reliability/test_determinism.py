"""Same raw/, same profile: two independent builds give identical warehouse contents and identical report text
(but for the build date, on the title page and in the imprint), and building again over a finished build changes nothing."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import EDITIONS
from tests.reliability.conftest import table_exports

BUILD_DATE = re.compile(r"Built on \d{2}\.\d{2}\.\d{4}")


def build(root, *flags: str) -> str:
    from pipeline.__main__ import main

    mp = pytest.MonkeyPatch()
    mp.setenv("CMP_WAREHOUSE", str(root / "warehouse" / "profile.duckdb"))
    mp.setenv("CMP_REPORT_DIR", str(root / "report"))
    mp.delenv("DAGSTER_HOME", raising=False)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            assert main(["build", *flags]) == 0
    finally:
        mp.undo()
    return out.getvalue()


def report_text(pdf) -> list[str]:
    pages = [p.extract_text() for p in PdfReader(str(pdf)).pages]
    # on the title page and in the imprint
    assert sum(len(BUILD_DATE.findall(p)) for p in pages) == 2, "the build date is printed twice"
    return [BUILD_DATE.sub("Built on <date>", p) for p in pages]


def test_two_builds_agree_and_a_rebuild_changes_nothing(tmp_path, built_report):
    build(tmp_path)
    warehouse = tmp_path / "warehouse" / "profile.duckdb"
    exports = table_exports(warehouse)
    assert len(exports) >= 30
    assert exports == table_exports(built_report.warehouse)
    for key in EDITIONS:
        pdf = tmp_path / "report" / "_output" / f"city-migration-profile-dortmund-{key}.pdf"
        assert report_text(pdf) == report_text(built_report.editions[key].pdf)

    again = build(tmp_path, "--full")  # everything again, over the finished build: idempotent
    assert "Warehouse: rebuild (a full build was asked for)" in again
    assert table_exports(warehouse) == exports
    # (logs/: each build's Dagster event log)
    files = ["logs", "profile.duckdb", "profile.duckdb.lock", "profile.duckdb.state.json"]
    assert sorted(p.name for p in warehouse.parent.iterdir()) == files
    assert "Nothing to rebuild" in build(tmp_path)  # and without --full, nothing is redone
