-- seeds.synopsis_profile_rows: which row of the MC2CM profile's own tables (core.indicators with its source_table)
-- fills which row of the synopsis in the profile's edition (warehouse/seeds/synopsis_profile_rows.csv). An empty
-- nationality, breakdown or category matches any.
CREATE OR REPLACE TABLE seeds.synopsis_profile_rows (
    row_id VARCHAR NOT NULL,
    table_id VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    nationality VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    age_group VARCHAR NOT NULL,
    PRIMARY KEY (row_id)
);
