"""A Dagster asset per SQL file of warehouse/sql/: the asset runs the file in one transaction, takes its
description from the file's leading comment, and its upstream assets from the tables the SQL reads. Editing the
SQL changes the asset's code version, so the UI shows what the change makes stale."""

import re
from collections.abc import Callable, Iterable

import dagster as dg
import pandas as pd

from pipeline import versions
from pipeline.defs.markdown import md_table
from pipeline.defs.resources import Warehouse
from pipeline.warehouse.tables import ident, run_script, sql_file

_TABLE_REF = re.compile(r"\b(staging|seeds|core|reconciliation|marts)\.([a-z][a-z0-9_]*)\b")


def leading_comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines).strip()


def referenced_tables(sql: str, itself: str) -> set[tuple[str, str]]:
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())  # ignore comments
    return {m.groups() for m in _TABLE_REF.finditer(body)} - {tuple(itself.split("."))}


def sql_asset(
    schema: str,
    name: str,
    group: str,
    known_assets: Iterable[tuple[str, str]],
    scripts: tuple[str, ...] = (),
    extra_deps: Iterable[dg.AssetKey] = (),
    check_specs: list[dg.AssetCheckSpec] | None = None,
    after: Callable | None = None,
    preview_order: str = "",
    prelude: str = "",
    prelude_files: str = "",
) -> dg.AssetsDefinition:
    """An asset that runs ``scripts`` (default: warehouse/sql/<schema>/<name>.sql) and builds ``schema.name``.

    ``prelude`` is SQL run just before the last script, in the same connection (core.indicators: the views of the
    tables' branches, which ``prelude_files`` names, after the macros they use); it counts for the asset's upstream
    assets and its code version like the scripts.

    ``after(context, con)`` may yield extra events (check results) once the table is built.
    """
    schema, name = ident(schema), ident(name)
    scripts = scripts or (f"{name}.sql",)
    texts = [prelude, *(sql_file(schema, s) for s in scripts)] if prelude else [sql_file(schema, s) for s in scripts]
    main = texts[-1]
    known = set(known_assets)
    deps = sorted(t for text in texts for t in referenced_tables(text, f"{schema}.{name}") if t in known)
    version = versions.asset_code_version(*texts)

    @dg.asset(
        key=dg.AssetKey([schema, name]),
        group_name=group,
        description=leading_comment(main) or f"{schema}.{name}",
        deps=[dg.AssetKey(list(t)) for t in deps] + list(extra_deps),
        kinds={"duckdb", "sql"},
        code_version=version,
        pool="duckdb_writer",
        check_specs=check_specs,
        metadata={"sql": dg.MetadataValue.md("\n".join([*(f"`warehouse/sql/{schema}/{s}`" for s in scripts),
                                                           *([prelude_files] if prelude_files else [])]))},
    )
    def _sql(context: dg.AssetExecutionContext, warehouse: Warehouse):
        with warehouse.get_connection() as con:
            for k, script in enumerate(scripts):
                if prelude and k == len(scripts) - 1:
                    con.execute(prelude)
                run_script(con, schema, script)
            rows = con.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()[0]
            preview = con.execute(f"SELECT * FROM {schema}.{name} {preview_order} LIMIT 25").df()
            extra = list(after(context, con)) if after else []
        yield dg.MaterializeResult(
            metadata={
                "table": f"{schema}.{name}",
                "dagster/row_count": int(rows),
                "preview": dg.MetadataValue.md(md_table(preview.drop(columns=[c for c in preview.columns if c.endswith("_key")]), 25)),
            }
        )
        yield from extra

    return _sql


def frame_asset_metadata(frame: pd.DataFrame, table: str) -> dict:
    return {"table": table, "dagster/row_count": len(frame), "preview": dg.MetadataValue.md(md_table(frame, 25))}
