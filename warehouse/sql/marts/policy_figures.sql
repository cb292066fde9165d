-- marts.policy_figures: the figures stated in the publications of a city's policy register, as printed, each with
-- its citation (the core indicators of the dataset city_policy_figures). The report shows them in the subsection
-- they speak to; the reconciliation compares them with official statistics of the same year (marts.reconciliation).
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.policy_figures AS
SELECT i.region_code, i.reference_date, year(i.reference_date) AS year, i.indicator, i.nationality, i.breakdown,
       i.category, i.value, i.unit, i.status, t.printed_as, t.publisher, t.citation, t.note, i.source_id, i.source_line
FROM core.indicators i
JOIN core.sources s ON s.id = i.source_id
JOIN staging.city_policy_figures t ON t.source_id = i.source_id AND t.source_line = i.source_line
WHERE s.dataset = 'city_policy_figures'
ORDER BY i.region_code, i.source_line;
