"""The DDL files in warehouse/sql/staging agree with the validated frames, and a table is replaced atomically."""

import duckdb
import pandas as pd
import pytest

from pipeline.ingest.datasets import DATASETS
from pipeline.validation.models import MODELS
from pipeline.warehouse import SQL_DIR, ddl_columns, ident, replace_table, table_ddl


@pytest.mark.parametrize("dataset", DATASETS, ids=[d.name for d in DATASETS])
def test_ddl_matches_model_and_frame(built, dataset):
    cols = ddl_columns(table_ddl("staging", dataset.name, dataset.staging_layout))
    assert cols == list(built[dataset.name].columns)
    assert set(cols) == set(MODELS[dataset.model].to_schema().columns)


def test_every_ddl_file_belongs_to_a_table():
    names = {p.name.removesuffix(".sql") for p in (SQL_DIR / "staging").glob("*.sql")}
    own = {d.name for d in DATASETS if d.staging_layout is None} | {"sources"}
    layouts = {f"{d.staging_layout}.layout" for d in DATASETS if d.staging_layout}
    assert names == own | layouts


def test_replace_table_writes_typed_rows(built, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert replace_table(con, "staging", "area_population_density", built["area_population_density"]) == 1332
    row = con.execute(
        "SELECT value, reference_date, typeof(reference_date) FROM staging.area_population_density WHERE ags = ? AND indicator = ?",
        ["05913", "population"],
    ).fetchone()
    assert row[0] == 603462 and str(row[1]) == "2024-12-31" and row[2] == "DATE"


def test_a_failed_replacement_leaves_the_previous_table(built, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    good = built["mc2cm_legal_status"]
    replace_table(con, "staging", "mc2cm_legal_status", good, "tidy_figures")
    bad = pd.concat([good, good.iloc[[0]]], ignore_index=True)  # violates the primary key
    with pytest.raises(duckdb.ConstraintException):
        replace_table(con, "staging", "mc2cm_legal_status", bad, "tidy_figures")
    assert con.execute("SELECT count(*), sum(value) FROM staging.mc2cm_legal_status").fetchone() == (6, 2 * 114062)
    with pytest.raises(ValueError, match="differ from the DDL"):
        replace_table(con, "staging", "mc2cm_legal_status", good.drop(columns=["note"]), "tidy_figures")


@pytest.mark.parametrize("name", ["x; DROP TABLE y", "Staging", "a-b", "", "../x"])
def test_identifiers_from_outside_are_refused(name):
    with pytest.raises(ValueError):
        ident(name)
