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
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypandoc
import typst
import yaml

from pipeline.files import replace_atomically
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


def render_builtin(edition: EditionFolder, timestamp: dt.datetime) -> tuple[Path, Path]:
    folder = edition.root
    markdown = expand_shortcodes(edition.document.read_text(encoding="utf-8"), folder, folder, edition.read_variables())
    expanded = folder / "_expanded.md"
    expanded.write_text(markdown, encoding="utf-8")
    settings = yaml.safe_load(edition.quarto_settings.read_text(encoding="utf-8"))
    typst_fmt, html_fmt = settings["format"]["typst"], settings["format"]["html"]
    shutil.copy2(BUILTIN / "template.typ", folder / "_builtin-template.typ")
    common = ["--lua-filter", str(BUILTIN / "crossref.lua"), f"--metadata=lang:{settings.get('lang', 'en')}"]
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
    try:
        _pandoc_wait(to_typst, "Typst")
        compiler = typst.Compiler(
            str(typ), root=str(folder), font_paths=[str(folder / p) for p in typst_fmt.get("font-paths", [])], ignore_system_fonts=True
        )
        compiler.compile(output=str(pdf), timestamp=timestamp)
    except typst.TypstError as exc:
        to_html.kill()
        raise RenderError(f"Typst could not compile {typ.name}: {exc.message}\n{exc.diagnostic}") from None
    except BaseException:
        to_html.kill()
        raise
    finally:
        _pandoc_wait(to_html, "HTML")
    return pdf, html


def _pandoc_start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([pypandoc.get_pandoc_path(), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _pandoc_wait(proc: subprocess.Popen, what: str) -> None:
    _, err = proc.communicate()
    if proc.returncode not in (0, None) and proc.returncode != -9:
        raise RenderError(f"pandoc could not write the {what} (exit code {proc.returncode}): {err.strip()[-2000:]}")


def _pandoc(args: list[str], cwd: Path) -> None:
    _pandoc_wait(_pandoc_start(args, cwd), "document tree")


# -- the Quarto route --------------------------------------------------------------------------------------------


def render_quarto(edition: EditionFolder, quarto: str) -> tuple[Path, Path]:
    for fmt in ("typst", "html"):
        proc = subprocess.run([quarto, "render", edition.document.name, "--to", fmt], cwd=edition.root, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RenderError(f"quarto render --to {fmt} failed:\n{proc.stderr[-2000:]}")
    return edition.rendered


# -- both ----------------------------------------------------------------------------------------------------------


def render(folder: EditionFolder, published: Published, timestamp: dt.datetime, engine: str = "auto") -> Rendered:
    """Render the staged project in ``folder`` and publish it as ``published``'s PDF and HTML."""
    quarto = shutil.which("quarto")
    use_quarto = engine == "quarto" or (engine == "auto" and quarto is not None)
    if use_quarto and quarto is None:
        raise RenderError("quarto is not on PATH")
    pdf, html = render_quarto(folder, quarto) if use_quarto else render_builtin(folder, timestamp)
    from pypdf import PdfReader  # only a render needs it

    pages = len(PdfReader(str(pdf)).pages)
    published.output_dir.mkdir(parents=True, exist_ok=True)
    final_pdf, final_html = published.pdf, published.html
    for src, dst in ((pdf, final_pdf), (html, final_html)):
        replace_atomically(dst, src)
    return Rendered(final_pdf, final_html, pages, "quarto" if use_quarto else "built-in (pandoc + typst)")
