"""Free text in the inputs the profile prints as written (a city's register, its stakeholders and stated figures, the
manifest's titles and credits): refused, naming file, line, column and the character, where it holds an invisible or
direction-changing character, a character the report's fonts cannot print, or more than its field may hold; a
quoted field that spans lines is refused on the line it begins, and every later line keeps its number."""

from __future__ import annotations

import pytest

from pipeline.domain import freetext
from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import load_manifest
from tests.validation.test_bad_input import find, load, refused

REGISTER = "city/dortmund_policy_register.csv"
STAKEHOLDERS = "mc2cm/table2_stakeholders.csv"
FIGURES = "city/dortmund_policy_figures.csv"
CHARTER = "05913000,governance,international_cooperation,agreement,Integrating Cities Charter,"  # line 32
NORDSTADT = "City administration,Nordstadtbüro,"  # line 12
NORDWAERTS = "City administration,Nordwärts project,"  # line 11
DIRECTLY = "integrationsrat_flyer_2014,05913000,2014-12-31,integration_council_members,total,membership,directly_elected,"  # line 10

# (what, file, dataset, line begins, text replaced, by what, rule, line, column, words of the detail)
REFUSALS = [
    ("a right-to-left override", REGISTER, "city_policy_register", CHARTER, "Integrating Cities Charter,",
     "Integrating Cities \u202eCharter,", "no invisible characters", 32, "title", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("a zero-width space", STAKEHOLDERS, "mc2cm_stakeholders", NORDSTADT, "Nordstadtbüro", "Nordstadt\u200bbüro",
     "no invisible characters", 12, "organisation", "U+200B (ZERO WIDTH SPACE)"),
    ("a name in Ge'ez script", STAKEHOLDERS, "mc2cm_stakeholders", NORDSTADT, "Nordstadtbüro", "ሀገር Nordstadtbüro",
     "characters the report can print", 12, "organisation", "U+1200 (ETHIOPIC SYLLABLE HA) (character 1 of the field)"),
    ("an emoji", REGISTER, "city_policy_register", CHARTER, "Integrating Cities Charter,", "Integrating Cities Charter \U0001F600,",
     "characters the report can print", 32, "title", "U+1F600 (GRINNING FACE)"),
    ("a title over its limit", REGISTER, "city_policy_register", CHARTER, "Integrating Cities Charter,",
     "Integrating Cities Charter" + " and more" * 25 + ",", "text length limit", 32, "title", "251 characters long, more than the 200"),
    ("a summary over its limit", STAKEHOLDERS, "mc2cm_stakeholders", NORDSTADT, "support for ethnic businesses",
     "support for ethnic businesses" + " and more" * 33, "text length limit", 12, "area_of_work", "more than the 300"),
    ("a count printed otherwise than its value", FIGURES, "city_policy_figures", DIRECTLY, ",18,persons,not_stated,18,",
     ",18,persons,not_stated,81,", "printed figure agrees with value", 10, "printed_as", "value 18 but printed_as '81'"),
]


@pytest.mark.parametrize("what, rel, dataset, row, old, new, rule, line, column, detail", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_free_text_is_refused_with_file_line_column_and_character(raw_copy, what, rel, dataset, row, old, new, rule, line, column,
                                                                   detail):
    raw_copy.replace_line(rel, row, lambda text: text.replace(old, new, 1))
    p = find(refused(raw_copy, dataset), rule)
    assert (p.file, p.line, p.column) == (f"raw/{rel}", line, column), what
    assert detail in p.detail, p.detail


def test_text_of_the_scripts_the_fonts_print_is_taken(raw_copy):
    """Benign text in Latin (with Turkish, Polish, Romanian letters), Greek and Cyrillic passes every rule."""
    name = "Türk-Alman Kültür Derneği; Związek Polaków; Asociația Românilor; Ελληνική Κοινότητα; Русский дом"
    raw_copy.replace_line(STAKEHOLDERS, NORDSTADT, lambda text: text.replace("Nordstadtbüro", name, 1))
    frame = load(raw_copy, "mc2cm_stakeholders")
    assert name in set(frame["organisation"])


def test_a_quoted_field_over_two_lines_is_refused_where_it_begins_and_later_lines_keep_their_numbers(raw_copy):
    """A quoted field that does not close on its line is one record per line broken: refused on that line, never
    joined with the next (a '#' or blank line inside it is not dropped as a comment), and a later bad line is named by
    its own number."""
    raw_copy.replace_line(STAKEHOLDERS, NORDWAERTS, lambda text: text.replace('"City-wide', '"City-wide\n# inside\n\n', 1))
    raw_copy.replace_line(STAKEHOLDERS, NORDSTADT, lambda text: text.replace("Nordstadtbüro", "Nordstadt\u200bbüro", 1))
    err = refused(raw_copy, "mc2cm_stakeholders")
    spans = find(err, "one record per line")
    assert (spans.file, spans.line) == (f"raw/{STAKEHOLDERS}", 11)
    assert "does not close on its line" in spans.detail
    assert find(err, "no invisible characters").line == 15  # line 12 before three lines were inserted above it


def test_a_ten_megabyte_field_is_named_by_file_and_line(raw_copy):
    raw_copy.replace_line(STAKEHOLDERS, NORDSTADT, lambda text: text.replace("Nordstadtbüro", "x" * 10_000_000, 1))
    p = find(refused(raw_copy, "mc2cm_stakeholders"), "line length limit")
    assert (p.file, p.line) == (f"raw/{STAKEHOLDERS}", 12)
    assert "10,000," in p.detail and f"{freetext.LONGEST_LINE:,}" in p.detail


@pytest.mark.parametrize("field, old, new, rule", [
    ("title_en", "title_en: Population by single year", "title_en: Population \u202eby single year", "no invisible characters"),
    ("url", "url: https://www.regionalstatistik.de", "url: javascript:alert(1)//https://www.regionalstatistik.de", "manifest url"),
], ids=["bidi override in a title", "a link that is not a web address"])
def test_the_manifest_text_is_checked_alike(raw_copy, field, old, new, rule):
    text = raw_copy.manifest_path.read_text(encoding="utf-8")
    assert old in text
    raw_copy.manifest_path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RawInputError) as exc:
        load_manifest(raw_copy.root)
    p = find(exc.value, rule)
    assert p.file == "raw/sources.yaml" and p.column == field
    assert text[: text.index(old)].count("\n") + 1 == p.line  # the line of the field
