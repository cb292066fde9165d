"""Reader for the flat CSV of the GENESIS web service (``format=ffcsv``), as its ``data/tablefile`` and
``data/resultfile`` answers deliver it (a ZIP holding one UTF-8 CSV with one row per value), or the CSV taken out of
such a ZIP unchanged (what `python -m pipeline fetch` lands in raw/).

    statistics_code;statistics_label;time_code;time_label;time;            <- the statistic and the reference time
    1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;   <- one group of four
    2_variable_code;...                                                        columns per variable of the table
    value;value_unit;value_variable_code;value_variable_label[;value_q]     <- the value, its unit, what it counts,
                                                                               and with quality=on its quality flag

The same layout serves every GENESIS database (Destatis, the Regionaldatenbank, the Zensus 2022 database) and every
table, so the reader knows nothing about a table's meaning: it checks the layout (the fixed columns, the groups of
four, a value column), one variable per position (a region position may switch between territorial levels), the
values (numbers or special symbols) and the quality flags, and returns one row per value with each variable's
attribute code and label under the variable's code. What the variables mean is the dataset's ``FlatLayout``
(the table modules (pipeline/sources/)). An empty attribute code is the variable's total ('Insgesamt').

Rows are named by their line in the CSV (the header is line 1), the file by its raw/ path (the ZIP's, where it is one).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.domain.manifest import check_size
from pipeline.domain.symbols import MISSING_SYMBOLS, QUALITY_FLAGS, SYMBOLS, ZERO
from pipeline.ingest.genesis_csv import GenesisTable

FIXED = ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
GROUP = ["variable_code", "variable_label", "variable_attribute_code", "variable_attribute_label"]
VALUE = ["value", "value_unit", "value_variable_code", "value_variable_label"]
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # as for any raw file: a ZIP that unpacks to more is refused unread
_NUMBER = re.compile(r"^-?\d+(,\d+)?$")


@dataclass
class FlatTable:
    file: str  # as messages name it: the ZIP's raw/ path
    statistics_code: str
    variables: list[str]  # the variable code at each position (the first row's, for a region position)
    frame: pd.DataFrame  # line, time_code, time, <code>, <code>_label per variable (the region's as region,
    # region_label, region_variable), value, status, quality, value_text, unit, value_variable, value_variable_label


def _problem(file: str, rule: str, detail: str, line: int | None = None, column: str | None = None) -> InputProblem:
    return InputProblem(file, rule, detail, line, column)


def flat_member(path: Path, file: str) -> tuple[str, bytes]:
    """The flat CSV: the file itself (as `python -m pipeline fetch` lands it: the CSV from the service's ZIP, bytes
    unchanged), or the one CSV inside a ZIP as the service delivers it."""
    if path.suffix.lower() == ".csv":
        check_size(path, file)
        return path.name, path.read_bytes()
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        detail = "not a ZIP archive (the GENESIS web service delivers ffcsv zipped)"
        raise RawInputError.single(file, "flat file delivered as ZIP", detail) from None
    members = [i for i in archive.infolist() if not i.is_dir()]
    if len(members) != 1 or not members[0].filename.endswith(".csv"):
        names = ", ".join(i.filename for i in members) or "nothing"
        raise RawInputError.single(file, "flat file delivered as ZIP", f"the archive should hold one .csv file, it holds {names}")
    info = members[0]
    if info.file_size > MAX_MEMBER_BYTES:
        raise RawInputError.single(
            file, "file size limit", f"{info.filename} unpacks to {info.file_size:,} bytes, more than {MAX_MEMBER_BYTES:,}; refused unread"
        )
    with archive.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:  # the archive's directory understated it
        raise RawInputError.single(file, "file size limit", f"{info.filename} unpacks to more than {MAX_MEMBER_BYTES:,} bytes; refused")
    return info.filename, data


def _check_header(file: str, header: list[str]) -> tuple[int, bool]:
    """The number of variables and whether there is a quality column; refuses any other header."""
    if header[: len(FIXED)] != FIXED:
        got = ";".join(header[: len(FIXED)])
        raise RawInputError.single(file, "flat file columns", f"the header starts '{got}' where '{';'.join(FIXED)}' is expected", 1)
    rest = header[len(FIXED) :]
    quality = bool(rest) and rest[-1] == "value_q"
    if quality:
        rest = rest[:-1]
    if "value" not in rest:
        detail = "no 'value' column: a flat file holds one value per row in a column 'value'"
        raise RawInputError.single(file, "flat file columns", detail, 1)
    if rest[-len(VALUE) :] != VALUE:
        raise RawInputError.single(
            file, "flat file columns", f"the header ends '{';'.join(rest[-len(VALUE):])}' where '{';'.join(VALUE)}' is expected", 1
        )
    groups = rest[: -len(VALUE)]
    n = len(groups) // 4
    want = [f"{k}_{g}" for k in range(1, n + 1) for g in GROUP]
    if len(groups) % 4 or groups != want:
        bad = next((i for i, (a, b) in enumerate(zip(groups, want, strict=False)) if a != b), min(len(groups), len(want)))
        got = groups[bad] if bad < len(groups) else "(nothing)"
        expected = want[bad] if bad < len(want) else "(nothing)"
        raise RawInputError.single(file, "flat file columns", f"column {len(FIXED) + bad + 1} is '{got}' where '{expected}' is expected", 1)
    return n, quality


def read_flat(path: Path, file: str, region_positions: frozenset[str] = frozenset(),
              switching: dict[str, frozenset[str]] | None = None) -> FlatTable:
    """Read and check a flat file. ``region_positions``: the variable codes a region position may switch between
    (GEODL1 for Germany, GEOBL1 for the Länder, GEOGM4 for municipalities ...), kept under 'region'; ``switching``:
    other positions that may switch between variables (two hierarchies of one characteristic), kept under the key
    given, with the row's variable in '<key>_variable'."""
    groups = {"region": region_positions, **(switching or {})}
    _, data = flat_member(path, file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RawInputError.single(file, "encoding", f"byte 0x{data[exc.start]:02x} is not UTF-8", line) from None
    lines = text.splitlines()
    if not lines:
        raise RawInputError.single(file, "not empty", "the flat file is empty", 1)
    header = lines[0].split(";")
    n, quality = _check_header(file, header)
    # the variables' own names (1_variable_label ...) and the statistic's are the same on every row: not parsed
    wanted = [c for c in header if c != "statistics_label" and not re.fullmatch(r"\d+_variable_label", c)]
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False, na_filter=False, quoting=3,
                        on_bad_lines="error", usecols=wanted) if len(lines) > 1 else pd.DataFrame(columns=wanted)
    frame["line"] = np.arange(2, len(frame) + 2)
    problems: list[InputProblem] = []
    variables = []
    keys: list[str] = []
    for k in range(1, n + 1):
        codes = frame[f"{k}_variable_code"]
        first = codes.iloc[0] if len(codes) else ""
        key = next((g for g, members in groups.items() if first in members), first)
        allowed = groups.get(key, frozenset([first]))
        keys.append(key)
        odd = frame.loc[~codes.isin(allowed)]
        if len(odd):
            row = odd.iloc[0]
            problems.append(_problem(file, "one variable per position",
                                     f"variable '{row[f'{k}_variable_code']}' where the file's position {k} holds '{first}'",
                                     int(row["line"]), f"{k}_variable_code"))
        variables.append(first)
    value = frame["value"]
    number = value.str.match(_NUMBER.pattern)
    symbol = value.isin(list(SYMBOLS))
    bad = frame.loc[~number & ~symbol]
    for row in bad.head(20).itertuples(index=False):
        v = row.value
        detail = ("empty cell where a number or a special symbol is expected" if v.strip() == "" else
                  f"'{v}' is neither a number (decimal comma, no thousands separator) nor one of the special symbols "
                  f"{', '.join(repr(s) for s in SYMBOLS)}")
        problems.append(_problem(file, "value or special symbol", detail, int(row.line), "value"))
    q = frame["value_q"] if quality else pd.Series("", index=frame.index)
    unknown = frame.loc[~q.isin(["", *QUALITY_FLAGS])]
    for row, flag in zip(unknown.head(20).itertuples(index=False), q[unknown.index].head(20), strict=False):
        known = ", ".join(f"'{f}' ({m})" for f, m in QUALITY_FLAGS.items())
        problems.append(_problem(file, "known quality flags", f"'{flag}' is not a quality flag: {known}", int(row.line), "value_q"))
    if problems:
        raise RawInputError(problems)
    out = pd.DataFrame({"line": frame["line"], "time_code": frame["time_code"], "time": frame["time"], "time_label": frame["time_label"]})
    for k, key in enumerate(keys, start=1):
        out[key] = frame[f"{k}_variable_attribute_code"]  # (the service pads nothing: no strip, which costs 0.1 s
        out[f"{key}_label"] = frame[f"{k}_variable_attribute_label"]  # per column of a 100,000-row file)
        if key in groups:
            out[f"{key}_variable"] = frame[f"{k}_variable_code"]
    out["value"] = np.where(number, pd.to_numeric(value.str.replace(",", ".", regex=False), errors="coerce"), np.nan)
    out.loc[value == ZERO, "value"] = 0.0
    out["status"] = np.where(symbol, value, "")
    out.loc[value.isin(list(MISSING_SYMBOLS)), "value"] = np.nan
    out["quality"] = q.values
    out["value_text"] = value.values
    out["unit"] = frame["value_unit"]
    out["value_variable"] = frame["value_variable_code"]
    out["value_variable_label"] = frame["value_variable_label"]
    code = frame["statistics_code"].iloc[0] if len(frame) else ""
    return FlatTable(file, code, variables, out.reset_index(drop=True))


# -- a flat file of a table whose classic layout a dataset reads -------------------------------------------------------


@dataclass(frozen=True)
class FlatSpec:
    """Where the classic layout's label columns and header rows are in a flat file of the same table: each a flat
    field, 'time', 'time_label', 'region', 'region_label', 'unit', 'value_variable_label', or a variable's code (its
    attribute label; 'Insgesamt' where the attribute code is empty, as the classic table prints it)."""

    labels: tuple[str, ...]
    headers: tuple[str, ...]


FIELDS = ("time", "time_label", "region", "region_label", "unit", "value_variable_label")


def _field(frame: pd.DataFrame, name: str) -> pd.Series:
    """A flat field by name, or a variable's attribute labels by the variable's code."""
    return frame[name] if name in FIELDS else frame[f"{name}_label"]


def as_classic(t: FlatTable, spec: FlatSpec, table_code: str, published):
    """The flat file pivoted into the classic table (a ``GenesisTable``): one row per combination of the label
    fields, one column per combination of the header fields, in the order they first appear. Returns the table and
    ``where``: (row id, column) -> the flat file's line of that value, so rows and problems can name the flat line."""
    f = t.frame
    missing = [n for n in (*spec.labels, *spec.headers) if n not in FIELDS and f"{n}_label" not in f.columns]
    if missing:
        raise RawInputError.single(t.file, "flat file variables known", f"the file has no variable {', '.join(missing)} "
                                   f"(its variables: {', '.join(t.variables)})", 1)
    labels = pd.DataFrame({i: _field(f, n).astype(str) for i, n in enumerate(spec.labels)})
    heads = pd.DataFrame({k: _field(f, n).astype(str) for k, n in enumerate(spec.headers)})
    row_keys = list(dict.fromkeys(map(tuple, labels.itertuples(index=False, name=None))))
    col_keys = list(dict.fromkeys(map(tuple, heads.itertuples(index=False, name=None))))
    row_of = {k: i for i, k in enumerate(row_keys)}
    col_of = {k: j for j, k in enumerate(col_keys)}
    n = len(spec.labels)
    grid = [list(k) + [""] * len(col_keys) for k in row_keys]
    where: dict[tuple[int, int], int] = {}
    row_tuples = labels.itertuples(index=False, name=None)
    head_tuples = heads.itertuples(index=False, name=None)
    for rk, hk, text, line in zip(row_tuples, head_tuples, f["value_text"], f["line"], strict=True):
        i, j = row_of[rk], n + col_of[hk]
        if (i + 1, j) in where:
            raise RawInputError.single(t.file, "one value per cell", f"a second value for {' / '.join(rk + hk)} (the first on line "
                                       f"{where[(i + 1, j)]})", int(line), "value")
        grid[i][j] = text
        where[(i + 1, j)] = int(line)
    header_rows = [[""] * n + [k[level] for k in col_keys] for level in range(len(spec.headers))]
    table = GenesisTable(file=t.file, table_code=table_code, title=[], header_rows=header_rows, header_lines=[1] * len(spec.headers),
                         label_count=n, rows=[(i + 1, cells) for i, cells in enumerate(grid)], notes="", copyright="", published=published)
    return table, where
