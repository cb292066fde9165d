-- core.profile_cities: the cities profiles are built for (the project configuration's cities: CMP_CITY_AGS, CMP_CITIES).
-- region_code is the key the city has in core.indicators (core.region_key of its 8-digit AGS).
CREATE OR REPLACE TABLE core.profile_cities (
    region_code VARCHAR NOT NULL,
    city_ags VARCHAR NOT NULL,
    city_name VARCHAR NOT NULL,
    PRIMARY KEY (region_code)
);
