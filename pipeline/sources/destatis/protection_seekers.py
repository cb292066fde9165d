"""Protection seekers by protection status, sex and citizenship, districts (Destatis 12531-0043, 31 December): its
layout, codes and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of
core.indicators, where it has one, is the .sql file beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import PROTECTION_STATUS, SEX
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.flat import FLAT_SEX, REGION_VARIABLES, flat_codes, flat_frame, flat_reference_date
from pipeline.ingest.genesis_flat import read_flat
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CountTable,
    NonEmpty,
)


def _protection_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    t = read_flat(path, entry.display_name, REGION_VARIABLES)
    if t.variables != ["KREISE", "SCHST2", "GES", "STAAG5"]:
        detail = f"variables {', '.join(t.variables)} where KREISE, SCHST2, GES, STAAG5 are expected"
        raise RawInputError.single(t.file, "flat file variables known", detail, 1)
    out = flat_frame(entry, t)
    out.insert(3, "reference_date", flat_reference_date(entry, t))
    out["protection_status"] = flat_codes(t, "SCHST2", PROTECTION_STATUS.mapper()).values
    out["sex"] = flat_codes(t, "GES", FLAT_SEX).values
    out["citizenship_code"] = t.frame["STAAG5"].replace("", "total").values
    out["citizenship"] = t.frame["STAAG5_label"].values
    return out


class ProtectionSeekers(CountTable):
    """Destatis 12531-0043: protection seekers by protection status, sex and citizenship, districts. Each cell is
    rounded to a multiple of 5 (AZR secrecy); a status that is the sum of others agrees with them within 2 per cell."""

    protection_status: Series[str] = pa.Field(isin=PROTECTION_STATUS.codes())
    sex: Series[str] = pa.Field(isin=SEX.codes())
    citizenship_code: Series[str] = NonEmpty()
    citizenship: Series[str]

    class Config:
        unique = ["reference_date", "ags", "protection_status", "sex", "citizenship_code"]

    @pa.dataframe_check(error="counts are multiples of 5 (AZR rounding)")
    def rounded_to_five(cls, df: pd.DataFrame) -> Series[bool]:
        return ~R.known(df) | (df["value"] % 5 == 0)

    @pa.dataframe_check(error="the statuses add up to the statuses they split (±2 per rounded cell)")
    def statuses_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        by = ["reference_date", "ags", "sex", "citizenship_code"]
        for total, parts in (("recognised", ["recognised_temporary", "recognised_permanent"]),
                             ("recognised_temporary", ["recognised_temporary_asylum", "recognised_temporary_other"]),
                             ("without_status", ["tolerated", "latent_obliged_to_leave", "enforceable_obliged_to_leave"])):
            part = df[df["protection_status"].isin([total, *parts])]
            part = part.assign(_role=part["protection_status"].where(part["protection_status"] != total, "total"))
            ok &= R.total_equals_parts(part, by, "_role", parts, tolerance_per_value=2).reindex(df.index, fill_value=True)
        return ok


DATASET = Dataset(
    "protection_seekers",
    "Protection seekers by protection status, sex and citizenship, districts (Destatis 12531-0043, 31 December)",
    "Foreigners who sought protection in Germany (a subset of all foreigners, from the Central Register of "
    "Foreigners): recognised (temporary, of which from an asylum procedure or not; permanent), status still open, "
    "and without status (of whom tolerated, or obliged to leave). Cells are rounded to multiples of 5; the web "
    "service's file leaves out empty cells.",
    _protection_builder,
    ProtectionSeekers,
)
