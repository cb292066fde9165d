-- core.indicators, the rows of Arrivals and departures across the borders of every district by sex and age group (Regionaldatenbank 12711-04-02-4, XLSX): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Regionaldatenbank 12711-04-02-4 (XLSX): arrivals and departures across district borders by sex and age group
SELECT ags AS region_code, region_name, reference_date, flow AS indicator, 'total' AS nationality, sex,
       age_group, age_from, age_to, 'migration_scope' AS breakdown, 'across_district_borders' AS category,
       '' AS category_label, value, unit, status, 'migration_statistics' AS concept, '' AS census_basis,
       0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
FROM staging.migration_of_districts_by_age
