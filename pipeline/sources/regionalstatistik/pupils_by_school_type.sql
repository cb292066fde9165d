-- core.indicators, the rows of Regionaldatenbank 21111-01-03-4: schools and pupils by school type, at the start of the
-- school year; pupils in all, female and foreign (non-German). The grades stay in staging. North Rhine-Westphalia's
-- counts are rounded to multiples of 5 (each within ±2 of the count).
SELECT core.region_key(ags) AS region_code, region_name, reference_date, measure AS indicator,
       CASE pupil_group WHEN 'foreign' THEN 'non_german' ELSE 'total' END AS nationality,
       CASE pupil_group WHEN 'female' THEN 'female' ELSE 'total' END AS sex, 'total' AS age_group,
       CASE school_type WHEN 'total' THEN 'total' ELSE 'school_type' END AS breakdown, school_type AS category,
       '' AS category_label, value, unit, status, 'school_statistics' AS concept, '' AS census_basis,
       CASE WHEN left(ags, 2) = '05' THEN 2.0 ELSE 0.0 END AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.pupils_by_school_type
WHERE pupil_group IN ('total', 'female', 'foreign')
