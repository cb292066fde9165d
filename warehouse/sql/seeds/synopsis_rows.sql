-- seeds.synopsis_rows: the rows of the MC2CM profile's synopsis (section 2) in their order, with their theme, their
-- label, the input that would fill a row an edition has no figure for, and for an age row the ages it covers (age_to
-- empty: and over) (warehouse/seeds/synopsis_rows.csv).
CREATE OR REPLACE TABLE seeds.synopsis_rows (
    row_id VARCHAR NOT NULL,
    sort INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    input_needed VARCHAR NOT NULL,
    age_from INTEGER,
    age_to INTEGER,
    PRIMARY KEY (row_id)
);
