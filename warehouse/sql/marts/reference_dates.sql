-- marts.reference_dates: the days the profile cities' figures refer to, by publisher level. An edition's "figures as
-- of" date is the newest of these that the edition holds.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.reference_dates AS
SELECT DISTINCT i.region_code, i.reference_date, i.publisher_level AS level
FROM core.indicators i
JOIN core.profile_cities USING (region_code)
ORDER BY ALL;
