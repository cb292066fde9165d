"""Reader for GENESIS table exports in CSV ("Tabelle" download), as published by IT.NRW's Landesdatenbank and by
the Regionaldatenbank Deutschland.

Layout (both publishers, either ISO-8859-1 or UTF-8):

    Tabelle: 12411-15i                                  <- line 1: table code
    Katasterfläche (qkm), Bevölkerung und ...;;;;;      <- title lines (first cell filled)
    ;;;Fortschreibung des Bevölkerungsstandes;...       <- stacked header rows (first cell empty): one row per
    ;;;Bevölkerungsstand (Basis Zensus 2022 ...);...       level of the column hierarchy, the last often the unit
    ;;;Anzahl;qkm;EW pro qkm
    31.12.2024;05;Nordrhein-Westfalen;18034454;...      <- data rows: label cells, then one value per column
    31.12.2024;05913;    Dortmund, krfr. Stadt;...         (region names indented to show the hierarchy)
    __________                                          <- footer marker
    "notes ..."
    © IT.NRW, Düsseldorf, 2026. ...                     <- copyright
    Stand: 19.01.2026 / 13:58:12                        <- publication date ("created: 2025-12-16 / ..." in English)

The number of label columns is the number of leading empty cells the header rows share. The reader knows nothing
about what a table means; the table modules (pipeline/sources/) maps labels and header paths to named columns.

A variant puts each value's quality flag in the column after it, and often the reference dates across the columns
(Destatis 12411-0015: ``;;31.12.2000;;31.12.2001;;...`` above ``05913;Dortmund, kreisfreie Stadt;588994;e;...``):
``cells(flagged=True)`` pairs every value column with the flag column after it, whose header cells are empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.symbols import QUALITY_FLAGS, CellError, parse_cell
from pipeline.ingest.text import read_text

_TITLE = re.compile(r"^(?:GENESIS-)?Tabelle:\s*(\S+?)\s*$")
_MARKER = re.compile(r"^_{5,}\s*$")
_STAND = re.compile(
    r"^\s*(?:Stand:\s*(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>\d{4})"
    r"|created:\s*(?P<Y>\d{4})-(?P<M>\d{2})-(?P<D>\d{2}))"
    r"(?:\s*/\s*(?P<time>\d{2}:\d{2}:\d{2}))?\s*$"
)


@dataclass
class GenesisTable:
    """A parsed GENESIS table: its frame, header hierarchy and data cells, before any meaning is attached."""

    file: str
    table_code: str
    title: list[str]
    header_rows: list[list[str]]
    header_lines: list[int]
    label_count: int
    rows: list[tuple[int, list[str]]]
    notes: str
    copyright: str
    published: dt.date

    @cached_property
    def width(self) -> int:
        return Counter(len(c) for _, c in self.rows).most_common(1)[0][0]

    def header_path(self, column: int) -> tuple[str, ...]:
        """The stacked header labels above value column ``column`` (0-based), top to bottom."""
        return tuple(row[column].strip() for row in self.header_rows)

    def column_name(self, column: int) -> str:
        """How an error message names a column: its number (1-based) and its header labels."""
        labels = " / ".join(dict.fromkeys(h for h in self.header_path(column) if h))
        return f"{column + 1} ({labels})" if labels else str(column + 1)

    def problem(self, rule: str, detail: str, line: int | None = None, column: int | None = None) -> InputProblem:
        return InputProblem(self.file, rule, detail, line, None if column is None else self.column_name(column))

    def value_columns(self, flagged: bool = False) -> list[int]:
        """The value columns (0-based): all after the labels, or with ``flagged`` every other one (each followed by
        its flag column)."""
        return list(range(self.label_count, self.width, 2 if flagged else 1))

    def _check_flag_columns(self) -> None:
        """With quality flags, value and flag columns alternate and only the value columns have header labels."""
        problems = []
        if (self.width - self.label_count) % 2:
            problems.append(self.problem("quality flag columns", f"{self.width - self.label_count} columns after the labels: "
                                         "values and their flags should come in pairs", self.header_lines[-1]))
        for j in self.value_columns(flagged=True):
            for row, line in zip(self.header_rows, self.header_lines, strict=True):
                if j + 1 < len(row) and row[j + 1].strip():
                    problems.append(self.problem("quality flag columns", f"header '{row[j + 1].strip()}' above a flag column: "
                                                 "the columns are shifted (a value column where its flag belongs)", line, j + 1))
                    break
        if problems:
            raise RawInputError(problems)

    def cells(self, flagged: bool = False) -> pd.DataFrame:
        """One row per value cell: line, column (0-based), label_0.., header_0.., value, status (and, with ``flagged``,
        the value's quality flag).

        Cells that are neither numbers nor known symbols, and unknown flags, are all collected and raised together.
        """
        if flagged:
            self._check_flag_columns()
        n_labels, n_header = self.label_count, len(self.header_rows)
        paths = [self.header_path(j) for j in range(self.width)]
        records: list[tuple] = []
        problems: list[InputProblem] = []
        for line, cells in self.rows:
            labels = tuple(c.strip() for c in cells[:n_labels])
            for j in self.value_columns(flagged):
                try:
                    value, status = parse_cell(cells[j], decimal=",")
                except CellError as exc:
                    problems.append(self.problem(exc.rule, exc.detail, line, j))
                    continue
                flag = ()
                if flagged:
                    flag = (cells[j + 1].strip(),)
                    # a symbol (a district that did not exist yet: '-') carries no flag; a number always does
                    if flag[0] not in QUALITY_FLAGS and not (flag[0] == "" and status != ""):
                        known = ", ".join(f"'{k}' ({v})" for k, v in QUALITY_FLAGS.items())
                        problems.append(self.problem("known quality flags", f"'{flag[0]}' after the value {cells[j].strip()} "
                                                     f"is not a quality flag: {known}", line, j + 1))
                        continue
                records.append((line, j, *labels, *paths[j], value, status, *flag))
        if problems:
            raise RawInputError(problems)
        columns = (
            ["line", "column"]
            + [f"label_{i}" for i in range(n_labels)]
            + [f"header_{k}" for k in range(n_header)]
            + ["value", "status"]
            + (["quality"] if flagged else [])
        )
        return pd.DataFrame.from_records(records, columns=columns)


def _parse_footer(lines: list[str], start_line: int, file: str) -> tuple[str, str, dt.date]:
    body = list(lines)
    stand_idx = None
    for i in range(len(body) - 1, -1, -1):
        if body[i].strip().strip(";"):
            if _STAND.match(body[i].strip().strip('"').rstrip(";")):
                stand_idx = i
            break
    if stand_idx is None:
        raise RawInputError.single(
            file,
            "footer complete",
            "the footer has no closing 'Stand: dd.mm.yyyy' (or 'created: yyyy-mm-dd') line: the file is truncated",
            line=start_line + len(body),
        )
    m = _STAND.match(body[stand_idx].strip().strip('"').rstrip(";"))
    assert m is not None
    if m.group("d"):
        published = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    else:
        published = dt.date(int(m.group("Y")), int(m.group("M")), int(m.group("D")))
    copyright_lines = [ln.strip().strip('"') for ln in body[:stand_idx] if "©" in ln]
    copyright_text = ""
    if copyright_lines:
        first = next(i for i, ln in enumerate(body[:stand_idx]) if "©" in ln)
        copyright_text = " ".join(ln.strip().strip('"').strip(";").strip() for ln in body[first:stand_idx])
        notes_lines = body[:first]
    else:
        notes_lines = body[:stand_idx]
    notes = "\n".join(ln.rstrip().rstrip(";") for ln in notes_lines).strip().strip('"')
    return notes, copyright_text, published


def parse_genesis_text(text: str, file: str) -> GenesisTable:
    lines = text.splitlines()
    marker = next((i for i, ln in enumerate(lines) if _MARKER.match(ln)), None)
    if marker is None:
        raise RawInputError.single(
            file,
            "footer present",
            "the footer marker line '__________' is missing: the file is truncated or is not a GENESIS table export",
            line=len(lines),
        )
    first = lines[0].strip().rstrip(";") if lines else ""
    m = _TITLE.match(first)
    if not m:
        raise RawInputError.single(
            file, "title line", f"line 1 should read 'Tabelle: <code>' but reads '{first[:60]}'", line=1
        )
    table_code = m.group(1)

    reader = csv.reader(lines[1:marker], delimiter=";", quotechar='"')
    title: list[str] = []
    header_rows: list[list[str]] = []
    header_lines: list[int] = []
    rows: list[tuple[int, list[str]]] = []
    problems: list[InputProblem] = []
    for cells in reader:
        line = reader.line_num + 1  # +1: line 1 (the table code) was not given to the reader
        if not any(c.strip() for c in cells):
            continue
        if cells[0].strip() == "":
            if rows:
                problems.append(
                    InputProblem(file, "header before data", "a header-like row (empty first cell) inside the data", line)
                )
                continue
            header_rows.append(cells)
            header_lines.append(line)
        elif header_rows:
            rows.append((line, cells))
        else:
            title.append(cells[0].strip())
    if not header_rows:
        raise RawInputError.single(
            file,
            "header rows present",
            "no header rows (lines starting with ';') between the title and the data: the header is missing",
            line=2,
        )
    if not rows:
        raise RawInputError.single(file, "data rows present", "the table has no data rows", line=header_lines[-1] + 1)
    # The table's width is the one most of its rows share; a row of another width is the shifted one.
    widths = Counter(len(c) for c in header_rows) + Counter(len(c) for _, c in rows)
    width = widths.most_common(1)[0][0]
    for cells, line in zip(header_rows, header_lines, strict=False):
        if len(cells) != width:
            problems.append(
                InputProblem(
                    file,
                    "header rows aligned",
                    f"header row has {len(cells)} fields where the table has {width}: shifted or truncated",
                    line,
                )
            )
    label_count = min(next((i for i, x in enumerate(c) if x.strip()), len(c)) for c in header_rows)
    if label_count < 1 or label_count >= width:
        problems.append(
            InputProblem(file, "header rows aligned", "cannot tell label columns from value columns in the header", header_lines[0])
        )
    for line, cells in rows:
        if len(cells) != width:
            problems.append(
                InputProblem(
                    file,
                    "row width matches header",
                    f"row has {len(cells)} fields but the header has {width}: shifted or extra columns",
                    line,
                    f"{min(len(cells), width) + 1} (the first the header does not match)"
                    if len(cells) > width
                    else f"{len(cells) + 1} (missing)",
                )
            )
    if problems:
        raise RawInputError(problems)
    notes, copyright_text, published = _parse_footer(lines[marker + 1 :], marker + 2, file)
    return GenesisTable(
        file=file,
        table_code=table_code,
        title=title,
        header_rows=header_rows,
        header_lines=header_lines,
        label_count=label_count,
        rows=rows,
        notes=notes,
        copyright=copyright_text,
        published=published,
    )


def read_genesis_csv(path: Path, encoding: str, file: str | None = None) -> GenesisTable:
    name = file or str(path)
    return parse_genesis_text(read_text(path, encoding, name), name)
