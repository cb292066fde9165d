-- marts.peer_population: the population of every district on 31 December of every year (Destatis 12411-0015), with
-- its census basis, so a profile can set its district's change since the previous edition beside its peers', on one
-- census basis only. The Länder and Germany are not in the table: their figures here are the sums of their districts
-- (derivation 'sum of its districts'). A city-state is its Land's only district (11000 for Berlin; the Land, 11, is the
-- same figure).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.peer_population AS
WITH districts AS (
    SELECT i.region_code, i.reference_date, i.census_basis, i.value, i.source_id
    FROM core.indicators i
    JOIN core.sources s ON s.id = i.source_id
    WHERE s.dataset = 'population_of_districts' AND i.indicator = 'population' AND i.nationality = 'total'
      AND i.sex = 'total' AND i.age_group = 'total' AND i.breakdown = 'total' AND i.status = '' AND i.value > 0
      AND length(i.region_code) = 5
)
SELECT region_code, reference_date, year(reference_date) AS year, census_basis, value AS population, '' AS derivation,
       source_id
FROM districts
UNION ALL
SELECT left(region_code, 2), reference_date, year(reference_date), census_basis, sum(value), 'sum of its districts',
       any_value(source_id)
FROM districts
WHERE length(region_code) = 5
GROUP BY left(region_code, 2), reference_date, census_basis
UNION ALL
SELECT 'DG', reference_date, year(reference_date), census_basis, sum(value), 'sum of its districts', any_value(source_id)
FROM districts
GROUP BY reference_date, census_basis
ORDER BY region_code, reference_date;
