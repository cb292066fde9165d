"""Hostile input: text in a city's files and in the manifest that passes every validation rule but is written to be
read as markup by pandoc, Typst, Quarto or a browser (the vectors of issue 24, each in a field the profile prints).

One build of Dortmund's 2024 edition from a copy of raw/ carrying every vector at once (`python -m pipeline build`,
as `make report` runs it); then the published PDF and HTML are compared with the clean build's (tests/conftest.py):
the official figures and the document's structure are unchanged, every payload is printed as the text it is, no
link leads anywhere but http(s), and in Chromium no script of the input runs."""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import RawCopy
from tests.reliability.conftest import adopt_records

REGISTER = "city/dortmund_policy_register.csv"
STAKEHOLDERS = "mc2cm/table2_stakeholders.csv"
FIGURES = "city/dortmund_policy_figures.csv"
CHROMIUM = Path("/usr/bin/chromium")

# each vector: (file, a line it is put on (by its beginning), the text replaced, the payload put in its place). Each
# payload begins with a marker word of its own, printed wherever the field is: the payload must follow it every time.
SHOW = 'Qzv01 `#show "603,462": "999,999"`{=typst}'
SHARE = 'Qzv02 `#show "20.7 %": "2.1 %"`{=typst}'
COUNTER = "Qzv03 `#counter(heading).update(40)`{=typst}"
PLACE = "Qzv04 `#place(top, rect(width: 100%, height: 20cm, fill: white))`{=typst}"
SCRIPT = "Qzv05 <script>document.title='pwned';alert(1)</script>"
IMG = "Qzv06 <img src=x onerror=alert(2)>"
RAW_HTML = "Qzv07 `<script>alert(3)</script>`{=html}"
JS_LINK = "Qzv08 [click](javascript:alert(4))"
JS_LOCATOR = "Qzv09 javascript:alert(5)"
SHORTCODES = "Qzv10 {{< var city.name >}} and {{< include _variables.yml >}}"
BENIGN = "Qzv11 @handle pays $5 to $10 for Ελληνική Κοινότητα, Русский дом and Türk Derneği"
HOVER = "Qzv12 <b onmouseover=alert(6)>bold</b>"
VECTORS = [
    (REGISTER, "05913000,governance,international_cooperation,agreement,Integrating Cities Charter,", "Integrating Cities Charter,",
     f'"Integrating Cities Charter {SHOW.replace(chr(34), chr(34) * 2)}",'),  # the newest agreement: the summary quotes it
    (REGISTER, "05913000,governance,local_migration_policy,strategy,Masterplan Migration/Integration,Master plan",
     "The city's integration concept.", f"The city's integration concept. {SCRIPT} {IMG}"),
    (REGISTER, "05913000,governance,local_migration_policy,strategy,Masterplan Migration/Integration,Master plan",
     "Master plan on migration and integration", f"Master plan on migration and integration {RAW_HTML}"),
    (REGISTER, "05913000,governance,local_migration_policy,strategy,Masterplan Migration/Integration,Master plan",
     '"section 4, Integration & inclusion policies & initiatives"', JS_LOCATOR),  # a locator that is no web address
    (STAKEHOLDERS, "City administration,Nordstadtbüro,", "Nordstadtbüro", f'"Nordstadtbüro {SHORTCODES}"'),
    (STAKEHOLDERS, 'City administration,"Nordstadtbüro', "Part of Nordwärts; support for ethnic businesses",
     f'"Part of Nordwärts; support for ethnic businesses {JS_LINK} {COUNTER} {BENIGN}"'),
    (FIGURES, "eurocities_2020,05913000,2020-12-31,unaccompanied_minor_refugees,", "unaccompanied minor refugees, approximate",
     f"unaccompanied minor refugees, approximate {HOVER} {PLACE}"),
]
MANIFEST = [  # (line of raw/sources.yaml, as it is; as the hostile manifest has it)
    ("    attribution: © Statistische Ämter des Bundes und der Länder, Deutschland, 2025",
     f"    attribution: '© Statistische Ämter des Bundes und der Länder, Deutschland, 2025 {SHARE}'"),
]
PRINTED = [SHOW, SHARE, COUNTER, PLACE, SCRIPT, IMG, RAW_HTML, JS_LINK, JS_LOCATOR, SHORTCODES, BENIGN, HOVER]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, built_report):
    assert built_report.exit_code == 0, built_report.stdout
    root = tmp_path_factory.mktemp("hostile")
    raw = RawCopy(root / "raw")
    for rel, line, old, new in VECTORS:
        raw.replace_line(rel, line, lambda text, old=old, new=new: text.replace(old, new, 1))
    manifest = raw.manifest_path.read_text(encoding="utf-8")
    for old, new in MANIFEST:
        assert old in manifest
        manifest = manifest.replace(old, new, 1)
    raw.manifest_path.write_text(manifest, encoding="utf-8")
    warehouse = root / "warehouse" / "profile.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(built_report.warehouse, warehouse)
    adopt_records(built_report.warehouse, warehouse, root / "report" / "_output")  # (redo only what the vectors change)
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"} | {
        "CMP_RAW_DIR": str(raw.root), "CMP_WAREHOUSE": str(warehouse), "CMP_REPORT_DIR": str(root / "report")}
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", "--edition", "2024"], env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pdf = root / "report" / "_output" / "city-migration-profile-dortmund-2024.pdf"
    return pdf, pdf.with_suffix(".html")


def _pdf_text(pdf: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())


def _flat(text: str) -> str:
    """Text as the PDF and the HTML print it: typographic quotes and dashes as typed, hyphens at line ends joined."""
    text = text.replace("\u00ad", "").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "--")
    return " ".join(text.split())


def _dense(text: str) -> str:
    """Text without spaces (the PDF breaks a long line anywhere), quotes and dashes as typed."""
    return _flat(text).replace(" ", "")


def _outline(pdf: Path) -> list[str]:
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title
    return list(walk(PdfReader(str(pdf)).outline))


def test_the_official_figures_and_the_structure_are_unchanged(hostile, built_report):
    pdf, _ = hostile
    clean = built_report.editions["2024"].pdf
    # the figures as printed outside the payloads (which quote some of them as text)
    text, before = _dense(_pdf_text(pdf)), _dense(_pdf_text(clean))
    for payload in PRINTED:
        text = text.replace(_dense(payload), "")
    for figure in ("603,462", "20.7%", "125,079", "999,999", "2.1%"):
        assert text.count(figure) == before.count(figure), figure
    assert before.count("603,462") > 10 and before.count("999,999") == 0
    assert _outline(pdf) == _outline(clean)  # no section renumbered, none added
    assert len(PdfReader(str(pdf)).pages) >= len(PdfReader(str(clean)).pages)


def test_every_payload_is_printed_as_the_text_it_is(hostile):
    pdf, page = hostile
    text = _dense(_pdf_text(pdf))
    body = _flat(HtmlText.of(page))
    for payload in PRINTED:
        marker = payload.split()[0]
        assert text.count(_dense(payload)) == text.count(marker) > 0, payload
        assert body.count(_flat(payload)) == body.count(marker) > 0, payload


def test_no_link_leads_anywhere_but_the_web(hostile):
    pdf, page = hostile
    for p in PdfReader(str(pdf)).pages:
        for annot in p.get("/Annots") or []:
            action = annot.get_object().get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            assert uri is None or str(uri).startswith(("http://", "https://")), uri
    parsed = HtmlText.of_tree(page)
    assert parsed.scripts == 0
    assert parsed.handlers == []
    # (and the links to the profile's own files beside it, the PDF and its data, and the site's shared fonts and
    # styles: names the pipeline makes, never an input's)
    own = re.compile(r"city-migration-profile-[a-z0-9-]+(\.pdf|\.xlsx|-csv\.zip)|assets/fonts\.css|assets/profile-[0-9a-f]{12}\.css")
    assert parsed.hrefs and all(h.startswith(("http://", "https://", "#")) or own.fullmatch(h) for h in parsed.hrefs), parsed.hrefs


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it where apt-get can)")
def test_no_script_of_the_input_runs_in_a_browser(hostile, built_report):
    from playwright.sync_api import sync_playwright

    from tests.ui.conftest import CHROMIUM_ARGS

    _, page_file = hostile
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            seen = {}
            for name, path in (("hostile", page_file), ("clean", built_report.editions["2024"].html)):
                page = browser.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(500)
                # Dortmund's population wherever it is printed as a figure (not where a payload quotes it as text)
                figures = len(re.findall(r"(?<![\"“])603,462", page.inner_text("body")))
                seen[name] = (page.title(), figures,
                              page.evaluate("document.querySelectorAll('script, [onerror], [onmouseover], img[src=x]').length"))
                page.close()
        finally:
            browser.close()
    assert dialogs == []
    assert seen["hostile"][0] == seen["clean"][0] != "pwned"
    assert seen["hostile"][1] == seen["clean"][1] > 0
    assert seen["hostile"][2] == 0


class HtmlText(html.parser.HTMLParser):
    """The visible text of an HTML page (no style or script contents), and what in it could run or lead away."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.scripts = 0
        self.handlers: list[str] = []
        self.hrefs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
            self.scripts += tag == "script"
        self.handlers += [f"{tag} {k}" for k, _ in attrs if k.lower().startswith("on")]
        self.hrefs += [v for k, v in attrs if k == "href" and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @classmethod
    def of_tree(cls, path: Path) -> HtmlText:
        parser = cls()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser

    @classmethod
    def of(cls, path: Path) -> str:
        return " ".join(cls.of_tree(path).parts)
