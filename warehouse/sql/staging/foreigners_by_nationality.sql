-- staging.foreigners_by_nationality
-- IT.NRW 12521-03i: foreigners by nationality and sex (Central Register of Foreigners), districts of NRW.
-- Written by the Dagster asset staging/foreigners_by_nationality, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.ForeignPopulationByNationality validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.foreigners_by_nationality (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    nationality_code VARCHAR NOT NULL,
    nationality VARCHAR NOT NULL,
    nationality_level VARCHAR NOT NULL,
    continent_code VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, nationality_code, sex)
);
