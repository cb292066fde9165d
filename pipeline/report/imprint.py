"""The imprint of every profile: who publishes it and how to reach them (report/publisher.yml, or the file
CMP_PUBLISHER names: one per deployment), the days its data were extracted, the build (its date and the commit of
the code that made it) and how revisions are handled. Written when the profile is rendered, so the build it names is
the one that rendered it."""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
import subprocess
from pathlib import Path

import yaml

from pipeline.report import fmt
from pipeline.report.folders import PROJECT_DIR, QUARTO_PROJECT

FIELDS = ("publisher", "department", "address", "email", "phone", "web")


def publisher_file() -> Path:
    return Path(os.environ.get("CMP_PUBLISHER") or QUARTO_PROJECT / "publisher.yml")


def load_publisher(path: Path | None = None) -> dict[str, str]:
    """The deployment's publisher: the six fields, each a string ('' where not set). An unknown field or a value
    that is not text is refused with the file's name: a misspelt field would silently drop a contact."""
    path = path or publisher_file()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the publisher file holds fields ({', '.join(FIELDS)}), not {type(data).__name__}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValueError(f"{path}: unknown field(s) {', '.join(unknown)}; the fields are {', '.join(FIELDS)}")
    out = {}
    for name in FIELDS:
        value = data.get(name) or ""
        if not isinstance(value, str | int):
            raise ValueError(f"{path}: field {name!r} must be text, not {type(value).__name__}")
        out[name] = " ".join(str(value).split())
    return out


@functools.cache
def build_version() -> str:
    """The commit of the code that builds the profile ('1a2b3c4d5e6f', '+ local changes' where the checkout differs
    from it), or where the code is not a git checkout, the package's version."""
    try:
        commit = subprocess.run(["git", "-C", str(PROJECT_DIR), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(PROJECT_DIR), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"version {version('city-migration-profile')}"
        except PackageNotFoundError:
            return "version unknown"
    return f"commit {commit}" + (" (with local changes)" if dirty else "")


def extraction_sentence(retrieved: list[str]) -> str:
    """When the figures were taken from the publishers: the first and last day of retrieval of the sources the
    profile cites (the days the sources manifest records; its years only where it records no day)."""
    known = {d for d in retrieved if d and d not in ("nan", "None")}
    days = sorted(d for d in known if len(d) == 10) or sorted(known)  # days where the manifest has them, else years
    if not days:
        return "The figures were taken from the publications named in section 8 on the days given there."
    shown = [fmt.date(d) if len(d) == 10 else d for d in (days[0], days[-1])]
    if shown[0] == shown[1]:
        span = f"on {shown[0]}" if len(days[0]) == 10 else f"in {shown[0]}"
    else:
        span = f"between {shown[0]} and {shown[1]}"
    return (f"The figures were extracted from the publishers' databases and publications {span}; section 8 gives each "
            "table's publication and retrieval date.")


def markdown(publisher: dict[str, str], extraction: str, built: dt.date, version: str, data_files: tuple[str, str] | None = None) -> str:
    """The imprint as Markdown. Every value from the publisher file is text, never markup. ``data_files``: the names of
    the workbook and the CSV ZIP published beside the profile."""
    lines = []
    if publisher["publisher"]:
        who = ", ".join(fmt.text(publisher[k]) for k in ("publisher", "department") if publisher[k])
        lines.append(f"**Published by** {who}.")
        if publisher["address"]:
            lines.append(f"Address: {fmt.text(publisher['address'])}.")
        contact = [fmt.text(publisher[k]) for k in ("email", "phone") if publisher[k]]
        if publisher["web"]:
            contact.append(fmt.link(publisher["web"]))
        if contact:
            lines.append("Contact: " + ", ".join(contact) + ".")
    else:
        lines.append("**Produced with** city-migration-profile, an open pipeline that builds City Migration Profiles from "
                     "official statistics. It is not a publication of the statistical offices whose figures it shows; each "
                     "table and figure names its source, and questions on a figure go to its publisher.")
    lines.append(fmt.text(extraction))
    if data_files:
        # (each name at the start of its own line, so no line breaks at one of its hyphens; the pipeline's own names)
        lines.append(f"**Data.** The figures of every table and chart are published beside this profile:\n\n"
                     f"- `{data_files[0]}`: a workbook with a sheet per table and figure;\n"
                     f"- `{data_files[1]}`: the same as CSV files, with a description of each (a Frictionless Data Package).")
    lines.append(f"**Built** on {fmt.date(built)} by the pipeline at {fmt.text(version)}.")
    lines.append(
        "**Revisions.** Figures are revised when their publisher revises them: the next build takes in the revised "
        "table. A profile built later for the same edition supersedes the earlier build of that edition; where its "
        "figures differ from those the earlier build printed, the section on what changed lists each revised figure with "
        "its earlier value and the earlier files are kept."
    )
    return "\n\n".join(lines) + "\n"


def html_header(data_as_of: str, built: dt.date, pdf_name: str) -> str:
    """The line above the HTML profile's title: the date of its newest figures, the build date and a link to the PDF
    beside it in the same folder. Every value is escaped: this is HTML, not Markdown."""
    return ('<p class="profile-header">Figures as of ' + html.escape(data_as_of) + " · built on " + html.escape(fmt.date(built))
            + ' · <a href="' + html.escape(pdf_name, quote=True) + '">PDF version</a></p>\n')
