-- marts.peer_labour: the labour-market figures a profile compares its district by, for Germany, every Land and every
-- district, each year the nationwide files hold: the unemployment rate of foreigners (annual average,
-- Regionaldatenbank 13211-02-05-4) and the foreigners' share of the employees at their place of work (30 June,
-- 13111-07-05-4, computed from the counts). Only figures the publisher printed: a '.' year has no row.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.peer_labour AS
WITH figures AS (
    SELECT i.region_code, i.reference_date, i.indicator, i.nationality, i.value, i.status, i.source_id
    FROM core.indicators i
    JOIN core.sources s ON s.id = i.source_id
    WHERE ((s.dataset = 'employees_by_sector_and_nationality' AND i.indicator = 'employees_at_workplace')
           OR (s.dataset = 'unemployment_by_group' AND i.indicator = 'unemployment_rate'))
      AND i.breakdown = 'total' AND i.sex = 'total' AND i.age_group = 'total'
      AND (i.region_code = 'DG' OR length(i.region_code) = 2
           OR i.region_code IN (SELECT region_code FROM core.profile_cities))
)
SELECT region_code, reference_date, year(reference_date) AS year, 'foreign_unemployment_rate' AS measure, value, source_id
FROM figures
WHERE indicator = 'unemployment_rate' AND nationality = 'non_german' AND status = ''
UNION ALL
SELECT f.region_code, f.reference_date, year(f.reference_date), 'foreign_share_of_employees', 100 * f.value / t.value,
       f.source_id
FROM figures f
JOIN figures t ON t.region_code = f.region_code AND t.reference_date = f.reference_date AND t.source_id = f.source_id
              AND t.indicator = f.indicator AND t.nationality = 'total'
WHERE f.indicator = 'employees_at_workplace' AND f.nationality = 'non_german' AND f.status IN ('', '-')
  AND t.status IN ('', '-') AND t.value > 0
ORDER BY measure, reference_date, region_code;
