-- core.indicators, the rows of Recipients of minimum social security benefits by type (IT.NRW 22811-05i): its columns in the warehouse's one vocabulary
-- (assembled with every table's branch by pipeline/warehouse/indicators.py).
-- IT.NRW 22811-05i: recipients of minimum benefits; SGB XII and AsylbLG counts rounded to multiples of 5
SELECT core.region_key(ags) AS region_code, region_name, reference_date, 'benefit_recipients' AS indicator,
       'total' AS nationality, 'total' AS sex, 'total' AS age_group,
       CASE benefit WHEN 'total' THEN 'total' ELSE 'benefit' END AS breakdown, benefit AS category,
       '' AS category_label, value, unit, status, 'social_benefit_statistics' AS concept, '' AS census_basis,
       CASE benefit WHEN 'sgb2' THEN 0.0 WHEN 'total' THEN 6.0 ELSE 2.0 END AS rounding,
       source_id, '' AS source_table, source_line, source_column
FROM staging.minimum_benefit_recipients
