"""Policy register: a city's strategies, bodies, programmes and priorities, each cited: its layout, codes and pandera
model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is
the .sql file beside it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.labels import (
    POLICY_KINDS,
    POLICY_SECTIONS,
    POLICY_SUBSECTIONS,
)
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.checks import (
    check_newest,
    check_period_start,
)
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.tidy import period_bound
from pipeline.ingest.tidy_csv import read_tidy_csv
from pipeline.validation.tables import NonEmpty

POLICY_COLUMNS = ["ags", "section", "subsection", "kind", "title", "title_en", "valid_from", "valid_to", "summary",
                  "publication", "publisher", "published", "locator", "note"]


def _policy_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    """A city's policy register (raw/README.md, "Policy register"): text, with its three dates read as days. The
    register is as of its newest publication, which the manifest's reference date names."""
    raw = read_tidy_csv(path, entry.display_name, POLICY_COLUMNS)
    problems: list[InputProblem] = []
    parsed: dict[str, list] = {"valid_from": [], "valid_to": [], "published": []}
    for row in raw.itertuples(index=False):
        for column, end in (("valid_from", False), ("valid_to", True), ("published", False)):
            text = getattr(row, column)
            if not text:
                parsed[column].append(None)
                if column != "valid_to":  # an open end is allowed; a start and a citation date are not optional
                    rule = "citation complete" if column == "published" else "valid from given"
                    problems.append(InputProblem(entry.display_name, rule, f"{column} is empty", row.line, column))
                continue
            try:
                parsed[column].append(period_bound(text, end))
            except ValueError:
                problems.append(InputProblem(entry.display_name, "date format",
                                             f"{column} '{text}' is not a year, YYYY-MM or YYYY-MM-DD", row.line, column))
                parsed[column].append(None)
    if problems:
        raise RawInputError(problems)
    out = raw.rename(columns={"line": "source_line"})
    out.insert(0, "source_id", entry.id)
    out.insert(out.columns.get_loc("published"), "published_as", out["published"])  # as written: the citation's precision
    for column, values in parsed.items():
        out[column] = values
    check_newest(entry, max(parsed["published"]), "publication cited")
    check_period_start(entry, min(parsed["valid_from"]))
    return out


class PolicyRegister(pa.DataFrameModel):
    """A city's policy register: one fact per row (a strategy, body, programme, agreement, ...) with the MC2CM
    subsection it belongs to, when it was valid, a summary in our words and the publication it was read in."""

    source_id: Series[str] = NonEmpty()
    source_line: Series[pd.Int64Dtype] = pa.Field(ge=1)
    ags: Series[str] = pa.Field(str_matches=r"^\d{8}$")
    section: Series[str] = pa.Field(isin=list(POLICY_SECTIONS))
    subsection: Series[str] = pa.Field(isin=list(POLICY_SUBSECTIONS))
    kind: Series[str] = pa.Field(isin=list(POLICY_KINDS))
    title: Series[str] = NonEmpty()
    title_en: Series[str] = NonEmpty()
    valid_from: Series[pandas_engine.Date] = pa.Field(le=dt.date.today())
    valid_to: Series[pandas_engine.Date] = pa.Field(nullable=True)
    summary: Series[str] = NonEmpty()  # (its length limit: pipeline/domain/freetext.py)
    publication: Series[str] = NonEmpty()
    publisher: Series[str] = NonEmpty()
    published_as: Series[str] = NonEmpty()
    published: Series[pandas_engine.Date] = pa.Field(le=dt.date.today())
    locator: Series[str] = NonEmpty()
    note: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["source_id", "subsection", "title", "valid_from"]

    @pa.dataframe_check(error="subsection belongs to the section")
    def subsection_in_section(cls, df: pd.DataFrame) -> Series[bool]:
        return df["subsection"].map(POLICY_SUBSECTIONS) == df["section"]

    @pa.dataframe_check(error="valid to not before valid from")
    def period_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        return df["valid_to"].isna() | (df["valid_to"] >= df["valid_from"])


DATASET = Dataset(
    "city_policy_register",
    "Policy register: a city's strategies, bodies, programmes and priorities, each cited",
    "The facts of the MC2CM profile's sections 4, 6 and 7 as the city keeps them: one row per fact with its "
    "subsection, kind, validity and citation; summaries in our words.",
    _policy_builder,
    PolicyRegister,
    city_specific=True,
)
