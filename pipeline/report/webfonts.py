"""The HTML profile's fonts: Source Sans 3 (report/fonts/, the PDF's type) cut down to the characters of Latin
script, the punctuation and the symbols the profile prints, and compressed as WOFF2 (report/webfonts/, outside
fonts/, which the PDF route scans). The four full TrueType fonts would be 2.1 MB of every HTML file; the subsets are
about 34 kB each. A character outside a subset (a city's register may hold Greek or Cyrillic names) is drawn by the
reader's sans-serif font.

Written by ``make fonts`` (``python -m pipeline.report.webfonts``) and committed: building a profile needs no font
tool. tests/report/test_webfonts.py checks that the committed files are what this module writes and that they hold
every character of the built profiles' HTML text.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from pipeline.report.folders import QUARTO_PROJECT

FONTS = QUARTO_PROJECT / "fonts"
WEB = QUARTO_PROJECT / "webfonts"
# the faces the HTML's stylesheet (report/styles.css) uses
FACES = ("SourceSans3-Regular", "SourceSans3-Semibold", "SourceSans3-Bold", "SourceSans3-It")
# Basic Latin, Latin-1, Latin Extended-A and B, Latin Extended Additional; general punctuation, super- and
# subscripts, the euro, letterlike symbols (№), arrows, the minus and other mathematical operators the tables print
UNICODES = [
    *range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070), *range(0x2070, 0x20A0),
    0x20AC, *range(0x2100, 0x2150), *range(0x2190, 0x2200), 0x2212, 0x2215, 0x2248, 0x2260, 0x2264, 0x2265,
]


def subset_font(face: str) -> bytes:
    """The face's subset as WOFF2 bytes (the same bytes for the same font and fontTools)."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "liga", "onum", "tnum", "lnum"]  # what the stylesheet and browsers use
    options.name_IDs = ["*"]  # the font's names and its licence notice stay
    options.notdef_outline = True
    font = TTFont(FONTS / f"{face}.ttf", recalcTimestamp=False)  # the same bytes on every run
    sub = subset.Subsetter(options)
    sub.populate(unicodes=UNICODES)
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def write(target: Path = WEB) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for face in FACES:
        path = target / f"{face}.woff2"
        path.write_bytes(subset_font(face))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write():
        print(f"{p} ({p.stat().st_size:,} bytes)")
    sys.exit(0)
