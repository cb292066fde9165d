-- marts.labour_market_access: access to the labour market by legal status, as the MC2CM profile printed it
-- (Table 1, legal situation of 2020 according to BMAS). Not statistics but a legal overview; the report carries it
-- into later editions with its date until a newer overview is added to raw/. It is a transcription from the profile
-- of one city (region_code, from the manifest's city), so only that city's profile shows it.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.labour_market_access AS
SELECT s.city AS region_code, t.source_line AS sort, t.legal_status, t.legal_basis, t.labour_market_access, t.as_of,
       t.source_id, t.publisher, t.citation
FROM staging.mc2cm_labour_market_access t
JOIN core.sources s ON s.id = t.source_id
WHERE s.city <> ''
ORDER BY region_code, sort;
