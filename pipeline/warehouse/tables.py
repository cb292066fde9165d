"""Writing tables of the DuckDB warehouse (warehouse/profile.duckdb). The SQL lives in warehouse/sql/.

Every table is replaced inside one transaction: a failure anywhere leaves the previous table exactly as it was.
Table names come from code (the dataset registry) and are checked against a strict pattern; values from input
files reach DuckDB only as data (a registered DataFrame), never as SQL text.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from pipeline.domain.config import PROJECT_DIR

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
    return [name for name, _ in ddl_column_types(ddl)]


def ddl_column_types(ddl: str) -> list[tuple[str, str]]:
    """(name, type) of every column a CREATE TABLE statement declares (one column per line)."""
    start = re.search(r"CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+[\w.]+\s*\(", ddl, re.IGNORECASE)
    if start is None:
        raise ValueError("no CREATE TABLE statement found")
    body = ddl[start.end() : ddl.rindex(")")]
    cols = []
    for line in body.splitlines():
        line = line.strip().rstrip(",")
        if not line or line.startswith("--") or line.upper().startswith("PRIMARY KEY"):
            continue
        name, sql_type = (line.split() + [""])[:2]
        cols.append((name, sql_type))
    return cols


def table_ddl(schema: str, table: str) -> str:
    """The CREATE TABLE statement for ``schema.table`` written by hand: warehouse/sql/<schema>/<table>.sql. (The
    staging tables of the raw datasets have theirs generated from their models: pipeline/warehouse/staging.py.)"""
    return sql_file(ident(schema), f"{ident(table)}.sql")


def replace_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame, ddl: str | None = None) -> int:
    """Replace ``schema.table`` with ``frame`` in one transaction, using ``ddl`` (default: the table's DDL file).

    Returns the number of rows written. The frame must have exactly the DDL's columns, in its order.
    """
    schema, table = ident(schema), ident(table)
    ddl = ddl or table_ddl(schema, table)
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
