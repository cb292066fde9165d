"""City Migration Profile pipeline: raw publisher files -> validated tables -> DuckDB warehouse -> report."""
