"""The publication rules (README, "Publication rules") as properties of the profiles a statistics office would read:
Dortmund's two editions, a Kreis in North Rhine-Westphalia (Kreis Unna), a Kreis outside it (Landkreis Görlitz,
Saxony), a city outside it (München) and the city-states (Berlin, Hamburg), each profile's parts made from the
session's warehouse of the real files, and the marts checked against the files for every district.

Each test states a rule for every profile it applies to, not only for the example that showed it broken."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pytest

from pipeline.domain.manifest import load_manifest
from pipeline.report import charts
from pipeline.report.context import ReportContext, district_editions
from pipeline.report.fact_types import MIN_PEERS
from pipeline.report.folders import EditionFolder
from pipeline.report.gaps import gap_report
from pipeline.report.marts import MartReader
from pipeline.report.parts import PARTS
from pipeline.report.parts.appendices import data_gaps, sources_list
from tests.conftest import RAW

PROFILES = {  # name: (key, edition)
    "dortmund-2018": ("05913", 2018),
    "dortmund-2024": ("05913", 2024),
    "kreis-unna-2024": ("05978", 2024),
    "goerlitz-2024": ("14626", 2024),
    "muenchen-2024": ("09162", 2024),
    "berlin-2024": ("11000", 2024),
    "hamburg-2024": ("02000", 2024),
}
KREISE = ("kreis-unna-2024", "goerlitz-2024")
OUTSIDE_NRW = ("goerlitz-2024", "muenchen-2024", "berlin-2024", "hamburg-2024")
FIRST_EDITIONS = ("kreis-unna-2024", "goerlitz-2024", "muenchen-2024", "berlin-2024", "hamburg-2024")


@dataclass
class Profile:
    ctx: ReportContext
    parts: dict  # part name -> Part
    text: str  # every part's Markdown, the sources list and the data gaps, backslash escapes removed

    def part(self, name: str) -> str:
        return self.parts[name].markdown.replace("\\", "")


@pytest.fixture(scope="module")
def connection(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def profiles(connection, tmp_path_factory) -> dict[str, Profile]:
    manifest = load_manifest(RAW)
    marts = MartReader(connection)
    out = {}
    for name, (key, year) in PROFILES.items():
        eds = district_editions(marts, manifest, key)
        edition = next(e for e in eds if e.year == year)
        ctx = ReportContext(marts, edition, eds, EditionFolder(tmp_path_factory.mktemp(name)), key)
        parts = {spec.name: spec.run(ctx) for spec in PARTS}
        used = set().union(*(p.sources for p in parts.values()))
        gaps = [g for p in parts.values() for g in p.gaps]
        text = "\n".join([*(p.markdown for p in parts.values()), sources_list(ctx, used).markdown, data_gaps(ctx, gaps).markdown])
        out[name] = Profile(ctx, parts, text.replace("\\", ""))
    return out


def _sentences(markdown: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(markdown.replace("\\", "").split())) if s]


# -- one key per district --------------------------------------------------------------------------------------------


def test_every_nationwide_source_reaches_every_district_under_one_key(sql):
    """For each nationwide table, the districts it holds a figure for are the districts the marts show it for:
    city-states included (the tables list Berlin as 11 or 11000; the warehouse knows it as 11000 only)."""
    directory = set(sql("SELECT region_code FROM marts.cities").region_code)
    assert {"11000", "02000"} <= directory and not directory & {"11", "02"}

    def held(dataset: str, where: str = "TRUE") -> set[str]:
        rows = sql(f"SELECT DISTINCT CASE WHEN ags IN ('11', '02') THEN ags || '000' WHEN length(ags) = 8 AND ags LIKE '%000' "
                   f"THEN left(ags, 5) ELSE ags END AS key FROM staging.{dataset} WHERE {where}")
        return set(rows.key) & directory

    area = set(sql("SELECT region_code FROM marts.synopsis WHERE row_id = 'area' AND value IS NOT NULL").region_code)
    assert held("districts_area_population", "indicator = 'area'") == area and len(area) == 400
    protection = set(sql("SELECT region_code FROM marts.protection_status").region_code)
    assert held("protection_seekers") == protection and {"11000", "02000"} <= protection
    students = set(sql("SELECT region_code FROM marts.synopsis WHERE row_id = 'foreign_students' AND value IS NOT NULL").region_code)
    # every district with students (a district whose students include no foreigner shows 0)
    assert held("students_by_nationality", "nationality = 'total' AND sex = 'total' AND subject_group = 'total' AND value > 0") == students
    assert "11000" in students
    series = set(sql("SELECT region_code FROM marts.population_trend").region_code)
    assert held("population_of_districts", "value > 0") == series
    peers = set(sql("SELECT region_code FROM marts.peers WHERE kind IN ('city', 'district')").region_code)
    assert peers == directory
    # Berlin's foreign students, as the file gives them: 48,362 of 200,440 in the winter semester 2023/24
    berlin = sql("SELECT value, share FROM marts.synopsis WHERE region_code = '11000' AND row_id = 'foreign_students'").iloc[0]
    assert berlin.value == 48362 and round(berlin.share, 1) == round(100 * 48362 / 200440, 1)


def test_a_city_state_is_one_district_with_its_own_figures(profiles):
    berlin = profiles["berlin-2024"]
    assert "City-state: the Land Berlin and its only municipality in one" in berlin.part("general-overview")
    moves = berlin.part("city-migration")
    assert "same Land" not in moves and "is a Land of its own" in moves
    history = berlin.part("immigration-history")
    assert "28.7 % of the population of Berlin" in history and "Länder only" not in history
    assert not any("12531-0043" in g.needed for p in berlin.parts.values() for g in p.gaps)  # the protection seekers are there
    assert "among its peers and Germany" in berlin.part("peers")  # no Land column beside a city-state
    # nor a Land line in the chart (its alt text names the lines)
    assert "reference lines: Germany 14.8 %." in berlin.part("peers-chart")


# -- concepts never meet in arithmetic -----------------------------------------------------------------------------


def test_a_change_between_editions_is_within_one_measurement(profiles):
    changes = profiles["dortmund-2024"].ctx.facts.changes
    assert len(changes) == 6
    for c in changes:
        if c.change:
            assert c.previous.measurement == c.current.measurement and c.previous.concept != "not_stated", c
            assert c.measurement
        else:
            assert c.not_comparable.startswith("not comparable: "), c
    by_key = {c.key: c for c in changes}
    # the editions' population figures: the register 2019 and the update 2024 (Zensus 2022 basis) are not set against
    # each other; the one measurement both editions have is the update on the Zensus 2011 basis
    assert by_key["population"].previous.concept == by_key["population"].current.concept == "population_update"
    # 12411-0015, 31.12.2019, and GV-ISys, 31.12.2023, both on the Zensus 2011 basis: a growth, signed as one
    assert (by_key["population"].previous.value, by_key["population"].current.value) == (588250, 595471)
    assert by_key["population"].change == "+7,221"
    assert by_key["foreigners"].previous_text == "114,062 (2018)" and by_key["foreigners"].current_text == "146,995 (2024)"
    assert by_key["foreigners"].change == "+32,933" and "(AZR)" in by_key["foreigners"].measurement
    assert by_key["foreign_share"].change == "" and "city's population register" in by_key["foreign_share"].not_comparable


def test_a_sentence_quoting_two_measurements_names_each(profiles):
    for name, p in profiles.items():
        summary = _sentences(p.part("executive-summary"))
        for s in summary:
            if "largest groups" in s:
                assert "Central Register of Foreigners (AZR)" in s, (name, s)
            if "inhabitants according to" in s:
                assert "population update" in s, (name, s)
            if "register" in s and "inhabitants" in s:
                assert "population register" in s, (name, s)


def test_differences_are_taken_from_the_unrounded_figures(profiles):
    summary = profiles["dortmund-2018"].part("executive-summary")
    # 603,609 (the city's register, to the person) against 588,250: 15,359; never from the printed 603,600
    assert "the register lists 15,359 people more (2.6 %)" in " ".join(summary.split()) and "15,350" not in summary


# -- parts and totals ------------------------------------------------------------------------------------------------


def _rows(markdown: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in markdown.splitlines()
            if line.startswith("|") and not set(line) <= set("|-: ")]


def _count(cell: str) -> int:
    return int(cell.replace(",", "").replace("−", "-"))


def test_sectors_add_up_to_all_employees(profiles):
    for name in ("dortmund-2024", "kreis-unna-2024"):
        rows = _rows(profiles[name].part("sectors"))[1:]
        *parts, total = rows
        assert total[0] == "All employees" and sum(_count(r[1]) for r in parts) == _count(total[1]), name
    # Dortmund: one employee of 267,991 is assigned to no section
    assert ["Not assigned to a section", "1", "0.0 %"] in _rows(profiles["dortmund-2024"].part("sectors"))


def test_a_status_whose_parts_do_not_add_up_says_why(profiles):
    for name in ("dortmund-2024", "berlin-2024", "goerlitz-2024"):
        text = " ".join(profiles[name].part("protection-status").split())
        table = {r[0].replace("– ", "").strip(): r for r in _rows(profiles[name].part("protection-status"))[1:]}
        recognised = _count(table["Recognised protection status"][1])
        parts = _count(table["permanent"][1]) + _count(table["temporary"][1])
        assert (recognised == parts) or (f"its parts {table['permanent'][1]} + {table['temporary'][1]}" in text), name
    assert "recognised protection status 30,300, its parts 4,205 + 26,050 = 30,255" in " ".join(
        profiles["dortmund-2024"].part("protection-status").split())


# -- periods as the publisher defines them -------------------------------------------------------------------------


def test_periods_are_labelled_as_published(profiles):
    for name, p in profiles.items():
        if p.ctx.edition.year == 2024:
            assert "2025" not in p.part("background"), name  # the window reaches 2025; no 2025 figure exists
            assert "annual average 2023" in p.text, name  # the Bundesagentur's unemployment (13211-02-05-4)
            assert "13211-02-05-4 (31.12.2023)" not in p.text, name
    goerlitz = profiles["goerlitz-2024"]
    assert "WS 2023/24" in goerlitz.part("synopsis") and "school year 2022/23" in goerlitz.part("synopsis")
    assert "winter semester 2023/24" in goerlitz.part("synopsis")  # the source line
    # a file fetched from a database without a publication date: the retrieval is named as such
    assert "date not stated, retrieved 2026" in profiles["berlin-2024"].text


def test_the_edition_states_the_span_it_shows(profiles):
    # the 2024 edition's oldest newest figure: the population by single year of age on 31.12.2020 (12411-04-02-4)
    assert "newest figures of the years 2020 to 2024" in " ".join(profiles["dortmund-2024"].part("background").split())
    # (the oldest: the Integration Council's membership of 2014, the newest figure its register's publications give by 2019)
    assert "newest figures of the years 2014 to 2019" in " ".join(profiles["dortmund-2018"].part("background").split())


# -- source lines ------------------------------------------------------------------------------------------------------


def test_profiles_outside_nrw_cite_nothing_of_nrw(profiles):
    for name in OUTSIDE_NRW:
        text = profiles[name].text
        assert "IT.NRW" not in text and "North Rhine-Westphalia" not in text, name


def test_a_series_source_line_names_the_period_of_its_cells(profiles):
    line = profiles["goerlitz-2024"].part("general-overview")
    assert "Destatis 12411-0015 (31.12.2024)" in line and "2000-2024" not in line
    # the peers' population change takes two days of the series
    assert "Destatis 12411-0015 (31.12.2022, 31.12.2024)" in profiles["berlin-2024"].part("peers")


# -- peers ---------------------------------------------------------------------------------------------------------------


def test_peer_statistics_cover_the_whole_group_or_are_not_given(profiles):
    for name, p in profiles.items():
        peers = p.ctx.facts.peers
        for ind in peers.indicators:
            if ind.median is not None or ind.rank is not None:
                assert ind.ranked == len(peers.frame) >= MIN_PEERS, (name, ind)
    # Landkreis Görlitz has no AZR table by citizenship (Saxony): no row, no AZR source for its peers' cells
    goerlitz = profiles["goerlitz-2024"]
    assert "Largest group" not in goerlitz.part("peers") and "12521-03i" not in goerlitz.part("peers")
    # Dortmund's NRW peers have the AZR figure, the others not: no median of a few NRW cities under the group's heading
    largest = next(i for i in profiles["dortmund-2024"].ctx.facts.peers.indicators if i.key == "largest_group")
    assert largest.own is not None and largest.median is None and largest.rank is None


# -- statements conditioned on the data ------------------------------------------------------------------------------


def test_statements_only_where_the_data_support_them(profiles):
    for name, p in profiles.items():
        assert not re.search(r"\b0 of\b", p.text), name
        ages = p.ctx.facts.age_structure
        if "A young immigrant population" in p.part("conclusions"):
            (_, young), (_, old), _ = ages.extremes
            assert young > ages.overall > old, name
        if not p.ctx.facts.foreigner_share_cities.among_largest:
            assert "largest cities, " not in p.part("executive-summary"), name
    # München: non-Germans are 17 % of the under-3s but 28 % of all: not "young"
    assert "A young immigrant population" not in profiles["muenchen-2024"].part("conclusions")
    for name in FIRST_EDITIONS:
        assert "previous edition" not in profiles[name].text, name
    # a Kreis is not drawn among the largest cities
    unna = profiles["kreis-unna-2024"].part("foreigner-share-cities")
    assert "is not one of them" in unna


# -- wording by kind of district and Land ------------------------------------------------------------------------------


def test_a_kreis_is_called_a_district_and_pointed_to_its_own_land(profiles):
    for name in KREISE:
        p = profiles[name]
        for words in ("the city's", "City area", "Population of the city", "City priorities", "the city "):
            assert words not in p.text, (name, words)
    # the inputs that would fill its gaps (the maintainer's gap report) point to its own Land's offices
    def report(name: str) -> str:
        p = profiles[name]
        return gap_report(p.ctx.city, str(p.ctx.edition.year), [g for part in p.parts.values() for g in part.gaps])
    goerlitz = report("goerlitz-2024")
    assert "Statistisches Landesamt des Freistaates Sachsen" in goerlitz and "integration ministry of Sachsen" in goerlitz
    assert "IT.NRW" not in goerlitz
    assert "Bayerisches Landesamt für Statistik" in report("muenchen-2024")


# -- an edition shows only its window ------------------------------------------------------------------------------


def test_the_first_edition_shows_nothing_dated_after_the_profile(profiles):
    p = profiles["dortmund-2018"]
    register = " ".join(p.part("governance").split()) + " ".join(p.part("access-to-services").split())
    assert "in April 2024" not in register and "by 2021" not in register
    assert "neun" not in p.text and "appointed by the city council: 9 (2014" in p.text


# -- charts: one colour per measurement, rounded figures marked ----------------------------------------------------


def test_each_measurement_has_its_colour_in_every_chart(tmp_path):
    register_only = charts.population_trend.__wrapped__(
        {"Municipal register": ([2018, 2019], [603000.0, 603609.0], [True, False])}, [], tmp_path / "a.svg").read_text()
    update_only = charts.population_trend.__wrapped__(
        {"Population update (Zensus 2022 basis)": ([2022, 2023], [599370.0, 601343.0], [False, False])}, [],
        tmp_path / "b.svg").read_text()
    orange, green = charts.SERIES_COLOURS["Municipal register"], charts.SERIES_COLOURS["Population update (Zensus 2022 basis)"]
    assert orange.lower() in register_only.lower() and green.lower() not in register_only.lower()
    assert green.lower() in update_only.lower() and orange.lower() not in update_only.lower()
    # the register's 603,000 was printed rounded: an open (white-filled) circle in the register's colour, and a legend
    # entry; the figure's white background is in both
    open_circle = f"fill: #ffffff; stroke: {orange.lower()}"
    assert open_circle in register_only.lower() and "fill: #ffffff; stroke" not in update_only.lower()


# -- the publication speaks to readers ---------------------------------------------------------------------------


MAINTAINER_WORDS = re.compile(r"raw/|\.csv\b|\.yaml\b|pipeline/|sources\.yaml|manifest|python -m|make report|field city")


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_no_file_path_field_or_command_reaches_a_reader(profiles, name):
    """What would fill a gap (a file in raw/, a manifest field, a command) is the maintainer's; the publication says only
    what is missing. The instructions go to the gap report (pipeline/report/gaps.py), which has them all."""
    p = profiles[name]
    assert MAINTAINER_WORDS.findall(p.text) == []
    gaps = [g for part in p.parts.values() for g in part.gaps]
    report = gap_report(p.ctx.city, str(p.ctx.edition.year), gaps)
    assert all(g.needed.replace("|", "/") in report for g in gaps)
    if name == "goerlitz-2024":  # a Kreis outside NRW without a register: its register's file is named for the maintainer
        assert "raw/city/landkreis_goerlitz_policy_register.csv" in report
