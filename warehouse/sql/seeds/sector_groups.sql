-- seeds.sector_groups: the MC2CM profile's three sector groups, the WZ 2008 sections each covers (a group may have a
-- code per publisher: IT.NRW's services are G-T, the Regionaldatenbank's G-U), their order and English label (warehouse/seeds/sector_groups.csv).
CREATE OR REPLACE TABLE seeds.sector_groups (
    sector VARCHAR NOT NULL,
    section_code VARCHAR NOT NULL,
    sort INTEGER NOT NULL,
    label VARCHAR NOT NULL,
    PRIMARY KEY (sector, section_code)
);
