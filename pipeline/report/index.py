"""report/_output/index.html: every published profile, for a reader looking for one among 400 districts × editions.

A table with a row per profile: the district, its key (five digits for every district, city-states included), its
Land, its kind and size class, the edition, three headline figures (each with its year and the measurement it comes
from), the date of its newest figure, its build date, and links to the PDF, the HTML and its data (workbook and CSV,
where they are there). Above it: a search by name or key, filters by Land, kind of district and size class, and every
column header sorts the table. The script is in the page itself (no external script, font or stylesheet): the page
works from the file system and from any plain web server; without JavaScript it is the full table.

Written after every build from the records beside the published files (pipeline/cli/incremental.py), so it lists
what is actually in report/_output/. Every name is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from pipeline.domain.config import Config
from pipeline.domain.files import replace_atomically

STYLE = """
body { font-family: "Source Sans 3", "Source Sans Pro", Arial, sans-serif; margin: 2rem auto; max-width: 96rem; padding: 0 1rem;
       color: #1a1a1a; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; color: #1d4e89; }
p.lead { color: #444; margin-top: 0; }
form { display: flex; flex-wrap: wrap; gap: 0.8rem 1.2rem; margin: 1rem 0; align-items: end; }
label { display: flex; flex-direction: column; font-size: 0.85rem; color: #444; }
input, select { font: inherit; padding: 0.2rem 0.3rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { border-bottom: 2px solid #1d4e89; background: #e8eef6; white-space: nowrap; }
th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
#shown { font-size: 0.9rem; color: #444; }
"""

# Search, filters and sorting, on the table as written (its rows carry their values as data attributes)
SCRIPT = """
(function () {
  var table = document.getElementById("profiles"), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var q = document.getElementById("q"), land = document.getElementById("land"),
      kind = document.getElementById("kind"), size = document.getElementById("size"), shown = document.getElementById("shown");
  function fold(s) { return s.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase(); }
  function apply() {
    var words = fold(q.value.trim()), n = 0;
    rows.forEach(function (r) {
      var ok = (!words || fold(r.dataset.name).indexOf(words) >= 0 || r.dataset.key.indexOf(words) === 0)
        && (!land.value || r.dataset.land === land.value) && (!kind.value || r.dataset.kind === kind.value)
        && (!size.value || r.dataset.size === size.value);
      r.hidden = !ok; if (ok) { n += 1; }
    });
    shown.textContent = n + " of " + rows.length + " profiles shown";
  }
  function value(r, i, numeric) {
    var t = r.cells[i].textContent;
    if (!numeric) { return fold(t); }
    var m = t.replace(/,/g, "").match(/-?\\d+(\\.\\d+)?/);
    return m ? parseFloat(m[0]) : -Infinity;
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    var button = th.querySelector("button"); if (!button) { return; }
    button.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending", numeric = th.dataset.type === "number";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = value(a, i, numeric), y = value(b, i, numeric);
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  [q, land, kind, size].forEach(function (el) { el.addEventListener("input", apply); });
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
"""

COLUMNS = (  # header, sort as number
    ("District", False), ("Key", False), ("Land", False), ("Kind", False), ("Size class", False), ("Edition", True),
    ("Population", True), ("Share of foreigners", True), ("Largest group of foreigners", True), ("Figures as of", False),
    ("Built", False), ("Documents", False),
)


def _row(rec: dict, present: set[str] | frozenset[str] = frozenset()) -> str:
    city_key, name = rec["city"]
    head = rec.get("headline") or {}
    key = head.get("key") or city_key.ljust(5, "0")
    kind = head.get("kind") or ("kreisfreie Stadt" if rec.get("kind", "city") == "city" else "Kreis")
    doc = html.escape(rec["document"])
    e = html.escape
    links = [f'<a href="{doc}.pdf">PDF</a>', f'<a href="{doc}.html">HTML</a>']
    links += [f'<a href="{e(n)}">{label}</a>' for n, label in ((f"{rec['document']}.xlsx", "Data (XLSX)"),
                                                             (f"{rec['document']}-csv.zip", "Data (CSV)")) if n in present]
    cells = [
        f"<td>{e(name)}</td>", f"<td>{e(key)}</td>", f"<td>{e(head.get('land', ''))}</td>", f"<td>{e(kind)}</td>",
        f"<td>{e(head.get('size', ''))}</td>", f"<td>{e(rec['edition'])}</td>",
        f'<td class="num">{e(head.get("population", "–"))}</td>',
        f'<td class="num">{e(head.get("foreign_share", "–"))}</td>',
        f"<td>{e(head.get('largest_group', '–'))}</td>",
        f"<td>{e(head.get('as_of', ''))}</td>", f"<td>{e(head.get('built', ''))}</td>",
        "<td>" + " · ".join(links) + "</td>",
    ]
    data = (f' data-name="{e(name, quote=True)}" data-key="{e(key, quote=True)}" data-land="{e(head.get("land", ""), quote=True)}"'
            f' data-kind="{e(kind, quote=True)}" data-size="{e(head.get("size", ""), quote=True)}"')
    return f"<tr{data}>" + "".join(cells) + "</tr>"


def _options(records: list[dict], field: str) -> str:
    values = sorted({(r.get("headline") or {}).get(field, "") for r in records} - {""})
    return "".join(f'<option value="{html.escape(v, quote=True)}">{html.escape(v)}</option>' for v in values)


def index_html(records: list[dict], present: set[str] | frozenset[str] = frozenset()) -> str:
    """The page; ``present``: the names of the files in the output folder (a profile's data downloads are linked
    where they are there)."""
    records = sorted(records, key=lambda r: (r["city"][1].casefold(), r["edition"]))
    rows = "\n".join(_row(r, present) for r in records)
    districts = len({r["city"][0] for r in records})
    heads = "".join(f'<th scope="col" data-type="{"number" if num else "text"}"><button type="button">{h}</button></th>'
                    for h, num in COLUMNS)
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
<p class="lead">{len(records)} profile(s) of {districts} district(s), each built from official statistics. The figures
are those of the profile's synopsis, each with its year and the measurement it comes from; the profile names its
sources. Each profile's data (a workbook and CSV files) is linked beside it.</p>
<form id="filters" role="search">
<label for="q">Search by name or key<input id="q" type="search" placeholder="e.g. Görlitz or 14626" autocomplete="off"></label>
<label for="land">Land<select id="land"><option value="">all</option>{_options(records, "land")}</select></label>
<label for="kind">Kind of district<select id="kind"><option value="">all</option>{_options(records, "kind")}</select></label>
<label for="size">Size class<select id="size"><option value="">all</option>{_options(records, "size")}</select></label>
<span id="shown" aria-live="polite"></span>
</form>
<table id="profiles">
<thead><tr>{heads}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<script>{SCRIPT}</script>
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
