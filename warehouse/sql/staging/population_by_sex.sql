-- staging.population_by_sex
-- Regionaldatenbank 12411-01-01-4: population by sex, districts of Germany.
-- Written by the Dagster asset staging/population_by_sex, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.PopulationBySex validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.population_by_sex (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    census_basis VARCHAR NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, sex)
);
