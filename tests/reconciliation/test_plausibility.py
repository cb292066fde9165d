"""Plausibility of a city's register figures (warehouse/sql/reconciliation/plausibility.sql): warnings in the Dagster
check, the build's summary and the profile's appendix, for a figure whose change or side of the population update is
unlike the register's; none for Dortmund's real figures."""

from __future__ import annotations

import duckdb

from pipeline.domain.editions import editions
from pipeline.report.context import ReportContext
from pipeline.report.folders import EditionFolder
from pipeline.report.marts import MartReader
from pipeline.report.parts import PARTS
from tests.conftest import DORTMUND, RawCopy, build_warehouse


def test_dortmunds_register_figures_raise_no_doubt(sql):
    assert sql("SELECT count(*) AS n FROM reconciliation.plausibility")["n"].iloc[0] == 0


def test_register_figures_unlike_the_register_warn_and_the_appendix_says_so(tmp_path):
    """586,000 for 2023 instead of 612,065: the register against the update is a difference of concept (no bound),
    so the pair alone raises nothing; but -3.9 % in a year where the update grew by 0.3 %. 580,000 for 2018 instead
    of 603,000: below the update (Zensus 2011 basis) where the register's 2016 and 2019 figures are above it; and the
    2019 figures then rise by 4.1 % in a year."""
    raw = RawCopy(tmp_path / "raw")
    register = "city/dortmund_register_figures.csv"
    raw.replace_line(register, "register_population,05913000,2023-12-31,", lambda line: line.replace(",612065,", ",586000,"))
    raw.replace_line(register, "register_population,05913000,2018-12-31,",
                     lambda line: line.replace(",603000,", ",580000,").replace('"603,000"', '"580,000"'))
    result = build_warehouse(raw.root, tmp_path / "w.duckdb")
    assert result.success
    check = next(e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
                 and e.event_specific_data.check_name == "register_figures_plausible")
    assert not check.passed and check.severity.value == "WARN"
    assert check.description.startswith("4 register figure(s) look implausible: ")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    doubts = con.execute("SELECT reference_year, rule, detail FROM reconciliation.plausibility ORDER BY ALL").fetchall()
    assert [(y, r) for y, r, _ in doubts] == [(2018, "position against the population update"), (2019, "change from the previous figure"),
                                             (2019, "change from the previous figure"), (2023, "change from the previous figure")]
    assert doubts[0][2] == ("Stadt Dortmund register counts 580,000 for 2018, fewer than the population update (Zensus 2011) (587,010), "
                            "where every other register figure of the city on that basis (2016, 2019) counts more than it")
    assert doubts[3][2] == ("Stadt Dortmund register counts 586,000 for 2023: -3.9 % a year since 2022 (609,546), while the "
                            "population update (Zensus 2022) changed by +0.3 % a year")
    pair = con.execute("SELECT status FROM reconciliation.comparisons WHERE b_value = 586000 AND a_value = 601343").fetchall()
    assert ("concept_difference",) in pair  # what the reconciliation alone would have said

    edition = next(e for e in editions(raw.manifest()) if e.key == "2024")
    ctx = ReportContext(MartReader(con), edition, [edition], EditionFolder(tmp_path / "profile"), DORTMUND)
    text = next(spec for spec in PARTS if spec.name == "reconciliation").run(ctx).markdown
    con.close()
    assert "**Register figures that look implausible.**" in text
    assert "586,000 for 2023: -3.9 % a year since 2022" in text.replace("\\", "")
    assert "580,000 for 2018" not in text.replace("\\", "")  # another edition's year
