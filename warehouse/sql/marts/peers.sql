-- marts.peers: every area of the table that defines the editions (Regionaldatenbank 12411-03-03-4: Germany, the
-- Länder, every district), in each year it covers, with the figures a profile compares its district by: population,
-- foreigners, children under 3 and the non-Germans among them, and, where a table breaks foreigners down by
-- citizenship for the district (the AZR via IT.NRW 12521-03i, North Rhine-Westphalia only), the largest group and its
-- share of all foreigners. kind: germany, land, city (Kreisfreie Stadt, Stadtkreis, city-state), district (Kreis,
-- Landkreis and similar). Which districts are a profile's peers is decided by the report (pipeline/report/facts.py).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.peers AS
WITH anchor AS (
    SELECT i.region_code, i.reference_date, any_value(i.source_id) AS source_id,
           arg_max(trim(i.region_name), length(i.region_name)) AS published_name,
           max(i.value) FILTER (WHERE i.nationality = 'total' AND i.age_group = 'total') AS population,
           max(i.value) FILTER (WHERE i.nationality = 'non_german' AND i.age_group = 'total') AS foreigners,
           max(i.value) FILTER (WHERE i.nationality = 'total' AND i.age_group = '0-3') AS under3,
           max(i.value) FILTER (WHERE i.nationality = 'non_german' AND i.age_group = '0-3') AS under3_non_german
    FROM core.indicators i
    JOIN core.sources s ON s.id = i.source_id
    WHERE s.dataset = 'population_by_nationality_and_age_group' AND year(i.reference_date) = year(s.reference_date)
      AND i.indicator = 'population' AND i.sex = 'total' AND i.breakdown = 'total' AND i.status IN ('', '-')
    GROUP BY i.region_code, i.reference_date
),
largest AS (
    SELECT region_code, year, citizenship AS largest_group, value AS largest_group_value,
           share_of_foreigners AS largest_group_share, source_id AS largest_group_source_id
    FROM marts.top_nationalities
    WHERE rank = 1
)
SELECT a.region_code,
       coalesce(c.city_name, CASE WHEN a.region_code = 'DG' THEN 'Germany' ELSE a.published_name END) AS name,
       CASE WHEN a.region_code = 'DG' THEN 'germany' WHEN c.kind IS NOT NULL THEN c.kind ELSE 'land' END AS kind,
       CASE WHEN a.region_code = 'DG' THEN NULL ELSE left(a.region_code, 2) END AS land_code,
       a.reference_date, year(a.reference_date) AS year, a.population, a.foreigners,
       100 * a.foreigners / a.population AS share_foreigners, a.under3, a.under3_non_german,
       100 * a.under3_non_german / a.under3 AS share_non_german_under3,
       l.largest_group, l.largest_group_value, l.largest_group_share, l.largest_group_source_id, a.source_id
FROM anchor a
LEFT JOIN core.profile_cities c ON c.region_code = a.region_code
LEFT JOIN largest l ON l.region_code = a.region_code AND l.year = year(a.reference_date)
WHERE a.population > 0 AND (a.region_code = 'DG' OR c.region_code IS NOT NULL OR length(a.region_code) = 2)
ORDER BY a.reference_date, a.region_code;
