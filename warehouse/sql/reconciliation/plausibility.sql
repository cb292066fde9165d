-- reconciliation.plausibility: a city's register figures of its population that look implausible, each with the
-- reason: its yearly change since the register's previous figure differs from the population update's over the same
-- years (both update figures on one census basis) by more than the settings' yearly change gap, or it lies on the
-- other side of the population update than every other register figure of the city whose update rests on the same
-- census, two at least (pipeline/reconciliation/rules.yaml, `plausibility`). Warnings for the maintainer and the appendix, not judgements of a pair.

CREATE OR REPLACE TABLE reconciliation.plausibility AS
WITH register AS (
    SELECT i.region_code, i.region_name, year(i.reference_date) AS year, i.value, i.rounding, i.source_id,
           s.short_name AS source_name
    FROM core.indicators i
    JOIN staging.sources s ON s.id = i.source_id
    WHERE i.concept = 'municipal_register' AND i.indicator = 'population' AND i.nationality = 'total' AND i.sex = 'total'
      AND i.age_group = 'total' AND i.breakdown = 'total' AND i.status IN ('', '-') AND i.value IS NOT NULL
      AND i.region_code IN (SELECT region_code FROM core.profile_cities)
),
update_figures AS (
    -- the population update per city, year and census basis (the sources agree on one basis; the first by id)
    SELECT region_code, year(reference_date) AS year, census_basis, arg_min(value, source_id) AS value
    FROM core.indicators
    WHERE concept = 'population_update' AND indicator = 'population' AND nationality = 'total' AND sex = 'total'
      AND age_group = 'total' AND breakdown = 'total' AND status IN ('', '-') AND value IS NOT NULL
      AND region_code IN (SELECT region_code FROM register)
    GROUP BY ALL
),
newest_basis AS (
    SELECT region_code, year, max(census_basis) AS census_basis, arg_max(value, census_basis) AS value FROM update_figures GROUP BY ALL
),
sided AS (
    SELECT r.*, u.value AS update_value, u.census_basis, sign(r.value - u.value) AS side
    FROM register r JOIN newest_basis u USING (region_code, year)
),
side_doubts AS (
    SELECT s.region_code, s.region_name, s.year, s.value, s.source_id, 'position against the population update' AS rule,
           format('{} counts {:,} for {}, {} ({:,}), where every other register figure of the city on that basis ({}) '
                  || 'counts {} it', s.source_name, s.value::BIGINT, s.year,
                  CASE WHEN s.side < 0 THEN 'fewer than' ELSE 'more than' END || ' the population update (' || s.census_basis || ')',
                  s.update_value::BIGINT, string_agg(DISTINCT o.year::VARCHAR, ', ' ORDER BY o.year::VARCHAR),
                  CASE WHEN s.side < 0 THEN 'more than' ELSE 'fewer than' END) AS detail
    -- the other register figures whose update rests on the same census: a census corrects the update (Zensus 2011
    -- lowered Dortmund's by 1.6 %), which moves the register's side of it
    FROM sided s JOIN sided o ON o.region_code = s.region_code AND o.year <> s.year AND o.census_basis = s.census_basis
    WHERE s.side <> 0
    GROUP BY s.region_code, s.region_name, s.year, s.value, s.source_id, s.source_name, s.side, s.update_value, s.census_basis
    HAVING count(DISTINCT o.year) >= 2 AND bool_and(o.side = -s.side)  -- (with one other figure, either may be the odd one)
),
paired AS (
    -- each register figure with the register's previous figure (the nearest earlier year; at a tie the more exact)
    SELECT r.*, p.year AS prev_year, p.value AS prev_value
    FROM register r
    JOIN register p ON p.region_code = r.region_code AND p.year < r.year
    QUALIFY row_number() OVER (PARTITION BY r.region_code, r.year, r.source_id ORDER BY p.year DESC, p.rounding, p.source_id) = 1
),
rates AS (
    SELECT p.*, u1.value AS update_prev, u2.value AS update_now, u1.census_basis,
           pow(p.value / p.prev_value, 1.0 / (p.year - p.prev_year)) - 1 AS register_rate,
           pow(u2.value / u1.value, 1.0 / (p.year - p.prev_year)) - 1 AS update_rate
    FROM paired p
    JOIN update_figures u1 ON u1.region_code = p.region_code AND u1.year = p.prev_year
    JOIN update_figures u2 ON u2.region_code = p.region_code AND u2.year = p.year AND u2.census_basis = u1.census_basis
    QUALIFY row_number() OVER (PARTITION BY p.region_code, p.year, p.source_id ORDER BY u1.census_basis DESC) = 1
),
change_doubts AS (
    SELECT region_code, region_name, year, value, source_id, 'change from the previous figure' AS rule,
           format('{} counts {:,} for {}: {} % a year since {} ({:,}), while the population update ({}) changed by {} % a year',
                  source_name, value::BIGINT, year, printf('%+.1f', 100 * register_rate), prev_year, prev_value::BIGINT, census_basis,
                  printf('%+.1f', 100 * update_rate)) AS detail
    FROM rates
    WHERE abs(register_rate - update_rate) > (SELECT plausibility_change_gap FROM reconciliation.settings)
)
SELECT region_code, region_name, year AS reference_year, value, source_id, rule, detail,
       (SELECT plausibility_reasoning FROM reconciliation.settings) AS reasoning
FROM (SELECT * FROM side_doubts UNION ALL SELECT * FROM change_doubts)
ORDER BY region_code, reference_year, rule;
