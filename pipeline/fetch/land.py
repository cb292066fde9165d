"""What a fetched table becomes in raw/.

The CSV from the service's ZIP, bytes unchanged, as ``raw/<source>/<table>_<year>.csv``, with a manifest entry
derived from the table's newest entry (as ``python -m pipeline manifest add`` derives one: every field but
what belongs to the old file), the reference date and period read from the file's ``time`` column, ``published``
from the service's metadata (its last update of the table), the request's address without credentials
(``fetched_from``) and the time fetched (``fetched_at``).

Before raw/ changes, the new file and entry are put into a scratch copy of raw/ and read there with every rule the
build applies (the manifest's checks, the dataset's reader and pandera model, the datasets that read it). Its
figures are then compared with those the table's other files give for the same days: a file that contradicts them
is kept out, with the differences listed (a revision is the user's decision: replace the old file by hand). Only
then are the file and the manifest written, each by one rename (the CSV first; a build between the two renames sees
an unlisted file and says so). The same bytes fetched again change nothing ("up to date").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from pipeline.domain.errors import RawInputError
from pipeline.domain.files import replace_atomically
from pipeline.domain.manifest import MANIFEST_NAME, NOT_STATED, Manifest, SourceEntry, check_all, load_manifest
from pipeline.fetch.client import Fetched
from pipeline.fetch.sources import Source
from pipeline.ingest.genesis_flat import flat_member
from pipeline.sources.new_year import NOT_CARRIED, append_entries, new_id

_PERIOD = re.compile(r"^(\d{4})-(\d{2})P(\d+)M$")  # '2023-10P6M': six months from October 2023 (a semester)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass
class Outcome:
    """What one fetch did: 'new', 'up to date', 'not published yet', 'kept out' or 'failed', and the facts."""

    table: str
    source: str
    status: str
    message: str = ""
    file: str = ""  # raw/<...>
    reference_date: dt.date | None = None
    size: int = 0
    sha256: str = ""
    url: str = ""
    dataset: str = ""
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        facts = []
        if self.reference_date:
            facts.append(f"reference date {self.reference_date:%d.%m.%Y}")
        if self.size:
            facts.append(f"{self.size:,} bytes")
        if self.sha256:
            facts.append(f"sha256 {self.sha256[:16]}…")
        head = f"{self.table} from {self.source}: {self.status}"
        body = (f" ({self.file}; {', '.join(facts)})" if self.file else f" ({', '.join(facts)})" if facts else "")
        return head + body + (f": {self.message}" if self.message else "")


def time_span(csv: bytes) -> tuple[dt.date | None, dt.date]:
    """(period start or None, reference date) from the flat CSV's ``time`` column: the newest day it names (a date,
    a year as its 31 December, a period such as a semester as its last day and its first)."""
    lines = csv.decode("utf-8-sig").splitlines()
    if len(lines) < 2:
        raise ValueError("the CSV holds no rows")
    col = lines[0].split(";").index("time")
    values = {line.split(";")[col] for line in lines[1:] if line}
    ends: list[tuple[dt.date, dt.date | None]] = []
    for v in values:
        if m := _DATE.match(v):
            ends.append((dt.date(int(m[1]), int(m[2]), int(m[3])), None))
        elif m := _YEAR.match(v):
            ends.append((dt.date(int(m[1]), 12, 31), None))
        elif m := _PERIOD.match(v):
            start = dt.date(int(m[1]), int(m[2]), 1)
            month = start.month - 1 + int(m[3])
            after = dt.date(start.year + month // 12, month % 12 + 1, 1)
            ends.append((after - dt.timedelta(days=1), start))
        else:
            raise ValueError(f"the time {v!r} is neither a date, a year nor a period")
    end, start = max(ends, key=lambda x: x[0])
    return start, end


def published_from(metadata: dict) -> str:
    """The table's last update as the service's metadata gives it ('09.02.2026 14:21:14h' -> '2026-02-09')."""
    m = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", str(metadata.get("Updated") or ""))
    return f"{m[3]}-{m[2]}-{m[1]}" if m else ""


def content_of(path: Path) -> bytes:
    """A raw file's data as the flat reader takes it (the CSV itself, or the one CSV inside a ZIP the service
    delivered, within the size bound); nothing for a file that is neither."""
    try:
        return flat_member(path, path.name)[1]
    except RawInputError:
        return b""


def entries_of(manifest: Manifest, table: str) -> list[SourceEntry]:
    return [e for e in manifest.entries if e.table_code == table]


def land(raw_dir: Path, fetched: Fetched, src: Source, metadata: dict | None = None,
         fetched_at: dt.datetime | None = None, cities: tuple = ()) -> Outcome:
    """Check the fetched table and, if it passes, add it to raw/ and the manifest (see the module's doc). ``cities``:
    the configured cities every regional table must list (as the build checks)."""
    from pipeline.sources.registry import DATASETS_BY_NAME

    table = fetched.table
    out = Outcome(table, src.name, "failed", url=fetched.request_url, size=len(fetched.csv),
                  sha256=hashlib.sha256(fetched.csv).hexdigest())
    manifest = load_manifest(raw_dir)
    same = entries_of(manifest, table)
    if not same:
        out.message = (f"raw/{MANIFEST_NAME} lists no file of table {table}: add its first file by hand (python -m "
                       "pipeline.domain.manifest draft prints the entry), then fetch its next years")
        return out
    for e in same:  # the same bytes again
        path = manifest.raw_dir / e.file
        if path.is_file() and hashlib.sha256(content_of(path)).hexdigest() == out.sha256:
            out.status, out.file, out.dataset, out.reference_date = "up to date", f"raw/{e.file}", e.dataset, e.reference_date
            out.message = f"the same bytes as raw/{e.file}"
            return out
    try:
        start, reference_date = time_span(fetched.csv)
    except (ValueError, UnicodeDecodeError) as exc:
        out.message = f"the fetched CSV does not say its reference date: {exc}"
        return out
    out.reference_date = reference_date
    template = max(same, key=lambda e: e.reference_date)
    dataset = DATASETS_BY_NAME.get(template.dataset)
    out.dataset = template.dataset
    year = start.year if start is not None else reference_date.year
    rel = f"{src.folder}/{table}_{year}.csv"
    out.file = f"raw/{rel}"
    raw = yaml.safe_load((manifest.raw_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    old = next(item for item in raw["sources"] if item["id"] == template.id)
    entry = {k: v for k, v in old.items() if k not in NOT_CARRIED and k not in ("sheet", "fetched_from", "fetched_at")}
    old_year = template.period_start.year if template.period_start else template.reference_year
    entry["id"] = new_id(template.id, old_year, year)
    if any(e.id == entry["id"] for e in manifest.entries) or any(e.file == rel for e in manifest.entries):
        entry["id"] = f"{entry['id']}-fetched-{(fetched_at or dt.datetime.now(dt.UTC)):%Y%m%d%H%M%S}"
    entry.update(file=rel, format="genesis_ffcsv", encoding="utf-8", reference_date=reference_date)
    if start is not None:
        entry["period_start"] = start
    else:
        entry.pop("period_start", None)
    # the table's own update date where the service gives it; never a guess (the retrieval date is kept apart)
    entry["published"] = published_from(metadata or {}) or NOT_STATED
    entry["retrieved"] = (fetched_at or dt.datetime.now(dt.UTC)).date().isoformat()
    entry["sha256"] = out.sha256
    entry["url"] = fetched.request_url
    copyright_line = str((metadata or {}).get("Copyright") or "").splitlines()[0].strip() if (metadata or {}).get("Copyright") else ""
    if copyright_line:
        entry["attribution"] = copyright_line
    entry["obtained_from"] = f"{src.title}, fetched by python -m pipeline fetch"
    entry["fetched_from"] = fetched.request_url
    entry["fetched_at"] = (fetched_at or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    entry["notes"] = (f"Fetched from the {src.title} web service ({fetched.csv_name}"
                      + (f", background job {fetched.result}" if fetched.result else "") + f"); entry derived from {template.id}.")
    if dataset is None:
        out.message = f"dataset {template.dataset} of table {table} is unknown to the pipeline"
        return out

    overlapping = [e for e in same if _overlaps(e, start, reference_date)]
    with tempfile.TemporaryDirectory(prefix="cmp-fetch-") as tmp:
        scratch = Path(tmp) / "raw"
        shutil.copytree(manifest.raw_dir, scratch, symlinks=False)
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        (scratch / rel).write_bytes(fetched.csv)
        if overlapping:  # read the new file in place of the files of the same days, then compare their figures
            _drop_entries(scratch, {e.id for e in overlapping})
        append_entries(scratch / MANIFEST_NAME, [entry])
        problems, frame = _check(scratch, dataset, cities)
        if problems:
            out.status, out.problems = "kept out", problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
            out.message = f"the file breaks {len(problems)} rule(s) of the build; raw/ is unchanged"
            return out
        if overlapping:
            _, old = _check(manifest.raw_dir, dataset, cities)
            ids = {e.id for e in overlapping}
            differences = _contradictions(frame, old[old["source_id"].isin(ids)] if old is not None else None, dataset)
            files = ", ".join(f"raw/{e.file}" for e in overlapping)
            if differences:
                out.status, out.problems = "kept out", differences
                out.message = (f"figures differ from those {files} gives for the same day; raw/ is unchanged (a revision is yours "
                               "to decide: replace the old file by hand)")
            else:
                out.status = "up to date"
                out.message = f"the same figures as {files} (in other bytes); nothing added"
            return out
        _publish(manifest.raw_dir, rel, fetched.csv, scratch / MANIFEST_NAME)
    out.status = "new"
    return out


def _overlaps(e: SourceEntry, start: dt.date | None, end: dt.date) -> bool:
    """Whether entry ``e``'s days meet the new file's (its reference date, or its period)."""
    e_start = e.period_start or e.reference_date
    return e_start <= end and (start or end) <= e.reference_date


def _drop_entries(raw_dir: Path, ids: set[str]) -> None:
    """Take the entries ``ids`` and their files out of a (scratch) raw/: each entry's block of lines, from its
    '  - id:' line to the next entry's, so the rest of the manifest keeps its text."""
    path = raw_dir / MANIFEST_NAME
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    keep, dropping = [], False
    for line in lines:
        m = re.match(r"^  - id: *(\S+)", line)
        if m:
            dropping = m.group(1).strip("'\"") in ids
        elif dropping and not line.startswith(("    ", "\n")) and line.strip():
            dropping = False  # a comment or anything else at the list's level ends the entry
        if not dropping:
            keep.append(line)
    for e in load_manifest(raw_dir).entries:
        if e.id in ids:
            (raw_dir / e.file).unlink(missing_ok=True)
    path.write_text("".join(keep), encoding="utf-8")


def _check(scratch: Path, dataset, cities: tuple) -> tuple[list[str], pd.DataFrame | None]:
    """Every rule of the build on the scratch copy: the manifest's checks, the dataset and what reads it."""
    from pipeline.ingest.context import BuildContext
    from pipeline.ingest.dataset import build_dataset
    from pipeline.sources.registry import DATASETS
    from pipeline.validation.explain import validate_dataset

    try:
        manifest = load_manifest(scratch)
    except RawInputError as exc:
        return [p.describe() for p in exc.problems], None
    problems = [p.describe() for p in check_all(manifest)]
    if problems:
        return problems, None
    ctx = BuildContext(manifest, {}, cities)
    wanted = {dataset.name, *dataset.needs}
    readers = [d for d in DATASETS if d.name in wanted or dataset.name in d.needs]
    frame = None
    for d in readers:  # (in registry order: what a dataset needs is read before it)
        try:
            built, entries = build_dataset(d, ctx)
            checked = validate_dataset(d, built, entries)
        except RawInputError as exc:
            return [p.describe() for p in exc.problems], None
        ctx.upstream[d.name] = checked.frame
        if d.name == dataset.name:
            frame = checked.frame
    return [], frame


def _contradictions(new: pd.DataFrame | None, old: pd.DataFrame | None, dataset) -> list[str]:
    """Figures of the new file that differ from the old files' for the same key (region, day, breakdown)."""
    if new is None or old is None or "value" not in new.columns:
        return []
    key = [c for c in (dataset.model.to_schema().unique or []) if c not in ("source_id", "source_line", "source_column")]
    if not key:
        return []
    both = new.merge(old, on=key, how="outer", suffixes=("", "_old"), indicator=True)
    missing = both["_merge"] != "both"
    differs = missing | ~((both["value"] == both["value_old"]) | (both["value"].isna() & both["value_old"].isna()))
    if "status" in both.columns:
        differs |= both["status"].fillna("") != both["status_old"].fillna("")
    out = []
    for r in both[differs].head(20).to_dict("records"):
        where = ", ".join(f"{k}={r[k]}" for k in key)
        if r["_merge"] == "left_only":
            out.append(f"{where}: only in the fetched file (line {r.get('source_line')})")
        elif r["_merge"] == "right_only":
            out.append(f"{where}: only in {r.get('source_id_old')}")
        else:
            out.append(f"{where}: fetched {r['value']} (line {r.get('source_line')}) against {r['value_old']} in {r['source_id_old']}")
    extra = int(differs.sum()) - len(out)
    return out + ([f"... and {extra} more"] if extra > 0 else [])


def _publish(raw_dir: Path, rel: str, csv: bytes, manifest: Path) -> None:
    target = raw_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(target, csv)
    replace_atomically(raw_dir / MANIFEST_NAME, manifest)
