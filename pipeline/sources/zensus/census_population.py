"""Population counted by the Zensus 2022 on 15 May 2022, Germany and every municipality (Zensus 2022 database
1000A-0000): its layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its
branch of core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.flat import REGION_VARIABLES, flat_frame, flat_reference_date
from pipeline.ingest.genesis_flat import read_flat
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CountTable,
)


def _census_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_flat(path, entry.display_name, REGION_VARIABLES)
    day = flat_reference_date(entry, t)
    out = flat_frame(entry, t)
    out.insert(3, "reference_date", day)
    out["census_basis"] = entry.census_basis
    out["region_level"] = t.frame["region_variable"].map({"GEODL1": "germany", "GEOBL1": "land", "GEOGM4": "municipality"}).fillna("other")
    return out


class CensusPopulation(CountTable):
    """Zensus 2022 database 1000A-0000: the population counted on 15 May 2022, Germany and every municipality."""

    census_basis: Series[str] = pa.Field(isin=["Zensus 2022"])
    region_level: Series[str] = pa.Field(isin=["germany", "land", "municipality"])

    class Config:
        unique = ["reference_date", "ags"]

    @pa.dataframe_check(error="the municipalities do not exceed Germany")
    def municipalities_within_germany(cls, df: pd.DataFrame) -> Series[bool]:
        # (they fall short by 8,258: the web service's file lists 10,786 of the 10,787 municipalities its metadata
        # announces; see the manifest's note)
        frame = df.assign(_level=df["region_level"].map({"germany": "total", "municipality": "part"}))
        frame = frame[frame["_level"].notna()]
        return R.total_equals_parts(frame, ["reference_date"], "_level", at_most=True).reindex(df.index, fill_value=True)


DATASET = Dataset(
    "census_population",
    "Population counted by the Zensus 2022 on 15 May 2022, Germany and every municipality (Zensus 2022 database 1000A-0000)",
    "The census count itself (not the population update that starts from it), from the flat CSV of the Zensus "
    "2022 database's web service.",
    _census_builder,
    CensusPopulation,
)
