-- marts.editions: which editions each district's profile has. An edition is a reference year; a district has it
-- when the files hold its Germans and foreigners by age group for that year: the nationwide table
-- Regionaldatenbank 12411-03-03-4, or, for the city the MC2CM profile describes, the profile's own Fig. 11 (which
-- makes the first edition, 2018, Dortmund's). A new year's 12411-03-03-4 file adds that edition to every district
-- it lists. (pipeline/domain/editions.py turns the years into each edition's window of figures.)
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.editions AS
SELECT i.region_code, year(i.reference_date) AS year, bool_or(s.dataset = 'mc2cm_age_groups') AS from_profile,
       string_agg(DISTINCT i.source_id, ', ' ORDER BY i.source_id) AS source_ids
FROM core.indicators i
JOIN core.profile_cities c USING (region_code)
JOIN core.sources s ON s.id = i.source_id
WHERE s.dataset IN ('population_by_nationality_and_age_group', 'mc2cm_age_groups')
  AND year(i.reference_date) = year(s.reference_date)  -- the file's own year (the MC2CM profile also prints 2013)
  AND i.indicator = 'population' AND i.nationality = 'non_german' AND i.value IS NOT NULL AND i.age_group <> 'total'
GROUP BY ALL
ORDER BY ALL;
