-- core.indicators, the rows of School leavers of general schools by qualification and sex, districts (Regionaldatenbank 21111-02-06-4): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Regionaldatenbank 21111-02-06-4: leavers of general schools by the qualification they left with
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'school_leavers' AS indicator,
       'total' AS nationality, sex, 'total' AS age_group,
       CASE qualification WHEN 'total' THEN 'total' ELSE 'school_qualification' END AS breakdown,
       qualification AS category, '' AS category_label, value, unit, status, 'school_statistics' AS concept,
       '' AS census_basis, 0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
FROM staging.school_leavers
