-- staging.mc2cm_stakeholders
-- MC2CM Table 2: organisations working on migration and integration in the city (text).
-- Written by the Dagster asset staging/mc2cm_stakeholders, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.StakeholdersInTheCity validates; tests/warehouse/test_staging_tables.py keeps the two in step.
CREATE OR REPLACE TABLE staging.mc2cm_stakeholders (
    source_id VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    stakeholder_group VARCHAR NOT NULL,
    organisation VARCHAR NOT NULL,
    area_of_work VARCHAR NOT NULL,
    as_of INTEGER NOT NULL,
    publisher VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    PRIMARY KEY (organisation)
);
