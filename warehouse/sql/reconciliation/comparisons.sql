-- reconciliation.comparisons: every figure two sources publish for the same thing, city and year, side by side,
-- with the difference and a judgement: consistent, explained (by the first rule of reconciliation.rules with a
-- tolerance that fits and holds), a difference of concept (the first `difference_of_concept` rule that fits; `unusual`
-- beyond the percentile of reconciliation.settings among all districts' pairs of that rule and figure),
-- unexplained, or not comparable (age bands that cannot be lined up).
--
-- The figures compared are the profile cities' and Germany's migration balance (the national section's chart).
-- Pairs are formed in two ways:
--   same figure          the same indicator, nationality, sex, age group and breakdown in both sources;
--   age bands added up   a published age band against the sum of another source's finer bands that tile it
--                        exactly (single years 0-1, 1-2, 2-3 against the band 0-3);
--   not comparable       a band against another source's bands that straddle its edges.
-- Each pair is oriented so that the first figure (a) comes from the state office before the federal office,
-- the city and the MC2CM profile, within one of them the population update before a register, then the earlier
-- day first; differences are b - a, relative to a.

CREATE SCHEMA IF NOT EXISTS reconciliation;

CREATE OR REPLACE TABLE reconciliation.comparisons AS
WITH fig AS (
    SELECT i.*,
           year(i.reference_date) AS reference_year,
           format('{}|{}|{}|{}|{}|{}',
                  CASE i.publisher_level WHEN 'state' THEN 1 WHEN 'federal' THEN 2 WHEN 'municipal' THEN 3 ELSE 4 END,
                  CASE i.concept WHEN 'population_update' THEN 1 WHEN 'municipal_register' THEN 2 WHEN 'foreigners_register' THEN 3 ELSE 4 END,
                  i.reference_date, i.source_id, i.source_table, i.derivation) AS sort_key,
           s.short_name || CASE WHEN i.derivation <> '' THEN ', ' || i.derivation ELSE '' END AS source_label,
           coalesce(i.age_to, 999) AS age_end
    FROM core.indicators i
    JOIN staging.sources s ON s.id = i.source_id
    WHERE i.status IN ('', '-') AND i.value IS NOT NULL
      -- the profile cities' figures, and Germany's migration balance, which two tables give (GENESIS 12711-0008
      -- and the Statistischer Bericht's 12711-02)
      AND (i.region_code IN (SELECT region_code FROM core.profile_cities)
           OR (i.region_code = 'DG' AND i.concept = 'migration_statistics'))
),
same_figure AS (
    SELECT x.region_code, x.reference_year, x.indicator, x.nationality, x.sex, x.age_group, x.breakdown, x.category,
           x.category_label, x.unit, 'same figure' AS comparison,
           x.sort_key AS a_key, x.reference_date AS a_date, x.value AS a_value, x.concept AS a_concept,
           x.census_basis AS a_census_basis, x.rounding AS a_rounding, x.publisher_level AS a_level,
           x.source_id AS a_source_id, x.source_label AS a_source,
           y.sort_key AS b_key, y.reference_date AS b_date, y.value AS b_value, y.concept AS b_concept,
           y.census_basis AS b_census_basis, y.rounding AS b_rounding, y.publisher_level AS b_level,
           y.source_id AS b_source_id, y.source_label AS b_source
    FROM fig x
    JOIN fig y
      ON x.region_code = y.region_code AND x.reference_year = y.reference_year AND x.indicator = y.indicator
     AND x.nationality = y.nationality AND x.sex = y.sex AND x.age_group = y.age_group
     AND x.breakdown = y.breakdown AND x.category = y.category AND x.unit = y.unit
     AND x.sort_key < y.sort_key
),
bands AS (
    SELECT * FROM fig WHERE age_group <> 'total' AND age_from IS NOT NULL
),
band_overlaps AS (
    -- every band p of another source that overlaps band t
    SELECT t.region_code, t.reference_year, t.indicator, t.nationality, t.sex, t.age_group, t.breakdown, t.category,
           t.category_label, t.unit, t.age_from, t.age_end,
           t.sort_key AS t_key, t.reference_date AS t_date, t.value AS t_value, t.concept AS t_concept,
           t.census_basis AS t_census_basis, t.rounding AS t_rounding, t.publisher_level AS t_level,
           t.source_id AS t_source_id, t.source_label AS t_source,
           p.sort_key AS p_key, p.reference_date AS p_date, p.concept AS p_concept, p.census_basis AS p_census_basis,
           p.publisher_level AS p_level, p.source_id AS p_source_id, p.source_label AS p_source,
           p.value, p.rounding, p.age_group AS p_band, p.age_from AS p_from,
           p.age_from >= t.age_from AND p.age_end <= t.age_end AS inside,
           p.age_from <= t.age_from AND p.age_end >= t.age_end AS covers,
           p.age_end - p.age_from AS width
    FROM bands t
    JOIN bands p
      ON t.region_code = p.region_code AND t.reference_year = p.reference_year AND t.indicator = p.indicator
     AND t.nationality = p.nationality AND t.sex = p.sex AND t.breakdown = p.breakdown
     AND t.category = p.category AND t.unit = p.unit AND t.sort_key <> p.sort_key
     AND p.age_from < t.age_end AND p.age_end > t.age_from
),
per_band AS (
    SELECT region_code, reference_year, indicator, nationality, sex, age_group, breakdown, category, category_label,
           unit, age_from, age_end, t_key, t_date, t_value, t_concept, t_census_basis, t_rounding, t_level, t_source_id,
           t_source, p_key, any_value(p_date) AS p_date, any_value(p_concept) AS p_concept,
           any_value(p_census_basis) AS p_census_basis, any_value(p_level) AS p_level,
           any_value(p_source_id) AS p_source_id, any_value(p_source) AS p_source,
           count(*) AS n, bool_and(inside) AS all_inside, bool_or(covers) AS any_covers,
           sum(value) AS value, sum(rounding) AS rounding, sum(width) AS width,
           string_agg(p_band, ', ' ORDER BY p_from) AS parts
    FROM band_overlaps
    GROUP BY ALL
),
aligned AS (
    -- Keep: finer bands that tile t exactly (added up), or bands that straddle t's edges (not comparable, reported
    -- once). Skip: the identical band (a same-figure pair already) and a coarser band covering t (the other side).
    SELECT *,
           CASE WHEN all_inside AND n > 1 AND width = age_end - age_from THEN 'age bands added up' ELSE 'not comparable' END AS comparison
    FROM per_band
    WHERE NOT any_covers
      AND ((all_inside AND n > 1 AND width = age_end - age_from) OR (NOT all_inside AND t_key < p_key))
),
aligned_pairs AS (
    SELECT region_code, reference_year, indicator, nationality, sex, age_group, breakdown, category, category_label,
           unit, comparison,
           CASE WHEN t_key < p_key THEN t_key ELSE p_key END AS a_key,
           CASE WHEN t_key < p_key THEN t_date ELSE p_date END AS a_date,
           CASE WHEN t_key < p_key THEN t_value ELSE value END AS a_value,
           CASE WHEN t_key < p_key THEN t_concept ELSE p_concept END AS a_concept,
           CASE WHEN t_key < p_key THEN t_census_basis ELSE p_census_basis END AS a_census_basis,
           CASE WHEN t_key < p_key THEN t_rounding ELSE rounding END AS a_rounding,
           CASE WHEN t_key < p_key THEN t_level ELSE p_level END AS a_level,
           CASE WHEN t_key < p_key THEN t_source_id ELSE p_source_id END AS a_source_id,
           CASE WHEN t_key < p_key THEN t_source ELSE p_source || ', bands ' || parts || ' added up' END AS a_source,
           CASE WHEN t_key < p_key THEN p_key ELSE t_key END AS b_key,
           CASE WHEN t_key < p_key THEN p_date ELSE t_date END AS b_date,
           CASE WHEN comparison = 'not comparable' THEN NULL WHEN t_key < p_key THEN value ELSE t_value END AS b_value,
           CASE WHEN t_key < p_key THEN p_concept ELSE t_concept END AS b_concept,
           CASE WHEN t_key < p_key THEN p_census_basis ELSE t_census_basis END AS b_census_basis,
           CASE WHEN t_key < p_key THEN rounding ELSE t_rounding END AS b_rounding,
           CASE WHEN t_key < p_key THEN p_level ELSE t_level END AS b_level,
           CASE WHEN t_key < p_key THEN p_source_id ELSE t_source_id END AS b_source_id,
           CASE WHEN t_key < p_key THEN p_source || CASE WHEN comparison = 'not comparable' THEN ', bands ' || parts || ' straddle the band' ELSE ', bands ' || parts || ' added up' END
                ELSE t_source END AS b_source
    FROM aligned
),
pairs AS (
    SELECT * FROM same_figure
    UNION ALL BY NAME SELECT * FROM aligned_pairs
),
judged AS (
    SELECT p.*,
           p.b_value - p.a_value AS difference,
           (p.b_value - p.a_value) / nullif(p.a_value, 0) AS relative_difference,
           list_sort([p.a_concept, p.b_concept]) AS concept_pair,
           p.a_census_basis LIKE '%Zensus%' AND p.b_census_basis LIKE '%Zensus%' AND p.a_census_basis <> p.b_census_basis AS census_differs,
           p.a_date <> p.b_date AS dates_differ
    FROM pairs p
),
matches AS (
    SELECT j.a_key, j.b_key, j.region_code, j.reference_year, j.indicator, j.nationality, j.sex, j.age_group,
           j.breakdown, j.category, r.rule_id, r.priority,
           -- a rule allowing only for rounding fits every pair; it never counts as "the rule that would apply"
           r.tolerance_relative IS NOT NULL OR r.tolerance_absolute IS NOT NULL AS names_a_method,
           r.difference_of_concept,
           NOT r.difference_of_concept AND (
             abs(j.difference) <= coalesce(r.tolerance_absolute, -1)
             OR (r.tolerance_rounding AND abs(j.difference) <= j.a_rounding + j.b_rounding + 1e-9)
             OR abs(j.relative_difference) <= coalesce(r.tolerance_relative, -1)) AS within
    FROM judged j
    JOIN reconciliation.rules r
      ON (r.concepts IS NULL OR r.concepts = j.concept_pair)
     AND (r.involves IS NULL OR r.involves IN (j.a_concept, j.b_concept))
     AND (r.census_basis_differs IS NULL OR r.census_basis_differs = j.census_differs)
     AND (r.dates_differ IS NULL OR r.dates_differ = j.dates_differ)
     AND (r.nationality IS NULL OR r.nationality = j.nationality)
     AND (r.indicator IS NULL OR r.indicator = j.indicator)
    WHERE j.comparison <> 'not comparable'
),
best AS (
    SELECT a_key, b_key, region_code, reference_year, indicator, nationality, sex, age_group, breakdown, category,
           arg_min(rule_id, priority) FILTER (WHERE within) AS explained_by,
           arg_min(rule_id, priority) FILTER (WHERE difference_of_concept) AS concept_rule,
           arg_min(rule_id, priority) FILTER (WHERE names_a_method) AS nearest_rule
    FROM matches
    GROUP BY ALL
),
labelled AS (
    SELECT j.*, b.explained_by, b.concept_rule, b.nearest_rule,
           CASE
               WHEN j.comparison = 'not comparable' THEN 'not_comparable'
               WHEN abs(j.difference) < 1e-9 OR abs(j.relative_difference) <= st.consistent_relative THEN 'consistent'
               WHEN b.explained_by IS NOT NULL THEN 'explained'
               WHEN b.concept_rule IS NOT NULL THEN 'concept_difference'
               ELSE 'unexplained'
           END AS status
    FROM judged j
    CROSS JOIN reconciliation.settings st
    LEFT JOIN best b
      ON b.a_key = j.a_key AND b.b_key = j.b_key AND b.region_code = j.region_code
     AND b.reference_year = j.reference_year AND b.indicator = j.indicator AND b.nationality = j.nationality
     AND b.sex = j.sex AND b.age_group = j.age_group AND b.breakdown = j.breakdown AND b.category = j.category
),
ranked AS (
    -- a difference of concept against the same rule's pairs for the same figure across all districts (those that
    -- agree included): its rank, and how many pairs there are
    SELECT l.*,
           percent_rank() OVER w AS spread_rank,
           count(*) OVER (PARTITION BY l.concept_rule, l.indicator, l.nationality, l.sex, l.age_group) AS spread_pairs
    FROM labelled l
    WHERE l.concept_rule IS NOT NULL AND l.status IN ('consistent', 'concept_difference') AND l.relative_difference IS NOT NULL
    WINDOW w AS (PARTITION BY l.concept_rule, l.indicator, l.nationality, l.sex, l.age_group ORDER BY abs(l.relative_difference))
),
spread AS (
    -- the percentile of `unusual` (rules.yaml): the largest difference at or below it, where there are enough pairs
    SELECT r.concept_rule, r.indicator, r.nationality, r.sex, r.age_group, any_value(r.spread_pairs) AS pairs,
           max(abs(r.relative_difference)) FILTER (WHERE r.spread_rank <= st.unusual_percentile) AS threshold
    FROM ranked r
    CROSS JOIN reconciliation.settings st
    GROUP BY r.concept_rule, r.indicator, r.nationality, r.sex, r.age_group
    HAVING any_value(r.spread_pairs) >= any_value(st.unusual_at_least)
),
flagged AS (
    SELECT l.*, sp.threshold AS unusual_threshold, sp.pairs AS unusual_among,
           coalesce(l.status = 'concept_difference' AND abs(l.relative_difference) > sp.threshold, FALSE) AS unusual
    FROM labelled l
    LEFT JOIN spread sp ON sp.concept_rule = l.concept_rule AND sp.indicator = l.indicator AND sp.nationality = l.nationality
     AND sp.sex = l.sex AND sp.age_group = l.age_group
)
SELECT l.region_code, coalesce(c.city_name, CASE l.region_code WHEN 'DG' THEN 'Germany' END) AS city_name, l.reference_year, l.indicator, l.nationality, l.sex, l.age_group, l.breakdown,
       l.category, l.unit, l.comparison,
       l.a_date, l.a_source, l.a_source_id, l.a_level, l.a_concept, l.a_census_basis, l.a_value, l.a_rounding,
       l.b_date, l.b_source, l.b_source_id, l.b_level, l.b_concept, l.b_census_basis, l.b_value, l.b_rounding,
       l.difference, l.relative_difference, l.status, l.unusual, l.unusual_threshold, l.unusual_among,
       CASE l.status WHEN 'explained' THEN l.explained_by WHEN 'concept_difference' THEN l.concept_rule
                     WHEN 'unexplained' THEN l.nearest_rule END AS rule_id,
       CASE WHEN l.status IN ('explained', 'concept_difference') THEN r.cause WHEN l.status = 'consistent' THEN 'figures agree'
            WHEN l.status = 'not_comparable' THEN 'age bands cannot be lined up' ELSE 'no rule explains it' END AS cause,
       CASE l.status
           WHEN 'explained' THEN r.reasoning
           WHEN 'concept_difference' THEN r.reasoning
           WHEN 'consistent' THEN st.consistent_reasoning
           WHEN 'not_comparable' THEN 'The two sources cut the ages at different years, so neither band can be built from the other''s.'
           WHEN 'unexplained' THEN CASE WHEN l.nearest_rule IS NULL THEN 'No rule covers this pair of concepts.'
                                        ELSE format('Rule {} would apply, but the difference exceeds its tolerance.', l.nearest_rule) END
       END AS explanation,
       -- The pair in plain words, e.g. "Population, 31.12.2018: Regionaldatenbank 12411-01-01-4 587,010 (population
       -- update, Zensus 2011) vs Stadt Dortmund register 603,000 (municipal register): +15,990 (+2.7 %)"
       concat(
           iv.label,
           CASE WHEN l.nationality <> 'total' THEN ', ' || nv.label ELSE '' END,
           CASE WHEN l.sex <> 'total' THEN ', ' || sv.label ELSE '' END,
           CASE WHEN l.age_group <> 'total' THEN ', aged ' || CASE WHEN l.age_group LIKE '%+' THEN replace(l.age_group, '+', '') || ' and over' ELSE replace(l.age_group, '-', ' to under ') END ELSE '' END,
           CASE WHEN l.breakdown <> 'total' THEN ', ' || l.breakdown || ' ' || coalesce(nullif(l.category_label, ''), l.category) ELSE '' END,
           ', ', core.period_of(sa.period, l.a_date),
           CASE WHEN core.period_of(sb.period, l.b_date) <> core.period_of(sa.period, l.a_date)
                THEN ' / ' || core.period_of(sb.period, l.b_date) ELSE '' END,
           ': ', l.a_source, ' ', format('{:,.0f}', l.a_value),
           ' (', ac.label, CASE WHEN l.a_census_basis LIKE '%Zensus%' THEN ', ' || l.a_census_basis ELSE '' END, ')',
           ' vs ', l.b_source,
           CASE WHEN l.b_value IS NOT NULL THEN ' ' || format('{:,.0f}', l.b_value) ELSE '' END,
           ' (', bc.label, CASE WHEN l.b_census_basis LIKE '%Zensus%' THEN ', ' || l.b_census_basis ELSE '' END, ')',
           CASE WHEN l.difference IS NOT NULL THEN ': ' || CASE WHEN l.difference > 0 THEN '+' ELSE '' END || format('{:,.0f}', l.difference) ||
                CASE WHEN l.relative_difference IS NULL THEN ''
                     WHEN round(100 * l.relative_difference, 1) = 0 THEN ' (0.0 %)'
                     ELSE ' (' || format('{:+.1f}', 100 * l.relative_difference) || ' %)' END
                ELSE '' END
       ) AS description
FROM flagged l
LEFT JOIN core.profile_cities c USING (region_code)
CROSS JOIN reconciliation.settings st
LEFT JOIN reconciliation.rules r ON r.rule_id = CASE l.status WHEN 'explained' THEN l.explained_by
                                                              WHEN 'concept_difference' THEN l.concept_rule END
LEFT JOIN core.vocabulary iv ON iv.kind = 'indicator' AND iv.code = l.indicator
LEFT JOIN core.vocabulary nv ON nv.kind = 'nationality' AND nv.code = l.nationality
LEFT JOIN core.vocabulary sv ON sv.kind = 'sex' AND sv.code = l.sex
LEFT JOIN core.vocabulary ac ON ac.kind = 'concept' AND ac.code = l.a_concept
LEFT JOIN core.vocabulary bc ON bc.kind = 'concept' AND bc.code = l.b_concept
LEFT JOIN staging.sources sa ON sa.id = l.a_source_id
LEFT JOIN staging.sources sb ON sb.id = l.b_source_id
ORDER BY l.region_code, l.reference_year, l.indicator, l.nationality, l.sex, l.age_group NULLS FIRST, l.a_key, l.b_key;
