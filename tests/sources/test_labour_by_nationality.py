"""The third batch's labour-market tables, read from the real files: Regionaldatenbank 13111-07-05-4 (employees at
their place of work by sex, nationality and sector, 30 June 2018-2020) and the 2015-2020 vintage of 13211-02-05-4
(unemployed and rates, annual averages); the territory of before 2021 put on today's districts; the malformed inputs
refused where they stand."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.domain.errors import RawInputError
from pipeline.ingest.checks import todays_districts
from pipeline.ingest.dataset import build_dataset
from pipeline.sources.registry import DATASETS_BY_NAME, context_for
from pipeline.validation.explain import validate_dataset
from tests.conftest import RAW

EMPLOYEES = "regionalstatistik/13111-07-05-4_2020.csv"
UNEMPLOYMENT = "regionalstatistik/13211-02-05-4_2015-2020.csv"


def _printed(rel: str, startswith: str) -> list[str]:
    """The cells of the file's first line that starts so, as printed."""
    line = next(x for x in (RAW / rel).read_text(encoding="iso-8859-1").splitlines() if x.startswith(startswith))
    return line.split(";")


def _cell(frame, **where) -> tuple[float | None, str]:
    row = frame
    for k, v in where.items():
        row = row[row[k] == v]
    assert len(row) == 1, where
    value = row["value"].iloc[0]
    return (None if value != value else float(value)), row["status"].iloc[0]


def test_employees_are_the_files_counts(built):
    frame = built["employees_by_sector_and_nationality"]
    total = frame[frame.section_code == "total"]
    day = dt.date(2020, 6, 30)
    at = lambda ags, nat, sex="total": _cell(total, ags=ags, reference_date=day, nationality=nat, sex=sex)[0]  # noqa: E731
    # the provenance note's figures: Dortmund, Essen, Germany on 30.06.2020
    assert (at("05913", "total"), at("05913", "non_german")) == (246840, 31188)
    assert (at("05913", "non_german", "male"), at("05913", "non_german", "female")) == (19652, 11536)
    assert (at("05113", "total"), at("05113", "non_german")) == (254124, 30334)
    assert (at("DG", "total"), at("DG", "non_german")) == (33322952, 4235911)
    # the date is the title's (the file has no date column); 2018 and 2019 are their own files
    assert set(frame["reference_date"]) == {dt.date(2018, 6, 30), dt.date(2019, 6, 30), dt.date(2020, 6, 30)}
    assert _cell(total, ags="05913", reference_date=dt.date(2018, 6, 30), nationality="non_german", sex="total")[0] == 28134
    # a sector's row, by the publisher's truncated label, and a secret cell kept as such
    cells = _printed(EMPLOYEES, "05913;      Dortmund, kreisfreie Stadt;Freiberufl")
    got = _cell(frame, ags="05913", reference_date=day, section_code="M-N", nationality="total", sex="total")[0]
    assert got == float(cells[3]) == 40821
    assert _cell(frame, ags="16056", reference_date=day, section_code="A", nationality="non_german", sex="male") == (None, ".")


def test_unemployment_2015_to_2020_with_the_foreigners_rate_a_gap_in_2017_and_2018(built):
    frame = built["unemployment_by_group"]
    at = lambda y, ind, grp: _cell(frame, ags="05913", reference_date=dt.date(y, 12, 31), indicator=ind, person_group=grp)  # noqa: E731
    assert (at(2020, "unemployed", "total"), at(2020, "unemployed", "foreigners")) == ((36213, ""), (14030, ""))
    assert at(2020, "unemployment_rate", "foreigners") == (27.0, "")
    assert (at(2018, "unemployed", "total"), at(2018, "unemployed", "foreigners")) == ((32033, ""), (11517, ""))
    # '.': unknown, in every district of the table (today's 398 under a district key, and Eisenach), never a zero;
    # the Länder have the rate, the city-states among them (Berlin 18.5 % in 2017)
    today = todays_districts(built["population_by_nationality_and_age_group"]) | {"16056"}
    rates = frame[(frame.indicator == "unemployment_rate") & (frame.person_group == "foreigners")]
    for year in (2017, 2018):
        cells = rates[(rates.reference_date == dt.date(year, 12, 31)) & rates.ags.isin(today)]
        assert len(cells) == 399 and set(cells.status) == {"."} and cells.value.isna().all()
    assert _cell(rates, ags="11", reference_date=dt.date(2017, 12, 31)) == (18.5, "")
    assert at(2016, "unemployment_rate", "foreigners") == (27.9, "")
    # both vintages in one table: 2015-2020 and 2023, each from its own file
    years = sorted({d.year for d in frame.reference_date})
    assert years == [2015, 2016, 2017, 2018, 2019, 2020, 2023]


def test_former_districts_are_added_to_todays(sql):
    """Eisenach (16056) joined the Wartburgkreis (16063) on 1 July 2021; Göttingen (03152) and Osterode am Harz (03156)
    became the Landkreis Göttingen (03159) on 1 November 2016. Counts are added, rates of a merged territory left out."""
    def figure(region, day, indicator, nationality):
        frame = sql(f"""SELECT value, status FROM core.indicators WHERE region_code = '{region}' AND reference_date = '{day}'
                        AND indicator = '{indicator}' AND nationality = '{nationality}' AND sex = 'total'
                        AND age_group = 'total' AND breakdown = 'total'""")
        return [tuple(r) for r in frame.itertuples(index=False)]
    eisenach = _printed(EMPLOYEES, "16056;      Eisenach, kreisfreie Stadt;Insgesamt")
    wartburg = _printed(EMPLOYEES, "16063;      Wartburgkreis;Insgesamt")
    assert [int(eisenach[3]), int(wartburg[3])] == [21829, 40679]  # the provenance note's figures
    assert figure("16063", "2020-06-30", "employees_at_workplace", "total") == [(21829 + 40679, "")]
    assert figure("16063", "2020-06-30", "employees_at_workplace", "non_german") == [(1131 + 2123, "")]
    assert figure("16056", "2020-06-30", "employees_at_workplace", "total") == []
    goettingen, osterode = _printed(UNEMPLOYMENT, "2015;03152;"), _printed(UNEMPLOYMENT, "2015;03156;")
    assert figure("03159", "2015-12-31", "unemployed", "total") == [(float(goettingen[3]) + float(osterode[3]), "")]
    assert figure("03159", "2015-12-31", "unemployment_rate", "total") == []
    assert figure("03159", "2016-12-31", "unemployment_rate", "total") == [(6.0, "")]


def _refused(raw_copy, dataset: str) -> RawInputError:
    d = DATASETS_BY_NAME[dataset]
    with pytest.raises(RawInputError) as exc:
        manifest = raw_copy.manifest()
        frame, entries = build_dataset(d, context_for(d, manifest))
        validate_dataset(d, frame, entries)
    return exc.value


def test_a_title_without_its_date_is_refused(raw_copy):
    raw_copy.edit_text(EMPLOYEES, lambda t: t.replace("Stichtag: 30.06.2020", "Stichtag:"), encoding="iso-8859-1")
    problems = _refused(raw_copy, "employees_by_sector_and_nationality").problems
    assert [(p.file, p.rule) for p in problems] == [(f"raw/{EMPLOYEES}", "reference date in title")]


def test_a_missing_total_row_is_refused(raw_copy):
    raw_copy.edit_text(EMPLOYEES, lambda t: "\n".join(x for x in t.split("\n")
                                                     if not x.startswith("05913;      Dortmund, kreisfreie Stadt;Insgesamt")),
                       encoding="iso-8859-1")
    problems = _refused(raw_copy, "employees_by_sector_and_nationality").problems
    assert {p.rule for p in problems} == {"districts add up to their Land; the Länder do not exceed Germany"}
    assert all(p.file == f"raw/{EMPLOYEES}" and p.line is not None for p in problems)


def test_a_vanished_district_with_a_value_is_refused(raw_copy):
    """Aachen, Kreis (05354) was dissolved in 2009 and prints '-'; a figure there would be lost."""
    line = next(x for x in (RAW / EMPLOYEES).read_text(encoding="iso-8859-1").splitlines() if x.startswith("05354;"))
    raw_copy.replace_line(EMPLOYEES, line, lambda x: x.replace(";-;-;-;-;-;-", ";12;8;4;-;-;-"))
    problems = _refused(raw_copy, "employees_by_sector_and_nationality").problems
    assert [(p.rule, p.line, p.column) for p in problems] == [
        ("a vanished district carries no value", _line_of(EMPLOYEES, line), "4 (Nationalität / Insgesamt / Geschlecht)")]
    assert "05354 (Aachen, Kreis)" in problems[0].detail and "carries 12" in problems[0].detail


def _line_of(rel: str, text: str) -> int:
    return (RAW / rel).read_text(encoding="iso-8859-1").splitlines().index(text) + 1
