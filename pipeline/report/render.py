"""Rendering the Quarto project in report/ for one edition.

The project's sources (profile.qmd, _quarto.yml, the Typst partials, the stylesheet and the fonts) are copied into
the edition's build folder report/_build/<city>-<edition>/ (pipeline/report/folders.py), next to the _generated/
tables, figures and text and the _variables.yml the report assets wrote there. That folder is a complete Quarto
project:

- with `quarto` on PATH it is rendered by `quarto render` (PDF along Quarto's Typst route, and HTML);
- without it, the built-in path does the same job along the same route: expand Quarto's shortcodes
  ({{< include >}}, {{< var >}}, {{< pagebreak >}}), pandoc (from pypandoc-binary) to Typst with the same two
  partials, the typst package to PDF; pandoc to HTML with the same stylesheet.

Results are written inside the build folder first (what an earlier render left there is removed before) and
published into report/_output/ only when both formats succeeded, together (pipeline/report/publish.py): a failed
or killed render publishes nothing, and a reader never meets the PDF of one build beside the HTML of another.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypandoc
import yaml

from pipeline.report import embedded, renderer
from pipeline.report.folders import EditionFolder, Published
from pipeline.report.publish import PublishError, publish

BUILTIN = Path(__file__).with_name("builtin")
_SHORTCODE = re.compile(r"\{\{<\s*([a-z]+)\s*(.*?)\s*>\}\}")


class RenderError(RuntimeError):
    pass


@dataclass(frozen=True)
class Rendered:
    pdf: Path
    html: Path
    pages: int
    engine: str
    warnings: tuple[str, ...] = ()  # what the renderer warned of (an unresolved cross-reference, ...), for the user


# -- the built-in route ------------------------------------------------------------------------------------------


def _lookup(variables: dict, dotted: str) -> str:
    value: object = variables
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            raise RenderError(f"{{{{< var {dotted} >}}}}: no such variable in _variables.yml")
        value = value[key]
    return str(value)


def expand_shortcodes(text: str, base: Path, root: Path, variables: dict, depth: int = 0) -> str:
    """Quarto's include, var and pagebreak shortcodes, as Quarto expands them.

    ``variables`` are _variables.yml's values as Quarto reads them: Markdown (text from an input escaped by
    ``fmt.text``). In the document's YAML front matter a shortcode stands inside a double-quoted string, which Quarto
    parses before it expands the shortcode: there the value is written as that string's content (backslashes and
    quotes escaped), so the title reads the same Markdown as the body. Files under ``_generated/`` are written by
    the report assets, which never put a shortcode in them (``EditionFolder.write_part`` refuses one): they are
    included as they are, not searched for shortcodes."""
    if depth > 10:
        raise RenderError("includes nested more than 10 deep")

    def replace(m: re.Match, in_yaml: bool = False) -> str:
        name, arg = m.group(1), m.group(2).strip()
        if name == "var":
            value = _lookup(variables, arg)
            return value.replace("\\", "\\\\").replace('"', '\\"') if in_yaml else value
        if name == "include":
            path = (base / arg).resolve()
            if root.resolve() not in path.parents:
                raise RenderError(f"{{{{< include {arg} >}}}} points outside the project")
            if not path.is_file():
                raise RenderError(f"{{{{< include {arg} >}}}}: file not found")
            included = path.read_text(encoding="utf-8")
            if (root.resolve() / "_generated") in path.parents:
                return included
            return expand_shortcodes(included, path.parent, root, variables, depth + 1)
        if name == "pagebreak":
            return "\n```{=typst}\n#pagebreak()\n```\n"
        raise RenderError(f"shortcode {{{{< {name} >}}}} is not supported by the built-in renderer")

    front = re.match(r"---\n.*?\n---\n", text, re.S) if depth == 0 else None
    if front is None:
        return _SHORTCODE.sub(replace, text)
    head = _SHORTCODE.sub(lambda m: replace(m, in_yaml=True), front.group())
    return head + _SHORTCODE.sub(replace, text[front.end():])


# Quarto's date-format tokens (dayjs) as strftime directives: the ones a date-format of this project may use
_DATE_TOKENS = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "MMMM": "%B", "D": "%-d", "M": "%-m"}


def quarto_date(iso: str, date_format: str) -> str:
    """An ISO date printed in Quarto's ``date-format`` ('DD.MM.YYYY' -> 05.12.2026), as Quarto prints it."""
    pattern = re.sub(r"YYYY|MMMM|MM|DD|D|M", lambda m: _DATE_TOKENS[m.group(0)], date_format)
    return dt.date.fromisoformat(str(iso)).strftime(pattern)


def document_metadata(edition: EditionFolder, settings: dict) -> list[str]:
    """The metadata Quarto takes from the project (toc-title) and from _metadata.yml (the date in date-format), as
    pandoc options for the built-in route."""
    out = [f"--metadata=lang:{settings.get('lang', 'en')}"]
    if settings.get("toc-title"):
        out.append(f"--metadata=toc-title:{settings['toc-title']}")
    meta = yaml.safe_load(edition.metadata_file.read_text(encoding="utf-8")) if edition.metadata_file.exists() else None
    if meta and meta.get("date"):
        out.append(f"--metadata=date:{quarto_date(meta['date'], settings.get('date-format', 'YYYY-MM-DD'))}")
    return out


def render_builtin(edition: EditionFolder, timestamp: dt.datetime) -> tuple[Path, Path, list[str]]:
    folder = edition.root
    markdown = expand_shortcodes(edition.document.read_text(encoding="utf-8"), folder, folder, edition.read_variables(markdown=True))
    expanded = folder / "_expanded.md"
    expanded.write_text(markdown, encoding="utf-8")
    settings = yaml.safe_load(edition.quarto_settings.read_text(encoding="utf-8"))
    typst_fmt, html_fmt = settings["format"]["typst"], settings["format"]["html"]
    shutil.copy2(BUILTIN / "template.typ", folder / "_builtin-template.typ")
    # --wrap=none as Quarto: a wrapped line must not begin with '-9' (pandoc would escape it into a hyphen)
    common = ["--lua-filter", str(BUILTIN / "crossref.lua"), "--wrap=none", *document_metadata(edition, settings)]
    toc = ["--toc", f"--toc-depth={typst_fmt.get('toc-depth', 2)}"] if typst_fmt.get("toc") else []
    pdf, html = edition.rendered
    pdf.parent.mkdir(exist_ok=True)
    typ = folder / "profile.typ"
    html_args = ["--standalone", "--embed-resources", f"--css={html_fmt['css']}", *common]
    if html_fmt.get("toc"):
        html_args += ["--toc", f"--toc-depth={html_fmt.get('toc-depth', 2)}"]
    included = html_fmt.get("include-before-body") or []
    html_args += [f"--include-before-body={name}" for name in ([included] if isinstance(included, str) else included)]
    # one pandoc per format: the Typst first, then the HTML while Typst compiles the PDF (not both pandocs at once:
    # each takes about 175 MB whatever it converts, and the compile, the longer of the two, waits for the Typst
    # anyway). Reading the Markdown once into pandoc's document tree (JSON) for both cost a third pandoc process
    # and about 5 % more of its time than reading it twice.
    warnings = _pandoc(["--from=markdown", "--to=typst", f"--output={typ.name}", "--standalone", "--template",
                        str(folder / "_builtin-template.typ"), *toc, *common, expanded.name], folder, "Typst")
    to_html = _pandoc_start(["--from=markdown", "--to=html5", f"--output={html.relative_to(folder)}", *html_args, expanded.name],
                            folder)
    try:
        standards = typst_fmt.get("pdf-standard") or []
        compile_typst(typ, folder, [folder / p for p in typst_fmt.get("font-paths", [])], pdf, timestamp,
                      [standards] if isinstance(standards, str) else list(standards))
    except BaseException:
        to_html.kill()  # (our own kill: the render has failed already, the HTML is not wanted)
        to_html.communicate()
        raise
    warnings += _pandoc_wait(to_html, "HTML")
    return pdf, html, list(dict.fromkeys(warnings))


# Typst compiles in a short-lived process of its own (about 40 ms to start with the typst module): Typst memoizes
# what it computed in a cache that lives as long as the process and that the Python binding cannot clear
# (messense/typst-py#104), so a worker compiling profile after profile grew by about 40 MB a profile (2.7 GiB for
# the 400 districts on two workers); this way each compile's memory is returned when it ends.
_TYPST = """
import datetime as dt, json, sys, typst
typ, root, output, stamp, standards, *fonts = sys.argv[1:]
try:
    typst.Compiler(typ, root=root, font_paths=fonts, ignore_system_fonts=True).compile(
        output=output, timestamp=dt.datetime.fromisoformat(stamp), pdf_standards=json.loads(standards))
except typst.TypstError as exc:
    sys.stderr.write(json.dumps({"message": exc.message, "diagnostic": exc.diagnostic}))
    sys.exit(3)
"""


def compile_typst(typ: Path, root: Path, fonts: list[Path], pdf: Path, timestamp: dt.datetime, standards: list[str]) -> None:
    """Compile ``typ`` to ``pdf`` (in a process of its own); a Typst error or any other end fails the render."""
    import json
    import sys

    done = subprocess.run([sys.executable, "-c", _TYPST, str(typ), str(root), str(pdf), timestamp.isoformat(), json.dumps(standards),
                           *map(str, fonts)], capture_output=True, text=True)
    if done.returncode == 3:
        error = json.loads(done.stderr)
        raise RenderError(f"Typst could not compile {typ.name}: {error['message']}\n{error['diagnostic']}")
    if done.returncode != 0:
        raise RenderError(f"Typst could not compile {typ.name} ({_ended(done.returncode)}): {done.stderr.strip()[-2000:]}")


def _pandoc_start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([pypandoc.get_pandoc_path(), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _ended(returncode: int) -> str:
    """How a process ended, for a message: 'exit code 64', or the signal that ended it."""
    if returncode >= 0:
        return f"exit code {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    why = " (killed from outside the build, or by the system for lack of memory)" if -returncode == signal.SIGKILL else ""
    return f"ended by {name}{why}"


def _pandoc_wait(proc: subprocess.Popen, what: str) -> list[str]:
    """Wait for a pandoc process; its warnings (unresolved cross-references, from crossref.lua) on success. Any other
    end (an exit code, or a signal: a kill, the system's out-of-memory killer) fails the render: what pandoc did not
    finish must not be compiled or published."""
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise RenderError(f"pandoc could not write the {what} ({_ended(proc.returncode)}): {(err or '').strip()[-2000:]}")
    return [line.strip() for line in (err or "").splitlines() if line.startswith("WARNING (crossref)")]


def _pandoc(args: list[str], cwd: Path, what: str) -> list[str]:
    return _pandoc_wait(_pandoc_start(args, cwd), what)


# -- the Quarto route --------------------------------------------------------------------------------------------


def quarto_warnings(stderr: str) -> list[str]:
    """The warnings in Quarto's output ('WARN (...) ...', 'WARNING: ...'), each once, continuation lines joined."""
    out: list[str] = []
    for line in stderr.splitlines():
        text = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip()
        if re.match(r"^\s*WARN(ING)?\b", text):
            out.append(text.strip())
        elif out and text.startswith("  ") and text.strip():
            out[-1] += " " + text.strip()
    return list(dict.fromkeys(out))


def render_quarto(edition: EditionFolder, quarto: str, timestamp: dt.datetime) -> tuple[Path, Path, list[str]]:
    # SOURCE_DATE_EPOCH: Typst (and Quarto) stamp the PDF with this time instead of the time of rendering, so both
    # routes give the same bytes for the same inputs and day
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(timestamp.timestamp()))}
    warnings: list[str] = []
    for fmt in ("typst", "html"):
        proc = subprocess.run([quarto, "render", edition.document.name, "--to", fmt], cwd=edition.root, capture_output=True, text=True,
                              env=env)
        if proc.returncode != 0:
            raise RenderError(f"quarto render --to {fmt} failed ({_ended(proc.returncode)}):\n{proc.stderr[-2000:]}")
        warnings += [f"quarto render --to {fmt}: {w}" for w in quarto_warnings(proc.stderr)]
    pdf, html = edition.rendered
    return pdf, html, warnings


# -- both ----------------------------------------------------------------------------------------------------------


def render(folder: EditionFolder, published: Published, timestamp: dt.datetime, engine: str = "auto",
           extra: tuple[tuple[Path, Path], ...] = (), archive: Path | None = None,
           after_html: Callable[[Path], object] | None = None) -> Rendered:
    """Render the staged project in ``folder`` and publish it as ``published``'s PDF and HTML, together
    (pipeline/report/publish.py) with the ``extra`` files (written, published path), keeping the files they replace
    in ``archive`` if given. What an earlier render left in the folder is removed first, and a file the renderer
    did not write in this render (older than its start) fails it: only this render's output is ever published."""
    try:
        quarto = renderer.quarto_path(engine)
    except ValueError as exc:
        raise RenderError(str(exc)) from None
    use_quarto = quarto is not None
    folder.clear_rendered()
    started = time.time()
    if use_quarto:
        pdf, html, warnings = render_quarto(folder, quarto, timestamp)
    else:
        pdf, html, warnings = render_builtin(folder, timestamp)
    for path in (pdf, html):
        if not path.is_file() or path.stat().st_mtime < started - 1:
            raise RenderError(f"the renderer reported success but did not write {path.name} in this render: nothing is published")
    embedded.write_assets(published.output_dir, folder.root / "styles.css", folder.root / "webfonts")
    # charts as text (not base64: a quarter of each chart's bytes), fonts and styles from the site's shared assets
    embedded.for_the_site(html, published.output_dir)
    if after_html is not None:  # (the links to the data downloads under each table)
        after_html(html)
    from pypdf import PdfReader  # only a render needs it

    pages = len(PdfReader(str(pdf)).pages)
    try:
        publish([(pdf, published.pdf), (html, published.html), *extra], published.journal, archive)
    except PublishError as exc:
        raise RenderError(str(exc)) from None
    return Rendered(published.pdf, published.html, pages, "quarto" if use_quarto else "built-in (pandoc + typst)", tuple(warnings))
