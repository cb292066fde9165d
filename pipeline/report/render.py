"""Rendering the Quarto project in report/ for one edition.

The project's sources (profile.qmd, _quarto.yml, the Typst partials, the stylesheet and the fonts) are copied into
the edition's build folder report/_build/<city>-<edition>/ (pipeline/report/folders.py), next to the _generated/
tables, figures and text and the _variables.yml the report assets wrote there. That folder is a complete Quarto
project:

- with `quarto` on PATH it is rendered by `quarto render` (PDF along Quarto's Typst route, and HTML);
- without it, the built-in path does the same job along the same route: expand Quarto's shortcodes
  ({{< include >}}, {{< var >}}, {{< pagebreak >}}), pandoc (from pypandoc-binary) to Typst with the same two
  partials, the typst package to PDF; pandoc to HTML with the same stylesheet.

Results are written inside the build folder first and moved into report/_output/ only when both formats
succeeded, replacing the previous files in one step each: a failed render never leaves a half-written PDF there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypandoc
import typst
import yaml

from pipeline.files import replace_atomically
from pipeline.report import renderer
from pipeline.report.folders import EditionFolder, Published

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
    """Quarto's include, var and pagebreak shortcodes, as Quarto expands them."""
    if depth > 10:
        raise RenderError("includes nested more than 10 deep")

    def replace(m: re.Match) -> str:
        name, arg = m.group(1), m.group(2).strip()
        if name == "var":
            return _lookup(variables, arg)
        if name == "include":
            path = (base / arg).resolve()
            if root.resolve() not in path.parents:
                raise RenderError(f"{{{{< include {arg} >}}}} points outside the project")
            if not path.is_file():
                raise RenderError(f"{{{{< include {arg} >}}}}: file not found")
            return expand_shortcodes(path.read_text(encoding="utf-8"), path.parent, root, variables, depth + 1)
        if name == "pagebreak":
            return "\n```{=typst}\n#pagebreak()\n```\n"
        raise RenderError(f"shortcode {{{{< {name} >}}}} is not supported by the built-in renderer")

    return _SHORTCODE.sub(replace, text)


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
    markdown = expand_shortcodes(edition.document.read_text(encoding="utf-8"), folder, folder, edition.read_variables())
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
    # the Markdown is read once (into pandoc's document tree, JSON); the Typst and the HTML are written from it by two
    # pandoc processes side by side
    ast = folder / "_expanded.json"
    _pandoc(["--from=markdown", "--to=json", f"--output={ast.name}", expanded.name], folder)
    to_typst = _pandoc_start(["--from=json", "--to=typst", f"--output={typ.name}", "--standalone", "--template",
                              str(folder / "_builtin-template.typ"), *toc, *common, ast.name], folder)
    to_html = _pandoc_start(["--from=json", "--to=html5", f"--output={html.relative_to(folder)}", *html_args, ast.name], folder)
    warnings: list[str] = []
    try:
        warnings += _pandoc_wait(to_typst, "Typst")
        compiler = typst.Compiler(
            str(typ), root=str(folder), font_paths=[str(folder / p) for p in typst_fmt.get("font-paths", [])], ignore_system_fonts=True
        )
        standards = typst_fmt.get("pdf-standard") or []
        compiler.compile(output=str(pdf), timestamp=timestamp, pdf_standards=[standards] if isinstance(standards, str) else standards)
    except typst.TypstError as exc:
        to_html.kill()
        raise RenderError(f"Typst could not compile {typ.name}: {exc.message}\n{exc.diagnostic}") from None
    except BaseException:
        to_html.kill()
        raise
    finally:
        warnings += _pandoc_wait(to_html, "HTML")
    return pdf, html, list(dict.fromkeys(warnings))


def _pandoc_start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([pypandoc.get_pandoc_path(), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _pandoc_wait(proc: subprocess.Popen, what: str) -> list[str]:
    """Wait for a pandoc process; its warnings (unresolved cross-references, from crossref.lua) on success."""
    _, err = proc.communicate()
    if proc.returncode not in (0, None) and proc.returncode != -9:
        raise RenderError(f"pandoc could not write the {what} (exit code {proc.returncode}): {err.strip()[-2000:]}")
    return [line.strip() for line in (err or "").splitlines() if line.startswith("WARNING (crossref)")]


def _pandoc(args: list[str], cwd: Path) -> None:
    _pandoc_wait(_pandoc_start(args, cwd), "document tree")


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
            raise RenderError(f"quarto render --to {fmt} failed:\n{proc.stderr[-2000:]}")
        warnings += [f"quarto render --to {fmt}: {w}" for w in quarto_warnings(proc.stderr)]
    pdf, html = edition.rendered
    return pdf, html, warnings


# -- both ----------------------------------------------------------------------------------------------------------


def render(folder: EditionFolder, published: Published, timestamp: dt.datetime, engine: str = "auto") -> Rendered:
    """Render the staged project in ``folder`` and publish it as ``published``'s PDF and HTML."""
    quarto = renderer.quarto_path()
    use_quarto = engine == "quarto" or (engine == "auto" and quarto is not None)
    if use_quarto and quarto is None:
        raise RenderError("quarto is not on PATH")
    if use_quarto:
        pdf, html, warnings = render_quarto(folder, quarto, timestamp)
    else:
        pdf, html, warnings = render_builtin(folder, timestamp)
    from pypdf import PdfReader  # only a render needs it

    pages = len(PdfReader(str(pdf)).pages)
    published.output_dir.mkdir(parents=True, exist_ok=True)
    final_pdf, final_html = published.pdf, published.html
    for src, dst in ((pdf, final_pdf), (html, final_html)):
        replace_atomically(dst, src)
    return Rendered(final_pdf, final_html, pages, "quarto" if use_quarto else "built-in (pandoc + typst)", tuple(warnings))
