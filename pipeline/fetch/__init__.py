"""Fetching a table from the publishers' REST API (the GENESIS web service, version 2020) into raw/.

- ``sources.py``: the four services (Regionaldatenbank, GENESIS-Online of Destatis, the Zensus 2022 database,
  Landesdatenbank NRW), their addresses and the credentials a user gives in the environment;
- ``client.py``: the calls (``data/tablefile``, ``metadata/table``, and for a large table the background job:
  ``catalogue/results``, ``data/resultfile``), every way the service says no, and retries of what is transient;
- ``land.py``: what a fetched table becomes: the CSV from the ZIP, bytes unchanged, with its manifest entry,
  checked in a scratch copy of raw/ with every rule of the build before raw/ changes, in one step.

`python -m pipeline fetch` (pipeline/cli/fetch.py) and the Dagster group ``fetch`` both use them.
"""
