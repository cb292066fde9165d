-- core.indicators, the rows of Protection seekers by protection status, sex and citizenship, districts (Destatis 12531-0043, 31 December): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Destatis 12531-0043 prints protection seekers by citizenship only (and leaves empty cells out): each status
-- and sex is the sum over the citizenships, each cell within ±2 (rounded to 5); both sexes added for the total.
SELECT region_code, any_value(region_name) AS region_name, reference_date, 'protection_seekers' AS indicator,
       'non_german' AS nationality, sex, 'total' AS age_group, NULL::INTEGER AS age_from, NULL::INTEGER AS age_to,
       'protection_status' AS breakdown, protection_status AS category, '' AS category_label, sum(value) AS value,
       'persons' AS unit, '' AS status, 'foreigners_register' AS concept, '' AS census_basis,
       2.0 * count(*) AS rounding, 'sum of the citizenships' AS derivation, source_id, '' AS source_table,
       NULL::INTEGER AS source_line, 'citizenships' AS source_column
FROM (SELECT ags AS region_code, region_name, reference_date, protection_status, sex, value, status, source_id
      FROM staging.protection_seekers
      UNION ALL
      SELECT ags, region_name, reference_date, protection_status, 'total', value, status, source_id
      FROM staging.protection_seekers)
GROUP BY region_code, reference_date, protection_status, sex, source_id
HAVING bool_and(status IN ('', '-'))
