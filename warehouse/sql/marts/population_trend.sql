-- marts.population_trend: the city's population over time, one series per concept and census basis
-- (population update before the Zensus 2011, on the Zensus 2011 basis, on the Zensus 2022 basis, and the municipal
-- register), so the census breaks stay visible and no line joins two bases. Where several sources give the same series for the same day (they agree, see
-- reconciliation.comparisons) the statistical office's table is used before the city's, the city's before the
-- MC2CM profile's. rounding: how far the figure may be from the count (a register figure printed as 603.000: 500).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.population_trend AS
WITH candidates AS (
    SELECT i.region_code, c.city_name, i.reference_date, i.concept, i.census_basis, i.value, i.rounding, s.short_name,
           CASE i.publisher_level WHEN 'state' THEN 1 WHEN 'federal' THEN 2 WHEN 'municipal' THEN 3 ELSE 4 END AS level_rank,
           i.source_id
    FROM core.indicators i
    JOIN core.profile_cities c USING (region_code)
    JOIN core.sources s ON s.id = i.source_id
    WHERE i.indicator = 'population' AND i.nationality = 'total' AND i.sex = 'total' AND i.age_group = 'total'
      AND i.breakdown = 'total' AND i.concept IN ('population_update', 'municipal_register')
      -- a district's population printed '-' (exactly zero) means the district did not exist under this key that year
      -- (Saxony's districts before their 2008 reform): not a point of the line, as in marts.peer_population
      AND i.status = '' AND i.value > 0
)
SELECT region_code, any_value(city_name) AS city_name, reference_date, year(reference_date) AS year, concept,
       census_basis,
       CASE WHEN concept = 'municipal_register' THEN 'Municipal register'
            WHEN census_basis LIKE 'before %' THEN 'Population update (' || census_basis || ')'
            ELSE 'Population update (' || census_basis || ' basis)' END AS series,
       arg_min(value, format('{}|{}', level_rank, source_id)) AS value,
       arg_min(rounding, format('{}|{}', level_rank, source_id)) AS rounding,
       arg_min(short_name, format('{}|{}', level_rank, source_id)) AS source,
       arg_min(source_id, format('{}|{}', level_rank, source_id)) AS source_id
FROM candidates
GROUP BY region_code, reference_date, concept, census_basis
ORDER BY region_code, series, reference_date;
