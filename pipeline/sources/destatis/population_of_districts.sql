-- core.indicators, the rows of Population of every district on 31 December, 2000 onwards (Destatis 12411-0015): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Destatis 12411-0015: population of every district on each 31 December since 2000, on its year's census basis
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
       'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
       '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.population_of_districts
