-- staging.area_population_density
-- IT.NRW 12411-15i: cadastral area, population and density, municipalities and districts of NRW.
-- Written by the Dagster asset staging/area_population_density, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.AreaPopulationDensity validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.area_population_density (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    census_basis VARCHAR NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, indicator)
);
