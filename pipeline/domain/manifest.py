"""The sources manifest (raw/sources.yaml): one entry per raw file, with its provenance and its sha256.

The pipeline reads only files listed here, and refuses a listed file whose bytes no longer match the recorded hash.
The commands that check and extend it are ``python -m pipeline manifest check|add|draft`` (pipeline/cli/manifest.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from pipeline.domain import freetext
from pipeline.domain.codebook import CONCEPT
from pipeline.domain.errors import InputProblem, RawInputError, printable
from pipeline.domain.periods import PERIOD_KINDS

MANIFEST_NAME = "sources.yaml"
# Files in raw/ that are documentation, not data.
NOT_DATA = {MANIFEST_NAME, "README.md"}

FORMATS = {"genesis_csv", "genesis_ffcsv", "jsonstat", "gvisys_csv", "tidy_csv", "xlsx"}
PER_ROW = "stated per row"  # concept of a tidy file whose rows each name their own
LEVELS = {"municipal", "state", "federal", "profile"}
REQUIRED = (
    "id",
    "file",
    "dataset",
    "format",
    "encoding",
    "publisher",
    "level",
    "table_code",
    "title",
    "reference_date",
    "published",
    "licence",
    "attribution",
    "sha256",
)
# the fields the profile prints (or the maintainer reads) as written: checked by the free-text rules
TEXT_FIELDS = ("publisher", "table_code", "title", "title_en", "short_name", "database", "licence", "attribution", "url",
               "obtained_from", "census_basis", "notes")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
NOT_STATED = "not stated"  # a publication date the file does not give (it was retrieved from a database: see retrieved)
_CITY = re.compile(r"^\d{5}(\d{3})?$")


@dataclass(frozen=True)
class SourceEntry:
    """One raw file and where it comes from."""

    id: str
    file: str  # path relative to raw/, with forward slashes
    dataset: str
    format: str
    encoding: str
    publisher: str
    level: str
    table_code: str
    title: str
    reference_date: dt.date
    published: str  # "YYYY-MM-DD" (a table's "Stand"), "YYYY" where the publisher gives only the year, or "not stated"
    licence: str
    attribution: str
    sha256: str
    title_en: str = ""
    short_name: str = ""
    database: str = ""
    url: str = ""
    obtained_from: str = ""
    census_basis: str = ""
    concept: str = ""
    period_start: dt.date | None = None
    notes: str = ""
    city: str = ""  # the AGS of the one city a city-specific input is about (its register, its MC2CM profile); '' for others
    period: str = ""  # what period the figures refer to (pipeline/domain/periods.py); '' = the dataset's kind
    retrieved: str = ""  # when the file was obtained ("YYYY-MM-DD" or "YYYY"), where that is not its publication
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return f"raw/{self.file}"

    @property
    def reference_year(self) -> int:
        return self.reference_date.year

    @property
    def label(self) -> str:
        """The short name tables and figures use for this source."""
        return self.short_name or f"{self.publisher} {self.table_code}"

    def source_line(self) -> str:
        """How a table or figure names this source."""
        parts = [self.publisher]
        if self.database:
            parts.append(self.database)
        parts.append(f"table {self.table_code}")
        parts.append(f"reference date {self.reference_date:%d.%m.%Y}")
        parts.append(f"licence {self.licence}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Manifest:
    raw_dir: Path
    entries: tuple[SourceEntry, ...]

    def by_id(self, source_id: str) -> SourceEntry:
        for e in self.entries:
            if e.id == source_id:
                return e
        raise KeyError(source_id)

    def for_dataset(self, dataset: str) -> list[SourceEntry]:
        return sorted((e for e in self.entries if e.dataset == dataset), key=lambda e: (e.reference_date, e.id))

    def path(self, entry: SourceEntry) -> Path:
        return self.raw_dir / entry.file


# The largest real table we ingest is about 1.3 MB; anything far beyond that is not a table we know.
MAX_FILE_BYTES = 64 * 1024 * 1024


def check_size(path: Path, display_name: str) -> None:
    """Refuse a file far larger than any table we ingest, before reading a byte of it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise RawInputError.single(
            display_name,
            "file size limit",
            f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} bytes any table we ingest may have; "
            "refused without reading it",
        )


def content_fingerprint(path: Path) -> str:
    """What identifies a file's content: its sha256; for a file over MAX_FILE_BYTES, which is never read, its size
    and mtime."""
    st = path.stat()
    if st.st_size > MAX_FILE_BYTES:
        return f"too-large:{st.st_size}:{st.st_mtime_ns}"
    return sha256_of(path)


def entry_fingerprint(entry: SourceEntry) -> str:
    """Every field of a manifest entry, in one string: equal strings, equal entries."""
    return json.dumps({k: str(v) for k, v in sorted(vars(entry).items())}, sort_keys=True)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _as_date(value: Any, field_name: str, report: Callable[..., None]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        report("manifest date format", f"{field_name} '{value}' is not a date written YYYY-MM-DD", field_name)
        return None


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where the wheel has it: same rules, ~10x faster


def _parse(text: str) -> tuple[Any, list[tuple[int, dict[str, int]]]]:
    """The document, and for each entry under ``sources:`` the line it starts on and the line of each of its fields
    (1-based), from one parse: the node tree is composed first (which builds no Python objects, so nothing in the
    file is evaluated), then constructed with the safe loader's rules."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        doc = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    lines: list[tuple[int, dict[str, int]]] = []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "sources" and isinstance(value, yaml.SequenceNode):
                lines = [
                    (item.start_mark.line + 1,
                     {k.value: k.start_mark.line + 1 for k, _ in item.value} if isinstance(item, yaml.MappingNode) else {})
                    for item in value.value
                ]
    return doc, lines


def _safe_relative(file: str) -> bool:
    p = PurePosixPath(file)
    return not p.is_absolute() and ".." not in p.parts and "\\" not in file and file.strip() == file and file != ""


def load_manifest(raw_dir: Path) -> Manifest:
    """Parse and check raw/sources.yaml. Every problem is collected and raised together."""
    path = raw_dir / MANIFEST_NAME
    name = f"raw/{MANIFEST_NAME}"
    if not path.is_file():
        raise RawInputError.single(name, "manifest exists", f"the sources manifest {name} is missing")
    text = path.read_text(encoding="utf-8")
    try:
        doc, lines = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = "; ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x) or str(exc).splitlines()[0]
        raise RawInputError.single(
            name, "manifest is valid YAML", what, line=(mark.line + 1) if mark else None,
            column=str(mark.column + 1) if mark else None,
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise RawInputError.single(name, "manifest layout", "expected a top-level 'sources:' list")
    problems: list[InputProblem] = []
    entries: list[SourceEntry] = []
    known = {f.name for f in SourceEntry.__dataclass_fields__.values()} - {"extra"}
    for i, raw in enumerate(doc["sources"], start=1):
        start, field_lines = lines[i - 1] if i <= len(lines) else (None, {})
        entry_name = f"entry {i}{' (' + str(raw.get('id')) + ')' if isinstance(raw, dict) and raw.get('id') else ''}"

        def report(
            rule: str, detail: str, field_name: str | None = None, entry_name=entry_name, start=start, field_lines=field_lines
        ) -> None:
            problems.append(InputProblem(name, rule, f"{entry_name}: {detail}", field_lines.get(field_name or "", start), field_name))

        if not isinstance(raw, dict):
            report("manifest layout", "each entry must be a mapping of fields")
            continue
        missing = [k for k in REQUIRED if raw.get(k) in (None, "")]
        if missing:
            report("manifest required fields", f"missing field(s): {', '.join(missing)}")
            continue
        values = {k: raw[k] for k in raw if k in known}
        extra = {k: raw[k] for k in raw if k not in known}
        for key in REQUIRED:
            if key != "reference_date":  # (a date: read below)
                values[key] = str(values[key])
        if not _ID.match(values["id"]):
            report("manifest id format", f"id '{values['id']}' must be lower-case letters, digits, '.', '_' or '-'", "id")
        if not _safe_relative(values["file"]):
            report("manifest file path", f"file '{values['file']}' must be a plain path inside raw/", "file")
        if values["format"] not in FORMATS:
            report("manifest format", f"format '{values['format']}' is not one of {sorted(FORMATS)}", "format")
        if values["level"] not in LEVELS:
            report("manifest level", f"level '{values['level']}' is not one of {sorted(LEVELS)}", "level")
        concept = str(values.get("concept") or "")
        if concept and concept not in CONCEPT.codes() and concept != PER_ROW:
            report("manifest concept", f"concept '{concept}' is not one of {sorted(CONCEPT.codes())} or '{PER_ROW}'", "concept")
        if not _SHA.match(values["sha256"]):
            report("manifest sha256 format", "sha256 must be 64 lower-case hex digits", "sha256")
        if not _PUBLISHED.match(values["published"]) and values["published"] != NOT_STATED:
            report("manifest date format", f"published '{values['published']}' must be YYYY-MM-DD, YYYY or '{NOT_STATED}'",
                   "published")
        if values.get("retrieved") is not None:
            values["retrieved"] = str(values["retrieved"])
            if not _PUBLISHED.match(values["retrieved"]):
                report("manifest date format", f"retrieved '{values['retrieved']}' must be YYYY-MM-DD or YYYY", "retrieved")
        if values.get("period") is not None:
            values["period"] = str(values["period"])
            if values["period"] not in PERIOD_KINDS:
                report("manifest period", f"period '{values['period']}' is not one of {sorted(PERIOD_KINDS)}", "period")
        for key in ("reference_date", "period_start"):
            if key in values and values[key] is not None:
                values[key] = _as_date(values[key], key, report)
        for key in ("title_en", "short_name", "database", "url", "obtained_from", "census_basis", "concept", "notes", "city"):
            if key in values and values[key] is not None:
                values[key] = str(values[key]).strip()
        for key in TEXT_FIELDS:
            if values.get(key) and (found := freetext.problem(values[key], key)) is not None:
                report(found[0], found[1], key)
        if values.get("url") and not freetext.WEB_ADDRESS.fullmatch(values["url"]):
            report("manifest url", f"url '{values['url']}' is not a web address (http:// or https://, no spaces)", "url")
        if values.get("city") and not _CITY.match(values["city"]):
            report("manifest city key", f"city '{values['city']}' must be an 8-digit municipal or 5-digit district key (AGS)", "city")
        if values.get("reference_date") is None:
            continue
        entries.append(SourceEntry(**values, extra=extra))
    seen_ids: dict[str, int] = {}
    seen_files: dict[str, int] = {}
    for e in entries:
        seen_ids[e.id] = seen_ids.get(e.id, 0) + 1
        # one workbook may hold several tables: an entry per sheet, the file listed once per sheet
        place = f"{e.file}#{e.extra['sheet']}" if e.extra.get("sheet") else e.file
        seen_files[place] = seen_files.get(place, 0) + 1
    for k, n in seen_ids.items():
        if n > 1:
            problems.append(InputProblem(name, "manifest unique ids", f"id '{k}' is used by {n} entries"))
    for k, n in seen_files.items():
        if n > 1:
            problems.append(InputProblem(name, "manifest unique files", f"file '{k}' is listed {n} times".replace("#", "', sheet '")))
    if problems:
        raise RawInputError(problems)
    return Manifest(raw_dir=raw_dir, entries=tuple(entries))


def verify_file(manifest: Manifest, entry: SourceEntry) -> Path:
    """Return the path of ``entry``'s file after checking it exists, stays inside raw/ and matches its sha256."""
    path = manifest.path(entry)
    if not path.is_file():
        raise RawInputError.single(entry.display_name, "listed file exists", f"listed in raw/{MANIFEST_NAME} as '{entry.id}' but not found")
    resolved_raw = manifest.raw_dir.resolve()
    if resolved_raw not in path.resolve().parents:
        raise RawInputError.single(entry.display_name, "file inside raw/", "the path leads outside raw/ (a link?); refused")
    check_size(path, entry.display_name)
    today = dt.date.today()
    if entry.reference_date > today:
        raise RawInputError.single(
            entry.display_name,
            "reference date not in the future",
            f"raw/{MANIFEST_NAME} gives '{entry.id}' the reference date {entry.reference_date}, which lies in the future: a typing error?",
        )
    actual = sha256_of(path)
    if actual != entry.sha256:
        raise RawInputError.single(
            entry.display_name,
            "manifest hash matches",
            f"sha256 is {actual} but raw/{MANIFEST_NAME} records {entry.sha256} for '{entry.id}': the file changed "
            "since it was registered. If the new file is intended, update its entry (python -m pipeline manifest draft)",
        )
    return path


def register_sha256(raw_dir: Path, rel: str) -> str:
    """Write the present sha256 of raw/<rel> into its manifest entries (one per sheet of a workbook); only their
    sha256 lines change."""
    digest = sha256_of(raw_dir / rel)
    path = raw_dir / MANIFEST_NAME
    pattern = re.compile(rf"(\n    file: {re.escape(rel)}\n(?:    .*\n|      .*\n|\s*#.*\n)*?    sha256: )[0-9a-f]{{64}}")
    text, n = pattern.subn(rf"\g<1>{digest}", path.read_text(encoding="utf-8"))
    if n < 1:
        raise ValueError(f"raw/{MANIFEST_NAME} has no entry for {rel}")
    path.write_text(text, encoding="utf-8")
    return digest


def is_data_file(rel: str) -> bool:
    """Whether a path under raw/ (relative, forward slashes) is data: hidden files, README.md files and the
    manifest itself are not."""
    parts = rel.split("/")
    return not any(part.startswith(".") for part in parts) and parts[-1] != "README.md" and rel not in NOT_DATA


def data_files(raw_dir: Path) -> list[str]:
    """Every data file under raw/, relative with forward slashes, hidden files and documentation excluded."""
    found = []
    for p in sorted(raw_dir.rglob("*")):
        rel = p.relative_to(raw_dir).as_posix()
        if (p.is_file() or p.is_symlink()) and is_data_file(rel):
            found.append(rel)
    return found


def unlisted_files(manifest: Manifest) -> list[str]:
    listed = {e.file for e in manifest.entries}
    return [f for f in data_files(manifest.raw_dir) if f not in listed]


def check_all(manifest: Manifest) -> list[InputProblem]:
    """Every listed file present and unchanged, and no data file in raw/ left out of the manifest."""
    problems: list[InputProblem] = []
    for entry in manifest.entries:
        try:
            verify_file(manifest, entry)
        except RawInputError as exc:
            problems.extend(exc.problems)
    for f in unlisted_files(manifest):
        problems.append(
            InputProblem(
                f"raw/{f}",
                "every raw file is in the manifest",
                f"not listed in raw/{MANIFEST_NAME}; the pipeline does not read it. Add its entry with "
                f"python -m pipeline manifest add {shlex.quote(printable('raw/' + f))} (a new year of a listed table; "
                "a new table gets a draft to complete)",
            )
        )
    return problems


_TITLE_CODE = re.compile(r"^(?:GENESIS-)?Tabelle:\s*(\S+)")
_STAND = re.compile(r"^(?:Stand:\s*(\d{2})\.(\d{2})\.(\d{4})|created:\s*(\d{4})-(\d{2})-(\d{2}))")


def stand_in(lines: list[str], last: int) -> tuple[str | None, str | None]:
    """The publication date ('Stand: dd.mm.yyyy' or 'created: yyyy-mm-dd') among a table's ``last`` lines, as
    yyyy-mm-dd, and the line that gives it; (None, None) if none does. An XLSX export puts it at the end of its last
    cell ('... | Stand: ...')."""
    for line in reversed(lines[-last:]):
        cell = line.strip().strip('"').strip(";")
        cell = cell.rsplit("|", 1)[1].strip() if "| Stand:" in cell else cell
        m = _STAND.match(cell)
        if m:
            g = m.groups()
            return (f"{g[2]}-{g[1]}-{g[0]}" if g[0] else f"{g[3]}-{g[4]}-{g[5]}"), line.strip().strip('"')
    return None, None


def draft_entry(manifest: Manifest | None, path: Path, raw_dir: Path) -> str:
    """A YAML entry for a new file, pre-filled from the file and from the newest entry of the same table."""
    rel = path.resolve().relative_to(raw_dir.resolve()).as_posix()
    check_size(path, f"raw/{rel}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("iso-8859-1")
        encoding = "iso-8859-1"
    lines = text.splitlines()
    code, stand = "", ""
    if lines:
        m = _TITLE_CODE.match(lines[0])
        code = m.group(1).rstrip(";") if m else ""
    stand = stand_in(lines, last=5)[0] or ""
    template: dict[str, Any] = {}
    if manifest is not None and code:
        same = [e for e in manifest.entries if e.table_code == code]
        if same:
            newest = max(same, key=lambda e: e.reference_date)
            template = {k: getattr(newest, k) for k in REQUIRED + ("title_en", "database", "url", "census_basis", "concept")}
    year = re.search(r"(19|20)\d{2}", path.stem)
    # a title line 'Stichtag: 30.06.2020' names the day; the footer's '© ..., 2021.' the credit
    day = next((m for line in lines[:12] if (m := re.match(r'^"?Stichtag:\s*(\d{2})\.(\d{2})\.(\d{4})', line.strip()))), None)
    credit = next((m.group(1) for line in lines if (m := re.match(r'^"?(©[^"]*?\d{4})\.?', line.strip()))), None)
    reference_date = f"{day.group(3)}-{day.group(2)}-{day.group(1)}" if day else f"{year.group(0)}-12-31" if year else "TODO"
    entry = {
        "id": f"{template.get('id', code or path.stem).rsplit('-', 1)[0]}-{year.group(0) if year else 'YYYY'}".lower(),
        "file": rel,
        "dataset": template.get("dataset", "TODO"),
        "format": template.get("format", "genesis_csv" if code else "TODO"),
        "encoding": encoding,
        "publisher": template.get("publisher", "TODO"),
        "database": template.get("database", ""),
        "level": template.get("level", "TODO"),
        "table_code": code or template.get("table_code", "TODO"),
        "title": template.get("title", "TODO"),
        "title_en": template.get("title_en", ""),
        "reference_date": reference_date,
        "published": stand or "TODO",
        "census_basis": template.get("census_basis", ""),
        "concept": template.get("concept", ""),
        "licence": template.get("licence", "dl-de/by-2-0"),
        "attribution": credit or template.get("attribution", "TODO"),
        "url": template.get("url", ""),
        "sha256": sha256_of(path),
    }
    entry = {k: v for k, v in entry.items() if v != ""}
    body = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=120)
    return "# Check every field (TODO marks what could not be detected), then add under 'sources:'\n" + body


_parsed: dict[Path, tuple[bytes, Manifest]] = {}


def current_manifest(raw_dir: Path) -> Manifest:
    """raw/sources.yaml, parsed; parsed again only when the file's content changed (every step of a run asks for it).
    A broken manifest raises RawInputError (saying where) and is never kept."""
    try:
        key = hashlib.sha256((raw_dir / MANIFEST_NAME).read_bytes()).digest()
    except OSError:
        key = None
    kept = _parsed.get(raw_dir)
    if key is not None and kept is not None and kept[0] == key:
        return kept[1]
    manifest = load_manifest(raw_dir)
    _parsed.pop(raw_dir, None)
    if key is not None:
        _parsed[raw_dir] = (key, manifest)
    return manifest
