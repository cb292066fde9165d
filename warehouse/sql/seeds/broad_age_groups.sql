-- seeds.broad_age_groups: the three broad age groups (and all ages) the gender distribution is shown in, with their
-- bounds (age_to empty: and over), order and label (warehouse/seeds/broad_age_groups.csv).
CREATE OR REPLACE TABLE seeds.broad_age_groups (
    age_group VARCHAR NOT NULL,
    age_from INTEGER,
    age_to INTEGER,
    sort INTEGER NOT NULL,
    label VARCHAR NOT NULL,
    PRIMARY KEY (age_group)
);
