-- staging.mc2cm_age_groups
-- MC2CM Fig. 11: age groups of Germans and non-Germans with the non-Germans' printed share.
-- Written by the Dagster asset staging/mc2cm_age_groups, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.ProfileAgeGroups validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.mc2cm_age_groups (
    source_id VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_column VARCHAR NOT NULL,
    table_id VARCHAR NOT NULL,
    ags VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    indicator VARCHAR NOT NULL,
    nationality VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    printed_as VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    PRIMARY KEY (table_id, reference_date, indicator, nationality, breakdown, category)
);
