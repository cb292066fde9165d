-- marts.top_nationalities: the ten largest nationalities among the city's foreigners, for every reference date a
-- source breaks foreigners down by citizenship (the AZR via IT.NRW 12521-03i; the MC2CM profile's Fig. 9).
-- English names come from Destatis' labels of the same state keys (12711-0008), with one correction below; a key
-- Destatis does not list keeps the publisher's German name. Shares are of all foreigners in the same source.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.top_nationalities AS
WITH english AS (
    SELECT substr(category, 3) AS code, any_value(category_label) AS name
    FROM core.indicators
    WHERE concept = 'migration_statistics' AND breakdown = 'country' AND regexp_matches(category, '^ST\d{3}$')
    GROUP BY 1
),
corrections(code, name) AS (
    SELECT code, name FROM seeds.citizenship_names  -- (warehouse/seeds/citizenship_names.csv)
),
citizenships AS (
    SELECT i.region_code, i.reference_date, i.source_id, i.category AS code,
           CASE WHEN i.concept = 'foreigners_register' AND i.source_table = '' THEN coalesce(k.name, e.name, i.category_label)
                ELSE i.category END AS citizenship,
           CASE WHEN i.source_table = '' THEN i.category_label ELSE '' END AS citizenship_de,
           i.value, i.source_line
    FROM core.indicators i
    JOIN core.profile_cities USING (region_code)
    LEFT JOIN english e ON e.code = i.category
    LEFT JOIN corrections k ON k.code = i.category
    WHERE i.indicator = 'population' AND i.nationality = 'non_german' AND i.sex = 'total' AND i.age_group = 'total'
      AND i.breakdown = 'citizenship' AND i.status IN ('', '-')
),
totals AS (
    SELECT region_code, reference_date, source_id, value AS all_foreigners
    FROM core.indicators
    WHERE indicator = 'population' AND nationality = 'non_german' AND sex = 'total' AND age_group = 'total'
      AND breakdown = 'total' AND status IN ('', '-') AND source_table = ''
),
ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY c.region_code, c.reference_date, c.source_id
                                   ORDER BY c.value DESC, c.source_line) AS rank
    FROM citizenships c
)
SELECT r.region_code, p.city_name, r.reference_date, year(r.reference_date) AS year, r.rank, r.code, r.citizenship,
       r.citizenship_de, r.value, 100 * r.value / t.all_foreigners AS share_of_foreigners, r.source_id,
       s.short_name AS source
FROM ranked r
JOIN core.profile_cities p ON p.region_code = r.region_code
JOIN core.sources s ON s.id = r.source_id
LEFT JOIN totals t ON t.region_code = r.region_code AND t.reference_date = r.reference_date AND t.source_id = r.source_id
WHERE r.rank <= 10
ORDER BY r.region_code, r.reference_date, r.rank;
