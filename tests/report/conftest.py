"""The report tests read the profile built once per session by tests/conftest.py (fixture built_report), or make a
district's parts from the session's warehouse (``newest_edition``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline.domain.manifest import load_manifest
from pipeline.report.context import ReportContext, district_editions
from pipeline.report.folders import EditionFolder
from pipeline.report.marts import MartReader
from tests.conftest import EDITIONS, RAW, Edition


@pytest.fixture(params=EDITIONS)
def edition(request, built_report) -> Edition:
    return built_report.editions[request.param]


@contextlib.contextmanager
def newest_edition(warehouse: Path, key: str, folder: Path) -> Iterator[ReportContext]:
    """District ``key``'s newest edition as its parts see it, read from ``warehouse`` (read-only), its build folder
    ``folder``; the connection is closed when the block ends."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = MartReader(con)
        eds = district_editions(marts, load_manifest(RAW), key)
        yield ReportContext(marts, eds[-1], eds, EditionFolder(folder), key)
    finally:
        con.close()
