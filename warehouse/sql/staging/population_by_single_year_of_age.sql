-- staging.population_by_single_year_of_age
-- IT.NRW 12411-09i: population update by single year of age, districts of NRW.
-- Written by the Dagster asset staging/population_by_single_year_of_age, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.PopulationBySingleYearOfAge validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.population_by_single_year_of_age (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    census_basis VARCHAR NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    age_group VARCHAR NOT NULL,
    age_from INTEGER,
    age_to INTEGER,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, age_group)
);
