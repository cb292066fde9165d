"""Reader for our own tidy CSV layout (the MC2CM transcriptions, the city's published figures and policy register).

UTF-8, comma-separated, one header line naming exactly the expected columns, ``#`` comment lines above it for
provenance, one record per line. The layout of each file kind is documented in raw/README.md.

Every line is read on its own, so a line number is always the line an editor shows: a quoted field that does not
close on its line is refused (one record per line), never joined with the next, and a ``#`` or blank line is a
comment only outside a record. Every cell is text the profile may print, so each is checked by the free-text rules
(pipeline/domain/freetext.py: no invisible characters, only characters the report can print, a length limit per
column); a line longer than any record can be is refused before it is parsed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pipeline.domain import freetext
from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.ingest.text import read_text


def _fields(text: str) -> list[str]:
    """One line's fields (csv.Error when a quoted field does not close on the line)."""
    rows = list(csv.reader([text], strict=True))
    return rows[0] if rows else []


def read_tidy_csv(path: Path, file: str, columns: list[str]) -> pd.DataFrame:
    """All cells as stripped strings, plus ``line`` (the line number in the file)."""
    text = read_text(path, "utf-8", file, invisible=False)  # (checked per field below, naming the column)
    problems: list[InputProblem] = []
    header: list[str] | None = None
    header_line = 1
    rows = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        if len(raw) > freetext.LONGEST_LINE:
            problems.append(InputProblem(file, "line length limit", f"the line is {len(raw):,} characters long; no record of this "
                                         f"layout is longer than {freetext.LONGEST_LINE:,}", line))
            continue
        try:
            cells = _fields(raw)
        except csv.Error as exc:
            problems.append(InputProblem(file, "one record per line", f"the line does not parse as CSV ({exc}): a quoted field that "
                                         "does not close on its line, or a stray quote", line))
            continue
        if header is None:
            header, header_line = [h.strip() for h in cells], line
            if header != columns:
                missing = [c for c in columns if c not in header]
                unknown = [c for c in header if c not in columns]
                detail = f"header is {header}; expected exactly {columns}"
                if missing or unknown:
                    detail = f"header differs from the layout: missing {missing or 'none'}, unexpected {unknown or 'none'}"
                raise RawInputError.single(file, "header matches layout", detail, line=line)
            continue
        if len(cells) != len(columns):
            problems.append(
                InputProblem(file, "row width matches header", f"row has {len(cells)} fields, the header {len(columns)}", line,
                             columns[len(cells)] if len(cells) < len(columns) else f"{len(columns) + 1} (beyond the header)")
            )
            continue
        values = [c.strip() for c in cells]
        for column, value in zip(columns, values, strict=True):
            if (found := freetext.problem(value, column)) is not None:
                rule, detail, _ = found
                problems.append(InputProblem(file, rule, detail, line, column))
        rows.append([line, *values])
    if header is None:
        raise RawInputError.single(file, "header line present", "no header line (only comments or blank lines)", line=1)
    if problems:
        raise RawInputError(problems)
    if not rows:
        raise RawInputError.single(file, "data rows present", "no data rows below the header", line=header_line)
    return pd.DataFrame(rows, columns=["line", *columns])
