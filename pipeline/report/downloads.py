"""The data behind every table and chart of a profile, for download beside its PDF and HTML:

- ``<document>.xlsx``: a cover sheet (title, edition, district, reference periods, sources and licences, notes, the key
  to the symbols, the list of sheets), then one sheet per table and figure, named as the profile numbers them
  ("Table 5", "Figure 2"): its title in A1, its source line in A2, a single header row in row 4, then the rows; no
  merged cells, no blank rows inside a table, numbers stored as numbers (a share as its number of per cent, with the
  unit in the header or, where a column mixes units, in the cell's number format), symbols ("–", ".", "n/a") as printed;
- ``<document>-csv.zip``: the same tables as UTF-8 CSV files with ``datapackage.json``, a Frictionless Data Package
  that describes each file (title, schema, sources, licence and credit).

A table's values are read from the Markdown the PDF and HTML are rendered from (the cells as printed, so each value
equals the PDF's); a figure's from the data it was drawn from (``Part.chart``, kept in the part's record). Text that
comes from an input file is data: in the workbook every text cell is written as a string (never a formula); in a CSV
a text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is preceded by an apostrophe, the
convention spreadsheet programs read as "text", so no program runs it.

The writer is XlsxWriter: it only writes (no reading, no object model of a whole workbook kept for editing), which makes
it several times faster than openpyxl for a small workbook written once, and it writes each cell's type explicitly
(``write_string``, ``write_number``), so no text can turn into a formula by accident.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.report import fmt
from pipeline.report.labels import SYMBOL_KEY

_INCLUDE = re.compile(r"\{\{< include _generated/([a-z0-9-]+)\.md >\}\}")
_CAPTION = re.compile(r"^: (.*) \{#(tbl-[a-z0-9-]+)\}\s*$")
_FIGURE = re.compile(r"^!\[(.*)\]\([^)]*\)\{#(fig-[a-z0-9-]+)")
_SOURCE = re.compile(r"^\*Source: (.*)\*\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_NUMBER = re.compile(r"^[+\u2212-]?\d{1,3}(,\d{3})*(\.\d+)?$|^[+\u2212-]?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^([+\u2212-]?[\d,]+(\.\d+)?) %$")
_LICENCE = re.compile(r"Licence ([^:]+):")
LICENCES = {
    "dl-de/by-2-0": ("https://www.govdata.de/dl-de/by-2-0", "Data licence Germany – attribution – version 2.0"),
    "dl-de/zero-2-0": ("https://www.govdata.de/dl-de/zero-2-0", "Data licence Germany – Zero – version 2.0"),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Cell:
    value: float | str
    kind: str  # number, percent (a number of per cent), text


@dataclass
class DataTable:
    sheet: str  # "Table 5", "Figure 2": the profile's own numbering
    label: str  # tbl-peers, fig-peers
    caption: str
    source: str  # the source line, plain text
    header: list[str]
    rows: list[list[Cell]]
    units: list[str] = field(default_factory=list)  # per column: '%' where every number of it is a share

    @property
    def title(self) -> str:
        return f"{self.sheet}: {self.caption}"

    @property
    def file(self) -> str:
        """Its CSV's name in the ZIP: 'table-05-peers.csv', 'figure-02-population-trend.csv'."""
        kind, number = self.sheet.lower().split()
        return f"{kind}-{int(number):02d}-{self.label.split('-', 1)[1]}.csv"

    def columns(self) -> list[str]:
        return [h + (f" ({u})" if u else "") for h, u in zip(self.header, self.units or [""] * len(self.header), strict=True)]


def cell(text: str) -> Cell:
    """A printed cell as data: '603,462' -> 603462, '+266' -> 266, '−1.2 %' -> a share of -1.2; the rest as text."""
    s = text.strip()
    if _NUMBER.match(s):
        return Cell(float(s.replace(",", "").replace("\u2212", "-").lstrip("+")), "number")
    m = _PERCENT.match(s)
    if m and _NUMBER.match(m.group(1)):
        return Cell(float(m.group(1).replace(",", "").replace("\u2212", "-").lstrip("+")), "percent")
    return Cell(s, "text")


def _cells(line: str) -> list[str]:
    return [fmt.plain(c.strip()) for c in _CELL_SPLIT.split(line.strip())[1:-1]]


def _filled(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Each row self-describing: a group label the printed table gives only on the group's first row (a theme, a
    nationality) is repeated on every row of the group."""
    last = None
    for row in rows:
        if row and row[0] == Cell("", "text") and last is not None:
            row[0] = last
        elif row:
            last = row[0]
    return rows


def _units(rows: list[list[Cell]], width: int) -> list[str]:
    """'%' for a column whose numbers are all shares (its cells then hold the number of per cent), else ''."""
    units = []
    for i in range(width):
        kinds = {r[i].kind for r in rows if i < len(r) and r[i].kind != "text"}
        units.append("%" if kinds == {"percent"} else "")
    return units


def tables_in(markdown: str) -> list[tuple[str, str, list[str], list[list[str]], str]]:
    """The pipe tables of a part's Markdown in order: (label, caption, header, rows, source line)."""
    out = []
    lines = markdown.splitlines()
    block: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("|"):
            block.append(line)
            continue
        m = _CAPTION.match(line)
        if m and len(block) >= 2:
            source = next((s.group(1) for s in map(_SOURCE.match, lines[i + 1 : i + 4]) if s), "")
            out.append((m.group(2), fmt.plain(m.group(1)), _cells(block[0]), [_cells(b) for b in block[2:]], fmt.plain(source)))
        if line.strip():
            block = []
    return out


def figures_in(markdown: str) -> list[tuple[str, str, str]]:
    """The figures of a part's Markdown in order: (label, caption, source line)."""
    lines = markdown.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = _FIGURE.match(line)
        if m:
            source = next((s.group(1) for s in map(_SOURCE.match, lines[i + 1 : i + 4]) if s), "")
            out.append((m.group(2), fmt.plain(m.group(1)), fmt.plain(source)))
    return out


def chart_table(kind: str, data: dict) -> tuple[list[str], list[list[Cell]]]:
    """A chart's data as a table: one row per point drawn (pipeline/report/charts.py, DRAWERS)."""
    num = lambda v: Cell("n/a", "text") if v is None else Cell(float(v), "number")  # noqa: E731
    if kind == "migration_balance":
        rows = [[Cell(float(y), "number"), num(a), num(d), num(n)]
                for y, a, d, n in zip(data["years"], data["arrivals"], data["departures"], data["net"], strict=True)]
        return ["Year", "Arrivals (persons)", "Departures (persons)", "Net migration (persons)"], rows
    if kind == "population_trend":
        rows = [[Cell(name, "text"), Cell(float(y), "number"), num(v), Cell("yes" if r else "no", "text")]
                for name, (years, values, rounded) in data["series"].items()
                for y, v, r in zip(years, values, rounded, strict=True)]
        return ["Measurement", "Year", "Population (persons)", "Printed rounded"], rows
    if kind == "horizontal_bars":
        rows = [[Cell(str(lbl), "text"), num(v)] for lbl, v in zip(data["labels"], data["values"], strict=True)]
        return ["Label", data["xlabel"].capitalize()], rows
    if kind == "ranked_dots":
        rows = [[Cell(str(lbl), "text"), num(v), Cell("yes" if h else "no", "text")]
                for lbl, v, h in zip(data["labels"], data["values"], data["highlight"], strict=True)]
        rows += [[Cell(str(name), "text"), num(v), Cell("reference line", "text")] for name, v in data["references"].items()]
        return ["Area", data["xlabel"].capitalize(), "The profile's district"], rows
    if kind == "age_shares":
        rows = [[Cell(str(group), "text"), Cell(float(year), "number"), num(v)]
                for year, values in sorted(data["shares_by_year"].items()) for group, v in zip(data["groups"], values, strict=True)]
        return ["Age group", "Year", "Share of non-Germans (%)"], rows
    if kind == "rates_over_time":
        rows = [[Cell(name, "text"), Cell(float(y), "number"), num(v)]
                for name, (years, values) in data["series"].items() for y, v in zip(years, values, strict=True)]
        return ["Series", "Year", data["ylabel"].capitalize()], rows
    raise ValueError(f"no table for a chart of kind {kind!r}")


def document_tables(document: str, parts: dict[str, str], charts: dict[str, dict]) -> list[DataTable]:
    """Every table and figure of the document (report/profile.qmd with its parts) in the order it prints them,
    numbered as it numbers them. ``charts``: a figure's label -> its Chart (kind and data), from the parts' records."""
    out: list[DataTable] = []
    counts = {"tbl": 0, "fig": 0}
    for name in _INCLUDE.findall(document):
        markdown = parts.get(name, "")
        found = [(markdown.find(f"{{#{t[0]}"), "tbl", t) for t in tables_in(markdown)]
        found += [(markdown.find(f"{{#{f[0]}"), "fig", f) for f in figures_in(markdown)]
        for _, kind, item in sorted(found, key=lambda x: x[0]):
            counts[kind] += 1
            if kind == "tbl":
                label, caption, header, rows, source = item
                cells = _filled([[cell(c) for c in r] for r in rows])
                header = [h or "Measure" for h in header]  # (a table of measures by year has no head over its labels)
                out.append(DataTable(f"Table {counts[kind]}", label, caption, source, header, cells, _units(cells, len(header))))
            else:
                label, caption, source = item
                chart = charts.get(label)
                if chart is None:
                    continue
                header, cells = chart_table(chart["kind"], chart["data"])
                out.append(DataTable(f"Figure {counts[kind]}", label, caption, source, header, cells, [""] * len(header)))
    return out


def licences(source: str) -> list[str]:
    """The licences a source line names ('dl-de/by-2-0'); none for figures quoted with attribution."""
    return sorted({m.strip() for m in _LICENCE.findall(source)})


# -- the cover ---------------------------------------------------------------------------------------------------


def cover_lines(values: dict, tables: list[DataTable]) -> list[tuple[str, str]]:
    """The cover sheet's rows (label, text): what the workbook is, for whom, from what, under which terms."""
    city, edition = values["city"], values["edition"]
    names = sorted({lic for t in tables for lic in licences(t.source)})
    lines = [
        ("Title", f"{values['profile']['title']}: the data of its tables and figures"),
        ("District", f"{city['name']} (key {city['key']})"),
        ("Edition", f"{edition['year']}: figures of {edition['span']}, the newest as of {values['data']['as_of']}"),
        ("Built on", values["build"]["date"]),
        ("Contents", f"{len(tables)} sheets, one per table and figure of the profile, named and numbered as in the profile; "
                     "each has its title in cell A1, its source in A2 and its header in row 4."),
        ("Sources", "Each sheet's source line (A2) names the publisher's table and the reference period of its figures; the "
                    "profile's section 8 lists every source in full."),
        ("Licence", "; ".join(f"{n} ({LICENCES[n][1]}, {LICENCES[n][0]})" if n in LICENCES else n for n in names)
         + ". Figures the MC2CM profile printed are quoted with attribution; each sheet's source line gives the credit."),
        ("Notes", "Numbers are stored as numbers: a share as its number of per cent, the unit in the column header or, where "
                  "a column mixes counts and shares, in the cell's format. Values equal the profile's printed figures."),
    ]
    lines += [("Symbol " + symbol, meaning) for symbol, meaning in SYMBOL_KEY]
    lines += [(t.sheet, t.title) for t in tables]
    return lines


# -- writing -----------------------------------------------------------------------------------------------------


def csv_text(value: str) -> str:
    """A text cell for a CSV: one that a spreadsheet program would read as a formula is preceded by an apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def write_workbook(path: Path, values: dict, tables: list[DataTable]) -> Path:
    import xlsxwriter  # only a render writes workbooks

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"title": f"{values['profile']['title']}: data", "author": "city-migration-profile",
                         "created": _created(values)})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    percent = book.add_format({"num_format": '0.0" %"'})
    number = book.add_format({"num_format": "#,##0.########"})
    cover = book.add_worksheet("Cover")
    cover.write_string(0, 0, f"{values['profile']['title']}: data", title)
    cover.set_column(0, 0, 16)
    cover.set_column(1, 1, 110, wrap)
    for i, (label, text) in enumerate(cover_lines(values, tables), start=2):
        cover.write_string(i, 0, label, bold)
        cover.write_string(i, 1, text)
    for t in tables:
        sheet = book.add_worksheet(t.sheet)
        sheet.write_string(0, 0, t.title, title)
        sheet.write_string(1, 0, f"Source: {t.source}")
        for j, head in enumerate(t.columns()):
            sheet.write_string(3, j, head, bold)
        for i, row in enumerate(t.rows, start=4):
            for j, c in enumerate(row):
                if c.kind == "text":
                    sheet.write_string(i, j, str(c.value))
                else:
                    sheet.write_number(i, j, float(c.value), percent if c.kind == "percent" and not t.units[j] else number)
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, max(1, len(t.header) - 1), 16)
    book.close()
    return path


def _created(values: dict):
    import datetime as dt

    return dt.datetime.fromisoformat(values["build"]["iso_date"])


def _schema(t: DataTable) -> dict:
    fields = []
    for j, name in enumerate(t.columns()):
        kinds = {r[j].kind for r in t.rows if j < len(r)}
        fields.append({"name": name, "type": "number" if kinds and kinds <= {"number", "percent"} else "string"})
    return {"fields": fields}


def datapackage(values: dict, tables: list[DataTable], document: str) -> dict:
    resources = []
    for t in tables:
        names = licences(t.source)
        resource = {
            "name": t.file[:-4],
            "path": t.file,
            "title": t.title,
            "description": f"Source: {t.source}",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": _schema(t),
            "sources": [{"title": t.source}],
        }
        if names:
            resource["licenses"] = [{"name": n, "path": LICENCES[n][0], "title": LICENCES[n][1]} if n in LICENCES else {"name": n}
                                    for n in names]
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": document,
        "title": f"{values['profile']['title']}: the data of its tables and figures",
        "description": "; ".join(f"{label}: {text}" for label, text in cover_lines(values, [])[1:]),
        "created": values["build"]["iso_date"] + "T00:00:00Z",
        "resources": resources,
    }


def write_zip(path: Path, values: dict, tables: list[DataTable], document: str) -> Path:
    """The tables as CSV files (a header row, then the rows; numbers unformatted, '.' as decimal mark) and
    datapackage.json, in one ZIP with fixed timestamps (the same data give the same bytes)."""
    stamp = (2000, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for t in tables:
            out = io.StringIO()
            w = csv.writer(out, lineterminator="\n")
            w.writerow(t.columns())
            for row in t.rows:
                w.writerow([csv_text(str(c.value)) if c.kind == "text" else _plain_number(float(c.value)) for c in row])
            z.writestr(_entry(t.file, stamp), out.getvalue().encode("utf-8"))
        package = json.dumps(datapackage(values, tables, document), indent=1, ensure_ascii=False)
        z.writestr(_entry("datapackage.json", stamp), package.encode("utf-8"))
    return path


def _entry(name: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _plain_number(v: float) -> str:
    return str(int(v)) if v == int(v) else repr(v)


# -- a profile's downloads, made when it is rendered ---------------------------------------------------------------


def prepare(folder, published, values: dict) -> tuple[list[tuple[Path, Path]], list[DataTable]]:
    """Write the edition's workbook and CSV ZIP into its build folder from the parts the document includes; the
    (written, published path) pairs to publish with the PDF and HTML, and the tables (for the HTML's links)."""
    document = folder.document.read_text(encoding="utf-8")
    names = _INCLUDE.findall(document)
    parts = {n: folder.part_file(n).read_text(encoding="utf-8") for n in names if folder.part_file(n).exists()}
    charts = {}
    for name, chart in folder.read_charts(names).items():
        found = figures_in(parts.get(name, ""))
        if found:
            charts[found[0][0]] = chart
    tables = document_tables(document, parts, charts)
    out = folder.root / "_output"
    out.mkdir(exist_ok=True)
    xlsx = write_workbook(out / "data.xlsx", values, tables)
    zipped = write_zip(out / "data-csv.zip", values, tables, published.name)
    return [(xlsx, published.workbook), (zipped, published.csv_zip)], tables


def link(html: Path, tables: list[DataTable], published) -> int:
    """Under each table's and figure's source line in the HTML, a link to its sheet in the workbook and to the CSV
    ZIP; the number of links placed."""
    text = html.read_text(encoding="utf-8")
    placed = 0
    for t in tables:
        at = text.find(f'id="{t.label}"')
        source = text.find("<p><em>Source:", at) if at >= 0 else -1
        end = text.find("</p>", source) if source >= 0 else -1
        if end < 0:
            continue
        end += len("</p>")
        anchor = (f'\n<p class="download">Data: <a href="{_attr(published.workbook.name)}" data-sheet="{_attr(t.sheet)}">'
                  f'{_html(t.sheet)} in the workbook</a> (sheet “{_html(t.sheet)}”) · <a href="{_attr(published.csv_zip.name)}" '
                  f'data-file="{_attr(t.file)}">all tables as CSV</a></p>')
        text = text[:end] + anchor + text[end:]
        placed += 1
    html.write_text(text, encoding="utf-8")
    return placed


def _html(s: str) -> str:
    import html as _h

    return _h.escape(s, quote=False)


def _attr(s: str) -> str:
    import html as _h

    return _h.escape(s, quote=True)
