-- core.indicators, the rows of Population by sex and single year of age, districts of Germany (Regionaldatenbank 12411-04-02-4): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Regionaldatenbank 12411-02-03-4 and 12411-04-02-4: population by sex and age group, by sex and single year of age
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
       'total' AS nationality, sex, age_group, age_from, age_to, 'total' AS breakdown, 'total' AS category,
       '' AS category_label, value, unit, status, 'population_update' AS concept, census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.population_by_sex_and_single_year_of_age
