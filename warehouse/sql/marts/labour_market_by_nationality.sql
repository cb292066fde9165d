-- marts.labour_market_by_nationality: the labour market of all and of foreigners over time, every year the
-- nationwide files hold, for every district: employees liable to social insurance at their place of work on 30 June
-- (Regionaldatenbank 13111-07-05-4) with the foreigners' share of them, and the unemployed and the unemployment rate
-- (of all civilian labour force) as annual averages (Regionaldatenbank 13211-02-05-4). A cell the publisher left
-- unknown keeps its symbol ('.') and no value: a gap, never a zero. Territory: today's districts (core.indicators);
-- territory_note says, for a figure of a district merged since, what was added (seeds.territorial_changes). Germany
-- and the Länder are here too (city_name empty), for the comparison with peers (marts.peer_labour).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.labour_market_by_nationality AS
WITH figures AS (
    SELECT i.region_code, i.reference_date, i.indicator AS measure, i.nationality, i.value, i.unit, i.status,
           i.concept, i.source_id, s.period
    FROM core.indicators i
    JOIN core.sources s ON s.id = i.source_id
    WHERE (i.region_code = 'DG' OR length(i.region_code) = 2
           OR i.region_code IN (SELECT region_code FROM core.profile_cities))
      AND ((s.dataset = 'employees_by_sector_and_nationality' AND i.indicator = 'employees_at_workplace')
           OR (s.dataset = 'unemployment_by_group' AND i.indicator IN ('unemployed', 'unemployment_rate')))
      AND i.breakdown = 'total' AND i.sex = 'total' AND i.age_group = 'total' AND i.nationality IN ('total', 'non_german')
),
shares AS (
    SELECT f.region_code, f.reference_date, 'foreign_share_of_employees' AS measure, 'non_german' AS nationality,
           CASE WHEN f.status IN ('', '-') AND t.status IN ('', '-') AND t.value > 0 THEN 100 * f.value / t.value END AS value,
           'percent' AS unit, CASE WHEN f.status IN ('', '-') AND t.status IN ('', '-') THEN '' ELSE '.' END AS status,
           f.concept, f.source_id, f.period
    FROM figures f
    JOIN figures t ON t.region_code = f.region_code AND t.reference_date = f.reference_date AND t.source_id = f.source_id
                  AND t.measure = f.measure AND t.nationality = 'total'
    WHERE f.measure = 'employees_at_workplace' AND f.nationality = 'non_german'
)
SELECT x.region_code, coalesce(p.city_name, '') AS city_name, x.reference_date, year(x.reference_date) AS year, x.measure, x.nationality,
       x.value, x.unit, x.status, x.concept, x.period, x.source_id, s.short_name AS source,
       CASE x.measure WHEN 'employees_at_workplace' THEN 1 WHEN 'foreign_share_of_employees' THEN 2
                      WHEN 'unemployed' THEN 3 ELSE 4 END AS sort,
       coalesce(t.note, '') AS territory_note
FROM (SELECT * FROM figures UNION ALL BY NAME SELECT * FROM shares) x
LEFT JOIN core.profile_cities p ON p.region_code = x.region_code
JOIN core.sources s ON s.id = x.source_id
LEFT JOIN (SELECT new_code, max(effective) AS effective, string_agg(DISTINCT note, '; ') AS note
           FROM seeds.territorial_changes GROUP BY new_code) t
       ON t.new_code = x.region_code AND x.reference_date < t.effective
ORDER BY x.region_code, sort, x.nationality DESC, x.reference_date;
