"""Files in our own tidy layouts (raw/README.md): figures transcribed or stated with their citation, and
transcribed text tables."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.domain.symbols import CellError, parse_cell
from pipeline.ingest.checks import (
    check_newest,
    check_period_start,
    printed_mismatch,
)
from pipeline.ingest.context import BuildContext
from pipeline.ingest.tidy_csv import read_tidy_csv

TIDY_COLUMNS = [
    "table_id",
    "ags",
    "reference_date",
    "indicator",
    "nationality",
    "breakdown",
    "category",
    "value",
    "unit",
    "concept",
    "printed_as",
    "publisher",
    "citation",
    "note",
]


TEXT_TABLE_COLUMNS = ["legal_status", "legal_basis", "labour_market_access", "as_of", "publisher", "citation"]


STAKEHOLDER_COLUMNS = ["stakeholder_group", "organisation", "area_of_work", "as_of", "publisher", "citation"]


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def period_bound(text: str, end: bool) -> dt.date:
    """A register date written YYYY, YYYY-MM or YYYY-MM-DD as a day: the first day of the period it names, or with
    ``end`` its last (valid to 2022 = up to 31.12.2022). Raises ValueError for anything else."""
    m = _PERIOD.match(text)
    if not m:
        raise ValueError(text)
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if day:
        return dt.date(year, int(month), int(day))
    if month:
        first = dt.date(year, int(month), 1)
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1) if end else first
    return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)


def tidy_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    raw = read_tidy_csv(path, entry.display_name, TIDY_COLUMNS)
    problems: list[InputProblem] = []
    values, statuses, dates = [], [], []
    for row in raw.itertuples(index=False):
        try:
            v, s = parse_cell(row.value, decimal=".")
        except CellError as exc:
            problems.append(InputProblem(entry.display_name, exc.rule, exc.detail, row.line, "value"))
            v, s = math.nan, ""
        try:
            d = dt.date.fromisoformat(row.reference_date)
        except ValueError:
            problems.append(
                InputProblem(
                    entry.display_name,
                    "reference date format",
                    f"'{row.reference_date}' is not a date written YYYY-MM-DD",
                    row.line,
                    "reference_date",
                )
            )
            d = None
        if (mismatch := printed_mismatch(row.printed_as, v, row.unit)) is not None:
            problems.append(InputProblem(entry.display_name, "printed figure agrees with value", mismatch, row.line, "printed_as"))
        values.append(v)
        statuses.append(s)
        dates.append(d)
    if problems:
        raise RawInputError(problems)
    out = raw.rename(columns={"line": "source_line"})
    out.insert(0, "source_id", entry.id)
    out.insert(2, "source_column", "value")
    out["reference_date"] = dates
    out["value"] = pd.Series(values, dtype="float64")
    out.insert(out.columns.get_loc("value") + 1, "status", statuses)
    check_newest(entry, max(dates), "reference date in the file")
    if entry.level != "profile":  # (the profile's tables belong to its edition whatever their years)
        check_period_start(entry, min(dates))
    return out


def text_builder(columns: list[str]):
    """A builder for our text tables (labour-market access, stakeholders): strings, plus an ``as_of`` year."""

    def build(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
        raw = read_tidy_csv(path, entry.display_name, columns)
        bad = raw.loc[~raw["as_of"].str.fullmatch(r"\d{4}")]
        if len(bad):
            raise RawInputError.single(
                entry.display_name,
                "reference date format",
                f"as_of '{bad.iloc[0]['as_of']}' is not a year",
                int(bad.iloc[0]["line"]),
                "as_of",
            )
        out = raw.rename(columns={"line": "source_line"})
        out.insert(0, "source_id", entry.id)
        out["as_of"] = out["as_of"].astype("int64")
        if out["as_of"].max() != entry.reference_date.year:
            raise RawInputError.single(
                entry.display_name,
                "reference date matches manifest",
                f"as_of {out['as_of'].max()} differs from the manifest's reference year {entry.reference_date.year}",
            )
        return out

    return build
