"""What free text in an input may hold: the rules for every text the profile prints as it was written (a city's
policy register, stakeholder list and register figures, the MC2CM transcriptions, the manifest's titles and credits).

- **No invisible or direction-changing characters**: the bidirectional controls (U+202A-U+202E, U+2066-U+2069,
  U+200E, U+200F, U+061C) can make a reader see "0.99 = 1.0" where the file says "0.1 = 99.0"; the zero-width
  characters (U+200B-U+200D, U+2060, U+FEFF inside a text) and the soft hyphen (U+00AD) make two texts that look alike
  differ, past every uniqueness rule. (Raw files of every kind refuse the same characters: pipeline/ingest/text.py.)
- **Only characters the report can print**: those the profile's fonts (report/fonts, Source Sans 3: the Latin,
  Greek and Cyrillic scripts) have a glyph for. The PDF is written as PDF/UA, which refuses a character without one,
  so a name in another script (or an emoji) is refused here, with its place, rather than failing the render later.
- **A length limit per field**: a name or title fits two lines of a table cell (200 characters), a summary, note
  or citation a short paragraph (300, the register's summary limit), a code, date or number 60;
  the manifest's notes to the maintainer (never printed) 2,000.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from pipeline.domain.labels import POLICY_SUMMARY_LIMIT

# the report's fonts (report/fonts), found from this file: the manifest module imports this one, and the
# configuration (pipeline/domain/config.py) imports the manifest
FONTS = Path(__file__).resolve().parents[2] / "report" / "fonts"

INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

NAME, PARAGRAPH, CODE = 200, POLICY_SUMMARY_LIMIT, 60
LIMITS = {
    # names and titles
    "title": NAME, "title_en": NAME, "publication": NAME, "publisher": NAME, "organisation": NAME, "stakeholder_group": NAME,
    "legal_status": NAME, "legal_basis": NAME, "short_name": NAME, "database": NAME, "licence": NAME, "category": NAME,
    "indicator": NAME, "breakdown": NAME, "table_id": NAME, "concept": NAME, "census_basis": NAME, "table_code": NAME,
    # paragraphs
    "summary": POLICY_SUMMARY_LIMIT, "note": PARAGRAPH, "citation": PARAGRAPH, "locator": PARAGRAPH, "area_of_work": PARAGRAPH,
    "labour_market_access": PARAGRAPH, "attribution": PARAGRAPH, "url": PARAGRAPH,
    "notes": 2000, "obtained_from": 2000,  # the manifest's notes to the maintainer: how the file was obtained (not printed)
}
# a web address the profile links: http or https, a host, a path without spaces, quotes, angle brackets or braces
WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"'`\\{}|^]*)?")
# the longest line a record of our tidy layouts can have: every field at its limit, quoted
LONGEST_LINE = 4000


@functools.lru_cache(maxsize=1)
def printable_characters() -> frozenset[int]:
    """The code points every font of the report has a glyph for (the fonts' character maps, intersected)."""
    from fontTools.ttLib import TTFont

    maps = [set(TTFont(str(f), lazy=True)["cmap"].getBestCmap()) for f in sorted(FONTS.glob("*.ttf"))]
    return frozenset(set.intersection(*maps)) if maps else frozenset()


def describe(c: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    return f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed character')})"


def problem(value: str, field: str, limit: int | None = None) -> tuple[str, str, int | None] | None:
    """What is wrong with ``value`` as the text of ``field``: (rule, detail, character position from 1), or None."""
    if m := INVISIBLE.search(value):
        return ("no invisible characters", f"the text holds {describe(m.group())}, an invisible or direction-changing character "
                f"(character {m.start() + 1} of the field): remove it", m.start() + 1)
    printable = printable_characters()
    for i, c in enumerate(value):
        if c not in " \t" and ord(c) not in printable:
            return ("characters the report can print", f"{describe(c)} (character {i + 1} of the field) has no glyph in the report's "
                    "fonts (Source Sans 3: Latin, Greek and Cyrillic scripts); write the text in one of these scripts",
                    i + 1)
    limit = limit or LIMITS.get(field, CODE)
    if len(value) > limit:
        return ("text length limit", f"the text is {len(value):,} characters long, more than the {limit} a {field} may have", None)
    return None
