"""A stage for runs that must fail or be interrupted: a copy of raw/ to break, and a copy of the last good warehouse
and report (built once per session by tests/conftest.py) for the run to leave alone."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from pipeline.domain.manifest import sha256_of
from pipeline.warehouse.tables import ident
from pipeline.warehouse.working_copy import work_dir
from tests.conftest import RawCopy


@dataclass
class Stage:
    root: Path
    raw: RawCopy
    warehouse: Path
    report_dir: Path

    @property
    def output(self) -> Path:
        return self.report_dir / "_output"

    def env(self) -> dict[str, str]:
        return {"CMP_RAW_DIR": str(self.raw.root), "CMP_WAREHOUSE": str(self.warehouse), "CMP_REPORT_DIR": str(self.report_dir)}

    def state(self) -> dict[str, str]:
        """sha256 of the published warehouse file and of every published PDF and HTML: what a failed run must not
        change. (Equal bytes mean equal tables; the determinism test compares table exports of separate builds.)"""
        files = {"warehouse": sha256_of(self.warehouse)}
        files |= {p.name: sha256_of(p) for p in sorted(self.output.iterdir()) if p.suffix in (".pdf", ".html")}
        return files

    def forget_warehouse_record(self) -> None:
        """Make the next build write the whole warehouse (as with no record of its last build)."""
        self.warehouse.with_name(self.warehouse.name + ".state.json").unlink()

    def leftovers(self) -> list[str]:
        """Working copies a run left in the warehouse folder (there must be none once a run has ended)."""
        runs = work_dir(self.warehouse)
        return sorted(p.name for p in runs.iterdir()) if runs.exists() else []

    def run(self, job: str = "refresh_edition", edition: str | None = "2024", selection: list | None = None,
            city: str = "05913") -> dg.ExecuteInProcessResult:
        """Run ``job`` in this process against the stage, the way the UI or the sensor would start it (``selection``:
        the assets the sensor would select, None for the whole job; the report's partition: ``city``|``edition``)."""
        mp = pytest.MonkeyPatch()
        for k, v in self.env().items():
            mp.setenv(k, v)
        try:
            from pipeline.definitions import defs

            instance = dg.DagsterInstance.ephemeral()
            if edition is not None:
                instance.add_dynamic_partitions("edition", [edition])
                instance.add_dynamic_partitions("city", [city])
            quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
            return defs().resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False, run_config=quiet,
                                                                  partition_key=f"{city}|{edition}" if edition else None,
                                                                  asset_selection=selection)
        finally:
            mp.undo()


@pytest.fixture
def stage(tmp_path: Path, built_report) -> Stage:
    assert built_report.exit_code == 0, built_report.stdout
    warehouse = tmp_path / "warehouse" / "profile.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_report.warehouse, warehouse)
    report_dir = tmp_path / "report"
    shutil.copytree(built_report.report_dir / "_output", report_dir / "_output")
    adopt_records(built_report.warehouse, warehouse, report_dir / "_output")
    return Stage(tmp_path, RawCopy(tmp_path / "raw"), warehouse, report_dir)


def adopt_records(original: Path, warehouse: Path, output: Path) -> None:
    """The build's records, made the copies' own: each names the files it describes by their identity (inode, size,
    time), which a copy does not share. So a build on the stage redoes only what a test changes (as `make report`
    would after the same change), not the whole warehouse."""
    from pipeline.cli.incremental import identity

    record = json.loads(original.with_name(original.name + ".state.json").read_text(encoding="utf-8"))
    record["warehouse"] = identity(warehouse)
    warehouse.with_name(warehouse.name + ".state.json").write_text(json.dumps(record), encoding="utf-8")
    for path in output.glob(".*.state.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        name = path.name[1:-len(".state.json")]
        record["pdf"], record["html"] = identity(output / f"{name}.pdf"), identity(output / f"{name}.html")
        path.write_text(json.dumps(record), encoding="utf-8")


def table_exports(warehouse: Path) -> dict[str, str]:
    """sha256 of a CSV export of every table, rows in a fixed order: equal exports mean equal contents, whatever the
    bytes of the file (DuckDB's file layout differs between two builds of the same data)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal ORDER BY 1, 2").fetchall():
            frame = con.execute(f"SELECT * FROM {ident(schema)}.{ident(table)} ORDER BY ALL").df()
            out[f"{schema}.{table}"] = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
        return out
    finally:
        con.close()
