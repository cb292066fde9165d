"""Group ``staging``: each validated raw dataset loaded into its DuckDB table staging.<name>, in one transaction.

A dataset's table is created from DDL generated from its pandera model (pipeline/warehouse/staging.py); the
manifest's table staging.sources from warehouse/sql/staging/sources.sql."""


import dagster as dg
import pandas as pd

from pipeline.defs.resources import Warehouse
from pipeline.sources.registry import DATASETS
from pipeline.warehouse.staging import columns, staging_ddl
from pipeline.warehouse.tables import ddl_column_types, replace_table, table_ddl

TABLES = [d.name for d in DATASETS] + ["sources"]
RAW_KEY = {d.name: dg.AssetKey(["raw", d.name]) for d in DATASETS} | {"sources": dg.AssetKey(["raw", "sources_manifest"])}
DDL = {d.name: staging_ddl(d.name, d.model) for d in DATASETS} | {"sources": table_ddl("staging", "sources")}
SCHEMA = {d.name: [(c.name, c.sql_type) for c in columns(d.model)] for d in DATASETS} | {"sources": ddl_column_types(DDL["sources"])}


def staging_asset(table: str) -> dg.AssetsDefinition:
    origin = "warehouse/sql/staging/sources.sql" if table == "sources" else "generated from its pandera model"

    @dg.asset(
        key=dg.AssetKey(["staging", table]),
        group_name="staging",
        description=f"DuckDB table staging.{table} (DDL {origin}), replaced in one transaction from the validated raw data.",
        ins={"frame": dg.AssetIn(key=RAW_KEY[table])},
        kinds={"duckdb"},
        pool="duckdb_writer",
    )
    def _staging(context: dg.AssetExecutionContext, frame: pd.DataFrame, warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.get_connection() as con:
            rows = replace_table(con, "staging", table, frame, DDL[table])
        return dg.MaterializeResult(
            metadata={
                "table": f"staging.{table}",
                "dagster/row_count": rows,
                "dagster/column_schema": dg.TableSchema(columns=[dg.TableColumn(name, sql_type) for name, sql_type in SCHEMA[table]]),
                "dagster/table_name": f"staging.{table}",
            }
        )

    return _staging


staging_assets = [staging_asset(t) for t in TABLES]
