-- core.profile_cities: the directory of the districts a profile can be built for, taken from the files: every district
-- (5-digit key) with a population figure in the nationwide table that defines the editions (Regionaldatenbank
-- 12411-03-03-4), and each city-state that this table lists under its Land's code (Berlin, Hamburg: a Land whose only
-- district is itself). Its kind and name come from the newest Gemeindeverzeichnis (GV-ISys) listing it, else from the
-- name the table prints ('Unna, Kreis'). kind 'city' (Kreisfreie Stadt, Stadtkreis, city-state) gets a city profile,
-- every other kind (Kreis, Landkreis, Region, Städteregion, Regionalverband) a district profile. city_ags is the
-- 8-digit municipal key for a city (05913000), the 5-digit district key otherwise (05978).
-- region_code is the one key the district has everywhere in the warehouse: its 5-digit district key, for a city-state
-- too (Berlin 11000, Hamburg 02000), although several tables list a city-state only under its Land's code (11, 02):
-- that code is kept in land_listing, and core.indicators files those tables' figures under the district key as well.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.profile_cities AS
WITH directory AS (
    SELECT ags, arg_max(region_type, reference_date) AS region_type, arg_max(trim(region_name), reference_date) AS name
    FROM staging.districts_area_population
    WHERE length(ags) = 5
    GROUP BY ags
),
city_states AS (
    -- a Land whose only district carries the Land's code and 000 (02000 Hamburg, 11000 Berlin)
    SELECT left(ags, 2) AS land FROM directory GROUP BY 1 HAVING count(*) = 1 AND bool_and(ags LIKE '__000')
),
anchor AS (
    SELECT ags AS region_code, arg_max(trim(region_name), reference_date) AS published_name
    FROM staging.population_by_nationality_and_age_group
    WHERE age_group = 'total' AND nationality = 'total' AND sex = 'total' AND value > 0
      AND (length(ags) = 5 OR ags IN (SELECT land FROM city_states))
    GROUP BY ags
),
named AS (
    SELECT a.region_code, a.published_name, d.name AS directory_name,
           coalesce(d.region_type, nullif(trim(split_part(a.published_name, ',', 2)), ''),
                    CASE WHEN length(a.region_code) = 2 THEN 'Kreisfreie Stadt' END) AS region_type,
           coalesce(d.name, trim(split_part(a.published_name, ',', 1))) AS base_name
    FROM anchor a
    LEFT JOIN directory d ON d.ags = CASE WHEN length(a.region_code) = 2 THEN a.region_code || '000' ELSE a.region_code END
),
kinds AS (
    SELECT *,
           CASE WHEN length(region_code) = 2
                  OR region_type IN ('Kreisfreie Stadt', 'Stadtkreis', 'krsfr. Stadt', 'kreisfreie Stadt') THEN 'city'
                ELSE 'district' END AS kind
    FROM named
)
SELECT CASE WHEN length(region_code) = 2 THEN region_code || '000' ELSE region_code END AS region_code,
       CASE WHEN length(region_code) = 2 THEN region_code || '000000'
            WHEN kind = 'city' THEN region_code || '000'
            ELSE region_code END AS city_ags,
       CASE WHEN kind = 'city' THEN trim(split_part(base_name, ',', 1))
            -- a district's name with its kind, unless the name already says it ('Rhein-Kreis Neuss', 'Region Hannover')
            WHEN base_name ILIKE '%kreis%' OR base_name LIKE 'Region %' OR base_name LIKE 'Städteregion %'
                 OR base_name LIKE 'Regionalverband %' THEN trim(split_part(base_name, ',', 1))
            ELSE region_type || ' ' || trim(split_part(base_name, ',', 1)) END AS city_name,
       kind, region_type, published_name,
       CASE WHEN length(region_code) = 2 THEN region_code END AS land_listing
FROM kinds
ORDER BY region_code;
