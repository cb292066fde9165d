-- marts.reference_dates: the days the profile cities' figures refer to, by publisher level and source. An edition's
-- "figures as of" date is the newest of these that the edition holds; the span of years it shows runs from the oldest
-- to the newest of each dataset's newest day (a table shows the newest file of its dataset).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.reference_dates AS
SELECT DISTINCT i.region_code, i.reference_date, i.publisher_level AS level, i.source_id, s.dataset
FROM core.indicators i
JOIN core.sources s ON s.id = i.source_id
JOIN core.profile_cities USING (region_code)
ORDER BY ALL;
