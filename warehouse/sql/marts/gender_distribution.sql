-- marts.gender_distribution: Germans and non-Germans by sex (the MC2CM profile's "Gender distribution"), in all and
-- within the broad age groups (seeds.broad_age_groups), from the population update by nationality, sex and age group
-- (Regionaldatenbank 12411-03-03-4), on every reference date the files hold. A broad group is the sum of the
-- table's bands that tile it exactly; share_women: women's per cent of the nationality's persons in the group.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.gender_distribution AS
WITH cells AS (
    SELECT i.region_code, i.reference_date, i.source_id, i.nationality, i.sex, i.age_group, i.age_from,
           coalesce(i.age_to, 999) AS age_end, i.value, i.status, i.concept, i.census_basis
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    JOIN core.sources s ON s.id = i.source_id
    WHERE s.dataset = 'population_by_nationality_and_age_group' AND i.indicator = 'population'
      AND i.breakdown = 'total' AND i.nationality IN ('german', 'non_german') AND i.sex IN ('female', 'male')
),
banded AS (
    SELECT c.region_code, c.reference_date, c.source_id, c.nationality, c.sex, b.age_group, b.sort, b.label,
           sum(c.value) AS persons, bool_and(c.status IN ('', '-')) AS known, any_value(c.concept) AS concept,
           any_value(c.census_basis) AS census_basis
    FROM seeds.broad_age_groups b
    JOIN cells c ON (b.age_group = 'total' AND c.age_group = 'total')
                 OR (b.age_group <> 'total' AND c.age_group <> 'total' AND c.age_from >= b.age_from
                     AND c.age_end <= coalesce(b.age_to, 999))
    GROUP BY ALL
    HAVING b.age_group = 'total' OR sum(c.age_end - c.age_from) = coalesce(b.age_to, 999) - b.age_from
)
SELECT w.region_code, p.city_name, w.reference_date, year(w.reference_date) AS year, w.nationality, w.age_group,
       w.label AS age_label, w.sort, w.persons AS women, m.persons AS men, w.persons + m.persons AS persons,
       100 * w.persons / (w.persons + m.persons) AS share_women, 100 * m.persons / (w.persons + m.persons) AS share_men,
       w.concept, w.census_basis, w.source_id, s.short_name AS source
FROM banded w
JOIN banded m ON m.region_code = w.region_code AND m.reference_date = w.reference_date AND m.source_id = w.source_id
             AND m.nationality = w.nationality AND m.age_group = w.age_group AND m.sex = 'male'
JOIN core.profile_cities p ON p.region_code = w.region_code
JOIN core.sources s ON s.id = w.source_id
WHERE w.sex = 'female' AND w.known AND m.known
ORDER BY w.region_code, w.reference_date, w.nationality, w.sort;
