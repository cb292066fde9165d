"""Migration between Germany and foreign countries by nationality (Destatis 12711-0008, JSON-stat): its layout, codes
and pandera model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it
has one, is the .sql file beside it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.codebook import NATIONALITY
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import SourceEntry, verify_file
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.jsonstat import read_jsonstat, structure_labels
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    NonEmpty,
    PublishedTable,
    net_is_difference,
)


def _migration_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    structure_id = entry.extra.get("structure")
    if not structure_id:
        raise RawInputError.single(
            entry.display_name,
            "manifest structure file",
            "a JSON-stat data entry needs 'structure: <id of its structure file>' in the manifest",
        )
    structure_entry = ctx.manifest.by_id(str(structure_id))
    labels = structure_labels(verify_file(ctx.manifest, structure_entry), structure_entry.display_name)
    ds = read_jsonstat(path, entry.display_name)
    expected = {"statistic", "DINSG", "NAT", "content", "JAHR", "HZLDR1"}
    missing = expected - set(ds.dimensions)
    if missing:
        raise RawInputError.single(
            entry.display_name, "JSON-stat dimensions complete", f"dimension(s) {sorted(missing)} missing; expected {sorted(expected)}"
        )
    f = ds.frame
    flows = {"BEV029$QMU": "arrivals", "BEV011$QMU": "departures", "BEV012$QMU": "net_migration"}
    nat = {"%TOTAL%": "total", "NATD": "german", "NATA": "non_german"}
    problems = []
    for dim, vocab in (("content", flows), ("NAT", nat)):
        for code in ds.categories[dim]:
            if code not in vocab:
                problems.append(
                    InputProblem(
                        entry.display_name, "category codes known", f"category '{code}' is not one this table is known to use", column=dim
                    )
                )
    bad_years = [y for y in ds.categories["JAHR"] if not re.fullmatch(r"\d{4}", y)]
    if bad_years:
        problems.append(
            InputProblem(entry.display_name, "reference date format", f"years {bad_years} are not 4-digit years", column="JAHR")
        )
    if problems:
        raise RawInputError(problems)
    years = f["JAHR"].astype(int)
    out = pd.DataFrame(
        {
            "source_id": entry.id,
            "source_line": pd.array([pd.NA] * len(f), dtype="Int64"),
            "source_column": "value[" + f["value_index"].astype(str) + "]",
            "reference_date": [dt.date(y, 12, 31) for y in years],
            "period_start": [dt.date(y, 1, 1) for y in years],
            "ags": f["DINSG"].values,
            "region_name": f["DINSG"].map(lambda c: labels.get(c, c)).values,
            "flow": f["content"].map(flows).values,
            "nationality": f["NAT"].map(nat).values,
            "country_code": f["HZLDR1"].map(lambda c: "total" if c == "%TOTAL%" else c).values,
            "country": f["HZLDR1"].map(lambda c: labels.get(c, c)).values,
            "unit": "persons",
            "value": f["value"].values,
            "status": f["status"].values,
        }
    )
    newest, oldest = max(years), min(years)
    if newest != entry.reference_date.year or (entry.period_start and oldest != entry.period_start.year):
        raise RawInputError.single(
            entry.display_name,
            "reference date matches manifest",
            f"the file covers {oldest}-{newest}; the manifest says "
            f"{entry.period_start.year if entry.period_start else '?'}-{entry.reference_date.year}",
            column="JAHR",
        )
    return out


class MigrationGermanyAbroad(PublishedTable):
    """Destatis 12711-0008: arrivals, departures and net migration between Germany and abroad."""

    period_start: Series[pandas_engine.Date]
    flow: Series[str] = pa.Field(isin=["arrivals", "departures", "net_migration"])
    nationality: Series[str] = pa.Field(isin=NATIONALITY.codes())
    country_code: Series[str] = pa.Field(str_matches=r"^(total|[A-Z0-9]+)$")
    country: Series[str] = NonEmpty()

    class Config:
        unique = ["reference_date", "ags", "flow", "nationality", "country_code"]

    @pa.dataframe_check(error="arrivals and departures are whole, non-negative numbers")
    def flows_non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["flow"] == "net_migration") | ~R.known(df) | ((df["value"] >= 0) & R.is_integral(df))

    @pa.dataframe_check(error="net migration = arrivals - departures")
    def net_is_difference(cls, df: pd.DataFrame) -> Series[bool]:
        return net_is_difference(df, ["reference_date", "nationality", "country_code"])

    @pa.dataframe_check(error="Germans and foreigners add up to the total")
    def nationalities_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "flow", "country_code"], "nationality", ["german", "non_german"])

    @pa.dataframe_check(error="countries add up to the total")
    def countries_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(df, ["reference_date", "flow", "nationality"], "country_code")


DATASET = Dataset(
    "migration_germany_abroad",
    "Migration between Germany and foreign countries by nationality (Destatis 12711-0008, JSON-stat)",
    "Arrivals from abroad, departures abroad and net migration for Germany by year, nationality and country of "
    "origin/destination, 2000 onwards.",
    _migration_builder,
    MigrationGermanyAbroad,
    period="annual_sum",
)
