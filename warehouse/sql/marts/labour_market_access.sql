-- marts.labour_market_access: access to the labour market by legal status, as the MC2CM profile printed it
-- (Table 1, legal situation of 2020 according to BMAS). Not statistics but a legal overview; the report carries it
-- into later editions with its date until a newer overview is added to raw/.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.labour_market_access AS
SELECT source_line AS sort, legal_status, legal_basis, labour_market_access, as_of, source_id, citation
FROM staging.mc2cm_labour_market_access
ORDER BY sort;
