"""Districts by area, population and density (Destatis Gemeindeverzeichnis GV-ISys): its layout, codes and pandera
model, and its dataset (found by pipeline/sources/registry.py); its branch of core.indicators, where it has one, is
the .sql file beside it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pipeline.domain.codebook import SEX
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.labels import census_years
from pipeline.domain.manifest import SourceEntry
from pipeline.ingest.dataset import BuildContext, Dataset
from pipeline.ingest.genesis_xlsx import place_problems
from pipeline.ingest.gvisys_csv import read_gvisys_csv
from pipeline.ingest.gvisys_xlsx import SHEET as GVISYS_SHEET
from pipeline.ingest.gvisys_xlsx import read_gvisys_sheet
from pipeline.ingest.xlsx import column_letters
from pipeline.validation import rules as R
from pipeline.validation.tables import (
    CENSUS_BASES,
    PublishedTable,
)

GVISYS_HEADER = [
    "Schlüssel-nummer",
    "Regionale Bezeichnung",
    "Kreisfreie Stadt / Kreis / Landkreis",
    "NUTS3",
    "Fläche in km2",
    None,
    "männlich",
    "weiblich",
    "je km2",
]


GVISYS_MEASURES = {
    "area": ("area", "total", "km2"),
    "population": ("population", "total", "persons"),
    "male": ("population", "male", "persons"),
    "female": ("population", "female", "persons"),
    "density": ("population_density", "total", "persons per km2"),
}


# The census basis of the population column: named in the header from 2022 on ('Bevölkerung auf Grundlage
# ZENSUS2011'), not in the XLSX of earlier years ('Bevölkerung2)'). A header without a census name is read with the
# manifest's basis only for a date before the first population update on the Zensus 2022 basis (31.12.2022).
GVISYS_UNNAMED_CENSUS_BEFORE = dt.date(2022, 12, 31)


def _gvisys_population_header(t, entry: SourceEntry, j: int, got: str) -> list[InputProblem]:
    def problem(rule: str, detail: str) -> list[InputProblem]:
        return [InputProblem(t.file, rule, detail, column=str(j))]

    label = got.split(" / ")[0]
    if not label.startswith("Bevölkerung") or not got.endswith("/ insgesamt"):
        return problem("header labels known", f"header '{got}' where 'Bevölkerung [auf Grundlage ZENSUS...] / insgesamt' is expected")
    named = census_years(label.replace("ZENSUS", "Zensus "))
    if named and named != census_years(entry.census_basis):
        return problem("census basis matches manifest", f"header '{got}' names another census than the manifest's '{entry.census_basis}'")
    if not named and (entry.census_basis != "Zensus 2011" or t.reference_date >= GVISYS_UNNAMED_CENSUS_BEFORE):
        detail = (
            f"header '{got}' names no census: read as Zensus 2011 only before {GVISYS_UNNAMED_CENSUS_BEFORE:%d.%m.%Y} "
            f"(the manifest says '{entry.census_basis}' for {t.reference_date:%d.%m.%Y})"
        )
        return problem("census basis matches manifest", detail)
    return []


def _gvisys_builder(ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
    sheet = None
    if entry.format == "xlsx":
        t, sheet = read_gvisys_sheet(path, entry.display_name, entry.extra.get("sheet", GVISYS_SHEET))
    else:
        t = read_gvisys_csv(path, entry.encoding, entry.display_name)
    problems = []
    for j, (want, got) in enumerate(zip(GVISYS_HEADER, t.header, strict=False), start=1):
        if want is None:
            problems += _gvisys_population_header(t, entry, j, got)
        elif got != want:
            problems.append(
                InputProblem(
                    t.file, "header labels known", f"header '{got}' where '{want}' is expected (renamed by the publisher?)", column=str(j)
                )
            )
    if t.reference_date != entry.reference_date:
        problems.append(
            InputProblem(
                t.file,
                "reference date matches manifest",
                f"'Gebietsstand' {t.reference_date} differs from the manifest's {entry.reference_date}",
                2,
            )
        )
    if problems:
        # in the sheet, a header problem names the header's first row (row 4) in its column, a date problem row 2
        located = [p if p.line else InputProblem(p.file, p.rule, p.detail, 4, p.column) for p in problems]
        raise place_problems(RawInputError(located), sheet, 0) if sheet else RawInputError(problems)
    f = t.frame
    mapped = f["measure"].map(GVISYS_MEASURES)
    if sheet is not None:
        source_column = [f"{sheet.name}!{column_letters(j - 1)}{line}" for j, line in zip(f["column"], f["line"], strict=True)]
    else:
        source_column = f["column"].map(lambda j: f"{j} ({t.header[j - 1]})")
    return pd.DataFrame(
        {
            "source_id": entry.id,
            "source_line": f["line"].astype("int64"),
            "source_column": source_column,
            "reference_date": t.reference_date,
            "census_basis": entry.census_basis,
            "ags": f["ags"].values,
            "region_name": f["region_name"].values,
            "region_type": f["region_type"].values,
            "nuts3": f["nuts3"].values,
            "indicator": [m[0] for m in mapped],
            "sex": [m[1] for m in mapped],
            "unit": [m[2] for m in mapped],
            "value": f["value"].values,
            "status": f["status"].values,
        }
    )


class DistrictAreaPopulation(PublishedTable):
    """Destatis GV-ISys: area, population by sex and density of every district of Germany."""

    census_basis: Series[str] = pa.Field(isin=CENSUS_BASES)
    region_type: Series[str]
    nuts3: Series[str] = pa.Field(str_matches=r"^(DE[0-9A-Z]{3})?$")
    indicator: Series[str] = pa.Field(isin=["area", "population", "population_density"])
    sex: Series[str] = pa.Field(isin=SEX.codes())
    value: Series[float] = pa.Field(nullable=True, ge=0)

    class Config:
        unique = ["reference_date", "ags", "indicator", "sex"]

    @pa.dataframe_check(error="men and women add up to the total")
    def sexes_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        pop = df[df["indicator"] == "population"]
        ok = pd.Series(True, index=df.index)
        ok.loc[pop.index] = R.total_equals_parts(pop, ["reference_date", "ags"], "sex", ["male", "female"])
        return ok

    @pa.dataframe_check(error="density equals population / area (rounded to whole persons per km²)")
    def density(cls, df: pd.DataFrame) -> Series[bool]:
        return R.density_agrees(df, ["reference_date", "ags"], decimals=0, where=df["sex"] == "total")

    @pa.dataframe_check(error="districts add up to their Land, Länder to Germany")
    def regions_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        pop = df["indicator"] == "population"
        area = df["indicator"] == "area"
        by = ["reference_date", "indicator", "sex"]
        # Berlin and Hamburg have no Land total row (one district each): Germany is the sum of all districts.
        return (
            R.hierarchy_adds_up(df, by, 2, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 0, 5, where=pop)
            & R.hierarchy_adds_up(df, by, 2, 5, tolerance_per_value=0.005, where=area)
        )


DATASET = Dataset(
    "districts_area_population",
    "Districts by area, population and density (Destatis Gemeindeverzeichnis GV-ISys)",
    "Area, population by sex and density for every district of Germany, from the municipal directory.",
    _gvisys_builder,
    DistrictAreaPopulation,
)
