"""The flat CSV of the GENESIS web service (ffcsv): region keys, units and a variable's codes mapped through a
table's vocabulary."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.domain.codebook import SEX
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.genesis_flat import FlatTable

# the variables that hold the region, by territorial level (a flat file's region position may switch between them)
REGION_VARIABLES = frozenset({"DINSG", "GEODL1", "GEOBL1", "GEORB1", "GEOKR1", "GEOGM4", "KREISE", "DLAND"})


FLAT_UNITS = {"Anzahl": "persons", "number": "persons"}


def flat_region(code: str) -> str:
    """A flat file's region code as an AGS: the 12-digit regional key (ARS) of a municipality to its 8-digit AGS
    (Land, Regierungsbezirk, Kreis + the municipality's own 3 digits), everything else as it is."""
    return code[:5] + code[9:] if len(code) == 12 and code.isdigit() else code


def flat_frame(entry: SourceEntry, t: FlatTable) -> pd.DataFrame:
    """The columns every flat table's frame starts with; the caller adds what its variables mean."""
    if not entry.table_code.startswith(t.statistics_code):
        detail = f"the file holds statistic {t.statistics_code}, the manifest lists table {entry.table_code}"
        raise RawInputError.single(t.file, "table matches manifest", detail, 2, "statistics_code")
    f = t.frame
    units = f["unit"].map(FLAT_UNITS)
    if units.isna().any():
        row = f.loc[units.isna()].iloc[0]
        detail = f"unit '{row['unit']}' is not one this reader knows ({', '.join(FLAT_UNITS)})"
        raise RawInputError.single(t.file, "units known", detail, int(row["line"]), "value_unit")
    return pd.DataFrame({
        "source_id": entry.id,
        "source_line": f["line"].astype("Int64"),
        "source_column": "value",
        "ags": f["region"].map(flat_region) if "region" in f else "DG",
        "region_name": f["region_label"] if "region" in f else "Deutschland",
        "unit": units,
        "value": f["value"],
        "status": f["status"],
    })


def flat_reference_date(entry: SourceEntry, t: FlatTable) -> dt.date:
    times = set(t.frame["time"])
    wanted = entry.reference_date.isoformat()
    if times != {wanted}:
        odd = sorted(times - {wanted})[0] if times - {wanted} else "(none)"
        line = int(t.frame.loc[t.frame["time"] != wanted, "line"].iloc[0]) if times - {wanted} else None
        raise RawInputError.single(t.file, "reference date matches manifest", f"dated {odd} but the manifest gives {wanted}", line, "time")
    return entry.reference_date


FLAT_SEX = {"": "total", **SEX.mapper()}  # (a flat file leaves the total blank)


def flat_codes(t: FlatTable, variable: str, vocabulary: dict[str, str]) -> pd.Series:
    """A variable's attribute codes mapped to ours; a code the vocabulary lacks is refused at its first line."""
    codes = t.frame[variable]
    mapped = codes.map(vocabulary)
    if mapped.isna().any():
        row = t.frame.loc[mapped.isna()].iloc[0]
        detail = f"{variable} '{row[variable]}' ({row[variable + '_label']}) is not one this table is known to use"
        raise RawInputError.single(t.file, "category codes known", detail, int(row["line"]), f"{variable} attribute")
    return mapped
