"""Group ``core``: the conformed fact table core.indicators, and the small tables it and the marts need."""

import dagster as dg

from pipeline import versions
from pipeline.defs.resources import Warehouse
from pipeline.defs.sql_assets import frame_asset_metadata, sql_asset
from pipeline.defs.staging.assets import TABLES
from pipeline.warehouse.indicators import prelude as indicators_prelude
from pipeline.warehouse.seeds import SEEDS, seed_definition, seed_frame
from pipeline.warehouse.tables import replace_table
from pipeline.warehouse.vocabulary import vocabulary_frame

KNOWN = {("staging", t) for t in TABLES} | {("core", "vocabulary"), ("core", "profile_cities")} | {("seeds", s) for s in SEEDS}


# the directory of the districts profiles can be built for, from the files (warehouse/sql/core/profile_cities.sql)
profile_cities = sql_asset("core", "profile_cities", "core", KNOWN)


@dg.asset(
    key=dg.AssetKey(["core", "vocabulary"]),
    group_name="core",
    description="core.vocabulary: English labels of the codes used in the warehouse (pipeline/warehouse/vocabulary.py).",
    kinds={"duckdb"},
    pool="duckdb_writer",
    code_version=versions.asset_code_version(vocabulary_frame().to_csv(index=False)),  # (the code lists too)
)
def vocabulary(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    frame = vocabulary_frame()
    with warehouse.get_connection() as con:
        replace_table(con, "core", "vocabulary", frame)
    return dg.MaterializeResult(metadata=frame_asset_metadata(frame, "core.vocabulary"))


# the one sources dimension the marts cite from (warehouse/sql/core/sources.sql): the manifest's table and the
# publications the transcriptions cite, which core.indicators records
sources = sql_asset("core", "sources", "core", KNOWN | {("core", "indicators")})

indicators = sql_asset(
    "core",
    "indicators",
    "core",
    KNOWN,
    scripts=("macros.sql", "indicators.sql"),
    prelude=indicators_prelude(),
    prelude_files="and each table's branch, `pipeline/sources/<publisher>/<table>.sql`",
    preview_order="WHERE region_code IN (SELECT region_code FROM core.profile_cities) AND breakdown = 'total' AND age_group = 'total' "
    "ORDER BY reference_date, indicator, nationality, sex",
)


def _seed_asset(name: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["seeds", name]),
        group_name="core",
        description=f"seeds.{name}: reference text kept as data (warehouse/seeds/{name}.csv; pipeline/warehouse/seeds.py).",
        kinds={"duckdb", "csv"},
        pool="duckdb_writer",
        code_version=versions.asset_code_version(*seed_definition(name)),
    )
    def _seed(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        frame = seed_frame(name)
        with warehouse.get_connection() as con:
            replace_table(con, "seeds", name, frame)
        return dg.MaterializeResult(metadata=frame_asset_metadata(frame, f"seeds.{name}"))

    return _seed


seed_assets = [_seed_asset(name) for name in SEEDS]
