-- marts.key_figures: the figures the comparison of editions sets side by side, each with the measurement it comes
-- from (concept and census basis), so that a change is only ever computed between two figures of one measurement
-- (pipeline/report/facts.py, Facts.changes). One row per district, key figure, reference date and source:
--   population     the population in all (population update, city register)
--   foreigners     foreigners in all (population update, city register, Central Register of Foreigners)
--   foreign_share  foreigners in % of the population, printed by the source or computed from two counts of one
--                  source, date and measurement
--   under3         non-Germans in % of the children under 3 (marts.age_structure)
--   top1           the largest group of foreigners (marts.top_nationalities; the AZR)
--   services       the share of employees working in services (marts.sectors)
-- `preference` orders the candidates of one year: the MC2CM profile's own figures (in its edition) first, then the
-- population update, the city register, the AZR, anything else. `rounding` is how far the figure may be from the count (in its unit).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.key_figures AS
WITH city AS (
    SELECT i.*, s.level FROM core.indicators i JOIN core.profile_cities USING (region_code)
    JOIN core.sources s ON s.id = i.source_id
),
counts AS (
    SELECT region_code, CASE nationality WHEN 'total' THEN 'population' ELSE 'foreigners' END AS key, reference_date,
           value, rounding, concept, census_basis, source_id, source_table, level, '' AS detail
    FROM city
    WHERE indicator = 'population' AND sex = 'total' AND age_group = 'total' AND breakdown = 'total'
      AND status IN ('', '-') AND value IS NOT NULL
      AND (nationality = 'total' AND concept IN ('population_update', 'municipal_register')
           OR nationality = 'non_german' AND concept IN ('population_update', 'municipal_register', 'foreigners_register'))
),
shares AS (
    -- printed by the source (the MC2CM profile's '19 %')
    SELECT region_code, 'foreign_share' AS key, reference_date, value, rounding, concept, census_basis, source_id,
           source_table, level, '' AS detail
    FROM city
    WHERE indicator = 'share_of_population' AND nationality = 'non_german' AND breakdown = 'total'
      AND concept IN ('population_update', 'municipal_register') AND value IS NOT NULL
    UNION ALL
    -- computed from foreigners and population of one source, date and measurement (both unrounded counts)
    SELECT f.region_code, 'foreign_share', f.reference_date, 100 * f.value / t.value, 0.0, f.concept, f.census_basis,
           f.source_id, f.source_table, f.level, ''
    FROM counts f
    JOIN counts t ON t.region_code = f.region_code AND t.source_id = f.source_id AND t.source_table = f.source_table
     AND t.reference_date = f.reference_date AND t.concept = f.concept AND t.census_basis = f.census_basis
    WHERE f.key = 'foreigners' AND t.key = 'population' AND f.rounding = 0 AND t.rounding = 0 AND t.value > 0
),
population_measured AS (
    -- the measurement of a source's population figures, as core.indicators records it (an age table has one)
    SELECT source_id, any_value(concept) AS concept, any_value(census_basis) AS census_basis
    FROM core.indicators
    WHERE indicator = 'population'
    GROUP BY source_id
),
from_marts AS (
    SELECT a.region_code, 'under3' AS key, a.reference_date, a.share_non_german AS value, 0.0 AS rounding,
           m.concept, m.census_basis, a.source_id, '' AS source_table, s.level, '' AS detail
    FROM marts.age_structure a
    JOIN core.sources s ON s.id = a.source_id
    LEFT JOIN population_measured m ON m.source_id = a.source_id
    WHERE a.age_group = '0-3'
    UNION ALL
    SELECT t.region_code, 'top1', t.reference_date, t.value, 0.0, 'foreigners_register', '', t.source_id, '', s.level,
           t.citizenship
    FROM marts.top_nationalities t
    JOIN core.sources s ON s.id = t.source_id
    WHERE t.rank = 1
    UNION ALL
    SELECT x.region_code, 'services', x.reference_date, x.share, 0.0, 'employment_statistics', '', x.source_id, '',
           s.level, ''
    FROM marts.sectors x
    JOIN core.sources s ON s.id = x.source_id
    WHERE x.sector = 'services' AND x.share IS NOT NULL
),
everything AS (
    SELECT * FROM counts UNION ALL BY NAME SELECT * FROM shares UNION ALL BY NAME SELECT * FROM from_marts
)
SELECT e.region_code, e.key, e.reference_date, year(e.reference_date) AS year, e.value, e.rounding,
       coalesce(e.concept, 'not_stated') AS concept, coalesce(e.census_basis, '') AS census_basis,
       e.detail,
       CASE WHEN e.level = 'profile' THEN 0 ELSE 10 END
       + CASE e.concept WHEN 'population_update' THEN 1 WHEN 'municipal_register' THEN 2 WHEN 'foreigners_register' THEN 3
                        ELSE 4 END AS preference,
       e.source_id, e.level
FROM everything e
ORDER BY e.region_code, e.key, e.reference_date, preference, e.source_id;
