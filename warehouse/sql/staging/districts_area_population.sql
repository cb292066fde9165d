-- staging.districts_area_population
-- Destatis GV-ISys: area, population by sex and density of every district of Germany.
-- Written by the Dagster asset staging/districts_area_population, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.DistrictAreaPopulation validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.districts_area_population (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    census_basis VARCHAR NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    region_type VARCHAR NOT NULL,
    nuts3 VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, indicator, sex)
);
