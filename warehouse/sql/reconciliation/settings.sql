-- reconciliation.settings: the `consistent` tolerance of pipeline/reconciliation/rules.yaml (one row).
CREATE OR REPLACE TABLE reconciliation.settings (
    consistent_relative DOUBLE NOT NULL,
    consistent_reasoning VARCHAR NOT NULL
);
