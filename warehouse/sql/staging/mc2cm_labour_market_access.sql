-- staging.mc2cm_labour_market_access
-- MC2CM Table 1: access to the labour market by legal status (text).
-- Written by the Dagster asset staging/mc2cm_labour_market_access, replaced in one transaction. The columns are the ones
-- pipeline.validation.models.LabourMarketAccessByLegalStatus validates; tests/test_warehouse.py keeps the two in step.
CREATE OR REPLACE TABLE staging.mc2cm_labour_market_access (
    source_id VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    legal_status VARCHAR NOT NULL,
    legal_basis VARCHAR NOT NULL,
    labour_market_access VARCHAR NOT NULL,
    as_of INTEGER NOT NULL,
    publisher VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    PRIMARY KEY (legal_status)
);
