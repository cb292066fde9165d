-- marts.peer_labour: the labour-market figures a profile compares its district by, for Germany, every Land and every
-- district, each year the nationwide files hold: the unemployment rate of foreigners (annual average,
-- Regionaldatenbank 13211-02-05-4) and the foreigners' share of the employees at their place of work (30 June,
-- 13111-07-05-4), as marts.labour_market_by_nationality computes them. Only figures the publisher printed: a '.' year
-- has no row.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.peer_labour AS
SELECT region_code, reference_date, year,
       CASE measure WHEN 'unemployment_rate' THEN 'foreign_unemployment_rate' ELSE measure END AS measure, value, source_id
FROM marts.labour_market_by_nationality
WHERE nationality = 'non_german' AND status = '' AND value IS NOT NULL
  AND measure IN ('unemployment_rate', 'foreign_share_of_employees')
ORDER BY measure, reference_date, region_code;
