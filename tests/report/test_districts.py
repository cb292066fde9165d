"""Any district: profiles of another NRW city, of a city outside NRW and of a Kreis, built the way `make report
CITIES=...` builds them; each carries its own real figures and nothing of Dortmund's own content; the names a user
types resolve to districts; one failing profile does not stop the others; the peer comparison ranks as the raw file
says."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.cli.cities import CityNotFound, resolve
from pipeline.warehouse.directory import read_directory
from tests import raw_figures
from tests.conftest import RAW

# Dortmund's own inputs (its register, the MC2CM profile's transcriptions, its stakeholders): none may appear elsewhere
DORTMUND_OWN = ["MIA-DO", "Nordstadt", "Train of Hope", "Dortmunder", "612,065", "22,845", "114,062", "Ploeger", "05913",
                # its policy register and the figures its publications state
                "Politik Mit-Wirkung", "Integrating Cities Charter", "Masterplan", "Integrationsrat", "lokal willkommen",
                "Nordwärts", "KOMM-AN", "Eurocities", "Cities of Migration", "580,000", "114,551"]
# the two sentences that name Dortmund in every profile: the structure follows the MC2CM profile of Dortmund (2021)
STRUCTURE = ("MC2CM City Migration Profile of Dortmund (2021)", "published such a profile of Dortmund in 2021")


@dataclass
class Districts:
    stdout: str
    code: int
    output: Path
    texts: dict[str, str]  # document name -> PDF text


def _build(argv: list[str], env: dict[str, str], monkeypatch=None) -> tuple[int, str]:
    from pipeline.__main__ import main

    mp = monkeypatch or pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    mp.delenv("DAGSTER_HOME", raising=False)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["build", *argv])
    finally:
        if monkeypatch is None:
            mp.undo()
    return code, out.getvalue()


@pytest.fixture(scope="session")
def districts(built_report) -> Districts:
    """Köln, Dresden and Kreis Unna, 2024, rendered on two worker processes from the session's warehouse (once per
    session: pytest-xdist may hand a module's tests to a worker in two turns, and a module fixture set up again
    would find the three built already)."""
    env = {"CMP_WAREHOUSE": str(built_report.warehouse), "CMP_REPORT_DIR": str(built_report.report_dir)}
    code, stdout = _build(["--cities", "Köln,14612000,Unna", "--jobs", "2"], env)
    output = built_report.report_dir / "_output"
    texts = {}
    for name in ("koeln-2024", "dresden-2024", "kreis-unna-2024"):
        pdf = output / f"city-migration-profile-{name}.pdf"
        texts[name] = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages) if pdf.exists() else ""
    return Districts(stdout, code, output, texts)


def test_three_districts_are_built_in_parallel_and_listed(districts):
    assert districts.code == 0, districts.stdout
    assert "Rendering 3 profile(s) in 3 batch(es) on 2 worker processes" in districts.stdout
    assert "Warehouse: up to date" in districts.stdout  # one warehouse for every district
    index = (districts.output / "index.html").read_text(encoding="utf-8")
    for name in ("koeln-2024", "dresden-2024", "kreis-unna-2024", "dortmund-2024"):
        assert f'href="city-migration-profile-{name}.pdf"' in index


def test_the_same_districts_again_redo_nothing(districts, built_report):
    env = {"CMP_WAREHOUSE": str(built_report.warehouse), "CMP_REPORT_DIR": str(built_report.report_dir)}
    code, stdout = _build(["--cities", "Köln,14612000,Unna", "--jobs", "2"], env)
    assert code == 0 and "3 profile(s): up to date (nothing it shows changed)" not in stdout  # (three lines, one each)
    assert stdout.count(": up to date (nothing it shows changed)") == 3 and "Nothing to rebuild" in stdout


def test_koeln_carries_its_own_figures(districts):
    text = districts.texts["koeln-2024"]
    assert text.startswith("CITY MIGRATION PROFILE") and "City Migration Profile Köln" in text
    # Regionaldatenbank 12411-03-03-4, 31.12.2024: 1,024,621 inhabitants, 200,159 foreigners; AZR: Turkey 50,895
    assert "1,024,621" in text and "200,159" in text and "50,895" in text
    assert "Köln administrative region (Regierungsbezirk)" in " ".join(text.split())


def test_dresden_outside_nrw_carries_the_nationwide_figures_and_names_what_is_missing(districts):
    text = " ".join(districts.texts["dresden-2024"].split())
    assert "564,904" in text and "66,135" in text and "Sachsen" in text
    assert "Dresden statistical region (Statistische Region)" in text
    # no table of the AZR by citizenship for Saxony in raw/: the largest groups are a data gap, not another city's
    assert "The largest nationalities among foreigners in Dresden" in text


def test_a_kreis_gets_a_district_profile(districts):
    text = " ".join(districts.texts["kreis-unna-2024"].split())
    assert text.startswith("DISTRICT MIGRATION PROFILE") and "District Migration Profile Kreis Unna" in text
    assert "393,784" in text and "Moves to and from the district" in text and "District synopsis" in text


@pytest.mark.parametrize("name", ["koeln-2024", "dresden-2024", "kreis-unna-2024"])
def test_no_profile_carries_dortmunds_own_content(districts, name):
    text = districts.texts[name]
    assert text, f"{name} was not built"
    flat = " ".join(text.split())
    for own in DORTMUND_OWN:
        assert own not in flat, f"{name} prints {own!r}"
    rest = flat
    for allowed in STRUCTURE:
        rest = rest.replace(allowed, "")
    # the annex names every member of the peer group (Dortmund is a peer of Köln and of Dresden): names, no figures
    rest = re.sub(r"The \d+ members: [^.]*\.", "", rest)
    assert "Dortmund" not in rest, re.findall(r".{60}Dortmund.{60}", rest)[:3]


def test_a_city_without_a_policy_register_says_so_once(districts):
    flat = " ".join(districts.texts["koeln-2024"].split()).replace("\u00ad ", "").replace("\u00ad", "")
    assert flat.count("No information on local integration policy was compiled for this edition") == 1
    assert "the city’s integration concept or strategy, the decisions of its council" in flat
    assert "Kommunales Integrationszentrum" in flat  # (Köln is in North Rhine-Westphalia)
    for heading in ("Decentralisation", "Integration and inclusion initiatives", "Political participation", "City priorities"):
        assert f"{heading} (Köln, policy register)" not in flat and f"Not available in this edition: {heading}" not in flat
    assert "Local integration policy: the city’s strategies, services, stakeholders and priorities" in flat  # (the annex)
    assert "raw/" not in flat  # the file that would fill them is the maintainer's business: the gap report says it
    report = (districts.output / "city-migration-profile-koeln-2024.gaps.md").read_text(encoding="utf-8")
    assert "raw/city/koeln_policy_register.csv" in report


def test_a_district_has_only_its_own_editions(built_report):
    env = {"CMP_WAREHOUSE": str(built_report.warehouse), "CMP_REPORT_DIR": str(built_report.report_dir)}
    code, stdout = _build(["--city", "Essen", "--edition", "2018"], env)
    assert code == 2 and "Essen (05113) has no edition 2018: its editions are 2024" in stdout


# -- names a user types ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def directory(warehouse):
    return read_directory(warehouse)


def test_the_directory_holds_every_district_of_germany(directory):
    assert len(directory) == 400
    assert sum(d.kind == "city" for d in directory) == 106  # kreisfreie Städte and Stadtkreise, Berlin and Hamburg
    dortmund = next(d for d in directory if d.key == "05913")
    assert (dortmund.ags, dortmund.name, dortmund.editions) == ("05913000", "Dortmund", ("2018", "2024"))


@pytest.mark.parametrize(
    ("spec", "keys"),
    [
        ("Essen", ["05113"]),
        ("05113000", ["05113"]),
        ("05978", ["05978"]),
        ("koeln", ["05315"]),
        ("Unna", ["05978"]),  # the district, named without its kind
        ("München", ["09162"]),  # the full name wins over Landkreis München
        ("Berlin", ["11000"]),
        ("Halle", ["15002"]),  # Halle (Saale)
        ("Dortmund, Kreis Unna", ["05913", "05978"]),
    ],
)
def test_a_name_or_key_resolves_to_its_district(directory, spec, keys):
    assert [d.key for d in resolve(spec, directory, "files")] == keys


def test_a_land_or_all(directory):
    nrw = resolve("nrw", directory, "files")
    assert len(nrw) == 53 and {d.land for d in nrw} == {"05"}
    assert len(resolve("all", directory, "files")) == 400 and resolve("14", directory, "files") == resolve("sn", directory, "files")


def test_an_ambiguous_name_lists_the_candidates_with_their_keys(directory):
    with pytest.raises(CityNotFound) as exc:
        resolve("Offenbach", directory, "files")
    assert str(exc.value) == ("'Offenbach' names 2 districts: Offenbach am Main (06413); Landkreis Offenbach (06438). "
                              "Name one by its key or its full name")


def test_an_unknown_key_names_the_files_searched(directory):
    with pytest.raises(CityNotFound, match=r"no district with the key 05999 in the directory of 400 districts \(searched: a.csv, b.xlsx\)"):
        resolve("05999", directory, "a.csv, b.xlsx")
    with pytest.raises(CityNotFound, match="no district named 'Atlantis'"):
        resolve("Atlantis", directory, "files")


def test_the_command_line_stops_on_an_unknown_name_saying_which_files_it_searched(built_report):
    env = {"CMP_WAREHOUSE": str(built_report.warehouse), "CMP_REPORT_DIR": str(built_report.report_dir)}
    code, stdout = _build(["--city", "Atlantis"], env)
    assert code == 2
    assert "Cannot build: no district named 'Atlantis' in the directory of 400 districts (searched: " in stdout
    assert "raw/regionalstatistik/12411-03-03-4_2024.csv" in stdout and "raw/destatis/04-kreise_2023.csv" in stdout


# -- one failing profile among several -------------------------------------------------------------------------------


def test_a_failing_profile_does_not_stop_the_others(built_report, tmp_path, monkeypatch):
    """Essen's build folder is held by another process (its lock), so Essen's run gives up after a second; Bochum's
    profile is published all the same, and the build ends non-zero naming Essen and why."""

    from pipeline.defs.locks import FileLock
    from pipeline.report.folders import EditionFolder

    report = tmp_path / "report"
    shutil.copytree(built_report.report_dir / "_output", report / "_output")
    folder = EditionFolder.of(report / "_build", "05113", "2024")
    folder.root.parent.mkdir(parents=True)
    lock = FileLock(folder.lock_file, "the report folder")
    lock.acquire("run abcdef12", timeout=0)
    try:
        env = {"CMP_WAREHOUSE": str(built_report.warehouse), "CMP_REPORT_DIR": str(report), "CMP_LOCK_TIMEOUT": "1"}
        code, stdout = _build(["--cities", "Essen,Bochum", "--jobs", "2"], env, monkeypatch)
    finally:
        lock.release()
    assert code == 1, stdout
    assert (report / "_output" / "city-migration-profile-bochum-2024.pdf").exists()
    assert not (report / "_output" / "city-migration-profile-essen-2024.pdf").exists()
    assert "1 of 2 profile(s) failed; the others were published." in stdout
    assert "- 05113|2024, report/contents:" in stdout and "05113-2024 is in use by run abcdef12" in stdout
    index = (report / "_output" / "index.html").read_text(encoding="utf-8")
    assert "bochum-2024.pdf" in index and "essen-2024.pdf" not in index


# -- the peer comparison, checked against the raw files --------------------------------------------------------------


def test_the_peer_ranks_are_those_of_the_raw_file(warehouse, tmp_path):
    import duckdb

    from pipeline.domain.editions import editions
    from pipeline.domain.manifest import load_manifest
    from pipeline.report.context import ReportContext
    from pipeline.report.folders import EditionFolder
    from pipeline.report.marts import MartReader

    shares, cities = raw_figures.shares(), raw_figures.cities()
    peers = {raw_figures.CITY_STATE_KEYS.get(code, code): v for code, v in shares.items()
             if raw_figures.CITY_STATE_KEYS.get(code, code) in cities and v[0] >= 500_000}
    expected_rank = 1 + sum(share > peers["05315"][1] for _, share in peers.values())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        edition = editions(load_manifest(RAW))[-1]
        p = ReportContext(MartReader(con), edition, [edition], EditionFolder(tmp_path), "05315").facts.peers
    share = next(i for i in p.indicators if i.key == "foreign_share")
    assert len(p.frame) == len(peers) == 14 and set(p.frame["region_code"]) == set(peers)
    assert (share.rank, share.ranked) == (expected_rank, 14) == (10, 14)
    assert share.own == pytest.approx(peers["05315"][1]) and share.germany == pytest.approx(shares["DG"][1])
    assert share.land == pytest.approx(shares["05"][1])
    assert p.group == "cities (kreisfreie Städte) with 500,000 inhabitants and more"
