"""Revisions: when a publisher revises a figure that a published edition shows, the edition's next build says so.

Every published profile keeps, beside its PDF and HTML, the figures it shows (``.<document>.figures.json``, published
with them): each table's cells by the table's label, its row and its column, and the headline figures. Before an
edition is rendered again, its new figures are compared with the published ones; every cell that holds a number in
both and changed is a revision (an edit of the wording, a row added or dropped, is not). The revisions found are
kept in the same file, with the day they were found and the build they revise, so every later build of the edition
lists them all: in the section "What changed since the previous edition" of the profile, in `make report`'s summary
and in the profile asset's metadata. The files a revision replaces are kept in report/_output/archive/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.report import fmt
from pipeline.report.downloads import tables_in

_DIGIT = re.compile(r"\d")


def tables_of(markdown: str) -> dict[str, dict]:
    """The pipe tables of a part's Markdown (as fmt.table writes them, read by downloads.tables_in), by label without
    its 'tbl-': caption, header, and each row by its key (its cells without a digit: the row's label, whatever its
    figures)."""
    out: dict[str, dict] = {}
    for label, caption, header, rows, _ in tables_in(markdown):
        keyed: dict[str, list[str]] = {}
        for cells in rows:
            key = " / ".join(c for c in cells if c and not _DIGIT.search(c))
            keyed.setdefault(key, cells)
        out[label.removeprefix("tbl-")] = {"caption": caption, "header": header, "rows": keyed}
    return out


def snapshot(parts: dict[str, str], headline: dict[str, str]) -> dict:
    """What a profile shows, from its parts' Markdown (by part name) and its headline figures."""
    tables: dict[str, dict] = {}
    for markdown in parts.values():
        tables |= tables_of(markdown)
    return {"tables": tables, "headline": dict(headline)}


def compare(before: dict, after: dict) -> list[dict]:
    """The cells with a number in both snapshots that changed: table, row, column, before, after."""
    found = []
    for label, new in after.get("tables", {}).items():
        old = before.get("tables", {}).get(label)
        if old is None or old["header"] != new["header"]:
            continue
        for key, cells in new["rows"].items():
            was = old["rows"].get(key)
            if was is None or len(was) != len(cells):
                continue
            for column, a, b in zip(new["header"], was, cells, strict=True):
                if a != b and _DIGIT.search(a) and _DIGIT.search(b):
                    found.append({"table": new["caption"], "row": key or "–", "column": column, "before": a, "after": b})
    for name, b in after.get("headline", {}).items():
        a = before.get("headline", {}).get(name)
        if a is not None and a != b:
            found.append({"table": "Headline figures", "row": name.replace("_", " "), "column": "", "before": a, "after": b})
    return found


def load(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) and "tables" in record else {}


def record(previous: dict, now: dict, built: str) -> tuple[dict, list[dict]]:
    """The record to publish with this build, and the revisions it finds (against the published build's record)."""
    found = []
    if previous:
        found = [{**r, "found": built, "since": previous.get("built", "")} for r in compare(previous, now)]
    return {**now, "built": built, "revisions": previous.get("revisions", []) + found}, found


def markdown(revisions: list[dict]) -> str:
    """The revisions, for the section "What changed since the previous edition" ('' where there are none)."""
    if not revisions:
        return ""
    rows = [[r["table"], r["row"], r["column"], r["before"], r["after"], f"{fmt.date(r['since'])} / {fmt.date(r['found'])}"]
            for r in revisions]
    table = fmt.table(["Table", "Row", "Column", "As published", "Revised", "Built / revised"], rows, "llllll", [24, 20, 12, 14, 14, 16])
    intro = (f"\n**Revised figures.** Since this edition was first built, the publishers revised {len(revisions)} figure(s) it shows. "
             "The revised figures are printed above; the earlier values are listed here, with the day the edition was built with "
             "them and the day the revision was found. The files built before a revision are kept.\n\n")
    return intro + fmt.captioned_table(table, "Figures of this edition revised by their publishers", "revisions",
                                       "the earlier builds of this edition and the publishers' revised tables named under each table")
