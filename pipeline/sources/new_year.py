"""``python -m pipeline manifest add raw/<folder>/<file>``: register a new year's file of a table the manifest
already lists, in one command.

The new entry is the previous year's entry of the same table (the newest one) with what belongs to the file read from
the file: its reference date (the newest date, or year, its rows carry), its "Stand" (published), its sha256, its id
and path. What belonged to the old file only is not carried over: the accepted inconsistencies (they name the old
file's cells), the code corrections, where the copy was found and the notes (they describe the old file). The entry is
appended to raw/sources.yaml and the file is read and validated as its dataset; if that fails, the manifest is put back
as it was and the problems are printed. A file of a table the manifest does not list yet gets the draft with TODOs
(``draft``) and nothing changes.

An earlier vintage goes in the same way when no listed file of the table covers any of its years (a file of several
years, 2015-2020, is a series: its entry gets the period's start and the id names its years); a file that repeats a
listed year is refused, since taking it would be a revision for the user to decide. The credit line is the file's own
("© ..., <year>.") where the file prints one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.domain.errors import RawInputError
from pipeline.domain.manifest import (
    _TITLE_CODE,
    MANIFEST_NAME,
    Manifest,
    SourceEntry,
    check_size,
    draft_entry,
    load_manifest,
    sha256_of,
    stand_in,
)
from pipeline.ingest.dataset import build_dataset
from pipeline.ingest.xlsx import open_sheet, text_of
from pipeline.sources.registry import DATASETS_BY_NAME, context_for
from pipeline.validation.explain import validate_dataset

# fields of the old entry that describe the old file only
NOT_CARRIED = ("accepted_inconsistencies", "region_code_corrections", "obtained_from", "notes", "retrieved")
_DATE = re.compile(r"(?<!\d)(\d{2})\.(\d{2})\.((?:19|20)\d{2})(?!\d)|(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")
_YEAR_ROW = re.compile(r"^\"?(?:Jahr:\s*)?((?:19|20)\d{2})\"?(?:;|$)")  # '2023;DG;...' or an export's 'Jahr: 2021'


@dataclass
class Added:
    entry: dict | None  # the entry appended, None if nothing was added
    template: SourceEntry | None  # the entry it was derived from
    message: str


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def same_table(manifest: Manifest, rel: str, text: str | None) -> list[SourceEntry]:
    """The entries of the table ``rel`` is a new year of: by the table code of a GENESIS title line, else by the file
    name with its years taken out (12711-04-02-4_2021.xlsx is a year of 12711-04-02-4_<year>.xlsx)."""
    code = None
    if text:
        m = _TITLE_CODE.match(text.splitlines()[0] if text.splitlines() else "")
        code = m.group(1).rstrip(";") if m else None
    if code:
        hits = [e for e in manifest.entries if e.table_code == code]
        if hits:
            return hits
    pattern = re.sub(r"(19|20)\d{2}", "YEAR", rel)
    return [e for e in manifest.entries if re.sub(r"(19|20)\d{2}", "YEAR", e.file) == pattern and e.file != rel]


def dates_in(text: str, stand_line: str | None) -> tuple[list[dt.date], list[int]]:
    """The dates (dd.mm.yyyy, yyyy-mm-dd) and the leading years of rows ('2023;DG;...') in a text table, the
    'Stand' line left out."""
    dates, years = [], []
    for line in text.splitlines():
        if stand_line is not None and line.strip().strip('"') == stand_line:
            continue
        for m in _DATE.finditer(line):
            g = m.groups()
            d, mo, y = (g[0], g[1], g[2]) if g[0] else (g[5], g[4], g[3])
            try:
                dates.append(dt.date(int(y), int(mo), int(d)))
            except ValueError:
                continue
        m = _YEAR_ROW.match(line)
        if m:
            years.append(int(m.group(1)))
    return dates, years


@dataclass(frozen=True)
class FileFacts:
    reference_date: dt.date | None  # the newest date (or year) the rows carry
    published: str | None  # the 'Stand'
    first_year: int | None  # the oldest year of the rows, where they carry years
    credit: str | None  # the file's '© ...' line


_CREDIT = re.compile(r"^\"?(©[^\n\"]*?\d{4})\.?")


def read_facts(path: Path, template: SourceEntry) -> FileFacts:
    """What the file says of itself; None where it does not say."""
    if path.suffix.lower() == ".xlsx":
        sheet = str(template.extra.get("sheet") or template.table_code)  # an export's one sheet is named after its table
        rows = open_sheet(path, path.name, sheet).rows
        text = "\n".join(";".join(text_of(c) for c in r) for r in rows)
    else:
        text = _text(path)
    published, stand = stand_in(text.splitlines(), last=6)
    credit = next((m.group(1) for line in text.splitlines() if (m := _CREDIT.match(line.strip()))), None)
    dates, years = dates_in(text, stand)
    today = dt.date.today()
    dates = [d for d in dates if d <= today]
    first_year = min(years) if years else None
    reference_date = None
    if dates:
        reference_date = max(dates)
        if years and max(years) > reference_date.year:  # a table of years whose only dates are in its notes
            reference_date = dt.date(max(years), template.reference_date.month, template.reference_date.day)
    elif years:
        reference_date = dt.date(max(years), template.reference_date.month, template.reference_date.day)
    return FileFacts(reference_date, published, first_year, credit)


def _years_of(entry: SourceEntry) -> set[int]:
    start = entry.period_start.year if entry.period_start is not None else entry.reference_date.year
    return set(range(start, entry.reference_date.year + 1))


def new_id(template_id: str, old_year: int, year: int | str) -> str:
    """The id of a new year's entry: the template's id with its year replaced, or the year appended."""
    return template_id.replace(str(old_year), str(year)) if str(old_year) in template_id else f"{template_id}-{year}"


def derive_entry(manifest: Manifest, path: Path, rel: str) -> tuple[dict | None, SourceEntry | None, str]:
    """The new entry for ``rel`` derived from its table's newest entry, or None with the reason."""
    text = None if path.suffix.lower() in (".xlsx", ".zip", ".json") else _text(path)
    same = same_table(manifest, rel, text)
    if not same:
        return None, None, "not a table the manifest lists"
    newest_date = max(e.reference_date for e in same)
    templates = [e for e in same if e.reference_date == newest_date]  # a workbook: one entry per sheet
    raw = yaml.safe_load((manifest.raw_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    entries = []
    listed = set().union(*(_years_of(e) for e in same))
    for template in templates:
        facts = read_facts(path, template)
        reference_date = facts.reference_date
        if reference_date is None:
            return None, template, "the file does not say its reference date"
        first = facts.first_year or reference_date.year
        earlier = reference_date <= template.reference_date and template.period_start is None
        if earlier and listed & set(range(first, reference_date.year + 1)):
            return None, template, (f"the file's reference date {reference_date} is not after the newest listed one "
                                    f"({template.id}, {template.reference_date}), and a listed file covers its years "
                                    f"{first}-{reference_date.year}: taking it would revise published figures")
        old = next(item for item in raw["sources"] if item["id"] == template.id)
        entry = {k: v for k, v in old.items() if k not in NOT_CARRIED}
        years = str(reference_date.year) if first == reference_date.year else f"{first}-{reference_date.year}"
        entry["id"] = new_id(template.id, template.reference_date.year, years)
        entry["file"] = rel
        if template.period_start is not None:  # a series: it now ends at the file's newest date
            entry["period_start"] = template.period_start
        elif first < reference_date.year:  # a file of several years: a series from its first
            entry["period_start"] = dt.date(first, 1, 1)
        entry["reference_date"] = reference_date
        if facts.published:
            entry["published"] = facts.published
        if facts.credit:
            entry["attribution"] = facts.credit
        entry["notes"] = f"Derived from entry {template.id} by `python -m pipeline manifest add` on {dt.date.today()}."
        entry["sha256"] = sha256_of(path)
        entries.append(entry)
    return {"entries": entries}, templates[0], ""


def append_entries(manifest_path: Path, entries: list[dict]) -> None:
    text = manifest_path.read_text(encoding="utf-8")
    block = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=120)
    block = "".join(f"  {line}\n" for line in block.splitlines())
    manifest_path.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")


def add(raw_dir: Path, path: Path) -> Added:
    """Derive, append and check the entry for ``path`` (see the module's doc)."""
    path = path.resolve()
    rel = path.relative_to(raw_dir.resolve()).as_posix()
    check_size(path, f"raw/{rel}")
    manifest = load_manifest(raw_dir)
    if any(e.file == rel for e in manifest.entries):
        return Added(None, None, f"raw/{rel} is listed already; nothing changed")
    derived, template, why = derive_entry(manifest, path, rel)
    if derived is None:
        hint = "" if template is not None else "\n" + draft_entry(manifest, path, raw_dir)
        return Added(None, template, f"raw/{rel}: {why}; raw/{MANIFEST_NAME} is unchanged.{hint}")
    manifest_path = raw_dir / MANIFEST_NAME
    before = manifest_path.read_bytes()
    append_entries(manifest_path, derived["entries"])
    try:
        updated = load_manifest(raw_dir)
        dataset = DATASETS_BY_NAME[template.dataset]
        frame, entries = build_dataset(dataset, context_for(dataset, updated))
        validate_dataset(dataset, frame, entries)
    except RawInputError as exc:
        manifest_path.write_bytes(before)  # nothing half-added
        return Added(None, template, f"raw/{rel} does not pass as {template.dataset}; raw/{MANIFEST_NAME} is unchanged:\n{exc.summary()}")
    except Exception:
        manifest_path.write_bytes(before)
        raise
    ids = ", ".join(e["id"] for e in derived["entries"])
    message = f"added {ids} to raw/{MANIFEST_NAME} (from {template.id}); the file passes as {template.dataset}"
    return Added(derived["entries"][0], template, message)
