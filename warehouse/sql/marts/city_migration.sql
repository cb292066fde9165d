-- marts.city_migration: the city's own migration, the moves across its borders in a year, by where they came from
-- or went to (the same Land, another Land, abroad) and in all (Destatis Statistischer Bericht, table 12711-13).
-- (The Regionaldatenbank's 12711-04-02-4 gives the moves across the borders in all, by sex and age group, for
-- 2019-2021: marts.city_migration_by_age.) One row per year and scope: arrivals, departures and net migration.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.city_migration AS
SELECT i.region_code, p.city_name, year(i.reference_date) AS year, i.category AS scope, v.label AS scope_label,
       CASE i.category WHEN 'within_land' THEN 1 WHEN 'other_laender' THEN 2 WHEN 'abroad' THEN 3 ELSE 4 END AS sort,
       max(i.value) FILTER (WHERE i.indicator = 'arrivals') AS arrivals,
       max(i.value) FILTER (WHERE i.indicator = 'departures') AS departures,
       max(i.value) FILTER (WHERE i.indicator = 'net_migration') AS net_migration,
       i.source_id
FROM core.indicators i
JOIN core.profile_cities p USING (region_code)
LEFT JOIN core.vocabulary v ON v.kind = 'migration_scope' AND v.code = i.category
WHERE i.concept = 'migration_statistics' AND i.breakdown = 'migration_scope' AND i.category <> 'within_district'
  AND i.source_id IN (SELECT id FROM core.sources WHERE dataset = 'migration_of_districts') AND i.status IN ('', '-')
GROUP BY ALL
ORDER BY i.region_code, year, sort;
