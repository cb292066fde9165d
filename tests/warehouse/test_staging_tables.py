"""The staging DDL generated from the pandera models takes the validated frames, keeps their key, and a table is
replaced atomically."""

import duckdb
import pandas as pd
import pytest

from pipeline.sources.registry import DATASETS, DATASETS_BY_NAME
from pipeline.validation.tables import column_order
from pipeline.warehouse.staging import columns, primary_key, staging_ddl
from pipeline.warehouse.tables import SQL_DIR, ddl_column_types, ident, replace_table


@pytest.mark.parametrize("dataset", DATASETS, ids=[d.name for d in DATASETS])
def test_generated_ddl_takes_the_validated_frame(built, dataset, tmp_path):
    frame = built[dataset.name]
    ddl = staging_ddl(dataset.name, dataset.model)
    assert [name for name, _ in ddl_column_types(ddl)] == list(frame.columns) == column_order(dataset.model)
    assert set(frame.columns) == set(dataset.model.to_schema().columns)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert replace_table(con, "staging", dataset.name, frame, ddl) == len(frame)
    # a column the model declares non-nullable is NOT NULL in the table, and the model's key is the table's
    not_null = {c.name for c in columns(dataset.model) if c.not_null}
    described = {r[0]: r[2] for r in con.execute(f"DESCRIBE staging.{ident(dataset.name)}").fetchall()}
    assert {name for name, null in described.items() if null == "NO"} == not_null | set(primary_key(dataset.model))


def test_the_generated_ddl_of_a_published_table():
    ddl = staging_ddl("area_population_density", DATASETS_BY_NAME["area_population_density"].model)
    assert ddl.splitlines()[1:] == [
        "CREATE OR REPLACE TABLE staging.area_population_density (",
        "    source_id VARCHAR NOT NULL,",
        "    source_line INTEGER,",
        "    source_column VARCHAR NOT NULL,",
        "    reference_date DATE NOT NULL,",
        "    census_basis VARCHAR NOT NULL,",
        "    ags VARCHAR NOT NULL,",
        "    region_name VARCHAR NOT NULL,",
        "    indicator VARCHAR NOT NULL,",
        "    unit VARCHAR NOT NULL,",
        "    value DOUBLE,",
        "    status VARCHAR NOT NULL,",
        "    PRIMARY KEY (reference_date, ags, indicator)",
        ");",
    ]
    assert primary_key(DATASETS_BY_NAME["mc2cm_stakeholders"].model) == ["source_id", "organisation"]  # each list a city's


def test_only_the_manifest_table_has_a_hand_written_ddl_file():
    assert sorted(p.name for p in (SQL_DIR / "staging").glob("*.sql")) == ["sources.sql"]


def test_replace_table_writes_typed_rows(built, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    dataset = DATASETS_BY_NAME["area_population_density"]
    assert replace_table(con, "staging", dataset.name, built[dataset.name], staging_ddl(dataset.name, dataset.model)) == 1332
    row = con.execute(
        "SELECT value, reference_date, typeof(reference_date) FROM staging.area_population_density WHERE ags = ? AND indicator = ?",
        ["05913", "population"],
    ).fetchone()
    assert row[0] == 603462 and str(row[1]) == "2024-12-31" and row[2] == "DATE"


def test_a_failed_replacement_leaves_the_previous_table(built, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    good = built["mc2cm_legal_status"]
    ddl = staging_ddl("mc2cm_legal_status", DATASETS_BY_NAME["mc2cm_legal_status"].model)
    replace_table(con, "staging", "mc2cm_legal_status", good, ddl)
    bad = pd.concat([good, good.iloc[[0]]], ignore_index=True)  # violates the primary key
    with pytest.raises(duckdb.ConstraintException):
        replace_table(con, "staging", "mc2cm_legal_status", bad, ddl)
    assert con.execute("SELECT count(*), sum(value) FROM staging.mc2cm_legal_status").fetchone() == (6, 2 * 114062)
    with pytest.raises(ValueError, match="differ from the DDL"):
        replace_table(con, "staging", "mc2cm_legal_status", good.drop(columns=["note"]), ddl)


@pytest.mark.parametrize("name", ["x; DROP TABLE y", "Staging", "a-b", "", "../x"])
def test_identifiers_from_outside_are_refused(name):
    with pytest.raises(ValueError):
        ident(name)
