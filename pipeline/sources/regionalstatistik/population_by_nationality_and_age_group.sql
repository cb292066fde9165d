-- core.indicators, the rows of Population by sex, nationality and 21 age groups, districts of Germany (Regionaldatenbank 12411-03-03-4): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Regionaldatenbank 12411-03-03-4: population by nationality, sex, age group
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
       nationality, sex, age_group, age_from, age_to, 'total' AS breakdown, 'total' AS category,
       '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.population_by_nationality_and_age_group
