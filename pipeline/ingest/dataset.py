"""What a dataset is (``Dataset``: its builder, its pandera model, what it needs, its period) and how one is built
from every manifest entry that names it; ``GenesisBuilder`` reads a GENESIS table in any of its formats with one
layout. The tables themselves are in pipeline/sources/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import SourceEntry, verify_file
from pipeline.ingest.checks import (
    check_cities_listed,
    check_city_specific,
)
from pipeline.ingest.context import BuildContext
from pipeline.ingest.flat import REGION_VARIABLES
from pipeline.ingest.genesis_csv import read_genesis_csv
from pipeline.ingest.genesis_flat import FlatSpec, as_classic, read_flat
from pipeline.ingest.genesis_xlsx import place_problems, place_rows, read_genesis_sheet
from pipeline.ingest.layout import (
    GenesisLayout,
    genesis_frame,
)


@dataclass(frozen=True)
class GenesisBuilder:
    """Reads a GENESIS table in its classic CSV layout, or (with ``flat``) a flat file of the web service of the
    same table, into the same frame: the flat file is pivoted into the classic table first (``as_classic``), so
    one layout, one pandera model and the same rules serve both."""

    layout: GenesisLayout
    post: Callable[[pd.DataFrame, SourceEntry], pd.DataFrame] | None = None
    flat: FlatSpec | None = None

    def __call__(self, ctx: BuildContext, entry: SourceEntry, path: Path) -> pd.DataFrame:
        if entry.format == "genesis_ffcsv":
            return self._from_flat(entry, path)
        if entry.format == "xlsx":
            return self._from_sheet(entry, path)
        table = read_genesis_csv(path, entry.encoding, entry.display_name)
        return self._finish(genesis_frame(entry, table, self.layout), entry)

    def _finish(self, frame: pd.DataFrame, entry: SourceEntry) -> pd.DataFrame:
        if entry.census_basis and not self.layout.census_from_notes:
            frame["census_basis"] = entry.census_basis
        return self.post(frame, entry) if self.post else frame

    def _from_flat(self, entry: SourceEntry, path: Path) -> pd.DataFrame:
        if self.flat is None:
            detail = f"dataset {entry.dataset} has no reader for flat files (ffcsv)"
            raise RawInputError.single(entry.display_name, "manifest format", detail)
        t = read_flat(path, entry.display_name, REGION_VARIABLES)
        published = dt.date.fromisoformat(entry.published) if len(entry.published) == 10 else dt.date(int(entry.published), 1, 1)
        table, where = as_classic(t, self.flat, entry.table_code, published)
        names = {table.column_name(j): j for j in range(table.label_count, table.width)}
        try:
            frame = genesis_frame(entry, table, self.layout)
        except RawInputError as exc:  # a place in the pivoted table is a line of the flat file
            raise RawInputError([_flat_place(p, where, names) for p in exc.problems]) from None
        cells = table.cells(flagged=False)
        frame["source_line"] = [where[(line, j)] for line, j in zip(cells["line"], cells["column"], strict=True)]
        frame["source_column"] = "value"
        return self._finish(frame, entry)


    def _from_sheet(self, entry: SourceEntry, path: Path) -> pd.DataFrame:
        table, sheet, offset = read_genesis_sheet(path, entry.display_name, entry.table_code)
        try:
            frame = genesis_frame(entry, table, self.layout)
        except RawInputError as exc:
            raise place_problems(exc, sheet, offset) from None
        columns = table.cells(flagged=self.layout.flags)["column"]
        place_rows(frame, sheet, offset, columns)
        return self._finish(frame, entry)


def _flat_place(p: InputProblem, where: dict[tuple[int, int], int], names: dict[str, int]) -> InputProblem:
    j = names.get(p.column or "")
    if p.line is None or j is None or (p.line, j) not in where:
        return p
    return InputProblem(p.file, p.rule, p.detail, where[(p.line, j)], "value")


def genesis_builder(layout: GenesisLayout, post: Callable[[pd.DataFrame, SourceEntry], pd.DataFrame] | None = None,
                     flat: FlatSpec | None = None) -> GenesisBuilder:
    return GenesisBuilder(layout, post, flat)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    build: Callable[[BuildContext, SourceEntry, Path], pd.DataFrame]
    model: type[pa.DataFrameModel]  # validates the built frame; its staging table's DDL is generated from it
    needs: tuple[str, ...] = ()  # raw datasets this one reads (e.g. a region gazetteer)
    # an input about one city (its register, its MC2CM profile): the manifest entry names the city (field ``city``),
    # every row is that city's, and only that city's profile shows it
    city_specific: bool = False
    # what period its figures refer to (pipeline/domain/periods.py); a manifest entry may say otherwise (``period``)
    period: str = "reference_date"

    @property
    def reads_flat_files(self) -> bool:
        """Whether it reads the web service's flat CSV (ffcsv) of its table, what `pipeline fetch` downloads."""
        return isinstance(self.build, GenesisBuilder) and self.build.flat is not None


def build_dataset(dataset: Dataset, ctx: BuildContext) -> tuple[pd.DataFrame, list[SourceEntry]]:
    """Read, verify and map every manifest entry of ``dataset``; return the combined frame and the entries used."""
    entries = [e for e in ctx.manifest.for_dataset(dataset.name) if e.extra.get("role") != "structure"]
    if not entries:
        raise RawInputError.single("raw/sources.yaml", "every dataset has a source", f"no manifest entry names dataset '{dataset.name}'")
    frames = []
    problems: list[InputProblem] = []
    for entry in entries:
        try:
            path = verify_file(ctx.manifest, entry)
            frame = dataset.build(ctx, entry, path)
        except RawInputError as exc:
            problems.extend(exc.problems)
            continue
        if dataset.city_specific:
            problems.extend(check_city_specific(frame, entry))
        regional = {"ags", "region_name"} <= set(frame.columns) and frame["ags"].str.len().max() >= 5
        if regional:
            problems.extend(check_cities_listed(frame, entry, ctx.cities))
        frames.append(frame)
    if problems:
        raise RawInputError(problems)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return frame, entries
