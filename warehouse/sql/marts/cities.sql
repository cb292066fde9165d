-- marts.cities: the cities the warehouse holds profiles for (core.profile_cities), each with what the report says of
-- its place in the state: the kind of district it is (Gemeindeverzeichnis) and the names of its Land and its
-- Regierungsbezirk (the name most statistical tables give each code).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.cities AS
WITH parents AS (
    SELECT left(region_code, 2) AS code FROM core.profile_cities
    UNION SELECT left(region_code, 3) FROM core.profile_cities
),
names AS (
    -- the name most sources give the code, the shorter on a tie (one table calls NRW 'Land insgesamt')
    SELECT region_code, arg_max(name, score) AS name
    FROM (
        SELECT i.region_code, trim(i.region_name) AS name,
               count(DISTINCT i.source_id) * 1000 - length(trim(i.region_name)) AS score
        FROM core.indicators i
        JOIN parents p ON p.code = i.region_code
        GROUP BY i.region_code, trim(i.region_name)
    )
    GROUP BY region_code
),
kinds AS (
    -- from the newest directory
    SELECT ags, arg_max(region_type, reference_date) AS region_type, arg_max(source_id, reference_date) AS source_id
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
