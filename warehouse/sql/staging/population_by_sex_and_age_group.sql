-- staging.population_by_sex_and_age_group
-- Regionaldatenbank 12411-02-03-4: population by sex and age group, districts.
-- Written by the Dagster asset staging/population_by_sex_and_age_group, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.PopulationBySexAndAgeGroup validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.population_by_sex_and_age_group (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    census_basis VARCHAR NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    age_group VARCHAR NOT NULL,
    age_from INTEGER,
    age_to INTEGER,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, age_group, sex)
);
