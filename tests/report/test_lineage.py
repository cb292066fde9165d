"""The report reads the marts only, each part reads exactly the marts its asset depends on, and the facts of an
edition are computed once: every part run against a connection that records the tables it really reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline.domain.editions import editions
from pipeline.domain.manifest import load_manifest
from pipeline.report import charts
from pipeline.report.context import ReportContext
from pipeline.report.facts import FACTS, marts_read
from pipeline.report.folders import EditionFolder
from pipeline.report.marts import BASE_READS, MartReader
from pipeline.report.parts import APPENDIX_READS, PARTS, VARIABLES_USES, PartSpec, reads_of
from pipeline.report.parts.appendices import data_gaps, sources_list
from pipeline.report.parts.base import Gap
from pipeline.report.parts.variables import variables
from tests.conftest import DORTMUND, RAW


class RecordingConnection:
    """A DuckDB connection that notes every table each statement reads (DuckDB's own parser names them)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con
        self.tables: set[str] = set()
        self.statements = 0

    def execute(self, sql: str, params=None):
        # the parser does not take prepared parameters; a literal in their place reads the same tables
        for name in self._con.get_table_names(sql.replace("?", "NULL"), qualified=True):
            self.tables.add(name.split(" AS ")[0].strip())
        self.statements += 1
        return self._con.execute(sql, params or [])

    def __getattr__(self, name):  # anything else would read past the recording
        raise AssertionError(f"the report called {name} on the warehouse connection")


@pytest.fixture(scope="module")
def connection(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


EDITIONS = editions(load_manifest(RAW))


def context(con, edition, folder: Path) -> tuple[ReportContext, RecordingConnection]:
    recording = RecordingConnection(con)
    # (a folder of its own below the test's: its chart cache, beside it, is the test's alone)
    return ReportContext(MartReader(recording), edition, EDITIONS, EditionFolder(folder / "profile"), DORTMUND), recording


def marts(tables: set[str]) -> tuple[str, ...]:
    assert all(t.startswith("marts.") for t in tables), f"the report read past the marts: {sorted(tables)}"
    return tuple(sorted(t.removeprefix("marts.") for t in tables))


@pytest.mark.parametrize("spec", PARTS, ids=[p.name for p in PARTS])
def test_a_part_reads_exactly_the_marts_its_asset_depends_on(spec: PartSpec, connection, tmp_path):
    read: set[str] = set()
    for edition in EDITIONS:  # a part may skip a mart in one edition (the first has no previous edition to compare)
        ctx, recording = context(connection, edition, tmp_path / edition.key)
        spec.run(ctx)
        read |= recording.tables
    assert marts(read) == spec.reads


def test_the_variables_and_the_appendix_lists_read_what_their_assets_depend_on(connection, tmp_path):
    for edition in EDITIONS:
        ctx, recording = context(connection, edition, tmp_path)
        sources_list(ctx, {"itnrw-12411-15i-2024"})
        data_gaps(ctx, [Gap("x", "y")])
        assert marts(recording.tables) == APPENDIX_READS
        variables(ctx, ctx.facts, dt.date(2026, 12, 1))
        assert marts(recording.tables) == reads_of(VARIABLES_USES)


def test_the_report_contents_depend_on_the_marts_its_parts_read(defs, connection, tmp_path):
    """Against the reads recorded when the parts, the variables and the lists run (both editions), not against the
    declarations the asset is built from."""
    graph = defs.resolve_asset_graph()
    read: set[str] = set()
    for edition in EDITIONS:
        ctx, recording = context(connection, edition, tmp_path / edition.key)
        for spec in PARTS:
            spec.run(ctx)
        variables(ctx, ctx.facts, dt.date(2026, 12, 1))
        sources_list(ctx, {"itnrw-12411-15i-2024"})
        read |= recording.tables
    contents = dg.AssetKey(["report", "contents"])
    assert graph.get(contents).parent_keys == {dg.AssetKey(["marts", m]) for m in marts(read)}
    assert graph.get(dg.AssetKey(["report", "profile"])).parent_keys == {contents}
    # the texts that quote the reconciliation are downstream of it (they were not while deps were kept by hand)
    upstream = dg.AssetSelection.assets(dg.AssetKey(["reconciliation", "rules"])).downstream().resolve(graph)
    assert contents in upstream


def test_one_run_reads_each_mart_once_and_draws_each_chart_once(connection, tmp_path, monkeypatch):
    saved: list[str] = []
    real_save = charts.save
    monkeypatch.setattr(charts, "save", lambda fig, path: saved.append(path.name) or real_save(fig, path))
    edition = EDITIONS[-1]
    ctx, recording = context(connection, edition, tmp_path)
    for spec in PARTS:
        spec.run(ctx)
    assert sorted(saved) == ["age-structure.svg", "foreigner-share-cities.svg", "migration-germany.svg", "peers.svg",
                             "population-trend.svg", "top-nationalities.svg", "unemployment-rates.svg"]
    # one statement per mart the edition's parts read, the previous edition's facts included
    assert recording.statements == len(set().union(*(spec.reads for spec in PARTS)))


@pytest.mark.parametrize("name", sorted(FACTS))
def test_a_fact_reads_exactly_the_marts_it_declares(name, connection, tmp_path):
    """Each fact computed alone (fresh facts, nothing cached), in both editions: the marts it read, directly or through
    the facts it uses, are the ones its declaration names. (A part's are checked above.)"""
    read: set[str] = set()
    for edition in EDITIONS:
        ctx, recording = context(connection, edition, tmp_path / edition.key)
        getattr(ctx.facts, name)
        read |= recording.tables
    # (the context reads the district's and the sources' marts itself, BASE_READS)
    assert set(marts(read)) - set(BASE_READS) == marts_read([name]) - set(BASE_READS)
