-- marts.legal_status: non-Germans by residence status (MC2CM Fig. 8, 2018; no current source publishes it for
-- the city). Shares are computed from the counts; concept: what the total counts (the AZR for the profile's Fig. 8).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.legal_status AS
WITH statuses AS (
    SELECT t.region_code, t.reference_date, t.source_id, t.category AS legal_status, t.value, t.source_line
    FROM core.indicators t
    JOIN core.profile_cities USING (region_code)
    WHERE t.indicator = 'population' AND t.nationality = 'non_german' AND t.breakdown = 'legal_status'
      AND t.status IN ('', '-')
),
totals AS (
    SELECT t.region_code, t.reference_date, t.source_id, t.value AS total, t.concept
    FROM core.indicators t
    JOIN core.profile_cities USING (region_code)
    WHERE t.indicator = 'population' AND t.nationality = 'non_german' AND t.breakdown = 'total'
      AND t.source_id IN (SELECT source_id FROM statuses)
)
SELECT s.region_code, p.city_name, s.reference_date, year(s.reference_date) AS year, s.legal_status,
       s.value, 100 * s.value / t.total AS share, t.total, t.concept, row_number() OVER (PARTITION BY s.region_code, s.reference_date ORDER BY s.source_line) AS sort,
       s.source_id, src.short_name AS source
FROM statuses s
JOIN totals t USING (region_code, reference_date, source_id)
JOIN core.profile_cities p USING (region_code)
JOIN core.sources src ON src.id = s.source_id
ORDER BY s.region_code, s.reference_date, sort;
