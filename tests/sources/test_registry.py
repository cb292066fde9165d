"""The registry of the publishers' tables: every module under pipeline/sources/ found, in build order, its branch of
core.indicators beside it, and each code list stated once and used three ways."""

from __future__ import annotations

import pytest

from pipeline.domain.codebook import Code, CodeList
from pipeline.sources.registry import BRANCHES, CODE_LISTS, DATASETS, DATASETS_BY_NAME
from pipeline.warehouse.vocabulary import vocabulary_frame


def test_every_table_module_is_found_and_built_after_what_it_needs():
    assert len(DATASETS) == len(DATASETS_BY_NAME) == 34 and "pupils_by_school_type" in DATASETS_BY_NAME
    order = [d.name for d in DATASETS]
    for d in DATASETS:
        assert all(order.index(n) < order.index(d.name) for n in d.needs), d.name
    assert order.index("area_population_density") < order.index("employees_by_economic_section")
    assert order.index("population_by_nationality_and_age_group") < order.index("unemployment_by_group")


def test_each_branch_reads_its_own_staging_table():
    assert len(BRANCHES) == 24  # 34 tables; the 10 in our tidy and text layouts need none
    for name, path in BRANCHES.items():
        assert f"staging.{name}" in path.read_text(encoding="utf-8"), name


def test_a_code_list_gives_the_mapping_the_check_and_the_labels():
    school_types = next(c for c in CODE_LISTS if c.kind == "school_type")
    assert school_types.mapper()["Integrierte Gesamtschulen"] == "gesamtschule"
    assert school_types.codes()[:2] == ["total", "pre_school"]
    vocabulary = vocabulary_frame()
    row = vocabulary[(vocabulary.kind == "school_type") & (vocabulary.code == "gymnasium")].iloc[0]
    assert (row.label, row.sort) == ("Gymnasien", school_types.codes().index("gymnasium") + 1)


@pytest.mark.parametrize("entries, message", [
    ((Code("a", "A", ("x",)), Code("a", "B", ("y",))), "a code is listed twice"),
    ((Code("a", "A", ("x",)), Code("b", "B", ("x",))), "a publisher's label maps to two codes"),
])
def test_a_code_list_refuses_a_code_or_label_twice(entries, message):
    with pytest.raises(ValueError, match=message):
        CodeList("test", entries)


def test_every_code_list_is_one_kind_of_the_vocabulary_with_its_labels():
    from pipeline.domain.codebook import BENEFIT, CONCEPT, ECONOMIC_SECTION, NATIONALITY, SEX, SHARED
    from pipeline.report.labels import MEASUREMENTS
    from pipeline.report.labels import NATIONALITY as CELLS
    from pipeline.sources.registry import CODE_LISTS
    from pipeline.warehouse.vocabulary import vocabulary_frame

    frame = vocabulary_frame()
    kinds = [c.kind for c in (*SHARED, *CODE_LISTS)]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) | {"indicator"} == set(frame["kind"])
    sex = frame[frame["kind"] == "sex"].set_index("code")
    assert sex.loc["female", "label"] == "women" and sex.loc["female", "sort"] == 3
    # one list gives the GENESIS labels, the flat files' codes and the statistical report's words
    assert SEX.mapper()["weiblich"] == SEX.mapper()["GESW"] == "female"
    assert NATIONALITY.mapper()["Nichtdeutsche"] == NATIONALITY.mapper()["NATA"] == NATIONALITY.mapper()["Ausländer"] == "non_german"
    assert BENEFIT.mapper()["Grundsicherung im Alter und bei Erwerbsminderung nach dem SGB XII: im Alter"] == "grundsicherung_old_age"
    assert ECONOMIC_SECTION.mapper()[""] == "total"
    # the report's words come from the same list
    assert CELLS == {"total": "All", "german": "Germans", "non_german": "Non-Germans"}
    assert MEASUREMENTS["municipal_register"] == "the city's population register" == CONCEPT.in_text()["municipal_register"]
    assert set(MEASUREMENTS) == set(CONCEPT.codes())
