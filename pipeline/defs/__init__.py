"""Dagster definitions, one folder per layer; pipeline/definitions.py assembles them."""
