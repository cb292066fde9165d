-- staging.employees_by_economic_section
-- IT.NRW 13111-54i: employees liable to social security at their place of work, by WZ 2008 section and by
-- Written by the Dagster asset staging/employees_by_economic_section, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.EmployeesByEconomicSection validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.employees_by_economic_section (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    qualification VARCHAR NOT NULL,
    section_code VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, section_code, qualification)
);
