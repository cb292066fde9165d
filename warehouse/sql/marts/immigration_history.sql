-- marts.immigration_history: the share of the population with an immigration history (Einwanderungsgeschichte:
-- immigrated themselves, or both parents immigrated) in the Zensus 2022, for the Land of each profile city and for
-- Germany (Zensus 2022 database 1000A-2022; the table has no figure below the Länder). One row per city and region.
-- area_level: 'germany', 'land', or 'district' where the Land is the district itself (a city-state).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.immigration_history AS
WITH counts AS (
    SELECT region_code, any_value(region_name) AS region_name, reference_date, source_id,
           max(value) FILTER (WHERE category = 'total') AS population,
           max(value) FILTER (WHERE category = 'with_immigration_history') AS with_history,
           max(value) FILTER (WHERE category = 'immigrated') AS immigrated,
           max(value) FILTER (WHERE category = 'descendants') AS descendants
    FROM core.indicators
    WHERE concept = 'census_count' AND age_group = 'total' AND breakdown IN ('total', 'immigration_history')
      AND source_id IN (SELECT id FROM core.sources WHERE dataset = 'immigration_history_by_land')
    GROUP BY region_code, reference_date, source_id
)
SELECT p.region_code, p.city_name, c.region_code AS area_code, c.region_name AS area,
       CASE WHEN c.region_code = 'DG' THEN 'germany' WHEN c.region_code = p.land_listing THEN 'district' ELSE 'land' END
           AS area_level, c.reference_date,
       year(c.reference_date) AS year, c.population, c.with_history, c.immigrated, c.descendants,
       100 * c.with_history / c.population AS share, c.source_id
FROM core.profile_cities p
JOIN counts c ON c.region_code = left(p.region_code, 2) OR c.region_code = 'DG'
ORDER BY p.region_code, area_level DESC;
