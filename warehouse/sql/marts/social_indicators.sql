-- marts.social_indicators: employment, unemployment and benefit receipt of Germans and non-Germans (MC2CM
-- Fig. 12), with the figures current tables give for the city: employees at their place of work, recipients of
-- minimum social security benefits (these give no split by nationality), the unemployed in all and the foreigners
-- among them, and the unemployment rates in all and of foreigners (from the official tables only: the MC2CM
-- profile's Fig. 12 printed no rate). One row per figure, with its unit. The nationwide series of employees on
-- 30 June and of unemployment by nationality (13111-07-05-4, 13211-02-05-4) are marts.labour_market_by_nationality's.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.social_indicators AS
SELECT i.region_code, p.city_name, i.reference_date, year(i.reference_date) AS year, i.indicator,
       v.label AS indicator_label, i.nationality, i.value, i.unit, i.status, i.concept, i.source_id, s.short_name AS source,
       CASE i.indicator WHEN 'employees_social_security_at_residence' THEN 1 WHEN 'employees_at_workplace' THEN 2
                        WHEN 'unemployed' THEN 3 WHEN 'unemployment_rate' THEN 4 WHEN 'welfare_recipients' THEN 5
                        ELSE 6 END AS sort
FROM core.indicators i
JOIN core.profile_cities p USING (region_code)
JOIN core.sources s ON s.id = i.source_id
LEFT JOIN core.vocabulary v ON v.kind = 'indicator' AND v.code = i.indicator
WHERE i.indicator IN ('employees_social_security_at_residence', 'employees_at_workplace', 'unemployed',
                      'unemployment_rate', 'welfare_recipients', 'benefit_recipients')
  AND (i.indicator <> 'unemployment_rate' OR i.source_table = '')
  AND s.dataset NOT IN ('employees_by_sector_and_nationality', 'unemployment_by_group')
  AND i.sex = 'total' AND i.age_group = 'total' AND i.breakdown = 'total'
ORDER BY i.region_code, sort, i.reference_date, i.nationality;
