-- core.indicators, the rows of Foreign population by sex and nationality, Central Register of Foreigners (IT.NRW 12521-03i): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
WITH azr AS (
    -- IT.NRW 12521-03i: foreigners by nationality (AZR), each value within ±2 of the true count
    SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'population' AS indicator,
           'non_german' AS nationality, sex, 'total' AS age_group,
           CASE nationality_level WHEN 'continent' THEN 'continent' ELSE 'citizenship' END AS breakdown,
           nationality_code AS category, nationality AS category_label, value, unit, status,
           'foreigners_register' AS concept, '' AS census_basis, 2.0 AS rounding,
           source_id, '' AS source_table, source_line, source_column
    FROM staging.foreigners_by_nationality
)
SELECT * FROM azr

UNION ALL BY NAME

-- The AZR prints no total: foreigners = the six continents added up (each within ±2, so ±12).
SELECT region_code, any_value(region_name) AS region_name, reference_date, 'population' AS indicator,
       'non_german' AS nationality, sex, 'total' AS age_group, NULL::INTEGER AS age_from, NULL::INTEGER AS age_to,
       'total' AS breakdown, 'total' AS category, '' AS category_label, sum(value) AS value, 'persons' AS unit,
       '' AS status, 'foreigners_register' AS concept, '' AS census_basis, sum(rounding) AS rounding,
       'sum of the six continents' AS derivation, source_id, '' AS source_table, NULL::INTEGER AS source_line,
       'continents' AS source_column
FROM azr
WHERE concept = 'foreigners_register' AND breakdown = 'continent'
GROUP BY region_code, reference_date, sex, source_id
HAVING bool_and(status IN ('', '-'))
