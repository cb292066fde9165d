"""The registry of the publishers' tables: every module under pipeline/sources/ found, in build order, its branch of
core.indicators beside it, and each code list stated once and used three ways."""

from __future__ import annotations

import pytest

from pipeline.domain.codebook import Code, CodeList
from pipeline.sources.registry import BRANCHES, CODE_LISTS, DATASETS, DATASETS_BY_NAME
from pipeline.warehouse.vocabulary import vocabulary_frame


def test_every_table_module_is_found_and_built_after_what_it_needs():
    assert len(DATASETS) == len(DATASETS_BY_NAME) == 33 and "pupils_by_school_type" in DATASETS_BY_NAME
    order = [d.name for d in DATASETS]
    for d in DATASETS:
        assert all(order.index(n) < order.index(d.name) for n in d.needs), d.name
    assert order.index("area_population_density") < order.index("employees_by_economic_section")


def test_each_branch_reads_its_own_staging_table():
    assert len(BRANCHES) == 23  # 33 tables; the 10 in our tidy and text layouts need none
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
