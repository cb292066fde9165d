"""Group ``marts``: what the report reads, and all it reads: one table per table or figure of the report, and the
cities, sources and reconciled pairs it cites, computed in SQL from the core and reconciliation tables
(warehouse/sql/marts/<name>.sql). Adding a file there adds a mart."""

from pipeline.defs.core.assets import KNOWN as CORE_KNOWN
from pipeline.defs.sql_assets import sql_asset
from pipeline.warehouse.tables import SQL_DIR

MARTS = sorted(p.stem for p in (SQL_DIR / "marts").glob("*.sql"))
# a mart may read the core tables, the reconciled pairs and other marts (marts.synopsis reads marts.sectors)
KNOWN = CORE_KNOWN | {("core", "indicators"), ("core", "sources"), ("reconciliation", "comparisons"),
                      ("reconciliation", "plausibility")} | {("marts", m) for m in MARTS}

mart_assets = [sql_asset("marts", name, "marts", KNOWN) for name in MARTS]
