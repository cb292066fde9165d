"""`make report` redoes only what changed: the plan compared with what the last build recorded, per profile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import versions
from pipeline.cli import incremental
from pipeline.cli.incremental import Profile
from pipeline.domain.config import City, Config
from tests.conftest import RawCopy

DORTMUND = [Profile("05913", "Dortmund", "2018"), Profile("05913", "Dortmund", "2024")]
ESSEN = Profile("05113", "Essen", "2024")
YEARS = {"05913": [2018, 2024], "05113": [2024]}


def plan(settings, full=False):
    result = incremental.plan(settings, full=full)
    incremental.plan_profiles(settings, result, [*DORTMUND, ESSEN], YEARS)
    return result


def actions(result) -> dict[str, tuple]:
    return {str(p): v for p, v in result.profiles.items()}


@pytest.fixture
def recorded(tmp_path, built_report):
    """A finished build (a copy of the session's) with its records, over a copy of raw/ a test may change; Essen's
    2024 profile is recorded as if it had been built too (its files are copies of Dortmund's)."""
    raw = RawCopy(tmp_path / "raw")
    warehouse = tmp_path / "warehouse" / "profile.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_report.warehouse, warehouse)
    shutil.copytree(built_report.report_dir, tmp_path / "report")
    out = tmp_path / "report" / "_output"
    for suffix in (".pdf", ".html", ".xlsx", "-csv.zip"):
        shutil.copyfile(out / f"city-migration-profile-dortmund-2024{suffix}", out / f"city-migration-profile-essen-2024{suffix}")
    shutil.copytree(tmp_path / "report" / "_build" / "05913-2024", tmp_path / "report" / "_build" / "05113-2024")
    settings = Config(raw_dir=raw.root, warehouse_path=warehouse, report_dir=tmp_path / "report")
    first = plan(settings)
    assert first.warehouse == "all"  # a copied file is not the one a record describes
    incremental.record_warehouse(settings, first)
    for p in [*DORTMUND, ESSEN]:  # as report/profile records each profile it publishes
        versions.record_profile(settings, {"city": {"key": p.city, "name": p.name, "kind": p.kind}, "headline": {"population": "1"}},
                                p.edition)
    return settings, raw


def test_nothing_changed_means_nothing_to_do(recorded):
    settings, _ = recorded
    result = plan(settings)
    assert result.idle
    assert result.warehouse_reason == "nothing in raw/ or in the code changed since the last build"


# A file about Dortmund alone, changed in a row both Dortmund editions show: the register figures span 2010-2023
# (period_start), the policy register's reworded entry of 2011 is current in both. The warehouse reloads that dataset
# alone; both Dortmund editions are written again (their figures and charts come back unchanged from the warehouse
# and the chart cache); Essen's profile, which shows nothing of Dortmund's, is left alone.
CITY_FILES = [
    ("city/dortmund_register_figures.csv", "register_population,05913000,2023-12-31,", "(2023 edition)", "(2023 edition, checked)",
     "city_register_figures"),
    ("city/dortmund_policy_register.csv", "05913000,access_to_services,political_participation,programme,Politik Mit-Wirkung,",
     "with three parties.", "with three political parties.", "city_policy_register"),
]


@pytest.mark.parametrize("rel, row, old, new, dataset", CITY_FILES, ids=["register figures", "policy register"])
def test_a_changed_file_of_one_city_redoes_that_citys_editions_that_show_it(recorded, rel, row, old, new, dataset):
    settings, raw = recorded
    raw.replace_line(rel, row, lambda line: line.replace(old, new))
    result = plan(settings)
    assert result.warehouse == [dataset, "sources_manifest"]
    assert actions(result) == {"Dortmund 2018": ("all", "figures it shows changed"), "Dortmund 2024": ("all", "figures it shows changed"),
                               "Essen 2024": (None, "nothing it shows changed")}


def test_a_changed_nationwide_file_redoes_every_district_that_shows_it(recorded):
    settings, raw = recorded
    raw.edit_bytes("regionalstatistik/12411-03-03-4_2024.csv", lambda b: b + b"\n")
    result = plan(settings)
    assert result.warehouse == ["population_by_nationality_and_age_group", "sources_manifest"]
    assert actions(result) == {"Dortmund 2018": (None, "nothing it shows changed"), "Dortmund 2024": ("all", "figures it shows changed"),
                               "Essen 2024": ("all", "figures it shows changed")}


def test_a_file_changed_behind_the_manifests_back_is_a_change(recorded):
    """Its run then fails on the hash and says so; the plan must not call it up to date."""
    settings, raw = recorded
    raw.edit_bytes("itnrw/12411-15i_2024.csv", lambda b: b.replace(b";603462;", b";603463;"), rehash=False)
    assert plan(settings).warehouse == ["area_population_density"]


def test_an_unlisted_file_runs_the_manifest_check(recorded):
    settings, raw = recorded
    (raw.root / "itnrw" / "12411-15i_2025.csv").write_text("x", encoding="utf-8")
    result = plan(settings)
    assert result.warehouse == ["sources_manifest"] and all(a is None for a, _ in result.profiles.values())


def test_only_the_quarto_sources_changed_means_only_rendering(recorded, monkeypatch):
    settings, _ = recorded
    code = incremental.code_hashes()
    monkeypatch.setattr(incremental, "code_hashes", lambda: code | {"text": "edited"})
    result = plan(settings)
    assert result.warehouse is None
    assert set(result.profiles.values()) == {("profile", "only the Quarto sources in report/ (or the publisher) changed")}


def test_another_publisher_renders_every_profile_again(recorded, tmp_path, monkeypatch):
    """The imprint names the deployment's publisher (report/publisher.yml or CMP_PUBLISHER): a new one is printed in
    every profile, without rebuilding anything else."""
    settings, _ = recorded
    path = tmp_path / "publisher.yml"
    path.write_text("publisher: Amt für Statistik\n", encoding="utf-8")
    monkeypatch.setenv("CMP_PUBLISHER", str(path))
    result = plan(settings)
    assert result.warehouse is None
    assert set(result.profiles.values()) == {("profile", "only the Quarto sources in report/ (or the publisher) changed")}


def test_another_renderer_renders_again(recorded, monkeypatch):
    """Switching between Quarto and the built-in route (or to another version) renders every profile again."""
    settings, _ = recorded
    code = incremental.code_hashes()
    assert code["renderer"].startswith("built-in (pypandoc-binary ")
    monkeypatch.setattr(incremental, "code_hashes", lambda: code | {"renderer": "quarto 1.10.18"})
    result = plan(settings)
    assert result.warehouse is None
    assert set(result.profiles.values()) == {("profile", f"the renderer changed: {code['renderer']}, now quarto 1.10.18")}


def test_changed_code_or_checked_city_rebuilds_everything(recorded, monkeypatch):
    settings, _ = recorded
    code = incremental.code_hashes()
    monkeypatch.setattr(incremental, "code_hashes", lambda: code | {"warehouse": "edited"})
    assert plan(settings).warehouse == "all"
    monkeypatch.undo()
    other_city = Config(
        raw_dir=settings.raw_dir,
        warehouse_path=settings.warehouse_path,
        report_dir=settings.report_dir,
        cities=(City("05913000", "Dortmund-Test"),),
    )
    assert plan(other_city).warehouse == "all"


def test_a_pdf_replaced_by_another_run_is_rendered_again(recorded):
    settings, _ = recorded
    pdf = settings.report_output / "city-migration-profile-dortmund-2024.pdf"
    pdf.write_bytes(pdf.read_bytes())  # rewritten with the same bytes: still the published file (a restore, a sync)
    assert actions(plan(settings))["Dortmund 2024"] == (None, "nothing it shows changed")
    pdf.write_bytes(pdf.read_bytes() + b"\n%another run")  # other bytes: not the file the record describes
    assert actions(plan(settings))["Dortmund 2024"] == ("all", "no record of the last build of this profile")
    assert actions(plan(settings))["Essen 2024"] == (None, "nothing it shows changed")


def test_full_ignores_the_records(recorded):
    settings, _ = recorded
    assert plan(settings, full=True).warehouse == "all"


def test_the_published_records_list_what_is_in_the_output_folder(recorded):
    settings, _ = recorded
    records, problems = incremental.published_records(settings)
    assert sorted((r["city"][1], r["edition"]) for r in records) == [("Dortmund", "2018"), ("Dortmund", "2024"), ("Essen", "2024"),
                                                                    ("Landkreis Görlitz", "2024")]  # (the session built Görlitz too)
    assert problems == []
    # a profile whose file went, or whose file was altered, is not listed, and the build names it
    (settings.report_output / "city-migration-profile-essen-2024.html").unlink()
    with (settings.report_output / "city-migration-profile-dortmund-2018.xlsx").open("ab") as f:
        f.write(b"\0")
    records, problems = incremental.published_records(settings)
    assert sorted((r["city"][1], r["edition"]) for r in records) == [("Dortmund", "2024"), ("Landkreis Görlitz", "2024")]
    assert problems == [
        "city-migration-profile-dortmund-2018: not listed in the index: XLSX altered since it was published (building its "
        "district again republishes it)",
        "city-migration-profile-essen-2024: not listed in the index: its HTML missing (building its district again "
        "republishes it)"]


def test_a_copy_of_the_output_lists_and_skips_every_profile(recorded, tmp_path, monkeypatch):
    """`cp -a` (or a restore, a sync): other inodes, the same bytes. Every profile is still listed and up to date."""
    settings, _ = recorded
    copy = tmp_path / "copied" / "report"
    shutil.copytree(settings.report_output.parent, copy, copy_function=shutil.copy2)
    moved = Config(raw_dir=settings.raw_dir, warehouse_path=settings.warehouse_path, report_dir=copy)
    records, problems = incremental.published_records(moved)
    assert len(records) == 4 and problems == []
    assert set(plan(moved).profiles.values()) == {(None, "nothing it shows changed")}
    # the listing brought the records' quick test up to date: the next build hashes none of the copied files again
    hashed = []
    real = versions.sha256_of
    monkeypatch.setattr(versions, "sha256_of", lambda path: hashed.append(path) or real(path))
    assert len(incremental.published_records(moved)[0]) == 4 and plan(moved).idle
    assert [p for p in hashed if copy in Path(p).parents] == []


def test_a_profile_rendered_outside_make_report_is_up_to_date_for_it(recorded, monkeypatch):
    """A run of build_report from the UI, the sensor or the run queue: report/profile records what it published
    (pipeline/versions.py), so the next `make report` does not render it again."""
    import dagster as dg

    settings, _ = recorded
    versions.published(settings, "Dortmund", "2024").record.unlink()
    assert actions(plan(settings))["Dortmund 2024"] == ("all", "no record of the last build of this profile")
    for name, value in (("CMP_RAW_DIR", settings.raw_dir), ("CMP_WAREHOUSE", settings.warehouse_path),
                        ("CMP_REPORT_DIR", settings.report_output.parent)):
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    from pipeline.definitions import defs

    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("city", ["05913"])
        instance.add_dynamic_partitions("edition", ["2024"])
        run = defs().resolve_job_def("build_report").execute_in_process(instance=instance, partition_key="05913|2024",
                                                                         raise_on_error=False)
    assert run.success
    assert actions(plan(settings))["Dortmund 2024"] == (None, "nothing it shows changed")


def test_a_warehouse_built_outside_make_report_is_up_to_date_for_it(warehouse):
    """The session's warehouse was built by a run of build_warehouse, not by `make report` (tests/conftest.py): the
    run that published it recorded the dataset versions its raw assets ingested and the code it ran (pipeline/defs/
    resources.py), the same versions `make report` computes (pipeline/versions.py), so its plan has nothing to do."""
    from tests.conftest import RAW

    settings = Config(raw_dir=RAW, warehouse_path=warehouse)
    record = versions.read_record(versions.warehouse_record_path(settings))
    assert set(record["datasets"]) == {e.dataset for e in settings.manifest().entries} | {versions.MANIFEST_DATASET}
    result = incremental.plan(settings)
    assert result.warehouse is None, result.warehouse_reason
    assert record["datasets"]["population_by_nationality_and_age_group"] == versions.dataset_version(
        settings.manifest(), "population_by_nationality_and_age_group")


def test_a_run_that_builds_a_part_of_the_warehouse_writes_no_record(tmp_path, warehouse):
    """A run of some of the warehouse's assets (from the UI, say: here every raw dataset and its staging table)
    cannot say which datasets the whole reflects: it leaves no record, and the next `make report` rebuilds the
    warehouse once."""
    import dagster as dg

    from tests.conftest import RAW, build_warehouse

    copy = tmp_path / "profile.duckdb"
    shutil.copyfile(warehouse, copy)
    # every raw dataset read again and loaded into staging, but nothing built from the staging tables
    from pipeline.definitions import defs

    part = dg.AssetSelection.groups("raw", "staging").resolve(defs().resolve_asset_graph())
    before = copy.stat().st_mtime_ns
    result = build_warehouse(RAW, copy, selection=sorted(part))
    assert result.success and len(part) > 60 and copy.stat().st_mtime_ns != before  # (published)
    settings = Config(raw_dir=RAW, warehouse_path=copy)
    assert not versions.warehouse_record_path(settings).exists()
    assert incremental.plan(settings).warehouse == "all"
