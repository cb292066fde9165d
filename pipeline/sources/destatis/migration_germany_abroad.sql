-- core.indicators, the rows of Migration between Germany and foreign countries by nationality (Destatis 12711-0008, JSON-stat): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Destatis 12711-0008: arrivals, departures, net migration of Germany, by nationality and country
SELECT ags AS region_code, region_name, reference_date, period_start, flow AS indicator,
       nationality, 'total' AS sex, 'total' AS age_group,
       CASE country_code WHEN 'total' THEN 'total' ELSE 'country' END AS breakdown, country_code AS category,
       CASE country_code WHEN 'total' THEN '' ELSE country END AS category_label, value, unit, status,
       'migration_statistics' AS concept, '' AS census_basis, 0.0 AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.migration_germany_abroad
