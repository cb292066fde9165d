import math

import pytest

from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import MAX_FILE_BYTES
from pipeline.domain.symbols import CellError, parse_cell
from pipeline.ingest.text import read_text


def test_dash_is_exactly_zero_and_keeps_its_symbol():
    assert parse_cell("-") == (0.0, "-")


@pytest.mark.parametrize("symbol", [".", "...", "x", "/"])
def test_missing_symbols_have_no_value_and_keep_the_symbol(symbol):
    value, status = parse_cell(symbol)
    assert math.isnan(value) and status == symbol


def test_numbers_in_the_publishers_format():
    assert parse_cell("603462") == (603462.0, "")
    assert parse_cell("280,71") == (280.71, "")
    assert parse_cell(" 2149,8 ") == (2149.8, "")
    assert parse_cell("-60320") == (-60320.0, "")
    assert parse_cell("7.25", decimal=".") == (7.25, "")


@pytest.mark.parametrize("cell", ["280.71", "1.234", "603 462"])
def test_wrong_separators_are_refused(cell):
    with pytest.raises(CellError) as exc:
        parse_cell(cell)
    assert exc.value.rule == "number format"


@pytest.mark.parametrize("cell", ["12p", "abc", "?", "--"])
def test_unknown_symbols_are_refused(cell):
    with pytest.raises(CellError) as exc:
        parse_cell(cell)
    assert exc.value.rule == "known special symbols"


def test_empty_cell_is_refused():
    with pytest.raises(CellError) as exc:
        parse_cell("  ")
    assert exc.value.rule == "no empty cells"


def test_utf8_file_declared_latin1_is_caught_as_mojibake(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("Tabelle: 1\nBevölkerung\n", encoding="utf-8")
    with pytest.raises(RawInputError) as exc:
        read_text(p, "iso-8859-1", "raw/t.csv")
    assert "line 2" in str(exc.value) and "UTF-8" in str(exc.value) and "[rule: encoding]" in str(exc.value)


def test_latin1_file_declared_utf8_is_refused_with_its_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("Tabelle: 1\nx\nBevölkerung\n".encode("iso-8859-1"))
    with pytest.raises(RawInputError) as exc:
        read_text(p, "utf-8", "raw/t.csv")
    assert exc.value.problems[0].line == 3 and exc.value.problems[0].rule == "encoding"


def test_bom_is_accepted_for_utf8_and_refused_for_latin1(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"\xef\xbb\xbfTabelle: 1\n")
    assert read_text(p, "utf-8").startswith("Tabelle")
    with pytest.raises(RawInputError, match="byte-order mark"):
        read_text(p, "iso-8859-1")


def test_empty_and_oversized_files_are_refused(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"\n \n")
    with pytest.raises(RawInputError, match="empty"):
        read_text(empty, "utf-8")
    huge = tmp_path / "h.csv"
    with huge.open("wb") as fh:  # sparse: takes no real disk space
        fh.seek(MAX_FILE_BYTES + 1)
        fh.write(b"\0")
    with pytest.raises(RawInputError, match="file size limit"):
        read_text(huge, "utf-8")
