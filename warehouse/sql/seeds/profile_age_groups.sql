-- seeds.profile_age_groups: the MC2CM profile's age groups (Fig. 11): their bounds (age_to empty: open) and order (warehouse/seeds/profile_age_groups.csv).
CREATE OR REPLACE TABLE seeds.profile_age_groups (
    age_group VARCHAR NOT NULL,
    age_from INTEGER NOT NULL,
    age_to INTEGER,
    sort INTEGER NOT NULL,
    PRIMARY KEY (age_group)
);
