"""The words and number formats the parts share: age groups, legal statuses and nationalities in English, how a
synopsis figure is printed, ordinals."""

from __future__ import annotations

import pandas as pd

from pipeline.domain.codebook import CONCEPT
from pipeline.domain.codebook import NATIONALITY as _NATIONALITY
from pipeline.domain.symbols import MISSING_SYMBOLS
from pipeline.report import fmt


def age_label(code: str) -> str:
    if code.endswith("+"):
        return f"{code[:-1]} and over"
    lo, hi = code.split("-")
    return f"under {hi}" if lo == "0" else f"{lo} to under {hi}"


LEGAL_STATUS = {
    "permanent_residence": "Permanent residence",
    "temporary_residence": "Temporary residence",
    "tolerated": "Tolerated (Duldung)",
    "asylum_seekers_with_residence_permit": "Asylum seekers with permission to stay",
    "others_unclear": "Other or unclear",
}
# a nationality as a table cell: the codebook's label, capitalised ("All" for the total)
NATIONALITY = {code: label[:1].upper() + label[1:] if label else "All" for code, label in _NATIONALITY.labels().items()}


def format_value(row: pd.Series) -> str:
    """A synopsis figure with its unit, share and printed rounding."""
    unit, value = row["unit"], row["value"]
    approx = "about " if row.get("preference") == 1 and _printed_rounding_is_coarse(row) else ""
    if unit == "percent":
        decimals = 0 if float(value).is_integer() else (2 if round(value, 1) == 0 else 1)
        return fmt.percent(value, decimals)
    if unit == "km2":
        return f"{fmt.number(value, 0 if float(value).is_integer() else 2)} km²"
    if unit == "EUR per m2":
        return f"{fmt.number(value, 2)} € per m²"
    if unit == "EUR":
        return f"{approx}{fmt.count(value)} €"
    if unit == "m2 per person":
        return f"{fmt.number(value, 1)} m² per person"
    text = approx + fmt.count(value)
    share = row.get("share")
    if share is not None and not pd.isna(share):
        rounding = row.get("share_rounding")
        decimals = 0 if rounding is not None and not pd.isna(rounding) and rounding >= 0.5 else 1
        text += f" ({fmt.percent(share, decimals)})"
    return text


def _printed_rounding_is_coarse(row: pd.Series) -> bool:
    # "~100.000" in the profile: a figure that is a round number of tens of thousands is shown as approximate
    v = row["value"]
    return row["unit"] == "persons" and v >= 50000 and v % 50000 == 0


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# What the profile calls each measurement (core.indicators.concept) in running text and in table rows. A sentence or
# row that quotes figures of two measurements names each of them with these words.
MEASUREMENTS = CONCEPT.in_text()

# ... and where space is short (the index page, beside a headline figure)
SHORT_MEASUREMENTS = {"population_update": "population update", "municipal_register": "city register",
                      "foreigners_register": "AZR"}


def measurement(concept: str, census_basis: str = "", article: bool = True) -> str:
    """'the statistical offices' population update (Zensus 2022 basis)', 'the city's population register'; without
    ``article`` the words start lower-case without 'the' ('population update (Zensus 2022 basis)')."""
    words = MEASUREMENTS.get(concept, concept)
    if not article:
        words = "measurement not named" if concept == "not_stated" else words.removeprefix("the ")
    basis = census_basis if census_basis and census_basis != "register" and concept == "population_update" else ""
    return f"{words} ({basis} basis)" if basis else words


# The statistical office of each Land (by the Land's key), which publishes the Land's regional tables. A pointer to
# an office in a profile names the office of the district's own Land.
STATE_OFFICES = {
    "01": "Statistisches Amt für Hamburg und Schleswig-Holstein (Statistikamt Nord)",
    "02": "Statistisches Amt für Hamburg und Schleswig-Holstein (Statistikamt Nord)",
    "03": "Landesamt für Statistik Niedersachsen",
    "04": "Statistisches Landesamt Bremen",
    "05": "IT.NRW, the statistical office of North Rhine-Westphalia",
    "06": "Hessisches Statistisches Landesamt",
    "07": "Statistisches Landesamt Rheinland-Pfalz",
    "08": "Statistisches Landesamt Baden-Württemberg",
    "09": "Bayerisches Landesamt für Statistik",
    "10": "Statistisches Amt Saarland",
    "11": "Amt für Statistik Berlin-Brandenburg",
    "12": "Amt für Statistik Berlin-Brandenburg",
    "13": "Statistisches Amt Mecklenburg-Vorpommern",
    "14": "Statistisches Landesamt des Freistaates Sachsen",
    "15": "Statistisches Landesamt Sachsen-Anhalt",
    "16": "Thüringer Landesamt für Statistik",
}
NRW = "05"
# a year without a figure in a table's row (never '–' or '-', which is the publishers' "exactly zero")
NOT_SHOWN = "n/a"
# The key to the symbols the tables print (the annex of every profile and the cover of its workbook): ours first,
# then the publishers' own (pipeline/domain/symbols.py), printed where they print them instead of a figure
SYMBOL_KEY: tuple[tuple[str, str], ...] = (
    ("–", "no figure in this cell: the row or column does not apply to it, or a rank or median is not given"),
    (NOT_SHOWN, "no figure for this year in a time series (the publisher's table has none)"),
    *((symbol, f"{meaning} (the publisher's symbol; a gap, not a zero)") for symbol, meaning in MISSING_SYMBOLS.items()),
)
