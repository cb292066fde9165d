-- marts.reconciliation: the profile cities' figures that two sources publish for the same thing and year
-- (reconciliation.comparisons), as the report's appendix lists them and its summary and conclusions quote them, with
-- the rule by which a difference of concept counts as unusual (reconciliation.settings).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.reconciliation AS
SELECT c.region_code, c.reference_year, c.indicator, c.nationality, c.sex, c.age_group, c.comparison, c.a_date, c.a_source,
       c.a_source_id, c.a_value, c.a_concept, c.a_census_basis, c.a_rounding, c.b_date, c.b_source, c.b_source_id, c.b_value,
       c.b_concept, c.b_census_basis, c.b_rounding, c.difference, c.relative_difference, c.status, c.unusual,
       c.unusual_threshold, c.unusual_among, st.unusual_percentile, st.unusual_reasoning, c.rule_id, c.cause, c.explanation,
       c.description
FROM reconciliation.comparisons c
CROSS JOIN reconciliation.settings st;
