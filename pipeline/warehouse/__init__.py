"""The warehouse layer: writing DuckDB tables (tables.py) with their staging DDL generated from the pandera models
(staging.py), the run's working copy that is published all-or-nothing (working_copy.py), and the vocabulary table
(vocabulary.py). The SQL of the core, reconciliation and marts layers lives in warehouse/sql/."""
