"""Regionaldatenbank 21111-01-03-4, pupils of general schools by school type (school year 2023/24): read from the
real file, refused where a count breaks the table's rules, carried to marts.pupils and printed in section 6."""

from __future__ import annotations

import pytest

from pipeline.domain.errors import RawInputError
from pipeline.ingest.context import BuildContext
from pipeline.ingest.dataset import build_dataset
from pipeline.sources.registry import DATASETS_BY_NAME
from pipeline.validation.explain import validate_dataset
from tests.conftest import RAW

FILE = "regionalstatistik/21111-01-03-4_2023.csv"


def _raw_rows(code: str) -> dict[str, list[str]]:
    """The file's rows of one district, by school type, as printed (pupils in all, female, foreign)."""
    out = {}
    for line in (RAW / FILE).read_text(encoding="iso-8859-1").splitlines():
        cells = line.split(";")
        if len(cells) == 10 and cells[0] == "2023" and cells[1] == code:
            out[cells[3]] = cells[5:8]
    return out


def test_the_pupils_are_the_files_counts(built):
    frame = built["pupils_by_school_type"]
    pupils = frame[(frame.measure == "pupils") & (frame.status == "")]
    got = {(r.ags, r.school_type, r.pupil_group): r.value for r in pupils.itertuples()}
    # the figures the data's provenance note gives: Dortmund, Leipzig, München
    assert (got[("05913", "total", "total")], got[("05913", "total", "foreign")]) == (64650, 16085)
    assert (got[("05913", "gymnasium", "total")], got[("05913", "gymnasium", "foreign")]) == (14945, 2060)
    assert (got[("05913", "hauptschule", "total")], got[("05913", "hauptschule", "foreign")]) == (2580, 1470)
    assert (got[("14713", "total", "total")], got[("14713", "total", "foreign")]) == (62273, 9531)
    assert (got[("09162", "total", "total")], got[("09162", "total", "foreign")]) == (136582, 27045)
    # every printed count of Dortmund, by the file's own labels; 'x' and '-' are no figure, never a zero taken as one
    labels = {"Insgesamt": "total", "Gymnasien": "gymnasium", "Realschulen": "realschule", "Grundschulen": "primary",
              "Integrierte Gesamtschulen": "gesamtschule", "Sonderschulen/Förderschulen": "special_needs"}
    for label, (total, female, foreign) in _raw_rows("05913").items():
        if label in labels:
            code = labels[label]
            assert [got[("05913", code, g)] for g in ("total", "female", "foreign")] == [float(total), float(female), float(foreign)]
    unknown = frame[(frame.ags == "05913") & (frame.school_type == "orientation_stage") & (frame.measure == "pupils")]
    assert set(unknown.status) == {"x"} and unknown.value.isna().all()


def _refused(raw_copy) -> RawInputError:
    d = DATASETS_BY_NAME["pupils_by_school_type"]
    with pytest.raises(RawInputError) as exc:
        frame, entries = build_dataset(d, BuildContext(raw_copy.manifest()))
        validate_dataset(d, frame, entries)
    return exc.value


def test_more_foreign_pupils_than_pupils_is_refused_where_it_stands(raw_copy):
    raw_copy.replace_line(FILE, "2023;05913;      Dortmund, kreisfreie Stadt;Gymnasien;",
                          lambda line: line.replace(";14945;7860;2060;", ";14945;7860;20600;"))
    problems = _refused(raw_copy).problems
    # the Gymnasien's pupils in all (line 1504) are fewer than their foreign pupils; and Dortmund's foreign pupils in
    # all (the total row, line 1509) fewer than the school types' foreign pupils added up
    p = next(p for p in problems if "do not exceed all pupils" in p.rule)
    assert (p.file, p.line) == (f"raw/{FILE}", 1504) and "Insgesamt" in p.column
    p = next(p for p in problems if "school types do not exceed" in p.rule)
    assert (p.file, p.line) == (f"raw/{FILE}", 1509) and "ausländisch" in p.column


def test_an_unknown_school_type_is_refused(raw_copy):
    raw_copy.replace_line(FILE, "2023;05913;      Dortmund, kreisfreie Stadt;Gymnasien;",
                          lambda line: line.replace(";Gymnasien;", ";Gymnasien (G9);"))
    p = next(p for p in _refused(raw_copy).problems if p.rule == "row labels known")
    assert p.line == 1504 and "Gymnasien (G9)" in p.detail


def test_the_mart_and_the_table_of_section_6(sql, built_report):
    mart = sql("SELECT school_type, pupils, foreign_pupils, share_foreign FROM marts.pupils WHERE region_code = '05913' "
               "ORDER BY sort")
    assert mart.school_type.iloc[0] == "total" and "orientation_stage" not in set(mart.school_type)  # (no pupils)
    hauptschule = mart.set_index("school_type").loc["hauptschule"]
    assert hauptschule.share_foreign == 100 * 1470 / 2580
    text = " ".join(built_report.editions["2024"].text.split())
    assert "Pupils of general schools by school type, Dortmund, school year 2023/24" in text
    assert "Hauptschulen 2,580 1,470 57.0 %" in text and "All general schools 64,650 16,085 24.9 %" in text
    assert "Regionaldatenbank 21111-01-03-4 (start of the school year 2023/24)" in text
