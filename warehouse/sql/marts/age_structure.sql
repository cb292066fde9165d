-- marts.age_structure: Germans and non-Germans by the MC2CM profile's age groups (Fig. 11), for every reference
-- date a source gives both nationalities by age. A source's bands are added up to the profile's groups where they
-- tile a group exactly (21 groups of the Regionaldatenbank -> 9 groups); a group no source tiles is left out, not
-- estimated. The non-Germans' share of each group is computed here from the two counts, never copied.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.age_structure AS
WITH target_groups(age_group, age_from, age_to, sort) AS (
    SELECT age_group, age_from, age_to, sort FROM seeds.profile_age_groups  -- (warehouse/seeds/profile_age_groups.csv)
),
bands AS (
    SELECT i.region_code, i.reference_date, i.source_id, i.source_table, i.nationality, i.age_from,
           coalesce(i.age_to, 999) AS age_end, i.value
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    WHERE i.indicator = 'population' AND i.sex = 'total' AND i.breakdown = 'total'
      AND i.nationality IN ('german', 'non_german') AND i.age_group <> 'total' AND i.status IN ('', '-')
),
summed AS (
    SELECT b.region_code, b.reference_date, b.source_id, b.source_table, b.nationality, t.age_group, t.age_from,
           t.age_to, t.sort, sum(b.value) AS value, sum(b.age_end - b.age_from) AS covered,
           coalesce(t.age_to, 999) - t.age_from AS width
    FROM target_groups t
    JOIN bands b ON b.age_from >= t.age_from AND b.age_end <= coalesce(t.age_to, 999)
    GROUP BY ALL
),
complete AS (
    SELECT * FROM summed WHERE covered = width
),
wide AS (
    SELECT region_code, reference_date, source_id, source_table, age_group, age_from, age_to, sort,
           sum(value) FILTER (WHERE nationality = 'german') AS germans,
           sum(value) FILTER (WHERE nationality = 'non_german') AS non_germans
    FROM complete
    GROUP BY ALL
    HAVING count(*) = 2
)
SELECT w.region_code, c.city_name, w.reference_date, year(w.reference_date) AS year, w.age_group, w.age_from,
       w.age_to, w.sort, w.germans, w.non_germans, w.germans + w.non_germans AS total,
       100 * w.non_germans / (w.germans + w.non_germans) AS share_non_german,
       w.source_id, s.short_name AS source
FROM wide w
JOIN core.profile_cities c USING (region_code)
JOIN core.sources s ON s.id = w.source_id
ORDER BY w.region_code, w.reference_date, w.sort;
