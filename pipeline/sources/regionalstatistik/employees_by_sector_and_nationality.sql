-- core.indicators, the rows of Employees at the place of work by sex, nationality and economic sector, districts,
-- 30 June (Regionaldatenbank 13111-07-05-4), on today's districts: a district merged since the file's date is added
-- to its successor (seeds.territorial_changes; a sum with an unknown cell is unknown). The breakdown by sex is kept for
-- the total of all sectors only.
WITH placed AS (
    SELECT s.*, coalesce(t.new_code, s.ags) AS today  -- today's district (seeds.territorial_changes)
    FROM staging.employees_by_sector_and_nationality s
    LEFT JOIN seeds.territorial_changes t ON t.old_code = s.ags AND s.reference_date < t.effective
    WHERE sex = 'total' OR section_code = 'total'
)
SELECT core.region_key(today) AS region_code, arg_min(region_name, ags <> today) AS region_name, reference_date,
       'employees_at_workplace' AS indicator, nationality, sex, 'total' AS age_group,
       CASE section_code WHEN 'total' THEN 'total' ELSE 'economic_section' END AS breakdown, section_code AS category,
       '' AS category_label,
       CASE WHEN bool_and(status IN ('', '-')) THEN sum(value) END AS value, unit,
       core.sum_status(list(status), sum(value)) AS status,
       'employment_statistics' AS concept, '' AS census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, arg_min(source_line, ags <> today) AS source_line,
       arg_min(source_column, ags <> today) AS source_column
FROM placed
GROUP BY today, reference_date, nationality, sex, section_code, unit, source_id
