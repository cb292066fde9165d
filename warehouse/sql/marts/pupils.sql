-- marts.pupils: pupils of general schools by school type, in all and foreign (non-German), with the foreign pupils'
-- share of the school type's pupils, at the start of each school year the statistics count (Regionaldatenbank
-- 21111-01-03-4). One row per district, school year and school type that has pupils; 'total' is all general schools,
-- which may hold pupils of types the table does not list. `rounding`: how far a count may be from the true one.
-- `foreign_status`: the publisher's symbol where it withholds the foreign pupils of a type ('.'; foreign_pupils NULL).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.pupils AS
WITH counts AS (
    SELECT i.region_code, i.reference_date, i.category AS school_type, i.source_id,
           max(i.value) FILTER (WHERE i.nationality = 'total' AND i.status IN ('', '-')) AS pupils,
           max(i.value) FILTER (WHERE i.nationality = 'non_german' AND i.status IN ('', '-')) AS foreign_pupils,
           -- the publisher's symbol where it prints one instead of the foreign pupils ('.': kept secret)
           coalesce(max(i.status) FILTER (WHERE i.nationality = 'non_german' AND i.status NOT IN ('', '-')), '') AS foreign_status,
           max(i.rounding) AS rounding
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    WHERE i.indicator = 'pupils' AND i.sex = 'total' AND i.breakdown IN ('school_type', 'total')
    GROUP BY ALL
)
SELECT c.region_code, p.city_name, c.reference_date, year(c.reference_date) AS year, c.school_type,
       v.label AS school_type_label, v.sort, c.pupils, c.foreign_pupils, c.foreign_status,
       100 * c.foreign_pupils / c.pupils AS share_foreign, c.rounding, c.source_id
FROM counts c
JOIN core.profile_cities p USING (region_code)
LEFT JOIN core.vocabulary v ON v.kind = 'school_type' AND v.code = c.school_type
WHERE c.pupils > 0
ORDER BY c.region_code, c.reference_date, v.sort;
