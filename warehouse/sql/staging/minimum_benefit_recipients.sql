-- staging.minimum_benefit_recipients
-- IT.NRW 22811-05i: recipients of minimum social security benefits by type, municipalities of NRW.
-- Written by the Dagster asset staging/minimum_benefit_recipients, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.MinimumBenefitRecipients validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.minimum_benefit_recipients (
    source_id VARCHAR NOT NULL,
    source_line INTEGER,
    source_column VARCHAR NOT NULL,
    reference_date DATE NOT NULL,
    ags VARCHAR NOT NULL,
    region_name VARCHAR NOT NULL,
    benefit VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    status VARCHAR NOT NULL,
    PRIMARY KEY (reference_date, ags, benefit)
);
