-- Layout shared by the tables of our tidy transcriptions (raw/README.md, "Tidy CSV layout"):
-- staging.city_register_figures and staging.mc2cm_synopsis, mc2cm_legal_status, mc2cm_top_nationalities,
-- mc2cm_age_groups, mc2cm_social_indicators. {table} is filled in by pipeline/warehouse.py with a table name from
-- the dataset registry (checked to be a plain identifier). Columns as pipeline.validation.models.TidyFigures
-- validates; tests/warehouse/test_staging_tables.py keeps the two in step.
CREATE OR REPLACE TABLE staging.{table} (
    source_id VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_column VARCHAR NOT NULL,
    table_id VARCHAR NOT NULL,
    ags VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    indicator VARCHAR NOT NULL,
    nationality VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    concept VARCHAR NOT NULL,
    printed_as VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    PRIMARY KEY (table_id, ags, reference_date, indicator, nationality, breakdown, category)
);
