-- marts.plausibility: the profile cities' register figures that look implausible (reconciliation.plausibility), as
-- the report's appendix lists them after the figures compared.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.plausibility AS
SELECT region_code, reference_year, value, source_id, rule, detail, reasoning
FROM reconciliation.plausibility;
