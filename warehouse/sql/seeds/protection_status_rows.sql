-- seeds.protection_status_rows: the rows of the protection-status table: each status in its order and depth, its English label, and the category of the MC2CM profile's Fig. 8 it corresponds to (warehouse/seeds/protection_status_rows.csv).
CREATE OR REPLACE TABLE seeds.protection_status_rows (
    status VARCHAR NOT NULL,
    sort INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    label VARCHAR NOT NULL,
    mc2cm_category VARCHAR NOT NULL,
    PRIMARY KEY (status)
);
