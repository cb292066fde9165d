-- core.indicators, the rows of Migration across the borders of every district, by origin and destination (Destatis Statistischer Bericht, table 12711-13): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Destatis Statistischer Bericht 12711-13: moves across every district's borders, by origin and destination
SELECT ags AS region_code, region_name, reference_date, period_start, flow AS indicator,
       'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'migration_scope' AS breakdown,
       scope AS category, '' AS category_label, value, unit, status, 'migration_statistics' AS concept,
       '' AS census_basis, 0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
FROM staging.migration_of_districts
