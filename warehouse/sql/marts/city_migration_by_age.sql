-- marts.city_migration_by_age: the moves across the city's borders in a year by age group, arrivals, departures and
-- net (arrivals - departures), in all and for men and women (Regionaldatenbank 12711-04-02-4). The age groups are
-- the table's own six; `sort` keeps them in order of age, the total last.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.city_migration_by_age AS
SELECT i.region_code, p.city_name, year(i.reference_date) AS year, i.age_group, i.sex,
       coalesce(i.age_from, 999) AS sort,
       max(i.value) FILTER (WHERE i.indicator = 'arrivals') AS arrivals,
       max(i.value) FILTER (WHERE i.indicator = 'departures') AS departures,
       max(i.value) FILTER (WHERE i.indicator = 'arrivals') - max(i.value) FILTER (WHERE i.indicator = 'departures') AS net_migration,
       bool_and(i.status IN ('', '-')) AS known,
       i.source_id
FROM core.indicators i
JOIN core.profile_cities p USING (region_code)
WHERE i.concept = 'migration_statistics' AND i.breakdown = 'migration_scope' AND i.category = 'across_district_borders'
  AND i.indicator IN ('arrivals', 'departures') AND i.source_id IN (SELECT id FROM core.sources WHERE dataset = 'migration_of_districts_by_age')
GROUP BY ALL
ORDER BY i.region_code, year, i.sex, sort;
