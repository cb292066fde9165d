-- marts.sources: every raw file as the report cites it (core.sources: publisher, table, reference date, licence,
-- credit line), with the publications the MC2CM profile names for the figures the file transcribes, and the city a
-- city-specific input is about (region_code; NULL for every other source), so a profile cites only its own city's.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.sources AS
SELECT id, short_name, level, publisher, database, table_code, title, title_en, period_start, reference_date, period,
       published, retrieved, licence, attribution, url, cited_publishers, nullif(city, '') AS region_code
FROM core.sources
ORDER BY id;
