-- marts.synopsis: the MC2CM profile's "general overview" and indicator table (section 2), row by row, with every
-- figure that can fill each row: the profile's own (for its edition) and the current tables' equivalents, computed
-- here (age groups added up from single years of age, shares from counts). The report takes, per edition, the
-- newest figure of a row; `preference` breaks ties between sources of the same year (1 = the profile's own figure
-- in its edition, then the population update, then the register). `input_needed` names what would fill a row an
-- edition has no figure for. concept and census_basis say which measurement a figure is (core.indicators), rounding
-- how far it may be from the count.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.synopsis AS
WITH rows_ AS (
    -- the rows, their themes and labels, and the input that would fill each (warehouse/seeds/synopsis_rows.csv)
    SELECT row_id, sort, theme, label, input_needed FROM seeds.synopsis_rows
),
city AS (
    SELECT i.* FROM core.indicators i JOIN core.profile_cities USING (region_code)
),
profile_figures AS (
    SELECT p.row_id, c.region_code, c.reference_date, c.value, c.unit, c.status, c.source_id, 1 AS preference,
           s.value AS share, s.rounding AS share_rounding, c.cited_publisher, c.concept, c.census_basis, c.rounding
    FROM seeds.synopsis_profile_rows p  -- the profile's own rows (section 2), mapped to the row ids above
    JOIN city c ON c.source_table = p.table_id AND c.indicator = p.indicator AND c.age_group = p.age_group
               AND p.nationality IN ('', c.nationality) AND p.breakdown IN ('', c.breakdown) AND p.category IN ('', c.category)
    LEFT JOIN city s ON s.region_code = c.region_code AND s.source_id = c.source_id AND s.source_table = c.source_table
               AND s.reference_date = c.reference_date
               AND s.indicator = 'share_of_population' AND s.nationality = c.nationality AND s.breakdown = c.breakdown
               AND s.category = c.category AND s.age_group = c.age_group
),
totals AS (
    SELECT region_code, source_id, reference_date, value FROM city
    WHERE indicator = 'population' AND nationality = 'total' AND sex = 'total' AND age_group = 'total'
      AND breakdown = 'total' AND status IN ('', '-') AND source_table = ''
),
current_population AS (
    SELECT 'population' AS row_id, region_code, reference_date, value, unit, status, source_id,
           CASE concept WHEN 'population_update' THEN 2 ELSE 3 END AS preference, NULL::DOUBLE AS share, NULL::DOUBLE AS share_rounding,
           concept, census_basis, rounding
    FROM city
    WHERE indicator = 'population' AND nationality = 'total' AND sex = 'total' AND age_group = 'total'
      AND breakdown = 'total' AND source_table = '' AND concept IN ('population_update', 'municipal_register')
),
current_area AS (
    SELECT 'area' AS row_id, region_code, reference_date, value, unit, status, source_id, 2 AS preference, NULL::DOUBLE AS share, NULL::DOUBLE AS share_rounding,
           concept, census_basis, rounding
    FROM city WHERE indicator = 'area' AND source_table = ''
),
current_foreigners AS (
    SELECT 'foreigners' AS row_id, f.region_code, f.reference_date, f.value, f.unit, f.status, f.source_id, 2 AS preference,
           100 * f.value / t.value AS share, 0.0 AS share_rounding, f.concept, f.census_basis, f.rounding
    FROM city f
    JOIN totals t ON t.region_code = f.region_code AND t.source_id = f.source_id AND t.reference_date = f.reference_date
    WHERE f.indicator = 'population' AND f.nationality = 'non_german' AND f.sex = 'total' AND f.age_group = 'total'
      AND f.breakdown = 'total' AND f.concept = 'population_update' AND f.source_table = ''
),
age_targets AS (
    SELECT row_id, age_from AS lo, coalesce(age_to, 999) AS hi FROM seeds.synopsis_rows WHERE age_from IS NOT NULL
),
age_bands AS (
    SELECT region_code, source_id, reference_date, age_from, coalesce(age_to, 999) AS age_end, value, census_basis
    FROM city
    WHERE indicator = 'population' AND nationality = 'total' AND sex = 'total' AND breakdown = 'total'
      AND age_group <> 'total' AND concept = 'population_update' AND status IN ('', '-') AND source_table = ''
),
current_ages AS (
    -- the profile's broad age groups, added up from a source whose bands tile them exactly
    SELECT t.row_id, b.region_code, b.reference_date, sum(b.value) AS value, 'persons' AS unit, '' AS status, b.source_id,
           2 AS preference, NULL::DOUBLE AS share, NULL::DOUBLE AS share_rounding, 'population_update' AS concept,
           any_value(b.census_basis) AS census_basis, 0.0 AS rounding
    FROM age_targets t
    JOIN age_bands b ON b.age_from >= t.lo AND b.age_end <= t.hi
    GROUP BY t.row_id, t.lo, t.hi, b.region_code, b.reference_date, b.source_id
    HAVING sum(b.age_end - b.age_from) = t.hi - t.lo
),
current_sectors AS (
    SELECT 'sector_' || sector AS row_id, region_code, reference_date, share AS value, 'percent' AS unit, '' AS status, source_id,
           2 AS preference, NULL::DOUBLE AS share, NULL::DOUBLE AS share_rounding, 'employment_statistics' AS concept,
           '' AS census_basis, 0.0 AS rounding
    FROM marts.sectors WHERE how = 'computed from counts' AND share IS NOT NULL
),
current_welfare AS (
    SELECT 'welfare' AS row_id, region_code, reference_date, value, unit, status, source_id, 2 AS preference,
           NULL::DOUBLE AS share, NULL::DOUBLE AS share_rounding, concept, census_basis, rounding
    FROM city WHERE indicator = 'benefit_recipients' AND breakdown = 'total' AND source_table = ''
),
current_unemployment AS (
    -- the rate relative to all civilian labour force, the Bundesagentur's headline rate
    SELECT 'unemployment_rate' AS row_id, region_code, reference_date, value, unit, status, source_id, 2 AS preference,
           NULL::DOUBLE AS share, NULL::DOUBLE AS share_rounding, concept, census_basis, rounding
    FROM city WHERE indicator = 'unemployment_rate' AND nationality = 'total' AND sex = 'total' AND age_group = 'total'
      AND breakdown = 'total' AND source_table = ''
),
current_leavers AS (
    SELECT 'leavers_without_qualification' AS row_id, l.region_code, l.reference_date, l.value, l.unit, l.status, l.source_id,
           2 AS preference, 100 * l.value / t.value AS share, 0.0 AS share_rounding, l.concept, l.census_basis, l.rounding
    FROM city l
    JOIN city t ON t.region_code = l.region_code AND t.source_id = l.source_id AND t.reference_date = l.reference_date
     AND t.indicator = 'school_leavers' AND t.breakdown = 'total' AND t.sex = 'total' AND t.status IN ('', '-')
    WHERE l.indicator = 'school_leavers' AND l.category = 'without_hauptschulabschluss' AND l.sex = 'total'
),
current_students AS (
    -- counted where the institution is, in the winter semester that ends in the reference year
    SELECT 'foreign_students' AS row_id, f.region_code, f.reference_date, f.value, f.unit, f.status, f.source_id,
           2 AS preference, 100 * f.value / t.value AS share, 0.0 AS share_rounding, f.concept, f.census_basis, f.rounding
    FROM city f
    JOIN city t ON t.region_code = f.region_code AND t.source_id = f.source_id AND t.reference_date = f.reference_date
     AND t.indicator = 'students' AND t.nationality = 'total' AND t.sex = 'total' AND t.breakdown = 'total'
     AND t.status IN ('', '-') AND t.value > 0
    WHERE f.indicator = 'students' AND f.nationality = 'non_german' AND f.sex = 'total' AND f.breakdown = 'total'
),
current_land_price AS (
    SELECT 'building_land_price' AS row_id, region_code, reference_date, value, unit, status, source_id, 2 AS preference,
           NULL::DOUBLE AS share, NULL::DOUBLE AS share_rounding, concept, census_basis, rounding
    FROM city WHERE indicator = 'building_land_price' AND breakdown = 'total' AND source_table = ''
),
candidates AS (
    SELECT * FROM profile_figures
    UNION ALL BY NAME SELECT * FROM current_population
    UNION ALL BY NAME SELECT * FROM current_area
    UNION ALL BY NAME SELECT * FROM current_unemployment
    UNION ALL BY NAME SELECT * FROM current_leavers
    UNION ALL BY NAME SELECT * FROM current_students
    UNION ALL BY NAME SELECT * FROM current_land_price
    UNION ALL BY NAME SELECT * FROM current_foreigners
    UNION ALL BY NAME SELECT * FROM current_ages
    UNION ALL BY NAME SELECT * FROM current_sectors
    UNION ALL BY NAME SELECT * FROM current_welfare
)
SELECT p.region_code, p.city_name, r.row_id, r.sort, r.theme, r.label, r.input_needed, c.reference_date,
       year(c.reference_date) AS year, c.value, c.unit, c.status, c.share, c.share_rounding, c.preference, c.source_id,
       c.concept, coalesce(c.census_basis, '') AS census_basis, c.rounding,
       -- a figure taken from the MC2CM profile is credited to the publisher the profile cites for it
       CASE WHEN s.level = 'profile' AND coalesce(c.cited_publisher, '') <> '' AND c.cited_publisher NOT LIKE 'MC2CM profile%' THEN c.cited_publisher || ' (via MC2CM)'
            ELSE s.short_name END AS source,
       s.level AS publisher_level
FROM rows_ r
CROSS JOIN core.profile_cities p
LEFT JOIN candidates c ON c.row_id = r.row_id AND c.region_code = p.region_code
LEFT JOIN core.sources s ON s.id = c.source_id
ORDER BY p.region_code, r.sort, c.reference_date, c.preference, c.source_id;
