"""The data downloads of a profile (pipeline/report/downloads.py): a workbook and a ZIP of CSV files with a
Frictionless Data Package, beside the PDF and HTML; their values are the PDF's, text from an input never runs as a
formula, and the HTML and the index link them. Read from the profiles the session built (tests/conftest.py)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from pipeline.report import downloads
from pipeline.report.downloads import Cell, DataTable

GOERLITZ = "landkreis-goerlitz-2024"


def _flat(text: str) -> str:
    """Text as compared: whitespace runs as one space, soft hyphens gone, the PDF's typographic apostrophe as the
    data files' plain one (pandoc's smart punctuation is typography, not a different value)."""
    return " ".join(text.replace("\u00ad", "").replace("’", "'").split())


def _printed(v: float) -> re.Pattern:
    """A number as the PDF prints it, as a whole token: its digits with thousands separators and exactly the decimals it
    has (7.3 as '7.3', 0.073 as '0.073', 2023.0 as '2023' or '2,023'), a minus as '−' or '-'."""
    decimals = 0 if v == int(v) else len(repr(abs(v)).split(".")[1])
    digits = {f"{abs(v):,.{decimals}f}", f"{abs(v):.{decimals}f}"}
    sign = "[−-]" if v < 0 else "[+]?"
    return re.compile(rf"(?<![\d.,]){sign}({'|'.join(map(re.escape, digits))})(?![\d])")


@pytest.fixture(scope="module")
def goerlitz(built_report):
    doc = built_report.districts[GOERLITZ]
    return doc, CalamineWorkbook.from_path(str(doc.pdf.with_suffix(".xlsx")))


def test_the_workbook_has_a_cover_and_a_sheet_per_table_and_figure_titled_as_in_the_pdf(goerlitz):
    doc, book = goerlitz
    flat = _flat(doc.text)
    captions = re.findall(r"^((?:Table|Figure) \d+): ", doc.text, re.M)
    assert book.sheet_names == ["Cover", *captions] and len(captions) >= 19
    cover = {r[0]: r[1] for r in book.get_sheet_by_name("Cover").to_python() if r[0]}
    assert cover["District"] == "Landkreis Görlitz (key 14626)" and cover["Edition"].startswith("2024: figures of the years")
    assert "dl-de/by-2-0 (Data licence Germany – attribution – version 2.0" in cover["Licence"]
    assert cover["Symbol ."].startswith("unknown or kept secret") and "Symbol n/a" in cover
    for name in captions:
        rows = book.get_sheet_by_name(name).to_python()
        title, source = rows[0][0], rows[1][0]
        assert _flat(title)[:60] in flat, title  # A1: the caption as the PDF prints it
        assert source.startswith("Source: ") and _flat(source)[:50] in flat
        assert rows[2] == [""] * len(rows[2]) and all(rows[3])  # one blank row, then a single full header row
        assert all(any(c != "" for c in r) for r in rows[4:])  # no blank row inside the table


def test_every_table_value_is_the_pdfs(goerlitz):
    """Each numeric cell, printed as the profile prints it, stands in the PDF on the line of its row's label."""
    doc, book = goerlitz
    lines = [_flat(line) for page in doc.pages for line in page.splitlines()]
    checked = 0
    for name in book.sheet_names:
        if not name.startswith("Table"):
            continue
        rows = book.get_sheet_by_name(name).to_python()
        for row in rows[4:]:
            labels = [str(c) for c in row[:2] if isinstance(c, str) and len(c) >= 5]  # (the first cell may be a theme)
            numbers = [c for c in row[1:] if isinstance(c, float)]
            if not numbers or not labels:
                continue
            where = [i for i, line in enumerate(lines) if all(label[:14] in " ".join(lines[i:i + 2]) for label in labels)
                     or line.startswith(labels[-1][:14])]
            assert where, (name, labels)
            label = labels[0]
            near = " ".join(" ".join(lines[i:i + 5]) for i in where)  # (a label may wrap over three lines)
            for v in numbers:
                assert _printed(v).search(near), (name, label, v)
                checked += 1
    assert checked >= 60


def test_a_figures_data_is_what_was_drawn(goerlitz, built_report):
    """Figure 6 (the unemployment rates) holds the rates Table 10 prints, year by year."""
    _, book = goerlitz
    rates = book.get_sheet_by_name("Figure 6").to_python()
    assert rates[3] == ["Series", "Year", "% of the civilian labour force"]
    got = {(r[0], int(r[1])): r[2] for r in rates[4:]}
    assert got[("unemployment rate, foreigners", 2023)] == 28.1 and got[("unemployment rate, all", 2015)] == 11.5
    assert got[("unemployment rate, foreigners", 2017)] == "n/a"  # '.' in the file: no figure drawn


def test_the_csv_zip_is_a_valid_data_package(goerlitz, tmp_path):
    from frictionless import Package, validate

    doc, book = goerlitz
    archive = zipfile.ZipFile(doc.pdf.with_name(doc.pdf.stem + "-csv.zip"))
    archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = Package(str(tmp_path / "datapackage.json"))
    assert len(package.resources) == len(book.sheet_names) - 1
    peers = package.get_resource("table-05-peers")
    assert peers.title.startswith("Table 5: Landkreis Görlitz among its peers")
    assert [f.name for f in peers.schema.fields][:2] == ["Indicator", "Landkreis Görlitz (%)"]
    assert peers.licenses[0]["path"] == "https://www.govdata.de/dl-de/by-2-0"
    # the CSV's values are the workbook's
    rows = list(csv.reader(io.StringIO(archive.read("table-05-peers.csv").decode("utf-8"))))
    sheet = book.get_sheet_by_name("Table 5").to_python()
    assert rows[0] == sheet[3] and [float(x) for x in rows[1][3:]] == sheet[4][3:]


HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "plain"]


def test_text_from_an_input_never_runs_as_a_formula(tmp_path):
    table = DataTable("Table 1", "tbl-stakeholders", "Stakeholders", "Stadt, 2021", ["Organisation", "Members"],
                      [[Cell(text, "text"), Cell(3.0, "number")] for text in HOSTILE], ["", ""])
    values = {"profile": {"title": "City Migration Profile X, Edition 2024"}, "city": {"name": "X", "key": "00000"},
              "edition": {"year": "2024", "span": "2024"}, "data": {"as_of": "31.12.2024"},
              "build": {"date": "07.12.2026", "iso_date": "2026-12-07"}}
    xlsx = downloads.write_workbook(tmp_path / "d.xlsx", values, [table])
    sheet = zipfile.ZipFile(xlsx).read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet  # no cell is a formula
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("Table 1").to_python()
    assert [r[0] for r in rows[4:]] == HOSTILE  # stored as the text it is
    zipped = downloads.write_zip(tmp_path / "d.zip", values, [table], "x")
    cells = [r[0] for r in csv.reader(io.StringIO(zipfile.ZipFile(zipped).read(table.file).decode("utf-8")))][1:]
    assert cells == ["'" + t for t in HOSTILE[:5]] + ["plain"]


def test_the_html_and_the_index_link_the_downloads(built_report, goerlitz):
    doc, book = goerlitz
    html = doc.html.read_text(encoding="utf-8")
    links = re.findall(r'<p class="download">Data: <a href="([^"]+)" data-sheet="([^"]+)">', html)
    assert [sheet for _, sheet in links] == book.sheet_names[1:]  # under every table and figure, its sheet
    assert {href for href, _ in links} == {f"{doc.pdf.stem}.xlsx"}
    index = (built_report.report_dir / "_output" / "index.html").read_text(encoding="utf-8")
    assert f'href="{doc.pdf.stem}.xlsx"' in index and f'href="{doc.pdf.stem}-csv.zip"' in index
    assert f"{doc.pdf.stem}.xlsx" in _flat(doc.text)  # the imprint names the files


def test_printed_cells_become_numbers_and_symbols_stay():
    assert downloads.cell("603,462") == Cell(603462.0, "number")
    assert downloads.cell("−1.2 %") == Cell(-1.2, "percent") and downloads.cell("+266") == Cell(266.0, "number")
    assert downloads.cell(".") == Cell(".", "text") and downloads.cell("n/a") == Cell("n/a", "text")
    assert downloads.cell("17,761 (7.3 %)") == Cell("17,761 (7.3 %)", "text")
