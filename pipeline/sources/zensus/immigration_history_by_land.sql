-- core.indicators, the rows of Population by immigration history and age group, Germany and the Länder (Zensus 2022 database 1000A-2022): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Zensus 2022 database 1000A-2022: the census count by immigration history, Germany and the Länder (the
-- detail hierarchy WDGAT1 only for the two categories the summary WDGAT2 does not have)
SELECT ags AS region_code, region_name, reference_date, 'population' AS indicator, 'total' AS nationality,
       'total' AS sex, age_group, age_from, age_to,
       CASE immigration_history WHEN 'total' THEN 'total' ELSE 'immigration_history' END AS breakdown,
       immigration_history AS category, '' AS category_label, value, unit, status, 'census_count' AS concept,
       census_basis, 0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
FROM staging.immigration_history_by_land
WHERE hierarchy = 'WDGAT2' OR immigration_history IN ('immigrated', 'descendants')
