-- core.indicators, the rows of Building-land sales and average purchase prices, districts (Regionaldatenbank 61511-01-03-4, XLSX): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- Regionaldatenbank 61511-01-03-4: building-land sales in the year (cases, area, purchase sum, average price per m²)
SELECT core.region_key(ags) AS region_code, region_name, reference_date, period_start,
       CASE measure WHEN 'sales' THEN 'building_land_sales' WHEN 'area_sold' THEN 'building_land_area_sold'
            WHEN 'purchase_sum' THEN 'building_land_purchase_sum' ELSE 'building_land_price' END AS indicator,
       'total' AS nationality, 'total' AS sex, 'total' AS age_group,
       CASE land_type WHEN 'total' THEN 'total' ELSE 'land_type' END AS breakdown, land_type AS category,
       '' AS category_label, value, unit, status, 'land_price_statistics' AS concept, '' AS census_basis,
       0.0 AS rounding, source_id, '' AS source_table, source_line, source_column
FROM staging.building_land_sales
