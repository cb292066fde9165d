"""Crafted bad input in a copy of raw/: each is refused with a message naming the file, line, column and rule."""

import pytest

from pipeline.domain.errors import RawInputError
from pipeline.ingest.context import BuildContext
from pipeline.ingest.dataset import build_dataset
from pipeline.sources.registry import DATASETS_BY_NAME, context_for
from pipeline.validation.explain import validate_dataset

AREA = "itnrw/12411-15i_2024.csv"
DORTMUND_AREA_ROW = "31.12.2024;05913;"  # line 361 of 12411-15i


def load(raw_copy, name, upstream=None):
    d = DATASETS_BY_NAME[name]
    manifest = raw_copy.manifest()
    ctx = BuildContext(manifest, upstream) if upstream is not None else context_for(d, manifest)
    frame, entries = build_dataset(d, ctx)
    return validate_dataset(d, frame, entries).frame


def refused(raw_copy, name, upstream=None) -> RawInputError:
    with pytest.raises(RawInputError) as exc:
        load(raw_copy, name, upstream)
    return exc.value


def find(err: RawInputError, rule: str):
    hits = [p for p in err.problems if rule in p.rule]
    assert hits, f"no problem with rule {rule!r} in:\n{err.summary()}"
    return hits[0]


def test_negative_count(raw_copy):
    raw_copy.replace_line(AREA, DORTMUND_AREA_ROW, lambda line: line.replace(";603462;", ";-603462;"))
    p = find(refused(raw_copy, "area_population_density"), "greater_than_or_equal_to(0)")
    assert (p.file, p.line) == (f"raw/{AREA}", 361)
    assert p.column.startswith("4 (") and "Bevölkerungsstand" in p.column
    assert "raw/itnrw/12411-15i_2024.csv, line 361, column 4" in p.describe()


def test_part_larger_than_its_total(raw_copy):
    raw_copy.replace_line(
        "mc2cm/fig08_legal_status.csv",
        "fig08_legal_status,05913000,2018-12-31,population,non_german,legal_status,tolerated,",
        lambda line: line.replace(",1817,persons,foreigners_register,1.817,", ",181700,persons,foreigners_register,181.700,"),
    )
    p = find(refused(raw_copy, "mc2cm_legal_status"), "legal statuses add up to the total")
    assert p.file == "raw/mc2cm/fig08_legal_status.csv" and p.line == 10 and p.column == "value"


def test_part_larger_than_its_total_in_a_genesis_table(raw_copy):
    rel = "regionalstatistik/12411-03-03-4_2024.csv"
    dortmund = "2024-12-31;05913;      Dortmund, Kreisfreie Stadt;Total;"
    raw_copy.replace_line(rel, dortmund, lambda line: line.replace(";125079;", ";135079;"))
    err = refused(raw_copy, "population_by_nationality_and_age_group")
    p = find(err, "Germans and foreigners add up to the total")
    assert p.file == f"raw/{rel}" and p.column.startswith("5 (Total")


def test_malformed_ags(raw_copy):
    raw_copy.replace_line(AREA, DORTMUND_AREA_ROW, lambda line: line.replace(";05913;", ";5913;"))
    p = find(refused(raw_copy, "area_population_density"), "str_matches")
    assert (p.line, p.column) == (361, "ags") and "5913" in p.detail


def test_shifted_header_row(raw_copy):
    raw_copy.replace_line(AREA, ";;;Anzahl;qkm;EW pro qkm", lambda line: line[1:])
    err = refused(raw_copy, "area_population_density")
    assert err.problems[0].rule == "header rows aligned" and err.problems[0].line == 5


def test_shifted_data_row(raw_copy):
    raw_copy.replace_line(AREA, DORTMUND_AREA_ROW, lambda line: line.replace(";603462;", ";;603462;"))
    p = find(refused(raw_copy, "area_population_density"), "row width matches header")
    assert p.line == 361 and "shifted or extra columns" in p.detail


def test_file_in_the_wrong_encoding(raw_copy):
    raw_copy.edit_bytes(AREA, lambda b: b.decode("iso-8859-1").encode("utf-8"))
    p = find(refused(raw_copy, "area_population_density"), "encoding")
    assert p.file == f"raw/{AREA}" and p.line == 2 and "UTF-8" in p.detail


def test_unknown_symbol(raw_copy):
    raw_copy.replace_line(AREA, DORTMUND_AREA_ROW, lambda line: line.replace(";280,71;", ";280,71p;"))
    p = find(refused(raw_copy, "area_population_density"), "known special symbols")
    assert p.line == 361 and p.column.startswith("5 (") and "280,71p" in p.detail


def test_renamed_header(raw_copy):
    rel = "regionalstatistik/12411-03-03-4_2024.csv"
    raw_copy.replace_line(rel, ";;;;Total;männlich", lambda line: line.replace("männlich", "maennlich", 1))
    p = find(refused(raw_copy, "population_by_nationality_and_age_group"), "header labels known")
    assert p.line == 8 and "maennlich" in p.detail


def test_table_code_and_reference_date_must_match_the_manifest(raw_copy):
    raw_copy.replace_line(AREA, "Tabelle: 12411-15i", lambda line: "Tabelle: 12411-16i")
    assert find(refused(raw_copy, "area_population_density"), "table code matches manifest").line == 1


def test_reference_date_of_the_wrong_year(raw_copy):
    raw_copy.edit_text(AREA, lambda t: t.replace("31.12.2024;", "31.12.2023;"))
    p = find(refused(raw_copy, "area_population_density"), "reference date matches manifest")
    assert "2023-12-31" in p.detail and "2024-12-31" in p.detail


def test_changed_file_without_manifest_update_is_refused(raw_copy):
    raw_copy.replace_line(AREA, DORTMUND_AREA_ROW, lambda line: line.replace(";603462;", ";603463;"))
    raw_copy.rehash(AREA)
    raw_copy.edit_bytes(AREA, lambda b: b.replace(b";603463;", b";603462;"), rehash=False)  # bytes no longer match
    p = find(refused(raw_copy, "area_population_density"), "manifest hash matches")
    assert "raw/sources.yaml" in p.detail


def test_truncated_file(raw_copy):
    raw_copy.edit_text(AREA, lambda t: t[: t.index("31.12.2024;05913;")])
    assert find(refused(raw_copy, "area_population_density"), "footer present").file == f"raw/{AREA}"


def test_duplicated_row(raw_copy):
    rel = "mc2cm/fig09_top_nationalities.csv"
    raw_copy.edit_text(rel, lambda t: t + t.splitlines()[-1] + "\n")
    err = refused(raw_copy, "mc2cm_top_nationalities")
    assert find(err, "multiple_fields_uniqueness").line in (14, 15)


def test_region_name_that_no_longer_resolves(raw_copy, built):
    rel = "itnrw/13111-54i_2024.csv"
    raw_copy.edit_text(rel, lambda t: t.replace("    Dortmund, krfr. Stadt;", "    Dortmund, Stadt;"))
    p = find(
        refused(raw_copy, "employees_by_economic_section", {"area_population_density": built["area_population_density"]}),
        "region names resolve",
    )
    assert p.line == 708 and "Dortmund, Stadt" in p.detail


def test_every_problem_is_reported_not_just_the_first(raw_copy):
    raw_copy.replace_line(AREA, DORTMUND_AREA_ROW, lambda line: line.replace(";603462;", ";x1;").replace(";280,71;", ";?;"))
    err = refused(raw_copy, "area_population_density")
    assert {p.column[:2] for p in err.problems} == {"4 ", "5 "}


@pytest.mark.parametrize(
    "rel, name",
    [
        (AREA, "area_population_density"),
        ("destatis/04-kreise_2023.csv", "districts_area_population"),
        ("mc2cm/fig08_legal_status.csv", "mc2cm_legal_status"),
    ],
)
def test_windows_line_endings_are_not_a_defect(raw_copy, built, rel, name):
    """A file saved with CRLF line endings reads to the same rows and values."""
    raw_copy.edit_bytes(rel, lambda b: b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    frame = load(raw_copy, name)
    assert frame.drop(columns="source_id").equals(built[name].drop(columns="source_id"))


# -- inputs about one city --------------------------------------------------------------------------------------------

REGISTER = "city/dortmund_register_figures.csv"


def test_a_city_file_with_another_citys_row_is_refused(raw_copy):
    raw_copy.replace_line(REGISTER, "register_population,05913000,2023-12-31,", lambda line: line.replace("05913000", "05113000", 1))
    p = find(refused(raw_copy, "city_register_figures"), "rows of the entry's city only")
    assert (p.file, p.line, p.column) == (f"raw/{REGISTER}", 12, "ags")
    assert p.detail == "a row for AGS '05113000' in a file about 05913000 (manifest field 'city'); 1 such row(s)"


def test_a_city_file_whose_entry_names_no_city_is_refused(raw_copy):
    text = raw_copy.manifest_path.read_text(encoding="utf-8")
    entry = "    dataset: city_register_figures\n    city: \"05913000\"\n"
    assert entry in text
    raw_copy.manifest_path.write_text(text.replace(entry, "    dataset: city_register_figures\n"), encoding="utf-8")
    p = find(refused(raw_copy, "city_register_figures"), "manifest city key")
    assert p.file == "raw/sources.yaml" and p.column == "city" and "is about one city" in p.detail
