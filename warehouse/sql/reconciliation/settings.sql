-- reconciliation.settings: the `consistent` tolerance and the `plausibility` settings of
-- pipeline/reconciliation/rules.yaml (one row).
CREATE OR REPLACE TABLE reconciliation.settings (
    consistent_relative DOUBLE NOT NULL,
    consistent_reasoning VARCHAR NOT NULL,
    plausibility_change_gap DOUBLE NOT NULL,
    plausibility_reasoning VARCHAR NOT NULL,
    unusual_percentile DOUBLE NOT NULL,
    unusual_at_least INTEGER NOT NULL,
    unusual_reasoning VARCHAR NOT NULL
);
