-- staging.sources
-- The sources manifest (raw/sources.yaml) as a table: one row per raw file with its provenance, licence and
-- sha256, so every table and figure in the report can print where its numbers come from.
-- Written by the Dagster asset staging/sources, replaced in one transaction.
CREATE OR REPLACE TABLE staging.sources (
    id VARCHAR NOT NULL,
    short_name VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    encoding VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    database VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    concept VARCHAR NOT NULL,
    table_code VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    period_start DATE,
    reference_date DATE NOT NULL,
    published VARCHAR NOT NULL,  -- the publisher's date ("Stand"), 'YYYY', or 'not stated'
    retrieved VARCHAR NOT NULL,  -- when the file was obtained, where that differs from its publication ('' otherwise)
    period VARCHAR NOT NULL,  -- what period the figures refer to (pipeline/domain/periods.py)
    census_basis VARCHAR NOT NULL,
    licence VARCHAR NOT NULL,
    attribution VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    obtained_from VARCHAR NOT NULL,
    notes VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    source_line VARCHAR NOT NULL,
    city VARCHAR NOT NULL,  -- the warehouse key of the one city a city-specific input is about ('05913'), '' for others
    PRIMARY KEY (id)
);
