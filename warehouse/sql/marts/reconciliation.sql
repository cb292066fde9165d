-- marts.reconciliation: the profile cities' figures that two sources publish for the same thing and year
-- (reconciliation.comparisons), as the report's appendix lists them and its summary and conclusions quote them.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.reconciliation AS
SELECT region_code, reference_year, indicator, nationality, sex, age_group, comparison, a_date, a_source, a_source_id,
       a_value, a_concept, a_census_basis, a_rounding, b_date, b_source, b_source_id, b_value, b_concept, b_census_basis,
       b_rounding, difference, relative_difference, status, rule_id, cause, explanation, description
FROM reconciliation.comparisons;
