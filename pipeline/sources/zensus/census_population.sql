-- core.indicators, the rows of Population counted by the Zensus 2022 on 15 May 2022, Germany and every municipality (Zensus 2022 database 1000A-0000): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Zensus 2022 database 1000A-0000: the census count on 15 May 2022 (a kreisfreie Stadt's municipality is its
-- district: core.region_key takes 05913000 to 05913)
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
       'total' AS nationality, 'total' AS sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
       '' AS category_label, value, unit, status, 'census_count' AS concept, census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.census_population
