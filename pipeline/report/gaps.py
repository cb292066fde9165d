"""The maintainer's gap report: what an edition could not show and which input would fill it (the file, its layout,
the manifest field), published beside the profile as report/_output/<document>.gaps.md. The publication itself says
only what is missing, in one plain sentence; the instructions to whoever keeps raw/ are here."""

from __future__ import annotations

from pipeline.report.parts.base import Gap


def gap_report(title: str, edition: str, gaps: list[Gap]) -> str:
    """Markdown for the maintainer: one row per gap (each once), with the input that would fill it."""
    unique = list(dict.fromkeys((g.what, g.needed) for g in gaps))
    lines = [f"# Gaps of {title}, edition {edition}", "",
             "For the maintainer of the inputs, not for readers: what this edition could not show, and what would fill it. "
             "Add the input to raw/ with its manifest entry (`python -m pipeline manifest add <file>`, raw/README.md) and "
             "run `make report`.", ""]
    if not unique:
        return "\n".join([*lines, "Nothing is missing: every table of this edition has figures.", ""])
    lines += ["| What is missing | Input that would provide it |", "|---|---|"]
    lines += [f"| {what.replace('|', '/')} | {needed.replace('|', '/')} |" for what, needed in unique]
    return "\n".join([*lines, ""])
