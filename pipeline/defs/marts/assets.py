"""Group ``marts``: one table per table or figure of the report, computed in SQL from core.indicators
(warehouse/sql/marts/<name>.sql). Adding a file there adds a mart."""

from pipeline.defs.core.assets import KNOWN as CORE_KNOWN
from pipeline.defs.sql_assets import sql_asset
from pipeline.warehouse import SQL_DIR

KNOWN = CORE_KNOWN | {("core", "indicators")}
MARTS = sorted(p.stem for p in (SQL_DIR / "marts").glob("*.sql"))

mart_assets = [sql_asset("marts", name, "marts", KNOWN) for name in MARTS]
