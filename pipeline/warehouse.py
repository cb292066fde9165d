"""Writing to the DuckDB warehouse (warehouse/profile.duckdb). The SQL lives in warehouse/sql/.

Every table is replaced inside one transaction: a failure anywhere leaves the previous table exactly as it was. And a
whole run is all-or-nothing: it writes a working copy of the file, which replaces the published file only when every
step of the run succeeded (the functions at the end of this module; pipeline.resources.Warehouse uses them).
Table names come from code (the dataset registry) and are checked against a strict pattern; values from input
files reach DuckDB only as data (a registered DataFrame), never as SQL text.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.settings import PROJECT_DIR

SQL_DIR = PROJECT_DIR / "warehouse" / "sql"
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def ident(name: str) -> str:
    """An identifier from our own code, refused if it could be anything but a plain lower-case name."""
    if not _IDENT.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


def sql_file(*parts: str) -> str:
    path = SQL_DIR.joinpath(*parts)
    if SQL_DIR.resolve() not in path.resolve().parents:
        raise ValueError(f"SQL file outside {SQL_DIR}: {path}")
    return path.read_text(encoding="utf-8")


def ddl_columns(ddl: str) -> list[str]:
    """Column names declared by a CREATE TABLE statement (one column per line, as our DDL files are written)."""
    start = re.search(r"CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+[\w.]+\s*\(", ddl, re.IGNORECASE)
    if start is None:
        raise ValueError("no CREATE TABLE statement found")
    body = ddl[start.end() : ddl.rindex(")")]
    cols = []
    for line in body.splitlines():
        line = line.strip().rstrip(",")
        if not line or line.startswith("--") or line.upper().startswith("PRIMARY KEY"):
            continue
        cols.append(line.split()[0])
    return cols


def table_ddl(schema: str, table: str, layout: str | None = None) -> str:
    """The CREATE TABLE statement for ``schema.table``: warehouse/sql/<schema>/<table>.sql, or, for tables that
    share a layout, warehouse/sql/<schema>/<layout>.layout.sql with the table's name filled in."""
    schema, table = ident(schema), ident(table)
    if layout is None:
        return sql_file(schema, f"{table}.sql")
    return sql_file(schema, f"{ident(layout)}.layout.sql").replace("{table}", table)


def replace_table(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame, layout: str | None = None
) -> int:
    """Replace ``schema.table`` with ``frame`` in one transaction, using the table's DDL (see ``table_ddl``).

    Returns the number of rows written. The frame must have exactly the DDL's columns.
    """
    schema, table = ident(schema), ident(table)
    ddl = table_ddl(schema, table, layout)
    expected = ddl_columns(ddl)
    if list(frame.columns) != expected:
        raise ValueError(f"{schema}.{table}: frame columns {list(frame.columns)} differ from the DDL's {expected}")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute(ddl)
        con.register("_incoming", frame)
        con.execute(f"INSERT INTO {schema}.{table} SELECT * FROM _incoming")
        con.unregister("_incoming")
        rows = con.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]
        if rows != len(frame):
            raise RuntimeError(f"{schema}.{table}: wrote {rows} rows, expected {len(frame)}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return int(rows)


def run_script(con: duckdb.DuckDBPyConnection, *parts: str) -> None:
    """Run one SQL file of warehouse/sql/ (one or more statements) in one transaction: all of it or none of it."""
    script = sql_file(*parts)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(script)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def table_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every table in the warehouse."""
    names = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal ORDER BY schema_name, table_name"
    ).fetchall()
    return [(s, t, con.execute(f"SELECT count(*) FROM {ident(s)}.{ident(t)}").fetchone()[0]) for s, t in names]


# -- one run, one working copy -------------------------------------------------------------------------------------
# A run never writes the published warehouse file: it writes a copy of it, and the copy replaces the published file
# in one step (a rename) only when every step of the run succeeded. See pipeline.resources.Warehouse.


def work_dir(live: Path) -> Path:
    """Where runs keep their working copies of ``live``: a hidden folder beside it, on the same file system, so the
    final rename is atomic."""
    return live.with_name(f".{live.name}.runs")


def lock_path(live: Path) -> Path:
    return live.with_name(f"{live.name}.lock")


def wal_of(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def start_working_copy(live: Path, run_id: str) -> Path:
    """A fresh working copy of ``live`` for ``run_id`` (empty if nothing was published yet). Call with the
    warehouse lock held: copies left by runs that were killed are removed first."""
    folder = work_dir(live)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if wal_of(live).exists():
        # only a warehouse written by an older version of this project can have a log beside it; fold it in first
        duckdb.connect(str(live)).close()
    work = folder / f"run_{re.sub(r'[^a-z0-9]', '_', run_id.lower())}.duckdb"
    if live.exists():
        shutil.copyfile(live, work)
    return work


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_working_copy(work: Path, live: Path) -> None:
    """Make the (closed, checkpointed) working copy the published warehouse, in one rename."""
    if wal_of(work).exists():
        raise RuntimeError(f"{work} still has a write-ahead log: a connection is open, refusing to publish")
    _fsync(work)
    os.replace(work, live)
    _fsync(live.parent)
    shutil.rmtree(work_dir(live), ignore_errors=True)


def discard_working_copy(live: Path) -> None:
    shutil.rmtree(work_dir(live), ignore_errors=True)
