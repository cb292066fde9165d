-- core.sources: the one sources dimension the marts cite from: every raw file of the manifest (staging.sources:
-- publisher, table, reference date and period, licence, credit line), with the publications the MC2CM profile
-- names for the figures a transcription holds (cited_publishers); `city` is the key of the one city a city-specific
-- input is about ('' for every other source), so a profile cites only its own city's.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.sources AS
WITH cited AS (
    SELECT source_id, list_sort(list_distinct(list(cited_publisher))) AS cited_publishers
    FROM core.indicators
    WHERE cited_publisher <> '' AND cited_publisher NOT LIKE 'MC2CM profile%'
    GROUP BY source_id
)
SELECT s.*, coalesce(c.cited_publishers, []::VARCHAR[]) AS cited_publishers
FROM staging.sources s
LEFT JOIN cited c ON c.source_id = s.id
ORDER BY s.id;
