"""Malformed inputs, each run through the real job the UI, the sensor and the schedule start (refresh_edition).

For every case (run with the selection the raw-file sensor gives a broken file: its dataset and what is downstream,
and the manifest): the run fails at the asset that reads the broken file (and only there), the failure names file,
line, column and rule in one readable message and as metadata in the UI, the asset's check says the same, and the
last good warehouse and PDFs are byte for byte what they were. Nothing is left behind.
"""

from __future__ import annotations

import codecs
import json
import resource
from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg
import pytest

from pipeline.definitions import defs
from pipeline.domain.config import PROJECT_DIR
from pipeline.sources.registry import DATASETS
from tests.conftest import RawCopy

AREA = "itnrw/12411-15i_2024.csv"  # IT.NRW GENESIS table, ISO-8859-1
DORTMUND = "31.12.2024;05913;"  # its line 361
REGIO = "regionalstatistik/12411-03-03-4_2024.csv"  # Regionaldatenbank GENESIS table, UTF-8
REGIO_DORTMUND = "2024-12-31;05913;      Dortmund, Kreisfreie Stadt;Total;"
GVISYS = "destatis/04-kreise_2023.csv"
JSONSTAT = "destatis/12711-0008_data.json"
REGISTER = "city/dortmund_register_figures.csv"
LEGAL = "mc2cm/fig08_legal_status.csv"
AGES = "mc2cm/fig11_age_groups.csv"
SERIES = "destatis/12411-0015_2000-2024.csv"  # GENESIS table with dates across the columns and quality flags
SERIES_DORTMUND = "05913;Dortmund, kreisfreie Stadt;"  # its line 118
BERICHT = "destatis/Statistischer-Bericht_Wanderungen_2024_12711.xlsx"  # the Statistischer Bericht, XLSX as published
CENSUS = "zensus/1000A-0000_2022.zip"  # a flat CSV of the GENESIS web service, zipped as it answers


@dataclass(frozen=True)
class Case:
    id: str
    breaks: Callable[[RawCopy], None]
    asset: str  # the asset whose step must fail
    file: str  # as the message names it
    rule: str  # a part of the rule's name
    line: int | None = None  # None: the rule concerns the whole file (the message says so)
    column: str | None = None  # a part of the column's name, or a spreadsheet's '<sheet>!<cell>'
    also: tuple[str, ...] = ()  # other assets that read the same broken thing and must fail too


MANIFEST = ("raw/sources_manifest",)  # a problem with a listed file fails the manifest's check as well
EVERY_RAW = ("every raw asset",)  # a manifest that cannot be read stops every asset that reads it


def on_line(rel: str, startswith: str, old: str, new: str) -> Callable[[RawCopy], None]:
    def breaks(raw: RawCopy) -> None:
        raw.replace_line(rel, startswith, lambda line: line.replace(old, new, 1))

    return breaks


def text(rel: str, change: Callable[[str], str]) -> Callable[[RawCopy], None]:
    return lambda raw: raw.edit_text(rel, change)


def raw_bytes(rel: str, change: Callable[[bytes], bytes]) -> Callable[[RawCopy], None]:
    return lambda raw: raw.edit_bytes(rel, change)


def drop_line(rel: str, startswith: str) -> Callable[[RawCopy], None]:
    return text(rel, lambda t: "\n".join(line for line in t.split("\n") if not line.startswith(startswith)))


def json_doc(change: Callable[[dict], None]) -> Callable[[RawCopy], None]:
    def edit(t: str) -> str:
        doc = json.loads(t)
        change(doc["data"][0])
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))

    return text(JSONSTAT, edit)


def manifest_edit(old: str, new: str) -> Callable[[RawCopy], None]:
    def breaks(raw: RawCopy) -> None:
        t = raw.manifest_path.read_text(encoding="utf-8")
        assert old in t
        raw.manifest_path.write_text(t.replace(old, new, 1), encoding="utf-8")

    return breaks


def sheet_cell(rel: str, sheet: str, ref: str, text: str) -> Callable[[RawCopy], None]:
    from tests.ingest.test_spreadsheets import set_cell

    return lambda raw: raw.edit_sheet(rel, sheet, set_cell(ref, text))


def unlisted_copy(raw: RawCopy) -> None:
    (raw.root / "itnrw" / "12411-15i_2025.csv").write_bytes((raw.root / AREA).read_bytes())


def hash_mismatch(raw: RawCopy) -> None:
    raw.edit_bytes(AREA, lambda b: b.replace(b";603462;", b";603463;"), rehash=False)


def missing_file(raw: RawCopy) -> None:
    (raw.root / AREA).unlink()


def link_outside(raw: RawCopy) -> None:
    outside = raw.root.parent / "elsewhere.csv"
    outside.write_bytes((raw.root / AREA).read_bytes())
    (raw.root / AREA).unlink()
    (raw.root / AREA).symlink_to(outside)


def future_reference_date(raw: RawCopy) -> None:
    raw.edit_text(AREA, lambda t: t.replace("31.12.2024;", "31.12.2031;"))
    manifest_edit("    reference_date: 2024-12-31\n    period: reference_date\n    published: 2026-01-19",
                  "    reference_date: 2031-12-31\n    period: reference_date\n    published: 2026-01-19")(
        raw
    )


def huge_file(raw: RawCopy) -> None:
    """4 GiB (a sparse file: no disk used), which a reader that loads whole files could not hold in memory."""
    with open(raw.root / AREA, "r+b") as fh:
        fh.truncate(4 * 1024**3)


CASES = [
    # encodings
    Case(
        "utf8-where-latin1-declared",
        raw_bytes(AREA, lambda b: b.decode("iso-8859-1").encode("utf-8")),
        "raw/area_population_density",
        f"raw/{AREA}",
        "encoding",
        2,
        "character",
    ),
    Case(
        "latin1-where-utf8-declared",
        raw_bytes(REGIO, lambda b: b.decode("utf-8").encode("iso-8859-1")),
        "raw/population_by_nationality_and_age_group",
        f"raw/{REGIO}",
        "encoding",
        2,
        "byte 4",
    ),
    Case(
        "byte-order-mark",
        raw_bytes(AREA, lambda b: codecs.BOM_UTF8 + b),
        "raw/area_population_density",
        f"raw/{AREA}",
        "encoding",
        1,
        "character 1",
    ),
    Case(
        "mojibake",
        on_line(REGIO, ";;;;Total;männlich", "männlich", "mÃ¤nnlich"),
        "raw/population_by_nationality_and_age_group",
        f"raw/{REGIO}",
        "encoding",
        8,
        "character",
    ),
    Case(
        "binary-content",
        raw_bytes(AREA, lambda b: b[:100] + bytes(range(256)) * 64),
        "raw/area_population_density",
        f"raw/{AREA}",
        "control characters",
        2,
        "character",
    ),
    # size and shape of the file
    Case("empty-file", raw_bytes(AREA, lambda b: b""), "raw/area_population_density", f"raw/{AREA}", "not empty", 1),
    Case("truncated-file", text(AREA, lambda t: t[: t.index(DORTMUND) + 20]), "raw/area_population_density", f"raw/{AREA}", "footer"),
    Case("missing-footer", drop_line(AREA, "Stand:"), "raw/area_population_density", f"raw/{AREA}", "footer"),
    Case("missing-header-row", drop_line(AREA, ";;;Anzahl;qkm;EW pro qkm"), "raw/area_population_density", f"raw/{AREA}", "header"),
    Case(
        "shifted-header-row",
        on_line(AREA, ";;;Anzahl;qkm;EW pro qkm", ";;;Anzahl", ";;Anzahl"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "header rows aligned",
        5,
    ),
    Case(
        "shifted-data-row",
        on_line(AREA, DORTMUND, ";603462;", ";;603462;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "row width matches header",
        361,
        "7",
    ),
    Case(
        "extra-column",
        on_line(AREA, DORTMUND, ";280,71;", ";280,71;1;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "row width matches header",
        361,
        "7",
    ),
    Case(
        "header-renamed",
        on_line(REGIO, ";;;;Total;männlich", "männlich", "maennlich"),
        "raw/population_by_nationality_and_age_group",
        f"raw/{REGIO}",
        "header labels known",
        8,
    ),
    Case(
        "new-table-code",
        on_line(AREA, "Tabelle:", "12411-15i", "12411-16i"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "table code matches manifest",
        1,
    ),
    Case(
        "duplicated-row",
        text(
            AREA,
            lambda t: t.replace(
                t[t.index(DORTMUND) : t.index("\n", t.index(DORTMUND)) + 1], t[t.index(DORTMUND) : t.index("\n", t.index(DORTMUND)) + 1] * 2
            ),
        ),
        "raw/area_population_density",
        f"raw/{AREA}",
        "unique",
        362,
        "ags",
    ),
    # cell values
    Case(
        "negative-count",
        on_line(AREA, DORTMUND, ";603462;", ";-603462;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "greater_than_or_equal_to(0)",
        361,
        "Bevölkerungsstand",
    ),
    Case(
        "non-numeric-value",
        on_line(AREA, DORTMUND, ";603462;", ";6O3462;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "known special symbols",
        361,
        "Bevölkerungsstand",
    ),
    Case(
        "unknown-special-symbol",
        on_line(AREA, DORTMUND, ";280,71;", ";280,71p;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "known special symbols",
        361,
        "Bodenfläche",
    ),
    Case(
        "decimal-point-not-comma",
        on_line(AREA, DORTMUND, ";280,71;", ";280.71;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "number format",
        361,
        "Bodenfläche",
    ),
    Case(
        "thousands-separator",
        on_line(AREA, DORTMUND, ";603462;", ";603.462;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "number format",
        361,
        "Bevölkerungsstand",
    ),
    Case(
        "empty-value-cell",
        on_line(AREA, DORTMUND, ";603462;", ";;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "no empty cells",
        361,
        "Bevölkerungsstand",
    ),
    Case(
        "gvisys-decimal-point",
        on_line(GVISYS, "05913;", "280,71", "280.71"),
        "raw/districts_area_population",
        f"raw/{GVISYS}",
        "number format",
        131,
        "Fläche",
    ),
    # sums and shares
    Case(
        "parts-exceed-total-genesis",
        on_line(REGIO, REGIO_DORTMUND, ";125079;", ";135079;"),
        "raw/population_by_nationality_and_age_group",
        f"raw/{REGIO}",
        "add up to the total",
        None,
        "Total",
    ),
    Case(
        "parts-exceed-total-transcribed",
        on_line(LEGAL, "fig08_legal_status,05913000,2018-12-31,population,non_german,legal_status,tolerated,",
                ",1817,persons,foreigners_register,1.817,", ",181700,persons,foreigners_register,181.700,"),
        "raw/mc2cm_legal_status",
        f"raw/{LEGAL}",
        "add up to the total",
        10,
        "value",
    ),
    Case(
        "share-above-100-percent",
        on_line(AGES, "fig11_age_groups,05913000,2013-12-31,share_of_age_group,non_german,age_group,0-3,", ",9,percent,", ",109,percent,"),
        "raw/mc2cm_age_groups",
        f"raw/{AGES}",
        "shares are at most 100 %",
        8,
        "value",
    ),
    # regions and dates
    Case(
        "unknown-ags",
        on_line(AREA, DORTMUND, ";05913;", ";05999;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "profile city listed under its AGS",
        361,
        "ags",
    ),
    Case(
        "malformed-ags",
        on_line(AREA, "31.12.2024;05111;", ";05111;", ";5111;"),
        "raw/area_population_density",
        f"raw/{AREA}",
        "str_matches",
        8,
        "ags",
    ),
    Case(
        "region-renamed",
        text("itnrw/13111-54i_2024.csv", lambda t: t.replace("    Dortmund, krfr. Stadt;", "    Dortmund, Stadt;")),
        "raw/employees_by_economic_section",
        "raw/itnrw/13111-54i_2024.csv",
        "region names resolve",
        708,
    ),
    Case(
        "reference-date-wrong-year",
        text(AREA, lambda t: t.replace("31.12.2024;", "31.12.2023;")),
        "raw/area_population_density",
        f"raw/{AREA}",
        "reference date matches manifest",
        6,
        "reference_date",
    ),
    Case(
        "reference-date-in-the-future",
        future_reference_date,
        "raw/area_population_density",
        f"raw/{AREA}",
        "reference date not in the future",
        also=MANIFEST,
    ),
    Case(
        "register-date-not-a-date",
        on_line(REGISTER, "register_population,05913000,2023-12-31,", "2023-12-31", "31.12.2023"),
        "raw/city_register_figures",
        f"raw/{REGISTER}",
        "reference date format",
        12,
        "reference_date",
    ),
    # the manifest
    Case(
        "file-not-in-manifest", unlisted_copy, "raw/sources_manifest", "raw/itnrw/12411-15i_2025.csv", "every raw file is in the manifest"
    ),
    Case("manifest-hash-mismatch", hash_mismatch, "raw/area_population_density", f"raw/{AREA}", "manifest hash matches", also=MANIFEST),
    Case("listed-file-missing", missing_file, "raw/area_population_density", f"raw/{AREA}", "listed file exists", also=MANIFEST),
    Case("link-out-of-raw", link_outside, "raw/area_population_density", f"raw/{AREA}", "file inside raw/", also=MANIFEST),
    Case(
        "manifest-path-traversal",
        manifest_edit(f"    file: {AREA}\n", "    file: ../../etc/passwd\n"),
        "raw/sources_manifest",
        "raw/sources.yaml",
        "manifest file path",
        39,
        "file",
        also=EVERY_RAW,
    ),
    Case(
        "manifest-not-yaml",
        manifest_edit("    dataset: area_population_density\n", "    dataset: [area_population_density\n"),
        "raw/sources_manifest",
        "raw/sources.yaml",
        "YAML",
        41,
        "11",
        also=EVERY_RAW,
    ),
    # JSON-stat
    Case(
        "jsonstat-missing-dimension",
        json_doc(lambda ds: ds["dimension"].pop("NAT")),
        "raw/migration_germany_abroad",
        f"raw/{JSONSTAT}",
        "dimensions complete",
        None,
        "NAT",
    ),
    Case(
        "jsonstat-values-missing",
        json_doc(lambda ds: ds["value"].pop()),
        "raw/migration_germany_abroad",
        f"raw/{JSONSTAT}",
        "sizes agree",
        None,
        "value",
    ),
    Case(
        "jsonstat-not-json",
        text(JSONSTAT, lambda t: t[: len(t) // 2]),
        "raw/migration_germany_abroad",
        f"raw/{JSONSTAT}",
        "valid JSON",
        1,
        "character",
    ),
    # GENESIS with quality flags
    Case(
        "unknown-quality-flag",
        on_line(SERIES, SERIES_DORTMUND, ";580444;e;", ";580444;v;"),
        "raw/population_of_districts",
        f"raw/{SERIES}",
        "known quality flags",
        118,
        "24",
    ),
    Case(
        "flag-column-shifted",
        on_line(SERIES, ";;31.12.2000;;", ";;31.12.2000;;31.12.2001;", ";;31.12.2000;31.12.2001;;"),
        "raw/population_of_districts",
        f"raw/{SERIES}",
        "quality flag columns",
        6,
        "4 (31.12.2001)",
    ),
    # XLSX as published (the Statistischer Bericht)
    Case(
        "sheet-renamed",
        lambda raw: raw.rename_sheet(BERICHT, "csv-12711-02", "Tabelle1"),
        "raw/migration_germany_since_1950",
        f"raw/{BERICHT}",
        "sheet present",
    ),
    Case(
        "sheet-header-renamed",
        sheet_cell(BERICHT, "csv-12711-02", "F1", "Zuzuege"),
        "raw/migration_germany_since_1950",
        f"raw/{BERICHT}",
        "header labels known",
        column="csv-12711-02!F1",
    ),
    Case(
        "sheet-text-for-a-number",
        sheet_cell(BERICHT, "csv-12711-02", "F125", "k. A."),
        "raw/migration_germany_since_1950",
        f"raw/{BERICHT}",
        "value or special symbol",
        column="csv-12711-02!F125",
    ),
    # the flat CSV of the GENESIS web service
    Case(
        "flat-file-without-value-column",
        lambda raw: raw.edit_zipped_csv(CENSUS, lambda t: t.replace(";value;value_unit;", ";wert;value_unit;", 1)),
        "raw/census_population",
        f"raw/{CENSUS}",
        "flat file columns",
        1,
    ),
    # far too large
    Case("huge-file", huge_file, "raw/area_population_density", f"raw/{AREA}", "file size limit", also=MANIFEST),
]


def _names_column(line: str, column: str) -> bool:
    if "!" in column:  # a spreadsheet's cell
        sheet, cell = column.split("!")
        return f", sheet '{sheet}', cell {cell}: " in line
    return ", column " in line and column in line.split(", column ", 1)[1]


def failures(result) -> dict[str, object]:
    return {e.step_key: e for e in result.all_events if e.event_type_value == "STEP_FAILURE"}


def step(asset: str) -> str:
    return asset.replace("/", "__")


def sensor_selection(case: Case) -> list[dg.AssetKey] | None:
    """What the raw-file sensor runs for a broken file: its dataset's raw asset and everything downstream of it, and
    the manifest's asset (pipeline/defs/automation/sensors.py). A broken manifest stops every raw asset: the whole
    job. (Selecting as the sensor does keeps each run to the one table it breaks: 2-3 s instead of reading all 27.)"""
    if case.also == EVERY_RAW:
        return None
    names = [a for a in (case.asset, *case.also, "raw/sources_manifest")]
    by_name = {d.name: d for d in DATASETS}
    names += [f"raw/{n}" for a in names if a.startswith("raw/") and a[4:] in by_name for n in by_name[a[4:]].needs]  # its inputs
    keys = [dg.AssetKey(a.split("/")) for a in names]
    return sorted(dg.AssetSelection.assets(*keys).downstream().resolve(defs().resolve_asset_graph()))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_stops_the_run_and_changes_nothing(case: Case, stage):
    before = stage.state()
    case.breaks(stage.raw)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    result = stage.run(selection=sensor_selection(case))

    assert not result.success
    failed = failures(result)
    expected = {step(case.asset)} | {step(a) for a in case.also if a not in EVERY_RAW}
    if case.also == EVERY_RAW:
        # (a dataset that reads another one is skipped, not failed: its upstream failed first)
        expected |= {step(f"raw/{d.name}") for d in DATASETS if not d.needs}
    assert set(failed) == expected, f"failed steps: {sorted(failed)}"
    event = failed[step(case.asset)]
    data = event.event_specific_data.user_failure_data
    assert data is not None, "the failure carries no metadata for the UI"
    message = data.description
    # one line of the message names file, line, column and rule together
    matching = [
        line
        for line in message.splitlines()
        if line.startswith(case.file)
        and (case.line is None or f", line {case.line}" in line)
        and (case.column is None or _names_column(line, case.column))
        and "[rule: " in line
        and case.rule in line.rsplit("[rule: ", 1)[1]
    ]
    assert matching, f"no line of the message names {case.file}, line {case.line}, column {case.column}, rule {case.rule}:\n{message}"
    if case.line is None and case.column is None:
        assert "(whole file)" in matching[0] or ", line " in matching[0]
    table = data.metadata["problems"].value
    assert case.file in table and case.rule.split("(")[0] in table
    checks = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.asset_key.to_user_string() == case.asset
    ]
    assert checks and any(not c.passed and case.file in (c.description or "") for c in checks), "no failed check names the file"
    # nothing downstream of the broken input ran; the report was not rendered
    materialized = {e.asset_key for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}
    downstream = dg.AssetSelection.assets(dg.AssetKey(case.asset.split("/"))).downstream().resolve(defs().resolve_asset_graph())
    assert not materialized & downstream and dg.AssetKey(["report", "profile"]) not in materialized

    assert stage.state() == before
    assert stage.leftovers() == []
    if case.id == "huge-file":  # refused without being read: the process never came near holding 4 GiB
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 512 * 1024  # KiB


def test_the_suite_covers_thirty_distinct_inputs_and_the_reliability_report_lists_them():
    assert len({c.id for c in CASES}) == len(CASES) >= 30
    assert len({(c.file, c.rule) for c in CASES}) >= 30
    report = (PROJECT_DIR / "docs" / "reliability.md").read_text(encoding="utf-8")
    section = report[report.index("### Bad input") : report.index("### Faults")]
    assert f"{len(CASES)} malformed inputs" in section
    assert [c.id for c in CASES if f"| {c.id} |" not in section] == []
