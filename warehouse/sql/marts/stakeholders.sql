-- marts.stakeholders: organisations working on migration and integration in the city, as the MC2CM profile listed
-- them (Table 2, 2021), grouped. A list, not statistics: later editions carry it with its date until a newer list
-- is added to raw/.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.stakeholders AS
SELECT source_line AS sort, stakeholder_group,
       CASE stakeholder_group WHEN 'City administration' THEN 1 WHEN 'Other government bodies' THEN 2 ELSE 3 END AS group_sort,
       organisation, area_of_work, as_of, source_id, citation
FROM staging.mc2cm_stakeholders
ORDER BY group_sort, sort;
