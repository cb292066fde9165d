-- marts.protection_status: the city's protection seekers by protection status (Destatis 12531-0043), the part of
-- its foreigners who sought protection, with the Central Register of Foreigners' total of all foreigners for the same
-- day beside it (the AZR's 12521-03i, the sum of its continents). Each status is the sum over the citizenships of
-- cells rounded to 5 (`rounding` says how far the sum may be off). `mc2cm_category` names the category of the MC2CM
-- profile's Fig. 8 (residence status of all non-Germans, 2018) a status corresponds to, where one does.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.protection_status AS
WITH rows_(status, sort, depth, label, mc2cm_category) AS (
    SELECT status, sort, depth, label, mc2cm_category FROM seeds.protection_status_rows  -- (warehouse/seeds/protection_status_rows.csv)
),
statuses AS (
    SELECT i.region_code, i.reference_date, i.category AS status, i.value, i.rounding, i.source_id
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    WHERE i.indicator = 'protection_seekers' AND i.breakdown = 'protection_status' AND i.sex = 'total'
),
totals AS (
    -- all protection seekers: recognised + open + without status
    SELECT region_code, reference_date, 'total' AS status, sum(value) AS value, sum(rounding) AS rounding,
           any_value(source_id) AS source_id
    FROM statuses WHERE status IN ('recognised', 'open', 'without_status')
    GROUP BY region_code, reference_date, source_id
),
foreigners AS (
    SELECT i.region_code, i.reference_date, i.value AS foreigners, i.source_id AS foreigners_source_id
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    WHERE i.indicator = 'population' AND i.nationality = 'non_german' AND i.sex = 'total' AND i.breakdown = 'total'
      AND i.concept = 'foreigners_register' AND i.derivation = 'sum of the six continents'
)
SELECT x.region_code, p.city_name, x.reference_date, year(x.reference_date) AS year, x.status,
       coalesce(r.label, 'All protection seekers') AS label, coalesce(v.label, 'all protection seekers') AS description, coalesce(r.sort, 11) AS sort, coalesce(r.depth, 0) AS depth,
       coalesce(r.mc2cm_category, '') AS mc2cm_category, x.value, x.rounding,
       f.foreigners, 100 * x.value / f.foreigners AS share_of_foreigners, x.source_id, f.foreigners_source_id
FROM (SELECT * FROM statuses UNION ALL BY NAME SELECT * FROM totals) x
JOIN core.profile_cities p USING (region_code)
LEFT JOIN rows_ r ON r.status = x.status
LEFT JOIN core.vocabulary v ON v.kind = 'protection_status' AND v.code = x.status
LEFT JOIN foreigners f USING (region_code, reference_date)
ORDER BY x.region_code, x.reference_date, sort;
