-- reconciliation.rules: the rules of pipeline/reconciliation/rules.yaml, one row per rule, in priority order.
-- NULL in a condition column means "any".
CREATE OR REPLACE TABLE reconciliation.rules (
    rule_id VARCHAR NOT NULL,
    priority INTEGER NOT NULL,
    cause VARCHAR NOT NULL,
    reasoning VARCHAR NOT NULL,
    concepts VARCHAR[],
    involves VARCHAR,
    census_basis_differs BOOLEAN,
    dates_differ BOOLEAN,
    nationality VARCHAR,
    indicator VARCHAR,
    tolerance_relative DOUBLE,
    tolerance_absolute DOUBLE,
    tolerance_rounding BOOLEAN NOT NULL,
    difference_of_concept BOOLEAN NOT NULL,  -- no tolerance: the pair is a difference of concept
    PRIMARY KEY (rule_id)
);
