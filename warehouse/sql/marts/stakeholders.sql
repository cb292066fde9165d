-- marts.stakeholders: organisations working on migration and integration in a city, as the MC2CM profile listed
-- them for Dortmund (Table 2, 2021), grouped; region_code is the city the list's manifest entry names (a list is
-- shown in its own city's profile only). A list, not statistics: later editions carry it with its date until a newer
-- list is added to raw/.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.stakeholders AS
SELECT s.city AS region_code, t.source_line AS sort, t.stakeholder_group,
       CASE t.stakeholder_group WHEN 'City administration' THEN 1 WHEN 'Other government bodies' THEN 2 ELSE 3 END AS group_sort,
       t.organisation, t.area_of_work, t.as_of, t.source_id, t.citation
FROM staging.mc2cm_stakeholders t
JOIN core.sources s ON s.id = t.source_id
WHERE s.city <> ''
ORDER BY region_code, group_sort, sort;
