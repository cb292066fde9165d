"""The publishers' tables, one module each: pipeline/sources/<publisher>/<table>.py holds a table's layout, its codes,
its pandera model and its ``DATASET``; pipeline/sources/registry.py finds them (docs/adding-a-table.md)."""
