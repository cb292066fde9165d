"""Group ``staging``: each validated raw dataset loaded into its DuckDB table staging.<name>, in one transaction."""


import dagster as dg
import pandas as pd

from pipeline.ingest.datasets import DATASETS
from pipeline.warehouse import ddl_columns, replace_table, table_ddl
from pipeline.resources import Warehouse

TABLES = [d.name for d in DATASETS] + ["sources"]
RAW_KEY = {d.name: dg.AssetKey(["raw", d.name]) for d in DATASETS} | {"sources": dg.AssetKey(["raw", "sources_manifest"])}
LAYOUT = {d.name: d.staging_layout for d in DATASETS}


def _ddl_file(table: str) -> str:
    layout = LAYOUT.get(table)
    return f"warehouse/sql/staging/{layout}.layout.sql" if layout else f"warehouse/sql/staging/{table}.sql"


def _column_schema(table: str) -> dg.TableSchema:
    ddl = table_ddl("staging", table, LAYOUT.get(table))
    types = {}
    for line in ddl.splitlines():
        parts = line.strip().rstrip(",").split()
        if len(parts) >= 2 and parts[0] in ddl_columns(ddl):
            types[parts[0]] = parts[1]
    return dg.TableSchema(columns=[dg.TableColumn(name, types.get(name, "")) for name in ddl_columns(ddl)])


def staging_asset(table: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["staging", table]),
        group_name="staging",
        description=f"DuckDB table staging.{table} (DDL: {_ddl_file(table)}), replaced in one transaction from the validated raw data.",
        ins={"frame": dg.AssetIn(key=RAW_KEY[table])},
        kinds={"duckdb"},
        pool="duckdb_writer",
    )
    def _staging(context: dg.AssetExecutionContext, frame: pd.DataFrame, warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.get_connection() as con:
            rows = replace_table(con, "staging", table, frame, LAYOUT.get(table))
        return dg.MaterializeResult(
            metadata={
                "table": f"staging.{table}",
                "dagster/row_count": rows,
                "dagster/column_schema": _column_schema(table),
                "dagster/table_name": f"staging.{table}",
            }
        )

    return _staging


staging_assets = [staging_asset(t) for t in TABLES]
