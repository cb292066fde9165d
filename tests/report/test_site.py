"""report/_output/ as a site (pipeline/report/index.py): in Debian's Chromium, driven by Playwright, the index of the
session's build (Dortmund's two editions and Landkreis Görlitz) is filtered by a Land and searched by name, the profile
is opened, a table's data link is followed, and the sheet it downloads holds the figures the PDF prints. Served by a
plain web server (Python's http.server) and opened from the file system."""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest
from python_calamine import CalamineWorkbook

from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make test installs it "
                                "where apt-get can)")


@pytest.fixture(scope="module")
def server(built_report):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_report.report_dir / "_output"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.RequestHandlerClass.log_message = lambda *a: None
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("’", "'").split())


def test_find_a_district_open_its_profile_and_download_a_tables_data(server, browser, built_report, tmp_path):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{server}/index.html")
    assert page.inner_text("#shown") == "3 of 3 profiles shown"
    page.select_option("#land", "Sachsen")  # filter by Land
    assert page.inner_text("#shown") == "1 of 3 profiles shown"
    page.select_option("#land", "")
    page.fill("#q", "gorlitz")  # search by name (accents folded), then by key
    visible = page.query_selector_all("#profiles tbody tr:not([hidden])")
    assert [r.get_attribute("data-name") for r in visible] == ["Landkreis Görlitz"]
    page.fill("#q", "14626")
    assert page.inner_text("#shown") == "1 of 3 profiles shown"
    page.click("#profiles tbody tr:not([hidden]) a:text('HTML')")  # open the profile
    page.wait_for_load_state()
    assert page.title() == "District Migration Profile Landkreis Görlitz, Edition 2024"
    assert "Figures as of 31.12.2024" in page.inner_text(".profile-header")
    # the shared fonts load from the site's assets
    assert page.evaluate("document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded').length)") == 4
    link = page.locator('p.download a[data-sheet="Table 5"]')
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / "data.xlsx"
    info.value.save_as(saved)
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name("Table 5").to_python()
    # the sheet's figures are the PDF's: Landkreis Görlitz among its peers, 2024
    pdf = _flat(built_report.districts["landkreis-goerlitz-2024"].text)
    assert rows[0][0] == "Table 5: Landkreis Görlitz among its peers, Sachsen and Germany, 2024" and rows[0][0] in pdf
    own = {r[0]: r[1] for r in rows[4:]}
    assert own["Share of foreigners in the population (population update)"] == 7.3
    assert own["Unemployment rate of foreigners, annual average 2023 (unemployment statistics)"] == 28.1
    table = pdf.index(rows[0][0])
    for label, value in own.items():
        at = pdf.index(label[:30], table)
        assert f"{value:.1f} %".replace("-", "−") in pdf[at:at + 200], label
    page.close()


def test_the_index_sorts_and_works_from_the_file_system(browser, built_report):
    page = browser.new_page()
    page.goto((built_report.report_dir / "_output" / "index.html").as_uri())
    page.click("#profiles th:nth-child(8) button")  # share of foreigners, ascending
    shares = [float(re.match(r"[\d.]+", r.inner_text()).group()) for r in page.query_selector_all("#profiles tbody td:nth-child(8)")]
    assert shares == sorted(shares) and len(shares) == 3
    page.click("#profiles th:nth-child(8) button")  # and descending
    assert page.get_attribute("#profiles th:nth-child(8)", "aria-sort") == "descending"
    keys = [r.inner_text() for r in page.query_selector_all("#profiles tbody td:nth-child(2)")]
    assert all(re.fullmatch(r"\d{5}", k) for k in keys)  # one key format
    page.close()
