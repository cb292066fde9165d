"""report/_output/index.html: every published profile with its district, edition, three headline figures and links
(the PDF, the HTML and, where they are there, its data as a workbook and as CSV).

Written after every build from the records beside the published files (pipeline/cli/incremental.py), so it lists
what is actually in report/_output/, built by this run or an earlier one. One static page, no script, no
external resources; every name is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from pipeline.domain.config import Config
from pipeline.domain.files import replace_atomically

STYLE = """
body { font-family: "Source Sans 3", "Source Sans Pro", Arial, sans-serif; margin: 2rem auto; max-width: 72rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
p.lead { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { border-bottom: 2px solid #333; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
"""


def _row(rec: dict, present: set[str] | frozenset[str] = frozenset()) -> str:
    city_key, name = rec["city"]
    head = rec.get("headline") or {}
    kind = "City" if rec.get("kind", "city") == "city" else "District"
    doc = html.escape(rec["document"])
    cells = [
        f"<td>{html.escape(name)}</td>",
        f"<td>{kind}</td>",
        f"<td>{html.escape(city_key)}</td>",
        f"<td>{html.escape(rec['edition'])}</td>",
        f'<td class="num">{html.escape(head.get("population", "–"))}</td>',
        f'<td class="num">{html.escape(head.get("foreign_share", "–"))}</td>',
        f"<td>{html.escape(head.get('largest_group', '–'))}</td>",
        f'<td><a href="{doc}.pdf">PDF</a> · <a href="{doc}.html">HTML</a>'
        + "".join(f' · <a href="{html.escape(name)}">{label}</a>' for name, label in
                  ((f"{rec['document']}.xlsx", "Data (XLSX)"), (f"{rec['document']}-csv.zip", "Data (CSV)")) if name in present)
        + "</td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def index_html(records: list[dict], present: set[str] | frozenset[str] = frozenset()) -> str:
    """The page; ``present``: the names of the files in the output folder (a profile's data downloads are linked
    where they are there)."""
    records = sorted(records, key=lambda r: (r["city"][1].casefold(), r["edition"]))
    rows = "\n".join(_row(r, present) for r in records)
    districts = len({r["city"][0] for r in records})
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>City Migration Profiles</title>
<style>{STYLE}</style>
</head>
<body>
<h1>City Migration Profiles</h1>
<p class="lead">{len(records)} profile(s) of {districts} district(s), each built from official statistics.
The figures are those the profile's synopsis shows, each with its year; its sources are named in the profile.</p>
<table>
<thead><tr><th>District</th><th>Profile</th><th>Key</th><th>Edition</th><th>Population</th><th>Share of foreigners</th>
<th>Largest group of foreigners</th><th>Documents</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def write_index(config: Config, records: list[dict]) -> Path | None:
    """Rewrite report/_output/index.html from the published profiles' ``records`` (replaced in one step); None when
    nothing is published yet."""
    if not records:
        return None
    path = config.report_output / "index.html"
    present = {p.name for p in config.report_output.iterdir()} if config.report_output.is_dir() else set()
    return replace_atomically(path, index_html(records, present))
