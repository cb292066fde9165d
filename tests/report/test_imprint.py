"""The imprint (pipeline/report/imprint.py): the deployment's publisher or the neutral default, the days the figures
were extracted, the build, the revision policy; the HTML's header line."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.report import imprint

DAY = dt.date(2026, 12, 7)


def test_the_default_names_no_publisher_and_says_how_it_was_made():
    publisher = imprint.load_publisher()  # report/publisher.yml as committed: every field empty
    assert set(publisher.values()) == {""}
    text = imprint.markdown(publisher, "The figures were extracted on 02.11.2026.", DAY, "commit 0123456789ab")
    assert text.startswith("**Produced with** city-migration-profile, an open pipeline") and "Published by" not in text
    assert "**Built** on 07.12.2026 by the pipeline at commit 0123456789ab." in text
    assert "**Revisions.** Figures are revised when their publisher revises them" in text


def test_a_deployment_names_its_publisher_as_text(tmp_path, monkeypatch):
    path = tmp_path / "publisher.yml"
    path.write_text('publisher: "Stadt Musterstadt *Statistik*"\ndepartment: Amt 12\nemail: statistik@musterstadt.example\n'
                    'web: "https://musterstadt.example/statistik"\n', encoding="utf-8")
    monkeypatch.setenv("CMP_PUBLISHER", str(path))
    publisher = imprint.load_publisher()
    text = imprint.markdown(publisher, "x", DAY, "commit 0123456789ab")
    # markup from the file is printed as text, never read as Markdown
    assert "**Published by** Stadt Musterstadt \\*Statistik\\*, Amt 12." in text
    assert "Contact: statistik\\@musterstadt.example, <https://musterstadt.example/statistik>." in text
    assert "Produced with" not in text


def test_a_misspelt_field_is_refused_with_the_file(tmp_path):
    path = tmp_path / "publisher.yml"
    path.write_text("publisher: Amt\nemial: a@b.example\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"publisher.yml: unknown field\(s\) emial"):
        imprint.load_publisher(path)


@pytest.mark.parametrize(("retrieved", "said"), [
    (["2026-11-02", "2026-12-01", "2026-11-02"], "between 02.11.2026 and 01.12.2026"),
    (["2026-11-02", "2026"], "on 02.11.2026"),  # a day where the manifest has one
    (["2025", "2026"], "between 2025 and 2026"),
    (["2026"], "in 2026"),
])
def test_the_extraction_dates_are_the_sources_retrieval_days(retrieved, said):
    assert f"publications {said};" in imprint.extraction_sentence(retrieved)


def test_the_html_header_escapes_and_links_the_pdf():
    line = imprint.html_header("31.12.2024", DAY, 'a"<b>.pdf')
    assert line == ('<p class="profile-header">Figures as of 31.12.2024 · built on 07.12.2026 · '
                    '<a href="a&quot;&lt;b&gt;.pdf">PDF version</a></p>\n')


def test_the_build_version_is_this_checkout():
    assert imprint.build_version().startswith(("commit ", "version "))
