-- core.indicators, the rows of Migration across the borders of Germany by nationality, 1950 onwards (Destatis Statistischer Bericht, table 12711-02): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Destatis Statistischer Bericht 12711-02: Germany's migration balance since 1950 by nationality; before 1991
-- the former territory (region_name says which)
SELECT ags AS region_code, region_name, reference_date, period_start, flow AS indicator,
       nationality, 'total' AS sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
       '' AS category_label, value, unit, status, 'migration_statistics' AS concept, '' AS census_basis,
       0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
FROM staging.migration_germany_since_1950
