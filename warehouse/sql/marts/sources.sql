-- marts.sources: every raw file as the report cites it (staging.sources: publisher, table, reference date, licence,
-- credit line), with the publications the MC2CM profile names for the figures the file transcribes, and the city a
-- city-specific input is about (region_code; NULL for every other source), so a profile cites only its own city's.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.sources AS
WITH cited AS (
    SELECT source_id, list_sort(list_distinct(list(cited_publisher))) AS cited_publishers
    FROM core.indicators
    WHERE cited_publisher <> '' AND cited_publisher NOT LIKE 'MC2CM profile%'
    GROUP BY source_id
)
SELECT s.id, s.short_name, s.level, s.publisher, s.database, s.table_code, s.title, s.title_en, s.period_start,
       s.reference_date, s.period, s.published, s.retrieved, s.licence, s.attribution, s.url,
       coalesce(c.cited_publishers, []::VARCHAR[]) AS cited_publishers, nullif(s.city, '') AS region_code
FROM staging.sources s
LEFT JOIN cited c ON c.source_id = s.id
ORDER BY s.id;
