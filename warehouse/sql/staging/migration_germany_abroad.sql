-- staging.migration_germany_abroad
-- Destatis 12711-0008: arrivals, departures and net migration between Germany and abroad.
-- Written by the Dagster asset staging/migration_germany_abroad, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.MigrationGermanyAbroad validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.migration_germany_abroad (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    period_start DATE NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    flow VARCHAR NOT NULL,
    nationality VARCHAR NOT NULL,
    country_code VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, flow, nationality, country_code)
);
