"""The Destatis Statistischer Bericht "Wanderungen 2024" (XLSX as published): table 12711-02, Germany's migration
balance 1950-2024, and table 12711-13, the moves across every district's borders in 2024. The values come from the
long-form sheets (csv-...), the title and footnotes from the layout sheets; every problem names sheet and cell."""

from __future__ import annotations

import re

from tests.conftest import DORTMUND, value
from tests.validation.test_bad_input import find, refused

BERICHT = "destatis/Statistischer-Bericht_Wanderungen_2024_12711.xlsx"
FILE = f"raw/{BERICHT}"


def set_cell(ref: str, text: str):
    """A change to a worksheet's XML that puts the text ``text`` into cell ``ref`` (as an inline string)."""

    def change(xml: str) -> str:
        out, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>', xml, count=1)
        assert n == 1, f"no cell {ref}"
        return out

    return change


def test_germany_since_1950(built):
    f = built["migration_germany_since_1950"]
    y = f["reference_date"].map(lambda d: d.year)
    assert (y.min(), y.max(), len(f)) == (1950, 2024, 75 * 3 * 3)
    total91 = f[(y == 1991) & (f["nationality"] == "total")]
    assert value(total91, flow="arrivals") == 1198978 and value(total91, flow="departures") == 596455
    assert value(total91, flow="net_migration") == 602523
    assert set(total91["territory"]) == {"germany"} and set(f.loc[y == 1990, "territory"]) == {"former_territory"}
    assert value(f[y == 2024], flow="net_migration", nationality="non_german") == 511062
    assert total91["source_column"].tolist() == ["csv-12711-02!F125", "csv-12711-02!G125", "csv-12711-02!H125"]
    # the year's footnotes from the layout sheet: 2016 is only partly comparable with the years before
    assert f.loc[y == 2016, "footnotes"].iloc[0].startswith("(5) Die Ergebnisse des Berichtsjahres 2016")
    # 1950-1953 print '-' for the nationalities: kept as printed, the inconsistency accepted in the manifest
    early = f[(y == 1951) & (f["nationality"] == "german")]
    assert set(early["status"]) == {"-"}


def test_the_moves_across_the_citys_borders_2024(built):
    f = built["migration_of_districts"]
    d = f[f["ags"] == DORTMUND]
    assert value(d, scope="across_district_borders", flow="arrivals") == 29823
    assert value(d, scope="across_district_borders", flow="departures") == 25891
    assert value(d, scope="across_district_borders", flow="net_migration") == 3932
    assert value(d, scope="abroad", flow="arrivals") == 12140
    # the three kreisfreie Städte of Sachsen-Anhalt, printed with 4-digit codes, corrected as the manifest says
    assert value(f, ags="15002", scope="across_district_borders", flow="arrivals") > 0
    assert not f["ags"].str.endswith(("KS", "LK")).any() and "DG" in set(f["ags"])


def test_a_renamed_sheet_is_refused_with_the_sheets_there_are(raw_copy):
    raw_copy.rename_sheet(BERICHT, "csv-12711-02", "csv-12711-02 (2)")
    p = find(refused(raw_copy, "migration_germany_since_1950"), "sheet present")
    assert p.file == FILE and "no sheet 'csv-12711-02'" in p.detail and "'csv-12711-02 (2)'" in p.detail


def test_a_renamed_header_is_refused_at_its_cell(raw_copy):
    raw_copy.edit_sheet(BERICHT, "csv-12711-02", set_cell("F1", "Zuzuege"))
    p = find(refused(raw_copy, "migration_germany_since_1950"), "header labels known")
    assert p.column == "csv-12711-02!F1" and "header 'Zuzuege' where 'Zuzuege_aus_dem_Ausland' is expected" in p.detail
    assert p.describe().startswith(f"{FILE}, sheet 'csv-12711-02', cell F1: ")


def test_shifted_columns_are_refused(raw_copy):
    raw_copy.edit_sheet(BERICHT, "csv-12711-02", set_cell("F1", "Fortzuege_in_das_Ausland"))
    raw_copy.edit_sheet(BERICHT, "csv-12711-02", set_cell("G1", "Wanderungssaldo_Ausland"))
    problems = refused(raw_copy, "migration_germany_since_1950").problems
    assert {p.column for p in problems if p.rule == "header labels known"} == {"csv-12711-02!F1", "csv-12711-02!G1"}


def test_text_where_a_number_or_symbol_belongs_is_refused(raw_copy):
    raw_copy.edit_sheet(BERICHT, "csv-12711-02", set_cell("F125", "k. A."))
    p = find(refused(raw_copy, "migration_germany_since_1950"), "value or special symbol")
    assert p.column == "csv-12711-02!F125" and "'k. A.' is neither a number nor one of the special symbols" in p.detail


def test_a_net_that_is_not_the_difference_is_refused_at_its_cell(raw_copy):
    raw_copy.edit_sheet(BERICHT, "csv-12711-02", lambda xml: xml.replace('r="H125" s="8"><v>602523<', 'r="H125" s="8"><v>602532<'))
    p = find(refused(raw_copy, "migration_germany_since_1950"), "net migration = arrivals - departures")
    assert p.column == "csv-12711-02!H125"


def test_a_layout_table_without_its_footer_is_refused(raw_copy):
    # the layout sheets' texts sit in the workbook's shared strings
    raw_copy.edit_part(BERICHT, "xl/sharedStrings.xml", lambda xml: xml.replace("<t>Ende der Tabelle.</t>", "<t>Ende.</t>"))
    p = find(refused(raw_copy, "migration_germany_since_1950"), "footer present")
    assert p.column == "12711-02!" and p.describe().startswith(f"{FILE}, sheet '12711-02': ")


# -- a Regionaldatenbank table exported as XLSX (12711-04-02-4), read as its GENESIS table --------------------------

BY_AGE = "regionalstatistik/12711-04-02-4_2021.xlsx"


def test_moves_by_age_group_2019_to_2021(built):
    f = built["migration_of_districts_by_age"]
    d = f[(f["ags"] == DORTMUND) & (f["age_group"] == "total") & (f["sex"] == "total")]
    by_year = d.pivot_table(index=d["reference_date"].map(lambda x: x.year), columns="flow", values="value")
    assert by_year.to_dict("index") == {2019: {"arrivals": 29030, "departures": 27570}, 2020: {"arrivals": 25940, "departures": 25639},
                                        2021: {"arrivals": 27380, "departures": 27103}}
    young = f[(f["ags"] == DORTMUND) & (f["age_group"] == "18-25") & (f["sex"] == "female") & (f["flow"] == "arrivals")]
    assert young.set_index(young["reference_date"].map(lambda x: x.year))["value"].to_dict()[2021] == 3516
    # the labels the sheet leaves empty under a district's first row are filled in; each row names its cell
    row = d[(d["flow"] == "departures") & (d["reference_date"].map(lambda x: x.year) == 2021)].iloc[0]
    assert (row["source_line"], row["source_column"]) == (882, "12711-04-02-4!G882")
    assert set(f.loc[f["status"] == ".", "value"].isna()) == {True}  # '.' (kept secret) has no value


def test_a_renamed_sheet_of_an_export_is_refused(raw_copy):
    raw_copy.rename_sheet(BY_AGE, "12711-04-02-4", "Tabelle1")
    p = find(refused(raw_copy, "migration_of_districts_by_age"), "sheet present")
    assert p.file == f"raw/{BY_AGE}" and "no sheet '12711-04-02-4'; the workbook's sheets are 'Tabelle1'" in p.detail


def test_a_renamed_header_of_an_export_is_refused_at_its_cell(raw_copy):
    header = "Fortzüge - Wanderungen über die Kreisgrenzen"
    raw_copy.edit_part(BY_AGE, "xl/sharedStrings.xml", lambda xml: xml.replace(header, "Fortzüge", 1))
    p = find(refused(raw_copy, "migration_of_districts_by_age"), "header labels known")
    assert p.column == "12711-04-02-4!G4" and "header label 'Fortzüge' is not one this table is known to use" in p.detail


def test_an_age_group_that_does_not_add_up_is_refused_at_its_cell(raw_copy):
    xml_cell = "D876"  # Dortmund, arrivals under 18, 2021: 3,987

    def change(xml: str) -> str:
        out, n = re.subn(rf'(<c r="{xml_cell}"[^>]*>)<v>3987.0</v>', r"\g<1><v>3988.0</v>", xml)
        assert n == 1
        return out

    raw_copy.edit_sheet(BY_AGE, "12711-04-02-4", change)
    p = find(refused(raw_copy, "migration_of_districts_by_age"), "age groups add up to the total")
    assert p.column == "12711-04-02-4!D882" and p.describe().startswith(f"raw/{BY_AGE}, sheet '12711-04-02-4', cell D882: ")


# -- the Gemeindeverzeichnis (GV-ISys) district table as published in XLSX (31.12.2018, 2019, 2021) ------------------

GVISYS = "destatis/GV-ISys_04-kreise_2018.xlsx"
GVISYS_SHEET = "Kreisfreie Städte u. Landkreise"


def test_area_and_population_of_the_earlier_years(built):
    f = built["districts_area_population"]
    d = f[(f["ags"] == DORTMUND) & (f["sex"] == "total")]
    by_year = d.pivot_table(index=d["reference_date"].map(lambda x: x.year), columns="indicator", values="value")
    assert by_year["population"].to_dict() == {2018: 587010, 2019: 588250, 2021: 586852, 2023: 595471}
    assert set(by_year["area"]) == {280.71}
    assert by_year.loc[2018, "population_density"] == 2091
    row = d[(d["indicator"] == "population") & (d["source_id"] == "destatis-gvisys-kreise-2018")].iloc[0]
    assert (row["source_line"], row["source_column"], row["census_basis"]) == (130, f"{GVISYS_SHEET}!F130", "Zensus 2011")
    germany = f[(f["ags"] == "DG") & (f["indicator"] == "population") & (f["sex"] == "total")]
    assert germany.set_index(germany["reference_date"].map(lambda x: x.year))["value"].to_dict()[2018] == 83019213


def test_a_renamed_directory_sheet_is_refused(raw_copy):
    raw_copy.rename_sheet(GVISYS, GVISYS_SHEET, "Kreise")
    p = find(refused(raw_copy, "districts_area_population"), "sheet present")
    assert p.file == f"raw/{GVISYS}" and f"no sheet '{GVISYS_SHEET}'; the workbook's sheets are 'Deckblatt', 'Kreise'" in p.detail


def test_a_population_header_naming_another_census_is_refused_at_its_cell(raw_copy):
    raw_copy.edit_sheet(GVISYS, GVISYS_SHEET, set_cell("F4", "Bevölkerung auf Grundlage ZENSUS2022"))
    p = find(refused(raw_copy, "districts_area_population"), "census basis matches manifest")
    assert p.column == f"{GVISYS_SHEET}!F4" and "names another census than the manifest's 'Zensus 2011'" in p.detail


def test_a_header_without_census_is_read_as_zensus_2011_only_before_2022(raw_copy):
    old = "reference_date: 2018-12-31\n    period: reference_date\n    published: 2019\n    census_basis: Zensus 2011"
    text = raw_copy.manifest_path.read_text(encoding="utf-8")
    assert old in text
    raw_copy.manifest_path.write_text(text.replace(old, old.replace("2011", "2022")), encoding="utf-8")
    p = find(refused(raw_copy, "districts_area_population"), "census basis matches manifest")
    assert p.column == f"{GVISYS_SHEET}!F4" and "names no census: read as Zensus 2011 only before 31.12.2022" in p.detail


def test_a_shifted_directory_header_is_refused(raw_copy):
    raw_copy.edit_sheet(GVISYS, GVISYS_SHEET, set_cell("G5", "weiblich"))
    raw_copy.edit_sheet(GVISYS, GVISYS_SHEET, set_cell("H5", "je km2"))
    problems = refused(raw_copy, "districts_area_population").problems
    assert {p.column for p in problems if p.rule == "header labels known"} == {f"{GVISYS_SHEET}!G4", f"{GVISYS_SHEET}!H4"}


def test_text_in_a_directory_value_cell_is_refused_at_its_cell(raw_copy):
    raw_copy.edit_sheet(GVISYS, GVISYS_SHEET, set_cell("F130", "ca. 587 000"))
    p = find(refused(raw_copy, "districts_area_population"), "value or special symbol")
    assert p.column == f"{GVISYS_SHEET}!F130" and "'ca. 587 000' where a number or one of the special symbols" in p.detail
    assert p.describe().startswith(f"raw/{GVISYS}, sheet '{GVISYS_SHEET}', cell F130: ")


def test_a_directory_without_its_footnotes_is_refused(raw_copy):
    raw_copy.edit_part(GVISYS, "xl/sharedStrings.xml", lambda xml: xml.replace("<t>2) Die Ergebnisse", "<t>Die Ergebnisse", 1))
    p = find(refused(raw_copy, "districts_area_population"), "footnotes present")
    assert "refers to footnote 2), which is not below the table" in p.detail and p.column.startswith(f"{GVISYS_SHEET}!F")


# -- Regionaldatenbank 61511-01-03-4 (XLSX export): building-land sales, years as heading rows -----------------------

LAND = "regionalstatistik/61511-01-03-4_2019-2021.xlsx"


def test_building_land_sales_and_prices(built):
    f = built["building_land_sales"]
    d = f[(f["ags"] == DORTMUND) & (f["land_type"] == "total")]
    d21 = d[d["reference_date"].map(lambda x: x.year) == 2021]
    assert value(d21, measure="sales") == 158 and value(d21, measure="average_price") == 297.52
    assert value(d21, measure="purchase_sum") == 96999 and value(d21, measure="area_sold") == 326
    assert set(d21["comparable_with_earlier_years"]) == {False}  # the statistics were redesigned for 2021
    assert d21.loc[d21["measure"] == "average_price", "source_column"].iloc[0] == "61511-01-03-4!E505"
    assert sorted(set(d["reference_date"].map(lambda x: x.year))) == [2019, 2020, 2021]


def test_a_unit_that_does_not_belong_to_its_measure_is_refused(raw_copy):
    raw_copy.edit_sheet(LAND, "61511-01-03-4", set_cell("D505", "EUR je ha"))
    p = find(refused(raw_copy, "building_land_sales"), "units known")
    assert p.column == "61511-01-03-4!D505" and "unit 'EUR je ha' where 'EUR' belongs to" in p.detail
