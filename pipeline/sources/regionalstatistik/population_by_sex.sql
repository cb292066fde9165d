-- core.indicators, the rows of Population by sex, districts of Germany (Regionaldatenbank 12411-01-01-4): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Regionaldatenbank 12411-01-01-4: population by sex
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
       'total' AS nationality, sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
       '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.population_by_sex
