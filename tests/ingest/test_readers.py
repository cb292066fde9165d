"""Each reader on the real publisher files."""

import datetime as dt

import pytest

from pipeline.domain.errors import RawInputError
from pipeline.ingest.genesis_csv import parse_genesis_text, read_genesis_csv
from pipeline.ingest.gvisys_csv import read_gvisys_csv
from pipeline.ingest.jsonstat import read_jsonstat, structure_labels
from pipeline.ingest.tidy_csv import read_tidy_csv
from tests.conftest import RAW


def test_genesis_itnrw_layout():
    t = read_genesis_csv(RAW / "itnrw/12411-15i_2024.csv", "iso-8859-1", "raw/itnrw/12411-15i_2024.csv")
    assert t.table_code == "12411-15i"
    assert t.label_count == 3 and len(t.header_rows) == 3
    assert t.header_path(4) == ("Flächenerhebung nach Art der tatsächlichen Nutzung", "Bodenfläche (Katasterfläche) in qkm", "qkm")
    assert t.published == dt.date(2026, 1, 19)
    assert t.copyright.startswith("© IT.NRW, Düsseldorf, 2026")
    dortmund = next(cells for line, cells in t.rows if cells[1] == "05913")
    assert dortmund[2] == "    Dortmund, krfr. Stadt"  # indented as published; the name is never the key
    assert dortmund[3:] == ["603462", "280,71", "2149,8"]


def test_genesis_regionaldatenbank_english_utf8_layout_with_iso_dates():
    t = read_genesis_csv(RAW / "regionalstatistik/12411-03-03-4_2024.csv", "utf-8", "x")
    assert t.table_code == "12411-03-03-4"
    assert t.published == dt.date(2025, 12, 16)  # from "created: 2025-12-16 / 16:30:59"
    assert t.rows[0][1][0] == "2024-12-31"
    cells = t.cells()
    row = cells[
        (cells.label_1 == "05913") & (cells.label_3 == "Total") & (cells.header_0 == "Ausländer/-innen") & (cells.header_1 == "Total")
    ]
    assert row.value.tolist() == [125079.0]


def test_genesis_reference_date_in_the_header():
    t = read_genesis_csv(RAW / "regionalstatistik/12411-01-01-4_2018.csv", "iso-8859-1", "x")
    assert t.table_code == "12411-01-01-4" and t.label_count == 2
    assert t.header_path(2) == ("Stichtag", "31.12.2018", "Insgesamt")


def test_genesis_special_symbols_are_kept():
    t = read_genesis_csv(RAW / "itnrw/13111-54i_2024.csv", "iso-8859-1", "x")
    cells = t.cells()
    assert set(cells.status) == {"", "-", "."}
    secret = cells[cells.status == "."]
    assert secret.value.isna().all() and len(secret) == 178
    assert (cells.loc[cells.status == "-", "value"] == 0).all()


def _genesis(body: str) -> str:
    return "Tabelle: 99999-01i\nTitel;;\n;;Anzahl\n" + body + '__________\n"Notes"\n© X, 2026\nStand: 01.02.2026 / 10:00:00\n'


def test_genesis_structural_problems_name_line_and_rule():
    with pytest.raises(RawInputError) as exc:
        parse_genesis_text(_genesis("05;NRW;1\n05913;Dortmund;2;3\n"), "raw/x.csv")
    p = exc.value.problems[0]
    assert (p.line, p.rule) == (5, "row width matches header")
    with pytest.raises(RawInputError, match="footer marker"):
        parse_genesis_text("Tabelle: 1\nT;;\n;;Anzahl\n05;NRW;1\n", "raw/x.csv")
    with pytest.raises(RawInputError, match="Stand"):
        parse_genesis_text(_genesis("05;NRW;1\n").rsplit("Stand", 1)[0], "raw/x.csv")
    with pytest.raises(RawInputError, match="header rows"):
        parse_genesis_text("Tabelle: 1\nT;;\n05;NRW;1\n__________\nStand: 01.02.2026\n", "raw/x.csv")
    with pytest.raises(RawInputError, match="line 1 should read 'Tabelle: <code>'"):
        parse_genesis_text("Bevölkerung\n;;A\n05;N;1\n__________\nStand: 01.02.2026\n", "raw/x.csv")


def test_jsonstat_reader_keeps_unknown_cells_missing_not_zero():
    ds = read_jsonstat(RAW / "destatis/12711-0008_data.json", "x")
    assert ds.dimensions == ["statistic", "DINSG", "NAT", "content", "JAHR", "HZLDR1"]
    assert len(ds.frame) == 1 * 1 * 3 * 3 * 24 * 121
    unknown = ds.frame[ds.frame.status == "."]
    assert len(unknown) == 18 and unknown.value.isna().all()  # 0.0 in the file, but status '.'
    assert set(unknown.JAHR) == {"2020"}


def test_jsonstat_structure_gives_english_labels():
    labels = structure_labels(RAW / "destatis/12711-0008_structure.json", "x")
    assert labels["ST163"] == "Turkey"
    assert labels["NATA"] == "Foreigners"


def test_jsonstat_missing_dimension_is_refused(tmp_path):
    p = tmp_path / "d.json"
    p.write_text('{"id": ["A", "B"], "size": [1, 2], "dimension": {"A": {"category": {"index": ["a"]}}}, "value": [1, 2]}')
    with pytest.raises(RawInputError) as exc:
        read_jsonstat(p, "raw/d.json")
    assert exc.value.problems[0].rule == "JSON-stat dimensions complete" and exc.value.problems[0].column == "B"


def test_gvisys_reader():
    t = read_gvisys_csv(RAW / "destatis/04-kreise_2023.csv", "utf-8", "x")
    assert t.reference_date == dt.date(2023, 12, 31)
    f = t.frame.set_index(["ags", "measure"]).value
    assert f[("05913", "population")] == 595471 and f[("05913", "area")] == pytest.approx(280.71)
    assert f[("DG", "population")] == 84669326 and f[("05", "population")] == 18190422


def test_tidy_reader_requires_the_documented_header(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("# comment\na,b\n1,2\n", encoding="utf-8")
    assert read_tidy_csv(p, "x", ["a", "b"]).to_dict("records") == [{"line": 3, "a": "1", "b": "2"}]
    with pytest.raises(RawInputError) as exc:
        read_tidy_csv(p, "raw/t.csv", ["a", "c"])
    assert exc.value.problems[0].line == 2 and "missing ['c']" in str(exc.value)
