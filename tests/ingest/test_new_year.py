"""`python -m pipeline manifest add`: a new year's file of a listed table registered in one command."""

from __future__ import annotations

import yaml

from pipeline.cli.manifest import main
from pipeline.domain.manifest import load_manifest
from pipeline.sources.new_year import add

UNEMPLOYMENT = "regionalstatistik/13211-02-05-4_2023.csv"


def _next_year_copy(raw_copy, rel: str = "regionalstatistik/13211-02-05-4_2024.csv") -> str:
    """SYNTHETIC, for this test only: the 2023 table with its year turned into 2024, standing in for next year's file
    (its figures are 2023's; it never leaves the test's temporary folder)."""
    text = (raw_copy.root / UNEMPLOYMENT).read_bytes().decode("iso-8859-1")
    lines = [line.replace("2023;", "2024;", 1) if line.startswith("2023;") else line for line in text.split("\n")]
    (raw_copy.root / rel).write_bytes("\n".join(lines).encode("iso-8859-1"))
    return rel


def _entries(raw_copy) -> list[dict]:
    return yaml.safe_load(raw_copy.manifest_path.read_text(encoding="utf-8"))["sources"]


def test_a_new_year_of_a_listed_table_is_added_and_checked(raw_copy):
    rel = _next_year_copy(raw_copy)
    before = {e["id"]: e for e in _entries(raw_copy)}
    added = add(raw_copy.root, raw_copy.root / rel)
    assert added.entry is not None, added.message
    assert "added regio-13211-02-05-4-2024" in added.message and "passes as unemployment_by_group" in added.message
    new = {e["id"]: e for e in _entries(raw_copy)}["regio-13211-02-05-4-2024"]
    old = before["regio-13211-02-05-4-2023"]
    assert str(new["reference_date"]) == "2024-12-31" and new["file"] == rel
    assert str(new["published"]) == str(old["published"])  # the copy keeps the 2023 file's "Stand"
    assert new["sha256"] != old["sha256"]
    # every other field is the previous year's, the old file's notes and provenance excepted
    same = {k for k in old if k not in ("id", "file", "reference_date", "published", "sha256", "notes", "obtained_from")}
    assert {k: new[k] for k in same} == {k: old[k] for k in same}
    assert "obtained_from" not in new and new["notes"].startswith("Derived from entry regio-13211-02-05-4-2023")
    assert "TODO" not in raw_copy.manifest_path.read_text(encoding="utf-8")
    assert len(load_manifest(raw_copy.root).for_dataset("unemployment_by_group")) == 3  # 2015-2020, 2023, 2024


OLDER = "regionalstatistik/13211-02-05-4_2015-2020.csv"


def test_an_earlier_vintage_no_listed_file_covers_goes_in_the_same_way(raw_copy):
    """The 2015-2020 file (six annual averages, the layout of its time) taken out of the manifest and added again."""
    text = raw_copy.manifest_path.read_text(encoding="utf-8")
    start = text.index("  - id: regio-13211-02-05-4-2015-2020")
    end = text.find("\n  - id:", start + 1)
    raw_copy.manifest_path.write_text(text[:start] + (text[end + 1:] if end != -1 else ""), encoding="utf-8")
    added = add(raw_copy.root, raw_copy.root / OLDER)
    assert added.entry is not None, added.message
    new = {e["id"]: e for e in _entries(raw_copy)}["regio-13211-02-05-4-2015-2020"]
    assert (str(new["period_start"]), str(new["reference_date"])) == ("2015-01-01", "2020-12-31")
    assert str(new["published"]) == "2021-08-17"
    assert new["attribution"] == "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021"  # the file's own


def test_a_file_repeating_a_listed_year_is_refused_as_a_revision(raw_copy):
    rel = "regionalstatistik/13211-02-05-4_2018-2020.csv"
    (raw_copy.root / rel).write_bytes((raw_copy.root / OLDER).read_bytes())
    before = raw_copy.manifest_path.read_bytes()
    added = add(raw_copy.root, raw_copy.root / rel)
    assert added.entry is None and "covers its years 2015-2020" in added.message and "revise" in added.message
    assert raw_copy.manifest_path.read_bytes() == before


def test_a_table_the_manifest_does_not_list_gets_a_draft_and_changes_nothing(raw_copy, capsys, monkeypatch):
    rel = "regionalstatistik/99999-01-01-4_2024.csv"
    text = (raw_copy.root / UNEMPLOYMENT).read_bytes().replace(b"Tabelle: 13211-02-05-4", b"Tabelle: 99999-01-01-4")
    (raw_copy.root / rel).write_bytes(text)
    before = raw_copy.manifest_path.read_bytes()
    monkeypatch.setenv("CMP_RAW_DIR", str(raw_copy.root))
    assert main(["add", str(raw_copy.root / rel)]) == 1
    err = capsys.readouterr().err
    assert "not a table the manifest lists" in err and "dataset: TODO" in err
    assert raw_copy.manifest_path.read_bytes() == before


def test_a_new_file_that_fails_validation_leaves_the_manifest_as_it_was(raw_copy):
    rel = _next_year_copy(raw_copy)
    path = raw_copy.root / rel
    path.write_bytes(path.read_bytes().replace(b";37080;16576;", b";37080;37081;"))
    before = raw_copy.manifest_path.read_bytes()
    added = add(raw_copy.root, path)
    assert added.entry is None and "does not pass as unemployment_by_group" in added.message
    assert "no group of unemployed exceeds all unemployed" in added.message
    assert raw_copy.manifest_path.read_bytes() == before


def test_a_listed_file_is_not_added_twice(raw_copy):
    before = raw_copy.manifest_path.read_bytes()
    added = add(raw_copy.root, raw_copy.root / UNEMPLOYMENT)
    assert added.entry is None and "listed already" in added.message
    assert raw_copy.manifest_path.read_bytes() == before


def test_the_next_year_of_an_xlsx_export_is_added_from_the_year_before(raw_copy):
    """Real files: with 2021 taken out of the manifest, the 2021 export of 12711-04-02-4 is added from 2020's entry."""
    text = raw_copy.manifest_path.read_text(encoding="utf-8")
    start = text.index("  - id: regio-12711-04-02-4-2021\n")
    end = text.index("  - id: ", start + 10)
    raw_copy.manifest_path.write_text(text[:start] + text[end:], encoding="utf-8")
    added = add(raw_copy.root, raw_copy.root / "regionalstatistik/12711-04-02-4_2021.xlsx")
    assert added.entry is not None, added.message
    new = {e["id"]: e for e in _entries(raw_copy)}["regio-12711-04-02-4-2021"]
    assert (str(new["reference_date"]), str(new["published"]), new["format"]) == ("2021-12-31", "2023-11-10", "xlsx")
    assert "obtained_from" not in new  # where last year's copy was found says nothing of this one
    assert "passes as migration_of_districts_by_age" in added.message
