-- marts.migration_germany: arrivals from abroad, departures abroad and net migration of Germany per year, in all
-- and for Germans and non-Germans (Destatis 12711-0008). A year the table does not cover has no row: it is absent
-- from the chart, not zero.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.migration_germany AS
SELECT year(reference_date) AS year, nationality,
       max(value) FILTER (WHERE indicator = 'arrivals') AS arrivals,
       max(value) FILTER (WHERE indicator = 'departures') AS departures,
       max(value) FILTER (WHERE indicator = 'net_migration') AS net_migration,
       any_value(source_id) AS source_id
FROM core.indicators
WHERE region_code = 'DG' AND concept = 'migration_statistics' AND breakdown = 'total' AND status IN ('', '-')
GROUP BY year(reference_date), nationality
ORDER BY year, nationality;
