-- core.indicators, the rows of Unemployed persons by group and unemployment rates, annual average, districts
-- (Regionaldatenbank 13211-02-05-4), on today's districts: the counts of a district merged since the year are added
-- to its successor's (seeds.territorial_changes); a rate cannot be added, so the rates of a merged territory are left out
-- for those years (the profile's note on the territory says so).
-- The groups are 'of which' figures: foreigners, men, women and the age groups as dimensions, the rest as a breakdown.
WITH placed AS (
    SELECT s.*, coalesce(t.new_code, s.ags) AS today  -- today's district (seeds.territorial_changes)
    FROM staging.unemployment_by_group s
    LEFT JOIN seeds.territorial_changes t ON t.old_code = s.ags AND s.reference_date < t.effective
),
merged AS (
    SELECT today AS ags, arg_min(region_name, ags <> today) AS region_name, reference_date, indicator, person_group, unit,
           CASE WHEN bool_and(status IN ('', '-')) THEN sum(value) END AS value,
           core.sum_status(list(status), sum(value)) AS status, source_id,
           arg_min(source_line, ags <> today) AS source_line, arg_min(source_column, ags <> today) AS source_column
    FROM placed
    GROUP BY today, reference_date, indicator, person_group, unit, source_id
    HAVING count(*) = 1 OR unit <> 'percent'
)
SELECT core.region_key(ags) AS region_code, region_name, reference_date, indicator,
       CASE person_group WHEN 'foreigners' THEN 'non_german' ELSE 'total' END AS nationality,
       CASE person_group WHEN 'men' THEN 'male' WHEN 'women' THEN 'female' ELSE 'total' END AS sex,
       CASE person_group WHEN 'aged_15_20' THEN '15-20' WHEN 'aged_15_25' THEN '15-25' WHEN 'aged_55_65' THEN '55-65'
            ELSE 'total' END AS age_group,
       CASE person_group WHEN 'aged_15_20' THEN 15 WHEN 'aged_15_25' THEN 15 WHEN 'aged_55_65' THEN 55 END AS age_from,
       CASE person_group WHEN 'aged_15_20' THEN 20 WHEN 'aged_15_25' THEN 25 WHEN 'aged_55_65' THEN 65 END AS age_to,
       CASE WHEN person_group IN ('severely_disabled', 'long_term_unemployed') THEN 'person_group' ELSE 'total' END AS breakdown,
       CASE WHEN person_group IN ('severely_disabled', 'long_term_unemployed') THEN person_group ELSE 'total' END AS category,
       '' AS category_label, value, unit, status, 'unemployment_statistics' AS concept, '' AS census_basis,
       CASE unit WHEN 'percent' THEN 0.05 ELSE 0.0 END AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM merged
