"""`make report` redoes only what changed: the plan compared with what the last build recorded."""

from __future__ import annotations

import shutil

import pytest

from pipeline.cli import incremental
from pipeline.config import City, Config
from tests.conftest import RawCopy

EDITIONS = ["2018", "2024"]


@pytest.fixture
def recorded(tmp_path, built_report):
    """A finished build (a copy of the session's) with its records, over a copy of raw/ a test may change."""
    raw = RawCopy(tmp_path / "raw")
    warehouse = tmp_path / "warehouse" / "profile.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_report.warehouse, warehouse)
    shutil.copytree(built_report.report_dir, tmp_path / "report")
    settings = Config(raw_dir=raw.root, warehouse_path=warehouse, report_dir=tmp_path / "report")
    first = incremental.plan(settings, EDITIONS)
    assert first.warehouse == "all"  # a copied file is not the one a record describes
    incremental.record_warehouse(settings, first)
    for key in EDITIONS:
        incremental.record_edition(settings, first, key)
    return settings, raw


def test_nothing_changed_means_nothing_to_do(recorded):
    settings, _ = recorded
    plan = incremental.plan(settings, EDITIONS)
    assert plan.idle
    assert plan.warehouse_reason == "nothing in raw/ or in the code changed since the last build"


def test_a_changed_file_redoes_its_dataset_and_the_editions_that_show_it(recorded):
    settings, raw = recorded
    raw.replace_line(
        "city/dortmund_register_figures.csv",
        "register_population,05913000,2023-12-31,",
        lambda line: line.replace("(2023 edition)", "(2023 edition, checked)"),
    )
    plan = incremental.plan(settings, EDITIONS)
    assert plan.warehouse == ["city_register_figures", "sources_manifest"]
    assert plan.editions == {"2018": (None, "nothing it shows changed"), "2024": ("all", "figures it shows changed")}


def test_a_file_changed_behind_the_manifests_back_is_a_change(recorded):
    """Its run then fails on the hash and says so; the plan must not call it up to date."""
    settings, raw = recorded
    raw.edit_bytes("itnrw/12411-15i_2024.csv", lambda b: b.replace(b";603462;", b";603463;"), rehash=False)
    assert incremental.plan(settings, EDITIONS).warehouse == ["area_population_density"]


def test_an_unlisted_file_runs_the_manifest_check(recorded):
    settings, raw = recorded
    (raw.root / "itnrw" / "12411-15i_2025.csv").write_text("x", encoding="utf-8")
    plan = incremental.plan(settings, EDITIONS)
    assert plan.warehouse == ["sources_manifest"] and all(a is None for a, _ in plan.editions.values())


def test_only_the_quarto_sources_changed_means_only_rendering(recorded, monkeypatch):
    settings, _ = recorded
    code = incremental.code_hashes()
    monkeypatch.setattr(incremental, "code_hashes", lambda: code | {"text": "edited"})
    plan = incremental.plan(settings, EDITIONS)
    assert plan.warehouse is None
    assert plan.editions == {k: ("profile", "only the Quarto sources in report/ changed") for k in EDITIONS}


def test_changed_code_or_city_rebuilds_everything(recorded, monkeypatch):
    settings, _ = recorded
    code = incremental.code_hashes()
    monkeypatch.setattr(incremental, "code_hashes", lambda: code | {"warehouse": "edited"})
    assert incremental.plan(settings, EDITIONS).warehouse == "all"
    monkeypatch.undo()
    other_city = Config(
        raw_dir=settings.raw_dir,
        warehouse_path=settings.warehouse_path,
        report_dir=settings.report_dir,
        cities=(City("05913000", "Dortmund-Test"),),
    )
    assert incremental.plan(other_city, EDITIONS).warehouse == "all"


def test_a_pdf_replaced_by_another_run_is_rendered_again(recorded):
    settings, _ = recorded
    pdf = settings.report_output / "city-migration-profile-dortmund-2024.pdf"
    pdf.write_bytes(pdf.read_bytes())  # same bytes, but not the file the record describes
    assert incremental.plan(settings, EDITIONS).editions["2024"] == ("all", "no record of the last build of this edition")


def test_full_ignores_the_records(recorded):
    settings, _ = recorded
    assert incremental.plan(settings, EDITIONS, full=True).warehouse == "all"
