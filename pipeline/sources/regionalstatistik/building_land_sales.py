"""Building-land sales and average purchase prices, districts (Regionaldatenbank 61511-01-03-4, XLSX): its layout,
codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators,
where it has one, is the .sql file beside it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.building_land import read_building_land_sheet
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.layout import (
    check_reference_dates,
)
from pipeline.ingest.xlsx import column_letters
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    PublishedTable,
)


def _building_land_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_building_land_sheet(path, entry.display_name, entry.table_code)
    if t.published.isoformat() != entry.published:
        detail = f"the footer's 'Stand' is {t.published}, the manifest's published {entry.published}"
        raise t.sheet.refuse("publication date matches manifest", detail, len(t.sheet.rows) - 1, 0)
    f = t.frame
    out = pd.DataFrame({
        "source_id": entry.id,
        "source_line": f["row"].astype("Int64"),
        "source_column": [f"{t.sheet.name}!{column_letters(c)}{r}" for r, c in zip(f["row"], f["col"], strict=True)],
        "reference_date": [dt.date(y, 12, 31) for y in f["year"]],
        "period_start": [dt.date(y, 1, 1) for y in f["year"]],
        "ags": f["ags"].values,
        "region_name": f["region_name"].str.strip().values,
        "measure": f["measure"].values,
        "land_type": f["land_type"].values,
        "unit": f["unit"].values,
        "value": f["value"].values,
        "status": f["status"].values,
    })
    check_reference_dates(entry, out)
    # the table's own note: the statistics were redesigned for 2021, earlier years are hardly comparable (NRW)
    out["comparable_with_earlier_years"] = out["reference_date"].map(lambda d: d.year != BUILDING_LAND_REDESIGN)
    if f"zum Berichtsjahr {BUILDING_LAND_REDESIGN} neu konzipiert" not in t.notes:
        detail = f"the notes no longer say the statistics were redesigned for {BUILDING_LAND_REDESIGN} ('... neu konzipiert')"
        raise t.sheet.refuse("footnotes present", detail)
    return out


BUILDING_LAND_REDESIGN = 2021


class BuildingLandSales(PublishedTable):
    """Regionaldatenbank 61511-01-03-4: building-land sales (cases, area sold, purchase sum, average price per m²),
    all building land and land ready for building, every district, one row per year."""

    period_start: Series[pandas_engine.Date]
    measure: Series[str] = pa.Field(isin=["sales", "area_sold", "purchase_sum", "average_price"])
    land_type: Series[str] = pa.Field(isin=["total", "ready_for_building"])
    value: Series[float] = pa.Field(nullable=True, ge=0)
    comparable_with_earlier_years: Series[bool]

    class Config:
        unique = ["reference_date", "ags", "measure", "land_type"]

    @pa.dataframe_check(error="land ready for building is part of all building land")
    def ready_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        counted = df["measure"] != "average_price"
        ok = pd.Series(True, index=df.index)
        by = ["reference_date", "ags", "measure"]
        ok[counted] = R.total_equals_parts(df[counted], by, "land_type", ["ready_for_building"], at_most=True)
        return ok

    @pa.dataframe_check(error="the average price is the purchase sum over the area sold (within their rounding)")
    def price_is_sum_over_area(cls, df: pd.DataFrame) -> Series[bool]:
        key = ["reference_date", "ags", "land_type"]
        wide = df.pivot_table(index=key, columns="measure", values="value", aggfunc="first")
        ok = pd.Series(True, index=df.index)
        if not {"purchase_sum", "area_sold", "average_price"} <= set(wide.columns):
            return ok
        # both are printed in thousands, rounded to whole thousands: the price lies between the bounds they allow,
        # give or take its own rounding (to the cent, in Brandenburg to ten cents)
        lo = (wide["purchase_sum"] - 0.5) / (wide["area_sold"] + 0.5)
        hi = (wide["purchase_sum"] + 0.5) / (wide["area_sold"] - 0.5).where(wide["area_sold"] > 0.5)
        price = wide["average_price"]
        bad = wide.index[(price < lo - 0.05) | (price > hi + 0.05)]
        rows = df.set_index(key).index.isin(bad) & (df["measure"] == "average_price").to_numpy()
        ok[rows] = False
        return ok

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany (sales)")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        sales = df["measure"] == "sales"
        by = ["reference_date", "land_type"]
        return R.hierarchy_adds_up(df, by, 0, 2, where=sales) & R.hierarchy_adds_up(df, by, 2, 5, where=sales)


DATASET = Dataset(
    "building_land_sales",
    "Building-land sales and average purchase prices, districts (Regionaldatenbank 61511-01-03-4, XLSX)",
    "Sales of building land in the year: cases, area sold, purchase sum and the average price per m², for all "
    "building land and for land ready for building. A price of land, not a rent or a housing cost. The statistics "
    "were redesigned for 2021; the table warns that 2021 compares with earlier years only to a very limited extent.",
    _building_land_builder,
    BuildingLandSales,
    period="annual_average",  # the price printed is the average of the year's sales (the counts are sums)
)
