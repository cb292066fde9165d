"""Reader for our own tidy CSV layout (the MC2CM transcriptions and the city's published figures).

UTF-8, comma-separated, one header line naming exactly the expected columns, ``#`` comment lines above it for
provenance, one record per line. The layout of each file kind is documented in raw/README.md.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pipeline.ingest.errors import InputProblem, RawInputError
from pipeline.ingest.text import read_text


def read_tidy_csv(path: Path, file: str, columns: list[str]) -> pd.DataFrame:
    """All cells as stripped strings, plus ``line`` (the line number in the file)."""
    text = read_text(path, "utf-8", file)
    numbered = [(i, ln) for i, ln in enumerate(text.splitlines(), start=1) if ln.strip() and not ln.startswith("#")]
    if not numbered:
        raise RawInputError.single(file, "header line present", "no header line (only comments or blank lines)", line=1)
    reader = csv.reader([ln for _, ln in numbered])
    records = list(reader)
    if reader.line_num != len(numbered):
        raise RawInputError.single(file, "one record per line", "a quoted field spans several lines")
    header_line, header = numbered[0][0], [h.strip() for h in records[0]]
    if header != columns:
        missing = [c for c in columns if c not in header]
        unknown = [c for c in header if c not in columns]
        detail = f"header is {header}; expected exactly {columns}"
        if missing or unknown:
            detail = f"header differs from the layout: missing {missing or 'none'}, unexpected {unknown or 'none'}"
        raise RawInputError.single(file, "header matches layout", detail, line=header_line)
    problems: list[InputProblem] = []
    rows = []
    for (line, _), cells in zip(numbered[1:], records[1:], strict=False):
        if len(cells) != len(columns):
            problems.append(
                InputProblem(file, "row width matches header", f"row has {len(cells)} fields, the header {len(columns)}", line,
                             columns[len(cells)] if len(cells) < len(columns) else f"{len(columns) + 1} (beyond the header)")
            )
            continue
        rows.append([line, *[c.strip() for c in cells]])
    if problems:
        raise RawInputError(problems)
    if not rows:
        raise RawInputError.single(file, "data rows present", "no data rows below the header", line=header_line)
    return pd.DataFrame(rows, columns=["line", *columns])
