"""`python -m pipeline fetch` against a GENESIS web service on 127.0.0.1 that answers with the publishers' recorded
answers (tests/fetch/recordings/, and raw/'s ZIPs, which are the recorded ZIPs byte for byte), over a real HTTP
connection, with the client the users run. Every fault leaves raw/ and its manifest byte for byte as they were."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import zipfile

import pytest

from pipeline.domain.manifest import load_manifest
from tests.conftest import RAW
from tests.fetch.service import Reply, Service, recorded, zipped

PROTECTION_ZIP = RAW / "destatis" / "12531-0043_2024.zip"
CENSUS_ZIP = RAW / "zensus" / "1000A-0000_2022.zip"
TOKEN = "TOKEN-5f3a9c-do-not-print"


def csv_in(path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(z.namelist()[0])


@pytest.fixture
def service():
    s = Service()
    yield s
    s.close()


@pytest.fixture
def env(monkeypatch, raw_copy, service):
    monkeypatch.setenv("CMP_RAW_DIR", str(raw_copy.root))
    for source in ("GENESIS", "ZENSUS2022"):
        monkeypatch.setenv(f"CMP_API_URL_{source}", service.url)
        monkeypatch.setenv(f"CMP_API_TOKEN_{source}", TOKEN)
    # short bounds, so a fault ends in a second (the defaults are minutes)
    for name, value in (("TIMEOUT", "0.5"), ("TOTAL", "2"), ("BACKOFF", "0.05"), ("POLL", "0.01"), ("JOB_TOTAL", "5")):
        monkeypatch.setenv(f"CMP_FETCH_{name}", value)
    return raw_copy


def fetch(*argv: str) -> tuple[int, str]:
    from pipeline.__main__ import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["fetch", *argv])
    return code, out.getvalue()


def state(raw_copy) -> dict[str, str]:
    """sha256 of every file of the raw/ copy: what a failed fetch must leave alone."""
    return {p.relative_to(raw_copy.root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(raw_copy.root.rglob("*")) if p.is_file()}


def protection_2023(raw_copy) -> None:
    """SYNTHETIC, for these tests only: the copy's 12531-0043 file relabelled as 31.12.2023 (its figures are those of
    2024), so the real 2024 file the service delivers is a new year."""
    raw_copy.edit_zipped_csv("destatis/12531-0043_2024.zip", lambda t: t.replace(";2024-12-31;", ";2023-12-31;"))
    text = raw_copy.manifest_path.read_text(encoding="utf-8")
    start = text.index("  - id: destatis-12531-0043-2024")
    end = text.index("\n  - id:", start + 1)
    block = text[start:end].replace("destatis-12531-0043-2024", "destatis-12531-0043-2023").replace(
        "reference_date: 2024-12-31", "reference_date: 2023-12-31")
    raw_copy.manifest_path.write_text(text[:start] + block + text[end:], encoding="utf-8")


def job_flow(service: Service, polls: int = 3) -> None:
    """12531-0043 as the service answered it: too large (98), the job created (99), not ready (104) a few times,
    ready (0), and the result file."""
    service.routes["metadata/table"] = [recorded("12531-0043_metadata.json")]
    service.routes["data/tablefile"] = lambda r: recorded(
        "12531-0043_tablefile_job_status99.json" if r.form.get("job") == "true" else "12531-0043_tablefile_status98.json")
    service.routes["catalogue/results"] = [recorded("12531-0043_results_status104.json")] * polls + [
        recorded("12531-0043_results_status0.json")]
    service.routes["data/resultfile"] = [zipped(PROTECTION_ZIP, "12531-0043_175879554_flat.zip")]


def test_the_whole_job_flow_lands_a_new_year(env, service):
    protection_2023(env)
    job_flow(service)
    code, out = fetch("12531-0043", "--source", "genesis", "--year", "2024")
    assert code == 0, out
    sha = hashlib.sha256(csv_in(PROTECTION_ZIP)).hexdigest()
    assert (f"12531-0043 from genesis: new (raw/genesis/12531-0043_2024.csv; reference date 31.12.2024, 33,542,142 bytes, "
            f"sha256 {sha[:16]}…)") in out
    assert "too large to be served at once; starting a background job" in out and "result 12531-0043_175879554 ready after 4 looks" in out
    # the CSV from the ZIP, bytes unchanged, and its entry: derived from the old one, with the request and the time
    assert (env.root / "genesis" / "12531-0043_2024.csv").read_bytes() == csv_in(PROTECTION_ZIP)
    entry = next(e for e in load_manifest(env.root).entries if e.file == "genesis/12531-0043_2024.csv")
    assert (entry.id, entry.dataset, entry.format, str(entry.reference_date), entry.published) == (
        "destatis-12531-0043-2024", "protection_seekers", "genesis_ffcsv", "2024-12-31", "2022-12-28")
    assert entry.sha256 == sha and entry.attribution == "© Statistisches Bundesamt (Destatis), 2026"
    assert entry.extra["fetched_from"].startswith(f"{service.url}data/tablefile?name=12531-0043&area=all&compress=false&format=ffcsv")
    assert "startyear=2024&endyear=2024" in entry.extra["fetched_from"] and re.match(r"\d{4}-\d\d-\d\dT", entry.extra["fetched_at"])
    # only the calls the issue allows, each a POST with form fields, credentials in the headers
    assert [r.path for r in service.requests] == ["metadata/table", "data/tablefile", "data/tablefile", *["catalogue/results"] * 4,
                                                  "data/resultfile"]
    first, job = service.calls("data/tablefile")
    assert (first.form["job"], job.form["job"], first.form["format"], first.form["area"], first.form["language"]) == (
        "false", "true", "ffcsv", "all", "de")
    assert service.calls("catalogue/results")[0].form == {"selection": "12531-0043_175879554", "area": "user", "pagelength": "1",
                                                            "language": "de"}
    assert all(r.headers["username"] == TOKEN and r.headers["password"] == "" for r in service.requests)
    # the build reads it as the same dataset: both years
    from tests.validation.test_bad_input import load

    frame = load(env, "protection_seekers")
    assert sorted(frame["reference_date"].astype(str).unique()) == ["2023-12-31", "2024-12-31"]


def test_the_same_bytes_again_change_nothing(env, service):
    service.routes["metadata/table"] = [recorded("1000A-0000_metadata.json")]
    service.routes["data/tablefile"] = [zipped(CENSUS_ZIP, "1000A-0000_1773175153999_de_flat.zip")]
    before = state(env)
    code, out = fetch("1000A-0000", "--source", "zensus2022")
    assert code == 0, out
    assert "1000A-0000 from zensus2022: up to date (raw/zensus/1000A-0000_2022.zip; reference date 15.05.2022" in out
    assert "the same bytes as raw/zensus/1000A-0000_2022.zip" in out
    assert state(env) == before


def test_due_fetches_the_year_after_the_newest_file_and_skips_what_it_cannot_read(env, service):
    protection_2023(env)
    job_flow(service, polls=1)
    code, out = fetch("--due", "--source", "genesis")
    assert code == 0, out
    assert "12531-0043 from genesis: new (raw/genesis/12531-0043_2024.csv" in out
    assert "12411-0015 from genesis: skipped: its dataset population_of_districts reads genesis_csv files" in out
    assert service.calls("data/tablefile")[0].form["startyear"] == "2024"


def test_a_year_the_service_does_not_have_yet_is_not_published(env, service):
    service.routes["metadata/table"] = [recorded("12531-0043_metadata.json")]  # the service's newest: 31.12.2024
    before = state(env)
    code, out = fetch("12531-0043", "--source", "genesis", "--year", "2025")
    assert code == 0 and "12531-0043 from genesis: not published yet: the service's newest period is 31.12.2024, before 2025" in out
    assert service.calls("data/tablefile") == [] and state(env) == before


# -- faults: each leaves raw/ as it was and says what happened -------------------------------------------------------

FAULTS = {
    "html-page": (Reply(b"<!DOCTYPE html><html><body>GENESIS-Online</body></html>", "text/html"),
                  "data/tablefile: an HTML page instead of data (HTTP 200"),
    "status-instead-of-zip": (Reply(b'{"Status":{"Code":0,"Content":"erfolgreich","Type":"Information"}}'),
                              "data/tablefile: a status message instead of the table (status 0: erfolgreich)"),
    "truncated-zip": (Reply(CENSUS_ZIP.read_bytes()[:50_000], "application/zip"),
                      "data/tablefile: a truncated or corrupt ZIP (50,000 bytes"),
    "credentials-refused": (Reply(b'{"Status":{"Code":401,"Content":"Unauthorized","Type":"Fehler"}}', status=401),
                            "data/tablefile: the service refused the credentials (HTTP 401)"),
    "credentials-refused-by-status": (
        Reply('{"Status":{"Code":10,"Content":"Ein Fehler ist aufgetreten. (Bitte prüfen und korrigieren Sie Ihren Nutzernamen bzw. '
              'das Passwort.)","Type":"Fehler"}}'.encode()), "data/tablefile: the service refused the credentials (status 10: Ein Fehler"),
    "another-table": (zipped(RAW / "zensus" / "1000A-2022_2022.zip", "1000A-2022_flat.zip"),
                      "data/tablefile: the ZIP holds 1000A-2022_1773175355216_de_flat.csv, a table other than 1000A-0000"),
    "timeout": (Reply(b"{}", delay=1.5), "data/tablefile: no answer within 0 s; gave up after"),
    "service-down": (Reply(b"<html>503</html>", "text/html", 503), "data/tablefile: HTTP 503; gave up after"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_fault_changes_nothing_and_says_what_happened(env, service, fault):
    reply, message = FAULTS[fault]
    service.routes["metadata/table"] = [recorded("1000A-0000_metadata.json")]
    service.routes["data/tablefile"] = [reply]
    before = state(env)
    code, out = fetch("1000A-0000", "--source", "zensus2022")
    assert code == 1, out
    assert f"1000A-0000 from zensus2022: failed: {message}" in out, out
    assert state(env) == before
    if fault == "timeout":  # retried within the bound, then given up
        assert len(service.calls("data/tablefile")) >= 2 and "trying again in" in out


def test_a_503_then_success_is_fetched(env, service):
    service.routes["metadata/table"] = [recorded("1000A-0000_metadata.json")]
    service.routes["data/tablefile"] = [Reply(b"busy", "text/plain", 503), zipped(CENSUS_ZIP, "1000A-0000_x_de_flat.zip")]
    code, out = fetch("1000A-0000", "--source", "zensus2022")
    assert code == 0, out
    assert "data/tablefile: HTTP 503; trying again in 0 s" in out and "1000A-0000 from zensus2022: up to date" in out
    assert len(service.calls("data/tablefile")) == 2


def test_too_many_parallel_requests_is_retried(env, service):
    service.routes["metadata/table"] = [recorded("1000A-0000_metadata.json")]
    busy = Reply(b'{"Status":{"Code":11,"Content":"Es sind zu viele parallele Anfragen aktiv","Type":"Fehler"}}')
    service.routes["data/tablefile"] = [busy, zipped(CENSUS_ZIP, "1000A-0000_x_de_flat.zip")]
    code, out = fetch("1000A-0000", "--source", "zensus2022")
    assert code == 0 and "too many parallel requests" in out and "up to date" in out, out


def test_a_revised_figure_is_kept_out_with_the_difference(env, service):
    """The service's 12531-0043 for 31.12.2024 with one cell changed: the same day as raw/'s file, another figure."""
    revised = io.BytesIO()
    with zipfile.ZipFile(revised, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("12531-0043_1_flat.csv", csv_in(PROTECTION_ZIP).replace(b"ST224;Eritrea;125;", b"ST224;Eritrea;130;", 1))
    job_flow(service, polls=0)
    service.routes["data/resultfile"] = [Reply(revised.getvalue(), "application/zip")]
    before = state(env)
    code, out = fetch("12531-0043", "--source", "genesis")
    assert code == 1, out
    assert "12531-0043 from genesis: kept out" in out and "figures differ from those raw/destatis/12531-0043_2024.zip gives" in out
    assert ("reference_date=2024-12-31, ags=05913, protection_status=recognised, sex=female, citizenship_code=ST224: fetched 130.0"
            in out) and "against 125.0 in destatis-12531-0043-2024" in out
    assert state(env) == before


def test_missing_credentials_are_named_and_nothing_is_asked(env, service, monkeypatch):
    monkeypatch.delenv("CMP_API_TOKEN_ZENSUS2022")
    code, out = fetch("1000A-0000", "--source", "zensus2022")
    assert code == 1 and "no credentials for zensus2022 (Zensus 2022 database): set CMP_API_TOKEN_ZENSUS2022" in out
    assert service.requests == []


def test_credentials_never_reach_the_output_the_logs_or_raw(env, service, monkeypatch, caplog):
    """A user name and password (and a token elsewhere) are sent in the headers, and appear nowhere else."""
    monkeypatch.delenv("CMP_API_TOKEN_GENESIS")
    monkeypatch.setenv("CMP_API_USER_GENESIS", "statistik-user-7q")
    monkeypatch.setenv("CMP_API_PASSWORD_GENESIS", "pw-Zq81!x-secret")
    protection_2023(env)
    job_flow(service, polls=1)
    service.routes["catalogue/results"] = [Reply(b"", status=503), recorded("12531-0043_results_status0.json")]  # a retry, logged
    caplog.set_level(logging.DEBUG)
    code, out = fetch("12531-0043", "--source", "genesis", "--year", "2024")
    assert code == 0, out
    assert {(r.headers["username"], r.headers["password"]) for r in service.requests} == {("statistik-user-7q", "pw-Zq81!x-secret")}
    everything = out + caplog.text + "".join(p.read_text(encoding="utf-8", errors="replace") for p in env.root.rglob("*")
                                             if p.is_file() and p.suffix in (".yaml", ".csv", ".md"))
    for secret in ("statistik-user-7q", "pw-Zq81!x-secret", TOKEN):
        assert secret not in everything
    assert all("username" not in r.form and "password" not in r.form for r in service.requests)  # never a form field


# -- the Dagster group fetch ------------------------------------------------------------------------------------------


def materialize_fetch(name: str):
    import dagster as dg

    from pipeline.defs.fetch.assets import fetch_assets
    from pipeline.defs.resources import project_resources
    from pipeline.domain.config import Config

    asset = next(a for a in fetch_assets if a.key.path[-1] == name)
    return dg.materialize([asset], resources=project_resources(Config.from_env()), raise_on_error=False,
                          instance=dg.DagsterInstance.ephemeral())


def test_the_fetch_asset_records_what_it_did(env, service):
    service.routes["metadata/table"] = lambda r: recorded(f"{r.form['name']}_metadata.json")
    before = state(env)
    result = materialize_fetch("zensus2022")
    assert result.success
    metadata = result.asset_materializations_for_node("fetch__zensus2022")[0].metadata
    # --due: the year after each table's newest file; the census of 2022 has no 2023
    assert metadata["not published yet"].value == 2 and metadata["new"].value == 0
    assert "1000A-0000" in metadata["tables"].value and "not published yet" in metadata["tables"].value
    assert state(env) == before


def test_a_failed_fetch_fails_its_asset_naming_table_source_and_why(env, service):
    service.routes["metadata/table"] = [recorded("12531-0043_metadata.json")]
    service.routes["data/tablefile"] = [Reply(b"<html><body>Wartungsarbeiten</body></html>", "text/html")]
    protection_2023(env)
    before = state(env)
    result = materialize_fetch("genesis")
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    description = failure.event_specific_data.user_failure_data.description
    assert "1 table(s) from genesis failed or were kept out; raw/ is unchanged for them" in description
    assert "12531-0043 from genesis: failed: data/tablefile: an HTML page instead of data (HTTP 200" in description
    assert state(env) == before
