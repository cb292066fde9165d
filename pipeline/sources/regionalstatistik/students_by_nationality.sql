-- core.indicators, the rows of Students by sex, nationality and subject group, districts (Regionaldatenbank 21311-01-01-4-B, flat file): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Regionaldatenbank 21311-01-01-4-B: students at the district's higher-education institutions in a winter semester
SELECT core.region_key(ags) AS region_code, region_name, reference_date, period_start, 'students' AS indicator,
       nationality, sex, 'total' AS age_group,
       CASE subject_group WHEN 'total' THEN 'total' ELSE 'subject_group' END AS breakdown,
       subject_group AS category, '' AS category_label, value, unit, status, 'student_statistics' AS concept,
       '' AS census_basis, CASE WHEN left(ags, 2) IN ('01', '02') THEN 2.0 ELSE 0.0 END AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.students_by_nationality
