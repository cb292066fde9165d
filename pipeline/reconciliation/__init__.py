"""Where figures are reconciled: the rules (rules.yaml) and their loading; the pairing and judging run in DuckDB
(warehouse/sql/reconciliation/)."""
