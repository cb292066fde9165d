"""The codebook: every code list, each stated once. A code has its English label (printed by the report through
core.vocabulary) and the labels the publishers print for it. A table's module maps the publisher's labels with
``mapper()``, its pandera model checks ``codes()``, and the warehouse's vocabulary takes ``labels()``: one list,
three uses. A label not listed is refused, never guessed: when a publisher renames a header, the run stops and names
the header line and column.

The lists shared by several tables are below; a list only one table uses is stated in that table's module
(pipeline/sources/<publisher>/<table>.py) with the same classes, and the registry finds it there. Age groups are
not a list but a rule (any band '25 bis unter 30 Jahre' is the code '25-30'): ``age_group`` and ``age_code_bounds``."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # English, as the report prints it in a table or after a figure
    published_as: tuple[str, ...] = ()  # the publishers' labels for it
    in_text: str = ""  # the words in running text, where they differ from the label ('the city's population register')
    definition: str = ""  # what it is, for the methods annex and the maintainer


@dataclass(frozen=True)
class CodeList:
    kind: str  # core.vocabulary.kind
    entries: tuple[Code, ...]

    def __post_init__(self) -> None:
        codes = [c.code for c in self.entries]
        if len(codes) != len(set(codes)):
            raise ValueError(f"code list {self.kind}: a code is listed twice")
        labels = [p for c in self.entries for p in c.published_as]
        if len(labels) != len(set(labels)):
            raise ValueError(f"code list {self.kind}: a publisher's label maps to two codes")

    def codes(self) -> list[str]:
        """Every code, in the list's order (a pandera ``isin``)."""
        return [c.code for c in self.entries]

    def parts(self) -> list[str]:
        """Every code but 'total'."""
        return [c for c in self.codes() if c != "total"]

    def mapper(self) -> dict[str, str]:
        """Publisher's label -> code."""
        return {p: c.code for c in self.entries for p in c.published_as}

    def labels(self) -> dict[str, str]:
        """Code -> English label, in the list's order."""
        return {c.code: c.label for c in self.entries}

    def in_text(self) -> dict[str, str]:
        """Code -> the words in running text."""
        return {c.code: c.in_text or c.label for c in self.entries}

    def definitions(self) -> dict[str, str]:
        return {c.code: c.definition for c in self.entries}


SEX = CodeList("sex", (
    Code("total", "", ("Insgesamt", "Total", "INSGESAMT")),
    Code("male", "men", ("männlich", "male", "GESM")),
    Code("female", "women", ("weiblich", "female", "GESW")),
))

NATIONALITY = CodeList("nationality", (  # Germans and non-Germans ('Ausländer': anyone without German citizenship)
    Code("total", "", ("Insgesamt", "Total", "INSGESAMT", "Zusammen")),
    Code("german", "Germans", ("Deutsche", "Germans", "NATD")),
    Code("non_german", "non-Germans", ("Ausländer/-innen", "Ausländer(innen)", "Ausländer", "Foreigners", "Nichtdeutsche", "NATA")),
))

# What a figure measures. Two figures for "the same" thing under different concepts are different measurements; the
# reconciliation never treats them as one, and a sentence or row quoting both names each (``in_text``).
CONCEPT = CodeList("concept", (
    Code("population_update", "population update", in_text="the statistical offices' population update",
         definition="population update (Bevölkerungsfortschreibung) of the statistical offices, on a census basis"),
    Code("census_count", "census count", in_text="the census count",
         definition="the census count itself (Zensus 2022, on the census day 15 May 2022)"),
    Code("municipal_register", "municipal register", in_text="the city's population register",
         definition="the city's population register (Einwohnermelderegister), main residence"),
    Code("foreigners_register", "foreigners' register (AZR)", in_text="the Central Register of Foreigners (AZR)",
         definition="Central Register of Foreigners (Ausländerzentralregister, AZR)"),
    Code("employment_statistics", "employment statistics", in_text="the employment statistics of the Bundesagentur für Arbeit",
         definition="employment statistics of the Bundesagentur für Arbeit"),
    Code("unemployment_statistics", "unemployment statistics",
         in_text="the unemployment statistics of the Bundesagentur für Arbeit",
         definition="unemployment statistics of the Bundesagentur für Arbeit"),
    Code("social_benefit_statistics", "benefit statistics", in_text="the statistics of minimum social security benefits",
         definition="statistics of minimum social security benefits"),
    Code("migration_statistics", "migration statistics", in_text="the migration statistics",
         definition="migration statistics (registrations of moves across the border)"),
    Code("area_survey", "land survey", in_text="the land survey", definition="land survey (cadastral area)"),
    Code("school_statistics", "school statistics", in_text="the school statistics",
         definition="school statistics of the Länder (pupils and school leavers)"),
    Code("student_statistics", "student statistics", in_text="the student statistics",
         definition="statistics of students at higher-education institutions (Studierendenstatistik)"),
    Code("land_price_statistics", "building-land price statistics", in_text="the statistics of building-land sales",
         definition="statistics of purchase prices of building land (Kaufwerte für Bauland)"),
    Code("municipal_report", "city report", in_text="a report of the city",
         definition="a report of the city (housing market, social situation)"),
    Code("not_stated", "measurement not stated", in_text="a measurement the publication does not name",
         definition="the publication does not say which measurement the figure comes from"),
))

PROTECTION_STATUS = CodeList("protection_status", (  # Destatis 12531 (Statistik über Schutzsuchende), variable SCHST2
    Code("recognised", "recognised protection status", ("SCHUTZST-AK-1",)),
    Code("recognised_temporary", "recognised, temporary", ("SCHUTZST-AK-2",)),
    Code("recognised_temporary_asylum", "recognised, temporary, from an asylum procedure", ("SCHUTZST-AK-3",)),
    Code("recognised_temporary_other",
         "recognised, temporary, not from an asylum procedure (e.g. temporary protection, § 24 AufenthG)", ("SCHUTZST-AK-4",)),
    Code("recognised_permanent", "recognised, permanent", ("SCHUTZST-AK-5",)),
    Code("open", "protection status still open (asylum procedure running)", ("SCHUTZST-OF",)),
    Code("without_status", "without protection status (rejected)", ("SCHUTZST-X",)),
    Code("tolerated", "without status: tolerated (Duldung)", ("AUSRPFL-G",)),
    Code("latent_obliged_to_leave", "without status: obliged to leave, not yet enforceable", ("AUSRPFL-L",)),
    Code("enforceable_obliged_to_leave", "without status: obliged to leave, enforceable", ("AUSRPFL-V",)),
))

_GRUNDSICHERUNG = "Grundsicherung im Alter und bei Erwerbsminderung nach dem SGB XII"
BENEFIT = CodeList("benefit", (  # IT.NRW 22811-05i prints a benefit in two header lines: 'first: second'
    Code("sgb2", "basic income support for jobseekers (SGB II)",
         ("Gesamtregelleistung (ALG II/Sozialgeld) nach dem SGB II",)),
    Code("hlu", "assistance with living costs (SGB XII)",
         ("Hilfe zum Lebensunterhalt außerhalb von Einrichtungen nach dem SGB XII",)),
    Code("grundsicherung", "basic income in old age and reduced earning capacity (SGB XII)", (f"{_GRUNDSICHERUNG}: Insgesamt",)),
    Code("grundsicherung_old_age", "basic income in old age (SGB XII)", (f"{_GRUNDSICHERUNG}: im Alter",)),
    Code("grundsicherung_reduced_earning_capacity", "basic income for reduced earning capacity (SGB XII)",
         (f"{_GRUNDSICHERUNG}: bei Erwerbsminderung",)),
    Code("asylblg", "benefits for asylum seekers (AsylbLG)", ("Regelleistungen nach dem Asylbewerberleistungsgesetz",)),
    Code("total", "all minimum social security benefits", ("Insgesamt",)),
))

# Qualifications of employees (Bundesagentur für Arbeit, as IT.NRW 13111-54i prints them): school and vocational,
# each with its own total.
QUALIFICATION = CodeList("qualification", (
    Code("total", "all employees", ("Insgesamt",)),
    Code("school_none", "without school-leaving certificate", ("ohne Schulabschluss",)),
    Code("school_lower_secondary", "lower secondary certificate (Haupt- or Volksschulabschluss)",
         ("mit Volks-/Haupschulabschluss", "mit Volks-/Hauptschulabschluss")),  # (the first: the publisher's spelling)
    Code("school_intermediate", "intermediate certificate (Mittlere Reife or equivalent)",
         ("mit mittlerer Reife/gleichwertigem Abschluss",)),
    Code("school_upper_secondary", "upper secondary certificate (Abitur or Fachabitur)", ("mit Abitur/Fachabitur",)),
    Code("school_unknown", "school-leaving certificate unknown", ("Abschluss unbekannt",)),
    Code("vocational_none", "without vocational qualification", ("ohne beruflichen Ausbildungsabschluss",)),
    Code("vocational_recognised", "recognised vocational qualification", ("mit anerkanntem Berufsabschluss",)),
    Code("vocational_academic", "academic degree", ("mit akademischem Abschluss",)),
    Code("vocational_unknown", "vocational qualification unknown", ("Ausbildung unbekannt",)),
))
QUALIFICATION_SCHOOL = [c for c in QUALIFICATION.codes() if c.startswith("school_")]
QUALIFICATION_VOCATIONAL = [c for c in QUALIFICATION.codes() if c.startswith("vocational_")]

# Qualifications of leavers of general schools (school statistics, Regionaldatenbank 21111-02-06-4).
SCHOOL_LEAVING_QUALIFICATION = CodeList("school_leaving_qualification", (
    Code("total", "all school leavers", ("Insgesamt",)),
    Code("without_hauptschulabschluss", "without Hauptschulabschluss", ("ohne Hauptschulabschluss",)),
    Code("hauptschulabschluss", "with Hauptschulabschluss", ("mit Hauptschulabschluss",)),
    Code("mittlerer_abschluss", "with Mittlerer Abschluss", ("mit Mittlerem Abschluss",)),
    Code("of_which_fhr_school_part", "of which: the school part of the Fachhochschulreife",
         ("dar. schulischer Teil der Fachhochschulreife",)),
    Code("fachhochschulreife", "with Fachhochschulreife", ("mit Fachhochschulreife",)),
    Code("hochschulreife", "with allgemeine Hochschulreife", ("mit allgemeiner Hochschulreife",)),
))

# Sections of the classification of economic activities (WZ 2008) and the groups of sections the employment tables
# print: IT.NRW 13111-54i prints the code (a blank code is the total), Regionaldatenbank 13111-07-05-4 the name with
# the code, or a name the publisher truncated. The Regionaldatenbank's services and its last group run to U
# (extraterritorial organisations), IT.NRW's to T.
ECONOMIC_SECTION = CodeList("economic_section", (
    Code("total", "all economic sections", ("", "Insgesamt")),
    Code("A", "agriculture, forestry and fishing", ("A", "Land- und Forstwirtschaft, Fischerei (A)")),
    Code("B-F", "production industry, construction included", ("B-F", "Produzierendes Gewerbe (B-F)")),
    Code("B-E", "production industry, construction excluded", ("B-E", "Produzierendes Gewerbe ohne Baugewerbe (B-E)")),
    Code("C", "manufacturing", ("C", "Verarbeitendes Gewerbe (C)")),
    Code("F", "construction", ("F", "Baugewerbe (F)")),
    Code("G-T", "services", ("G-T",)),
    Code("G-U", "services, extraterritorial organisations included", ("Dienstleistungsbereiche (G-U)",)),
    Code("G-I", "trade, transport and storage, accommodation and food services", ("G-I", "Handel, Gastgewerbe, Verkehr (G-I)")),
    Code("J", "information and communication", ("J", "Information und Kommunikation (J)")),
    Code("K", "financial and insurance activities", ("K", "Erbringung von Finanz- und Vers.leistungen (K)")),
    Code("L", "real estate activities", ("L", "Grundstücks- und Wohnungswesen (L)")),
    Code("M-N", "professional, scientific, technical, administrative and support services",
         ("M-N", "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL")),
    Code("O-Q", "public administration, defence, education, health and social work",
         ("O-Q", "Öff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht")),
    Code("R-T", "arts, entertainment and recreation, other services, private households", ("R-T",)),
    Code("R-U", "arts, entertainment and recreation, other services, private households, extraterritorial organisations",
         ("Kunst, Unterhaltung, Erholung, Priv. Haush.,usw.",)),
))

# Moves of a district's population (Destatis' migration statistics), by where they come from or go to.
MIGRATION_SCOPE = CodeList("migration_scope", (
    Code("across_district_borders", "across the district's borders"),
    Code("within_land", "from or to the same Land"),
    Code("other_laender", "from or to another Land"),
    Code("abroad", "from or to abroad"),
    Code("within_district", "within the district"),
))

SHARED = (SEX, NATIONALITY, CONCEPT, PROTECTION_STATUS, BENEFIT, QUALIFICATION, SCHOOL_LEAVING_QUALIFICATION,
          ECONOMIC_SECTION, MIGRATION_SCOPE)


_AGE_UNDER = re.compile(r"^unter (\d+) Jahre?n?$")
_AGE_RANGE = re.compile(r"^(\d+) bis unter (\d+) Jahre?n?$")
_AGE_OPEN = re.compile(r"^(\d+) Jahre? und (?:mehr|älter)$")
_AGE_CODE = re.compile(r"^(?:(\d+)-(\d+)|(\d+)\+|total)$")


def age_group(label: str) -> tuple[str, int | None, int | None]:
    """('25-30', 25, 30) for '25 bis unter 30 Jahre'; ('90+', 90, None) for '90 Jahre und mehr'; ('total', None,
    None) for 'Insgesamt'. Raises KeyError for anything else."""
    text = label.strip()
    if text in ("Insgesamt", "Total", "total"):
        return "total", None, None
    if m := _AGE_UNDER.match(text):
        return f"0-{m.group(1)}", 0, int(m.group(1))
    if m := _AGE_RANGE.match(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if hi <= lo:
            raise KeyError(label)
        return f"{lo}-{hi}", lo, hi
    if m := _AGE_OPEN.match(text):
        return f"{m.group(1)}+", int(m.group(1)), None
    raise KeyError(label)


def age_code_bounds(code: str) -> tuple[int | None, int | None]:
    """Bounds of one of our age codes ('0-3', '80+', 'total'). Raises KeyError for anything else."""
    m = _AGE_CODE.match(code.strip())
    if not m:
        raise KeyError(code)
    if m.group(1) is not None:
        lo, hi = int(m.group(1)), int(m.group(2))
        if hi <= lo:
            raise KeyError(code)
        return lo, hi
    if m.group(3) is not None:
        return int(m.group(3)), None
    return None, None
