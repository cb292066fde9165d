-- core.indicators, the rows of Employees liable to social security by economic section and qualification (IT.NRW 13111-54i): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- IT.NRW 13111-54i: employees at their place of work, by economic section ...
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'employees_at_workplace' AS indicator,
       'total' AS nationality, 'total' AS sex, 'total' AS age_group,
       CASE section_code WHEN 'total' THEN 'total' ELSE 'economic_section' END AS breakdown, section_code AS category,
       CASE section_code WHEN 'total' THEN '' ELSE section END AS category_label, value, unit, status,
       'employment_statistics' AS concept, '' AS census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.employees_by_economic_section WHERE qualification = 'total'

UNION ALL BY NAME

-- ... and by qualification (the cross-tabulation of both stays in staging)
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'employees_at_workplace' AS indicator,
       'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'qualification' AS breakdown,
       qualification AS category, '' AS category_label, value, unit, status,
       'employment_statistics' AS concept, '' AS census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.employees_by_economic_section WHERE section_code = 'total' AND qualification <> 'total'
