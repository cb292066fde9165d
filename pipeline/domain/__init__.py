"""The project's vocabulary, which every layer uses and which imports nothing of the pipeline outside itself: where
things live (config), the catalogue of raw files (manifest), errors that say where, the codes and labels, periods,
the publishers' special symbols, editions, and safe file writes. (The layers and their order: docs/architecture.md;
enforced by the import contracts in pyproject.toml.)"""
