"""Section 5's gender distribution and labour market by nationality in a Kreis outside North Rhine-Westphalia
(Landkreis Görlitz, 14626), every printed figure taken from the raw files, the '.' years a visible gap."""

from __future__ import annotations

import pytest

from pipeline.report.parts import PARTS
from tests.conftest import RAW
from tests.report.conftest import newest_edition


def _line(rel: str, startswith: str) -> list[str]:
    text = (RAW / rel).read_text(encoding="iso-8859-1")
    return next(x for x in text.splitlines() if x.startswith(startswith)).split(";")


@pytest.fixture(scope="module")
def goerlitz(warehouse, tmp_path_factory):
    with newest_edition(warehouse, "14626", tmp_path_factory.mktemp("goerlitz")) as ctx:
        yield {spec.name: spec.run(ctx) for spec in PARTS if spec.name in
               ("gender-distribution", "labour-market", "unemployment-chart", "peers", "access-to-services")}


def test_employment_and_unemployment_by_nationality_are_the_files(goerlitz):
    text = goerlitz["labour-market"].markdown
    employees = _line("regionalstatistik/13111-07-05-4_2020.csv", "14626;      Görlitz, Landkreis;Insgesamt")
    assert (employees[3], employees[6]) == ("86599", "7021")
    assert "| Employees, all | " in text and "86,599 |" in text and "7,021 |" in text
    assert "Foreigners’ share, %" in text or "Foreigners' share, %" in text
    assert f"{100 * 7021 / 86599:.1f} %" in text  # 8.1 %
    assert "30 June 2018–2020" in text and "place of work" in text
    row = {y: _line(f"regionalstatistik/13211-02-05-4_{'2023' if y == 2023 else '2015-2020'}.csv", f"{y};14626;")
           for y in (2015, 2016, 2017, 2018, 2019, 2020, 2023)}
    foreign_rates = [row[y][14] for y in sorted(row)]
    assert foreign_rates == ["28,6", "27,6", ".", ".", "24,2", "23,0", "28,1"]
    line = next(x for x in text.splitlines() if x.startswith("| Unemployment rate, foreigners, %"))
    assert [c.strip() for c in line.strip("|").split("|")[1:]] == ["28.6 %", "27.6 %", ".", ".", "24.2 %", "23.0 %", "28.1 %"]
    unemployed = next(x for x in text.splitlines() if x.startswith("| Unemployed, all"))
    assert "14,933" in unemployed and "10,231" in unemployed
    assert "no figures for 2021 and 2022" in text and "unknown or kept secret" in text


def _rates(column: int) -> list[float | None]:
    """A rate column of Görlitz's rows (11: all civilian labour force, 14: foreigners), 2015-2020 and 2023."""
    out = []
    for y in (2015, 2016, 2017, 2018, 2019, 2020, 2023):
        cell = _line(f"regionalstatistik/13211-02-05-4_{'2023' if y == 2023 else '2015-2020'}.csv", f"{y};14626;")[column]
        out.append(None if cell == "." else float(cell.replace(",", ".")))
    return out


def test_the_chart_draws_the_gaps_as_gaps(goerlitz):
    part = goerlitz["unemployment-chart"]
    series = part.chart.data["series"]
    years, values = series["unemployment rate, foreigners"]
    assert years == [2015, 2016, 2017, 2018, 2019, 2020, 2023]
    assert values == _rates(14) == [28.6, 27.6, None, None, 24.2, 23.0, 28.1]
    everyone = _rates(11)
    assert series["unemployment rate, all"][1] == everyone
    # the sentence compares the first and last year with both rates
    first, last = 28.6 - everyone[0], 28.1 - everyone[-1]
    trend = "widened" if last > first else "narrowed"
    assert f"{trend} from {first:.1f} percentage points in 2015 to {last:.1f} in 2023" in part.markdown
    assert "2017 no figure" in part.markdown  # the alternative text names the gap


def test_the_gender_distribution_adds_the_files_bands(goerlitz, sql):
    text = goerlitz["gender-distribution"].markdown
    cells = sql("""SELECT nationality, sex, sum(value) AS v FROM staging.population_by_nationality_and_age_group
                   WHERE ags = '14626' AND age_group <> 'total' AND age_from >= 18 AND coalesce(age_to, 999) <= 65
                   GROUP BY ALL""")
    got = {(r.nationality, r.sex): int(r.v) for r in cells.itertuples()}
    women, men = got[("non_german", "female")], got[("non_german", "male")]
    line = [x for x in text.splitlines() if "18 to under 65" in x][1]  # the non-Germans' row
    assert f"{women:,}" in line and f"{men:,}" in line and f"{100 * women / (women + men):.1f} %" in line
    # the subsection's heading (its first part with content), then the sentence
    assert text.startswith("## Gender distribution {#gender}\n\nOf the Germans in Landkreis Görlitz")


def test_the_peers_compare_the_labour_market(goerlitz):
    text = goerlitz["peers"].markdown
    assert "Unemployment rate of foreigners, annual average 2023" in text and "28.1 %" in text
    assert "Foreigners’ share of employees at their place of work, 30.06.2020" in text or \
        "Foreigners' share of employees at their place of work, 30.06.2020" in text
    assert "Regionaldatenbank 13211-02-05-4 (annual average 2023)" in text


def test_section_6_sets_the_labour_figures_beside_the_topic(goerlitz):
    text = goerlitz["access-to-services"].markdown
    assert "at their place of work on 30.06.2020: 86,599, of whom 7,021 foreigners (8.1 %)" in text
    everyone = _rates(11)[-1]
    assert f"Unemployment rate of foreigners, annual average 2023: 28.1 %, of all {everyone:.1f} %" in text


def test_a_sector_kept_secret_is_said_not_called_unassigned(warehouse, tmp_path):
    """Bremen, 30.06.2020: 13111-07-05-4 prints '.' for agriculture and for manufacturing and construction; the table
    shows the symbol, never the remainder as employees 'not assigned to a section'."""
    cells = _line("regionalstatistik/13111-07-05-4_2020.csv", "04011;      Bremen, kreisfreie Stadt;Produzierendes Gewerbe (B-F)")
    assert cells[3] == "."
    with newest_edition(warehouse, "04011", tmp_path) as ctx:
        text = next(spec for spec in PARTS if spec.name == "sectors").run(ctx).markdown
    assert "Not assigned" not in text
    assert "| Manufacturing and construction | . | . |" in text and "kept secret by the publisher" in text
    total = _line("regionalstatistik/13111-07-05-4_2020.csv", "04011;      Bremen, kreisfreie Stadt;Insgesamt")[3]
    assert f"| All employees | {int(total):,} | 100.0 % |" in text
