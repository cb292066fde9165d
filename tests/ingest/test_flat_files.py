"""The flat CSV of the GENESIS web service (ffcsv, one row per value, delivered as a ZIP): the Zensus 2022 count
1000A-0000 as the web service answered it (recorded by the pystatis test suite)."""

from __future__ import annotations

import io
import zipfile

from tests.conftest import value
from tests.validation.test_bad_input import find, refused

CENSUS = "zensus/1000A-0000_2022.zip"
MEMBER = "1000A-0000_1773175153999_de_flat.csv"
FILE = f"raw/{CENSUS}"  # lines are those of the CSV inside it
DORTMUND_ROW = ";059130000000;Dortmund, Stadt;598246;"  # line 1569 of the CSV inside the ZIP


def test_the_census_count_of_germany_and_the_city(built):
    f = built["census_population"]
    assert value(f, ags="DG") == 82719540
    d = f[f["ags"] == "05913000"].iloc[0]  # the 12-digit regional key 059130000000 as the AGS
    assert (d["value"], str(d["reference_date"]), d["census_basis"], d["source_line"]) == (598246, "2022-05-15", "Zensus 2022", 1569)
    assert len(f) == 10787 and set(f["region_level"]) == {"germany", "municipality"}


def test_a_flat_file_without_its_value_column_is_refused(raw_copy):
    raw_copy.edit_zipped_csv(CENSUS, lambda t: t.replace(";value;value_unit;", ";wert;value_unit;", 1))
    p = find(refused(raw_copy, "census_population"), "flat file columns")
    assert (p.file, p.line) == (FILE, 1) and "no 'value' column" in p.detail


def test_text_where_a_value_belongs_is_refused(raw_copy):
    raw_copy.edit_zipped_csv(CENSUS, lambda t: t.replace(DORTMUND_ROW, ";059130000000;Dortmund, Stadt;ca. 598000;"))
    p = find(refused(raw_copy, "census_population"), "value or special symbol")
    assert (p.line, p.column) == (1569, "value") and "'ca. 598000' is neither a number" in p.detail


def test_an_unknown_quality_flag_is_refused(raw_copy):
    def with_quality(text: str) -> str:  # the layout of quality=on: a value_q column after the value's columns
        lines = text.splitlines()
        lines[0] += ";value_q"
        lines[1:] = [line + (";v" if DORTMUND_ROW in line else ";e") for line in lines[1:]]
        return "\n".join(lines) + "\n"

    raw_copy.edit_zipped_csv(CENSUS, with_quality)
    p = find(refused(raw_copy, "census_population"), "known quality flags")
    assert (p.line, p.column) == (1569, "value_q") and "'v' is not a quality flag" in p.detail


def test_a_variable_that_changes_within_its_position_is_refused(raw_copy):
    raw_copy.edit_zipped_csv(CENSUS, lambda t: t.replace(";GEOGM4;Gemeinden (Gebietsstand 15.05.2022);059130000000;",
                                                         ";ALTGR2;Alter;059130000000;"))
    p = find(refused(raw_copy, "census_population"), "one variable per position")
    assert (p.line, p.column) == (1569, "1_variable_code")


def test_a_zip_with_more_than_the_flat_file_is_refused(raw_copy):
    def add_member(data: bytes) -> bytes:
        out = io.BytesIO(data)
        with zipfile.ZipFile(out, "a") as z:
            z.writestr("readme.txt", "extra")
        return out.getvalue()

    raw_copy.edit_bytes(CENSUS, add_member)
    p = find(refused(raw_copy, "census_population"), "flat file delivered as ZIP")
    assert p.file == f"raw/{CENSUS}" and f"it holds {MEMBER}, readme.txt" in p.detail


def test_the_census_day_must_be_the_manifests(raw_copy):
    row = ";STAG;Stichtag;{};GEOGM4;Gemeinden (Gebietsstand 15.05.2022);059130000000;"
    raw_copy.edit_zipped_csv(CENSUS, lambda t: t.replace(row.format("2022-05-15"), row.format("2022-12-31")))
    p = find(refused(raw_copy, "census_population"), "reference date matches manifest")
    assert (p.line, p.column) == (1569, "time") and "dated 2022-12-31 but the manifest gives 2022-05-15" in p.detail


# -- a flat file of a table whose classic layout a dataset reads --------------------------------------------------

CLASSIC = "regionalstatistik/12411-01-01-4_2018.csv"
SEX = {"Insgesamt": ("", "Insgesamt"), "männlich": ("GESM", "männlich"), "weiblich": ("GESW", "weiblich")}
HEADER = ("statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;"
          "1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
          "value;value_unit;value_variable_code;value_variable_label")


def flat_of_classic(raw_copy) -> bytes:
    """SYNTHETIC LAYOUT, for this test only: Regionaldatenbank 12411-01-01-4 (2018) rewritten by code from its classic
    CSV into the web service's flat layout, zipped as the service delivers it. Every figure is the classic file's;
    only the layout is made here (the recordings hold no flat file of a table we read classically)."""
    text = (raw_copy.root / CLASSIC).read_bytes().decode("iso-8859-1")
    lines = [line.split(";") for line in text.splitlines()]
    sexes = lines[7][2:5]
    out = [HEADER]
    for cells in lines[8:]:
        if not cells[0] or not cells[0][0].isalnum() or len(cells) < 5 or cells[0].startswith("_"):
            break
        code, name = cells[0], cells[1].strip()
        var = ("DINSG", "Deutschland") if code == "DG" else ("DLAND", "Bundesländer") if len(code) == 2 else ("KREISE", "Kreise")
        for sex, figure in zip(sexes, cells[2:5], strict=True):
            out.append(";".join(["12411", "Fortschreibung des Bevölkerungsstandes", "STAG", "Stichtag", "2018-12-31", *var, code, name,
                                 "GES", "Geschlecht", *SEX[sex], figure, "Anzahl", "BEVSTD", "Bevölkerungsstand"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("12411-01-01-4_flat.csv", "\n".join(out) + "\n")
    return buf.getvalue()


def _swap_to_flat(raw_copy, data: bytes) -> None:
    rel = "regionalstatistik/12411-01-01-4_2018_flat.zip"
    (raw_copy.root / rel).write_bytes(data)
    (raw_copy.root / CLASSIC).unlink()
    t = raw_copy.manifest_path.read_text(encoding="utf-8")
    t = t.replace(f"    file: {CLASSIC}\n    dataset: population_by_sex\n    format: genesis_csv\n    encoding: iso-8859-1\n",
                  f"    file: {rel}\n    dataset: population_by_sex\n    format: genesis_ffcsv\n    encoding: utf-8\n")
    raw_copy.manifest_path.write_text(t, encoding="utf-8")
    raw_copy.rehash(rel)


def test_a_flat_file_of_a_classic_table_is_read_as_the_same_dataset(raw_copy, built):
    from tests.validation.test_bad_input import load

    _swap_to_flat(raw_copy, flat_of_classic(raw_copy))
    flat = load(raw_copy, "population_by_sex")
    classic = built["population_by_sex"]
    same = [c for c in classic.columns if c not in ("source_line", "source_column")]
    key = ["ags", "sex"]
    a = classic[same].sort_values(key).reset_index(drop=True)
    b = flat[same].sort_values(key).reset_index(drop=True)
    assert len(a) == len(b) == 3 * 538 and a.equals(b)  # Germany, 16 Länder, 38 Regierungsbezirke ..., 401 districts
    assert value(flat, ags=DORTMUND_AGS, sex="total") == 587010  # 31.12.2018 on the Zensus 2011 basis
    d = flat[(flat["ags"] == DORTMUND_AGS) & (flat["sex"] == "female")].iloc[0]
    assert (d["source_column"], int(d["source_line"])) == ("value", _line_of(raw_copy, "05913", "GESW"))


def test_a_flat_file_breaks_the_same_rules_and_names_its_own_line(raw_copy):
    data = flat_of_classic(raw_copy)
    member = zipfile.ZipFile(io.BytesIO(data)).read("12411-01-01-4_flat.csv").decode()
    lines = member.split("\n")
    i = next(k for k, line in enumerate(lines) if ";05913;" in line and ";GESW;" in line)
    fields = lines[i].split(";")
    fields[13] = "1"  # Dortmund's women: 1
    lines[i] = ";".join(fields)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("12411-01-01-4_flat.csv", "\n".join(lines))
    _swap_to_flat(raw_copy, buf.getvalue())
    p = find(refused(raw_copy, "population_by_sex"), "men and women add up")
    assert p.file == "raw/regionalstatistik/12411-01-01-4_2018_flat.zip" and p.column == "value"
    # the rule fails at the total's own line (two above the women's, 0-based i is line i + 1), as in the classic file
    assert (p.line, p.detail) == (i - 1, "value 587,010 breaks the rule")


DORTMUND_AGS = "05913"


def _line_of(raw_copy, code: str, sex: str) -> int:
    member = zipfile.ZipFile(raw_copy.root / "regionalstatistik/12411-01-01-4_2018_flat.zip").read("12411-01-01-4_flat.csv").decode()
    return next(k for k, line in enumerate(member.split("\n"), start=1) if f";{code};" in line and f";{sex};" in line)


# The same for 12411-03-03-4 (2024): nationality and sex across the columns, 21 age groups down the rows

BY_AGE = "regionalstatistik/12411-03-03-4_2024.csv"
NAT = {"Total": ("", "Insgesamt"), "Deutsche": ("NATD", "Deutsche"), "Ausländer/-innen": ("NATA", "Ausländer/-innen")}
BY_AGE_HEADER = ("statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;"
                 "1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
                 "3_variable_code;3_variable_label;3_variable_attribute_code;3_variable_attribute_label;4_variable_code;4_variable_label;"
                 "4_variable_attribute_code;4_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label")


def flat_of_by_age(raw_copy) -> bytes:
    """SYNTHETIC LAYOUT, for this test only: 12411-03-03-4 (2024) rewritten by code from its classic CSV into the flat
    layout (region, nationality NAT, sex GES, age group ALTX20; a total as an empty attribute code labelled 'Insgesamt').
    Every figure is the classic file's."""
    lines = [line.split(";") for line in (raw_copy.root / BY_AGE).read_text(encoding="utf-8").splitlines()]
    nats, sexes = lines[6][4:], lines[7][4:]
    out, codes = [BY_AGE_HEADER], {}
    for cells in lines[8:]:
        if len(cells) < 13 or not cells[0][:4].isdigit():
            break
        day, code, name, age = cells[0], cells[1], cells[2].strip(), cells[3]
        var = ("DINSG", "Deutschland") if code == "DG" else ("DLAND", "Bundesländer") if len(code) == 2 else ("KREISE", "Kreise")
        codes.setdefault(age, f"ALT{len(codes):03d}")
        ages = ("", "Insgesamt") if age == "Total" else (codes[age], age)
        for nat, sex, figure in zip(nats, sexes, cells[4:], strict=True):
            out.append(";".join(["12411", "Fortschreibung des Bevölkerungsstandes", "STAG", "Stichtag", day, *var, code, name,
                                 "NAT", "Nationalität", *NAT[nat], "GES", "Geschlecht", *SEX[sex if sex != "Total" else "Insgesamt"],
                                 "ALTX20", "Altersgruppen (unter 3 bis 75 u. m.)", *ages, figure, "Anzahl", "BEVSTD", "Bevölkerungsstand"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("12411-03-03-4_flat.csv", "\n".join(out) + "\n")
    return buf.getvalue()


def test_a_flat_file_of_the_age_and_nationality_table_is_read_as_the_same_dataset(raw_copy, built):
    from tests.validation.test_bad_input import load

    rel = "regionalstatistik/12411-03-03-4_2024_flat.zip"
    (raw_copy.root / rel).write_bytes(flat_of_by_age(raw_copy))
    (raw_copy.root / BY_AGE).unlink()
    t = raw_copy.manifest_path.read_text(encoding="utf-8")
    old = f"    file: {BY_AGE}\n    dataset: population_by_nationality_and_age_group\n    format: genesis_csv\n    encoding: utf-8\n"
    assert old in t
    raw_copy.manifest_path.write_text(t.replace(old, old.replace(BY_AGE, rel).replace("genesis_csv", "genesis_ffcsv")), encoding="utf-8")
    raw_copy.rehash(rel)
    flat = load(raw_copy, "population_by_nationality_and_age_group")
    classic = built["population_by_nationality_and_age_group"]
    same = [c for c in classic.columns if c not in ("source_line", "source_column")]
    key = ["ags", "age_group", "nationality", "sex"]
    a = classic[same].sort_values(key).reset_index(drop=True)
    b = flat[same].sort_values(key).reset_index(drop=True)
    assert len(a) == len(b) and a.equals(b)
    d = flat[flat["ags"] == DORTMUND_AGS]
    assert value(d, age_group="total", nationality="german", sex="total") == 478383
    assert value(d, age_group="total", nationality="non_german", sex="total") == 125079


# -- Destatis 12531-0043: protection seekers, the web service's background job's result ---------------------------

PROTECTION = "destatis/12531-0043_2024.zip"


def test_protection_seekers_by_status(built):
    f = built["protection_seekers"]
    d = f[f["ags"] == DORTMUND_AGS]
    status = d.groupby("protection_status")["value"].sum()
    assert status.to_dict() == {
        "recognised": 30300, "recognised_temporary": 26050, "recognised_permanent": 4205, "recognised_temporary_asylum": 15890,
        "recognised_temporary_other": 10110, "open": 1060, "without_status": 1000, "tolerated": 755,
        "latent_obliged_to_leave": 160, "enforceable_obliged_to_leave": 60}
    assert len(f) == 116738 and set(f["sex"]) == {"male", "female"} and (f["value"] % 5 == 0).all()
    eritrea = d[(d["citizenship"] == "Eritrea") & (d["protection_status"] == "recognised") & (d["sex"] == "female")]
    assert eritrea["value"].tolist() == [125]


def test_a_status_that_does_not_add_up_is_refused_at_its_line(raw_copy):
    row = (";05913;Dortmund, kreisfreie Stadt;SCHST2;Schutzstatuskategorie;SCHUTZST-AK-1;Anerkannter Schutzstatus;GES;Geschlecht;"
           "GESW;weiblich;STAAG5;Staatsangehörigkeit;ST224;Eritrea;125;")
    raw_copy.edit_zipped_csv(PROTECTION, lambda t: t.replace(row, row.replace(";125;", ";225;")))
    p = find(refused(raw_copy, "protection_seekers"), "the statuses add up")
    assert p.file == f"raw/{PROTECTION}" and p.column == "value" and p.detail == "value 225 breaks the rule"


def test_an_unknown_protection_status_is_refused(raw_copy):
    raw_copy.edit_zipped_csv(PROTECTION, lambda t: t.replace(";SCHUTZST-OF;Offener Schutzstatus;", ";SCHUTZST-NEU;Neuer Status;", 1))
    p = find(refused(raw_copy, "protection_seekers"), "category codes known")
    assert "SCHST2 'SCHUTZST-NEU' (Neuer Status) is not one this table is known to use" in p.detail and p.column == "SCHST2 attribute"


# -- Zensus 2022 1000A-2022: immigration history by Land, quality=on, a position with two variables ----------------

HISTORY = "zensus/1000A-2022_2022.zip"


def test_immigration_history_of_the_laender(built):
    f = built["immigration_history_by_land"]
    nrw = f[(f["ags"] == "05") & (f["age_group"] == "total")]
    assert value(nrw, hierarchy="WDGAT2", immigration_history="total") == 17890489
    assert value(nrw, hierarchy="WDGAT2", immigration_history="with_immigration_history") == 4420111
    assert value(nrw, hierarchy="WDGAT1", immigration_history="immigrated") == 3726003
    assert set(f["quality"]) == {"e", ""} and set(f.loc[f["quality"] == "", "status"]) == {"-"}  # the flag kept
    assert set(f["ags"]) == {"DG", *(f"{k:02d}" for k in range(1, 17))} and len(f) == 1360


def test_a_third_variable_in_the_switching_position_is_refused(raw_copy):
    raw_copy.edit_zipped_csv(HISTORY, lambda t: t.replace(";WDGAT1;Einwanderungsgeschichte (ausführlich);", ";WDGAT3;Einwanderung;", 1))
    p = find(refused(raw_copy, "immigration_history_by_land"), "one variable per position")
    assert p.column == "3_variable_code" and "variable 'WDGAT3' where the file's position 3 holds 'WDGAT2'" in p.detail
