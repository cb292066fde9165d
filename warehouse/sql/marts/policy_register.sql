-- marts.policy_register: a city's policy register (raw/README.md, "Policy register"), one fact per row with the
-- MC2CM subsection it belongs to, its validity and its citation. region_code is the city the register's manifest
-- entry names, so only that city's profile shows it. Which rows an edition shows (valid within its window, or
-- ended before it) is decided by the report (pipeline/report/facts.py), which knows the editions' windows.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.policy_register AS
SELECT s.city AS region_code, r.source_line AS sort, r.section, r.subsection, r.kind, r.title, r.title_en,
       r.valid_from, r.valid_to, r.summary, r.publication, r.publisher, r.published, r.published_as, r.locator, r.note,
       r.source_id
FROM staging.city_policy_register r
JOIN core.sources s ON s.id = r.source_id
WHERE s.city <> ''
ORDER BY region_code, sort;
