"""Recipients of minimum social security benefits by type (IT.NRW 22811-05i): its layout, codes and pandera model, and
its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is the .sql
file beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import BENEFIT
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.genesis_csv import read_genesis_csv
from pipeline.ingest.layout import (
    AGS,
    COUNT,
    DATE_YEAR,
    REGION,
    GenesisLayout,
    fixed,
    genesis_frame,
    label,
)
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CountTable,
)

BENEFITS = BENEFIT.mapper()  # keyed by the two header lines, joined: "first: second"


def _benefits_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    table = read_genesis_csv(path, entry.encoding, entry.display_name)
    layout = GenesisLayout(
        labels=(DATE_YEAR, AGS, REGION),
        headers=(fixed("Empfänger/innen von soz. Mindestsicherungsleistung"), label("benefit_1"), label("benefit_2"), COUNT),
    )
    frame = genesis_frame(entry, table, layout)
    keys = [f"{a}: {b}" if b else a for a, b in zip(frame.pop("benefit_1"), frame.pop("benefit_2"), strict=True)]
    problems = []
    for key in dict.fromkeys(keys):
        if key not in BENEFITS:
            problems.append(
                InputProblem(
                    entry.display_name,
                    "header labels known",
                    f"benefit header {key!r} is not one this table is known to use",
                    table.header_lines[1],
                )
            )
    if problems:
        raise RawInputError(problems)
    frame.insert(frame.columns.get_loc("region_name") + 1, "benefit", [BENEFITS[k] for k in keys])
    # The publisher prints the SGB II column twice; both copies must agree, then one is kept.
    dup = frame.duplicated(["source_line", "benefit"], keep=False)
    if dup.any():
        pairs = frame.loc[dup].groupby(["source_line", "benefit"])
        for (line, benefit), g in pairs:
            if g["value"].nunique(dropna=False) > 1 or g["status"].nunique() > 1:
                problems.append(
                    InputProblem(
                        entry.display_name,
                        "repeated columns agree",
                        f"the repeated '{benefit}' columns differ: {', '.join(map(str, g['value']))}",
                        int(line),
                        ", ".join(g["source_column"]),
                    )
                )
        if problems:
            raise RawInputError(problems)
        frame = frame.loc[~frame.duplicated(["source_line", "benefit"], keep="first")].reset_index(drop=True)
    return frame


SGB12_TOLERANCE = 2  # SGB XII and AsylbLG counts are rounded to multiples of 5 since 2020


class MinimumBenefitRecipients(CountTable):
    """IT.NRW 22811-05i: recipients of minimum social security benefits by type, municipalities of NRW."""

    benefit: Series[str] = pa.Field(isin=BENEFIT.codes())

    class Config:
        unique = ["reference_date", "ags", "benefit"]

    @pa.dataframe_check(error="benefit types add up to the total (±2 per rounded value)")
    def types_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(
            df, ["reference_date", "ags"], "benefit", ["sgb2", "hlu", "grundsicherung", "asylblg"], tolerance_per_value=SGB12_TOLERANCE
        )

    @pa.dataframe_check(error="old-age and reduced-earning-capacity basic income add up (±2 per rounded value)")
    def grundsicherung_adds_up(cls, df: pd.DataFrame) -> Series[bool]:
        return R.total_equals_parts(
            df,
            ["reference_date", "ags"],
            "benefit",
            ["grundsicherung_old_age", "grundsicherung_reduced_earning_capacity"],
            total="grundsicherung",
            tolerance_per_value=SGB12_TOLERANCE,
        )

    @pa.dataframe_check(error="municipalities add up to their district (SGB II exact, others ±2 per rounded value)")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        # Where a municipality's SGB II count is kept secret ('.'), its published total leaves it out, so that total
        # is incomplete and must not be summed: it is treated as unknown here.
        incomplete = df.loc[~R.known(df), ["reference_date", "ags"]].drop_duplicates()
        mark = (
            df[["reference_date", "ags"]]
            .merge(incomplete.assign(_incomplete=True), how="left")["_incomplete"]
            .fillna(False)
            .to_numpy(dtype=bool)
        )
        frame = df.assign(status=df["status"].where(~(mark & (df["benefit"] == "total")), "."))
        by = ["reference_date", "benefit"]
        exact = frame["benefit"] == "sgb2"
        total = frame["benefit"] == "total"
        return (
            R.hierarchy_adds_up(frame, by, 5, 8, where=exact)
            & R.hierarchy_adds_up(frame, by, 5, 8, tolerance_per_value=SGB12_TOLERANCE, where=~exact & ~total)
            & R.hierarchy_adds_up(frame, by, 5, 8, tolerance_per_value=3 * SGB12_TOLERANCE, where=total)
        )


DATASET = Dataset(
    "minimum_benefit_recipients",
    "Recipients of minimum social security benefits by type (IT.NRW 22811-05i)",
    "SGB II, SGB XII assistance and old-age/disability basic income, and asylum seekers' benefits, municipalities of NRW.",
    _benefits_builder,
    MinimumBenefitRecipients,
)
