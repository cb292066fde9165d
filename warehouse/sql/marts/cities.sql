-- marts.cities: the cities the warehouse holds profiles for (core.profile_cities), each with what the report says of
-- its place in the state: the kind of district it is (Gemeindeverzeichnis) and the names of its Land and its
-- Regierungsbezirk (the shortest name the statistical tables give each code).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.cities AS
WITH parents AS (
    SELECT left(region_code, 2) AS code FROM core.profile_cities
    UNION SELECT left(region_code, 3) FROM core.profile_cities
),
names AS (
    SELECT i.region_code, arg_min(trim(i.region_name), length(i.region_name)) AS name
    FROM core.indicators i
    JOIN parents p ON p.code = i.region_code
    GROUP BY i.region_code
),
kinds AS (
    SELECT ags, any_value(region_type) AS region_type, any_value(source_id) AS source_id
    FROM staging.districts_area_population
    GROUP BY ags
)
SELECT c.region_code, c.city_ags, c.city_name, k.region_type, k.source_id AS region_type_source_id,
       left(c.region_code, 2) AS land_code, l.name AS land_name,
       left(c.region_code, 3) AS admin_region_code, r.name AS admin_region_name
FROM core.profile_cities c
LEFT JOIN kinds k ON k.ags = c.region_code
LEFT JOIN names l ON l.region_code = left(c.region_code, 2)
LEFT JOIN names r ON r.region_code = left(c.region_code, 3)
ORDER BY c.region_code;
