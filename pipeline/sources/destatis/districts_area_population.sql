-- core.indicators, the rows of Districts by area, population and density (Destatis Gemeindeverzeichnis GV-ISys): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Destatis GV-ISys: area, population by sex, density of every district
SELECT core.region_key(ags) AS region_code, region_name, reference_date, indicator,
       'total' AS nationality, sex, 'total' AS age_group, 'total' AS breakdown, 'total' AS category,
       '' AS category_label, value, unit, status,
       CASE indicator WHEN 'area' THEN 'area_survey' ELSE 'population_update' END AS concept,
       CASE indicator WHEN 'area' THEN '' ELSE census_basis END AS census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.districts_area_population
