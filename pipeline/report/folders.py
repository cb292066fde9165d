"""Where an edition of the profile is assembled, rendered and published: the one module that knows the layout.

report/ (CMP_REPORT_DIR) holds the Quarto project's sources (``QUARTO_SOURCES``). For each district and edition:

- ``report/_build/<district key>-<edition>/`` (:class:`EditionFolder`, e.g. ``05913-2024``) is a complete Quarto
  project: the sources, copied in by ``stage()``; ``_variables.yml`` (what ``{{< var >}}`` prints);
  ``_generated/<part>.md`` (every table, figure and text, pulled in by ``{{< include >}}``),
  ``_generated/figures/*.svg`` and ``_generated/meta/<part>.json`` (the gaps and sources of each part, for the
  appendices); the renderers' own files and ``_output/profile.pdf`` and ``.html``;
- ``report/_output/city-migration-profile-<name>-<edition>.pdf`` and ``.html`` (:class:`Published`; the district's
  name as a slug: dortmund, kreis-unna) are the published files, with ``.<name>.state.json`` beside them,
  `make report`'s record of what they were made from; ``report/_output/index.html`` lists every published profile.

No rendering library is needed to ask where things are.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.domain.config import PROJECT_DIR
from pipeline.report import fmt

QUARTO_PROJECT = PROJECT_DIR / "report"  # the Quarto project's sources, as committed
QUARTO_SOURCES = ("profile.qmd", "_quarto.yml", "typst-template.typ", "typst-show.typ", "styles.css", "fonts", "webfonts")


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """A file-name part from a name: 'Köln' -> 'koeln', 'Kreis Unna' -> 'kreis-unna', 'Halle (Saale)' -> 'halle-saale'."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_GERMAN)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def document_name(city: str, edition: str) -> str:
    """The published file name without suffix: city-migration-profile-<city>-<edition> (the city's name as a slug)."""
    return f"city-migration-profile-{slug(city)}-{edition}"


def _map_text(values, convert):
    """``values`` (nested dicts of text) with ``convert`` applied to every text."""
    if isinstance(values, dict):
        return {k: _map_text(v, convert) for k, v in values.items()}
    return convert(values) if isinstance(values, str) else values


@dataclass(frozen=True)
class EditionFolder:
    """report/_build/<district key>-<edition>/: the edition's Quarto project, with what the report assets wrote."""

    root: Path

    @classmethod
    def of(cls, build_root: Path, city_key: str, edition: str) -> EditionFolder:
        """``city_key``: the district's key in the warehouse (05913); a build folder never depends on a name."""
        if not re.fullmatch(r"[0-9A-Za-z]{2,8}", city_key) or not re.fullmatch(r"\d{4}", edition):
            raise ValueError(f"not a district key and an edition: {city_key!r}, {edition!r}")
        return cls(build_root / f"{city_key}-{edition}")

    # -- what the report assets write -----------------------------------------------------------------------------

    @property
    def generated(self) -> Path:
        return self.root / "_generated"

    @property
    def variables_file(self) -> Path:
        return self.root / "_variables.yml"

    def part_file(self, name: str) -> Path:
        return self.generated / f"{name}.md"

    def meta_file(self, name: str) -> Path:
        return self.generated / "meta" / f"{name}.json"

    def figure_file(self, name: str) -> Path:
        return self.generated / "figures" / name

    @property
    def chart_cache(self) -> Path:
        """Charts drawn for any profile, by their inputs (pipeline/report/charts.py ``cached``): report/_build/.chart-cache/."""
        return self.root.parent / ".chart-cache"

    def figure_ref(self, path: Path) -> str:
        """How the document refers to a figure file: relative to the project, as Quarto and pandoc resolve it."""
        return path.relative_to(self.root).as_posix()

    def write_part(self, name: str, markdown: str, gaps: list[tuple[str, ...]], sources: set[str], chart=None) -> Path:
        """Write a part where the document picks it up, and its gaps and sources beside it for the appendices.

        Generated Markdown never holds a Quarto shortcode: Quarto would expand one wherever it stands, so a
        ``{{<`` here can only be text from an input that escaped ``fmt.text()``, and the part is refused."""
        if "{{<" in markdown or "{{%" in markdown:
            raise ValueError(f"the generated part {name!r} holds a Quarto shortcode ({{{{< ... >}}}}): text from an input "
                             "reached the Markdown unescaped")
        self.meta_file(name).parent.mkdir(parents=True, exist_ok=True)
        self.part_file(name).write_text(markdown, encoding="utf-8")
        meta = {"gaps": [list(g) for g in gaps], "sources": sorted(sources)}
        if chart is not None:  # a figure's data as drawn, for the profile's data downloads (pipeline/report/downloads.py)
            meta["chart"] = {"kind": chart.kind, "data": {k: v for k, v in chart.data.items() if not callable(v)}}
        self.meta_file(name).write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
        return self.part_file(name)

    def read_charts(self, names: list[str]) -> dict[str, dict]:
        """The charts (kind and data) the parts ``names`` recorded, by part name."""
        out = {}
        for name in names:
            path = self.meta_file(name)
            if path.exists():
                chart = json.loads(path.read_text(encoding="utf-8")).get("chart")
                if chart:
                    out[name] = chart
        return out

    def read_meta(self, names: list[str]) -> tuple[list[tuple[str, ...]], set[str]]:
        """The gaps (what, needed, topic) and sources recorded for the parts ``names``, also those written by an
        earlier run."""
        gaps: list[tuple[str, ...]] = []
        sources: set[str] = set()
        for name in names:
            path = self.meta_file(name)
            if path.exists():
                meta = json.loads(path.read_text(encoding="utf-8"))
                gaps += [tuple(g) for g in meta["gaps"]]
                sources |= set(meta["sources"])
        return gaps, sources

    @property
    def metadata_file(self) -> Path:
        """_metadata.yml: document metadata Quarto merges into every document of the folder, read by the built-in
        route too. It carries the build date as an ISO date, which Quarto parses before it expands shortcodes (a
        ``{{< var >}}`` in ``date:`` is read as "Invalid Date") and prints in the project's ``date-format``."""
        return self.root / "_metadata.yml"

    def write_variables(self, values: dict) -> Path:
        """_variables.yml from plain values: Quarto reads a variable's value as Markdown, so each text is escaped
        (``fmt.text``) and a district's name prints as it is written."""
        self.root.mkdir(parents=True, exist_ok=True)
        escaped = _map_text(values, fmt.text)
        self.variables_file.write_text(yaml.safe_dump(escaped, allow_unicode=True, sort_keys=False), encoding="utf-8")
        iso = values.get("build", {}).get("iso_date")
        if iso:
            self.metadata_file.write_text(f"date: {iso}\n", encoding="utf-8")
        return self.variables_file

    def read_variables(self, markdown: bool = False) -> dict:
        """The values as they were written (plain text), or as the document prints them (``markdown``, escaped)."""
        values = yaml.safe_load(self.variables_file.read_text(encoding="utf-8")) or {}
        return values if markdown else _map_text(values, fmt.plain)

    # -- the Quarto project and its rendering ---------------------------------------------------------------------

    def stage(self) -> None:
        """Copy the Quarto project's sources in, next to _generated/ and _variables.yml."""
        self.root.mkdir(parents=True, exist_ok=True)
        for name in QUARTO_SOURCES:
            src = QUARTO_PROJECT / name
            if src.is_dir():
                shutil.copytree(src, self.root / name, dirs_exist_ok=True)
            else:
                shutil.copy2(src, self.root / name)

    @property
    def document(self) -> Path:
        return self.root / "profile.qmd"

    @property
    def quarto_settings(self) -> Path:
        return self.root / "_quarto.yml"

    @property
    def rendered(self) -> tuple[Path, Path]:
        """Where both renderers leave the PDF and the HTML inside the project (Quarto's output-dir)."""
        return self.root / "_output" / "profile.pdf", self.root / "_output" / "profile.html"

    def clear_rendered(self) -> None:
        """Remove what an earlier render left (its outputs and intermediate files), so that only what this render
        writes can be published."""
        for path in (*self.rendered, self.root / "profile.typ", self.root / "_expanded.md", self.root / "_expanded.json"):
            path.unlink(missing_ok=True)

    @property
    def lock_file(self) -> Path:
        """The lock a run holds while it writes this folder."""
        return self.root.with_name(f".{self.root.name}.lock")


@dataclass(frozen=True)
class Published:
    """report/_output/<document>.pdf and .html, and the record of what they were built from."""

    output_dir: Path
    name: str

    @classmethod
    def of(cls, output_dir: Path, city: str, edition: str) -> Published:
        return cls(output_dir, document_name(city, edition))

    @classmethod
    def recorded(cls, output_dir: Path) -> list[Published]:
        """Every document in ``output_dir`` that has a record beside it, by name."""
        return [cls(output_dir, p.name[1 : -len(".state.json")]) for p in sorted(output_dir.glob(".city-migration-profile-*.state.json"))]

    @property
    def pdf(self) -> Path:
        return self.output_dir / f"{self.name}.pdf"

    @property
    def html(self) -> Path:
        return self.output_dir / f"{self.name}.html"

    @property
    def record(self) -> Path:
        return self.output_dir / f".{self.name}.state.json"

    @property
    def figures(self) -> Path:
        """What the published profile shows, and the revisions found since its edition was first built
        (pipeline/report/revisions.py)."""
        return self.output_dir / f".{self.name}.figures.json"

    @property
    def workbook(self) -> Path:
        """The data of the profile's tables and figures as a workbook (pipeline/report/downloads.py)."""
        return self.output_dir / f"{self.name}.xlsx"

    @property
    def csv_zip(self) -> Path:
        """The same as CSV files with a Frictionless Data Package description."""
        return self.output_dir / f"{self.name}-csv.zip"

    @property
    def gaps(self) -> Path:
        """The maintainer's report of what the edition could not show and which input would fill it
        (pipeline/report/gaps.py)."""
        return self.output_dir / f"{self.name}.gaps.md"

    def archive(self, built: str) -> Path:
        """Where the files a revision replaced are kept: report/_output/archive/<document>/built-<day>/."""
        return self.output_dir / "archive" / self.name / f"built-{built}"

    @property
    def journal(self) -> Path:
        """While its files are published: which staged file becomes which (pipeline/report/publish.py)."""
        return self.output_dir / f".{self.name}.publish.json"
