"""Formatting for an English reader, the editions raw/ defines, and the charts' handling of missing years."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from pipeline.domain.editions import edition, edition_years, editions
from pipeline.report import fmt
from pipeline.report.charts import broken_at_gaps


def test_numbers_dates_and_percentages():
    assert fmt.count(603462) == "603,462"
    assert fmt.count(603462.0) == "603,462"
    assert fmt.percent(19.0904) == "19.1 %"
    assert fmt.percent(100) == "100.0 %"
    assert fmt.signed(-1330) == "-1,330" and fmt.signed(15990) == "+15,990" and fmt.signed(0) == "0"
    assert fmt.signed_points(5.3) == "+5.3 points"
    assert fmt.date("2024-12-31") == "31.12.2024"
    assert fmt.date(dt.date(2018, 12, 31)) == "31.12.2018"


@pytest.mark.parametrize("missing", [None, float("nan"), math.nan])
def test_a_missing_value_is_refused_not_printed(missing):
    with pytest.raises(fmt.MissingValue):
        fmt.count(missing)
    with pytest.raises(fmt.MissingValue):
        fmt.percent(missing)


@pytest.mark.parametrize("text", ["nan", "None", "<NA>"])
def test_a_table_cell_never_says_nan(text):
    with pytest.raises(fmt.MissingValue):
        fmt.table(["Indicator", "Value"], [["Population", text]])


def test_pipe_table_widths_and_escaping():
    lines = fmt.table(["A", "B"], [["x | y", "1"]], "lr", [3, 1]).splitlines()
    assert lines[0] == "| A | B |"
    assert lines[1] == "|:" + "-" * 74 + "|" + "-" * 24 + ":|"  # 75 and 25 of 100: relative widths for pandoc
    assert lines[2] == "| x \\| y | 1 |"


def test_captioned_table_is_numbered_and_sourced():
    md = fmt.captioned_table("| A |\n|---|\n| 1 |", "Population, Dortmund, 2024", "population", "IT.NRW 12411-15i (31.12.2024)")
    assert ": Population, Dortmund, 2024 {#tbl-population}" in md
    assert md.rstrip().endswith("*Source: IT.NRW 12411-15i (31.12.2024)*")


def test_editions_come_from_raw(manifest):
    assert edition_years(manifest) == [2018, 2024]
    first, second = editions(manifest)
    assert (first.year, first.after, first.up_to, first.is_profile_edition) == (2018, None, 2019, True)
    assert (second.year, second.after, second.up_to, second.previous, second.is_profile_edition) == (2024, 2019, 2025, 2018, False)
    # the MC2CM profile's own tables belong to the first edition only; official figures to the edition of their year
    assert first.holds(2013, "profile") and not second.holds(2018, "profile")
    assert first.holds(2019, "state") and not first.holds(2020, "state")
    assert second.holds(2023, "municipal") and second.holds(2024, "state") and not second.holds(2019, "state")
    with pytest.raises(KeyError, match="no edition 2021"):
        edition(manifest, 2021)


def test_a_line_breaks_across_a_year_without_a_figure():
    xs, ys = broken_at_gaps([2010, 2016, 2017, 2018], [576_000, 601_000, 603_000, 603_600])
    assert xs[:2] == [2010, 2015.5] and math.isnan(ys[1])
    assert xs[2:] == [2016, 2017, 2018] and ys[2:] == [601_000, 603_000, 603_600]
    assert broken_at_gaps([2000, 2001], [1, 2]) == ([2000, 2001], [1, 2])


def test_text_from_an_input_is_escaped_for_markdown_and_read_back_as_written():
    """Every ASCII character that could begin a construct is escaped, and pandoc reads the escaped text back as the
    text itself (one Str per word, no Code, RawInline, Link, Cite, Math, Emph or Span)."""
    import json
    import string

    import pypandoc

    hostile = string.punctuation + " `#show \"1\": \"2\"`{=typst} <script>x</script> [a](javascript:x) @cite $5 to $10 {{< var x >}}"
    escaped = fmt.text(hostile)
    assert fmt.plain(escaped) == " ".join(hostile.split())
    tree = json.loads(pypandoc.convert_text(escaped, "json", format="markdown"))
    inlines = tree["blocks"][0]["c"]
    assert {i["t"] for i in inlines} <= {"Str", "Space", "Quoted"}
    text = pypandoc.convert_text(escaped, "plain", format="markdown", extra_args=["--wrap=none"]).strip()
    assert "<script>x</script>" in text and "{{< var x >}}" in text and "`#show" in text


@pytest.mark.parametrize("url, linked", [
    ("https://www.dortmund.de/integration", True),
    ("http://example.org/a?b=c&d=e", True),
    ("javascript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("https://example.org/a b", False),
    ("https://example.org/<script>", False),
])
def test_only_a_web_address_becomes_a_link(url, linked):
    out = fmt.link(url)
    assert (out == f"<{url}>") is linked
    if not linked:
        assert "<" not in out.replace("\\<", "")
