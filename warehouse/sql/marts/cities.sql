-- marts.cities: every district a profile can be built for (core.profile_cities, the directory taken from the files),
-- with what the report says of its place: its kind ('city': a Kreisfreie Stadt, Stadtkreis or city-state, which
-- gets a city profile; 'district': a Kreis, Landkreis or similar, which gets a district profile), the kind as the
-- Gemeindeverzeichnis names it, the names of its Land and its Regierungsbezirk (the name most statistical tables
-- give each code), and its population in the newest year of the table that defines the editions.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.cities AS
WITH parents AS (
    SELECT left(region_code, 2) AS code FROM core.profile_cities
    UNION SELECT left(region_code, 3) FROM core.profile_cities WHERE land_listing IS NULL
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
    -- the directory the kind was read from: the newest listing the district
    SELECT ags, arg_max(source_id, reference_date) AS source_id
    FROM staging.districts_area_population
    GROUP BY ags
),
population AS (
    SELECT i.region_code, arg_max(i.value, i.reference_date) AS population, max(i.reference_date) AS population_date
    FROM core.indicators i
    JOIN core.profile_cities c USING (region_code)
    JOIN core.sources s ON s.id = i.source_id
    WHERE s.dataset = 'population_by_nationality_and_age_group' AND i.indicator = 'population'
      AND i.nationality = 'total' AND i.sex = 'total' AND i.age_group = 'total' AND i.breakdown = 'total'
    GROUP BY i.region_code
)
SELECT c.region_code, c.city_ags, c.city_name, c.kind, c.region_type, k.source_id AS region_type_source_id,
       left(c.region_code, 2) AS land_code, l.name AS land_name,
       CASE WHEN c.land_listing IS NULL THEN left(c.region_code, 3) END AS admin_region_code, r.name AS admin_region_name,
       p.population, p.population_date,
       c.land_listing IS NOT NULL AS city_state  -- Berlin, Hamburg: a Land and its only municipality in one
FROM core.profile_cities c
LEFT JOIN kinds k ON k.ags = c.region_code
LEFT JOIN names l ON l.region_code = left(c.region_code, 2)
LEFT JOIN names r ON r.region_code = left(c.region_code, 3) AND c.land_listing IS NULL
LEFT JOIN population p ON p.region_code = c.region_code
ORDER BY c.region_code;
