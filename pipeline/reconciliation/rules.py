"""Loading and checking the reconciliation rules (rules.yaml in this folder).

The rules become the DuckDB table reconciliation.rules, which warehouse/sql/reconciliation/comparisons.sql joins
against every pair of figures: the judging itself runs in SQL.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from pipeline.domain.codebook import CONCEPT, NATIONALITY
from pipeline.domain.errors import InputProblem, RawInputError

RULES_FILE = Path(__file__).with_name("rules.yaml")
CONDITIONS = {"concepts", "involves", "census_basis_differs", "dates_differ", "nationality", "indicator"}
TOLERANCES = {"relative", "absolute", "rounding"}
COLUMNS = [
    "rule_id", "priority", "cause", "reasoning", "concepts", "involves", "census_basis_differs", "dates_differ",
    "nationality", "indicator", "tolerance_relative", "tolerance_absolute", "tolerance_rounding", "difference_of_concept",
]


def load_rules(path: Path = RULES_FILE) -> tuple[pd.DataFrame, dict]:
    """The rules as rows of reconciliation.rules, and the `consistent` settings. Every mistake is reported."""
    name = str(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RawInputError.single(name, "rules are valid YAML", str(exc).splitlines()[0], line=(mark.line + 1) if mark else None) from None
    problems: list[InputProblem] = []
    consistent = (doc or {}).get("consistent") or {}
    if not isinstance(consistent.get("relative"), (int, float)) or consistent["relative"] < 0:
        problems.append(InputProblem(name, "rules layout", "`consistent.relative` must be a non-negative number"))
    plausibility = (doc or {}).get("plausibility") or {}
    if not isinstance(plausibility.get("yearly_change_gap"), (int, float)) or plausibility["yearly_change_gap"] <= 0:
        problems.append(InputProblem(name, "rules layout", "`plausibility.yearly_change_gap` must be a positive number"))
    unusual = (doc or {}).get("unusual") or {}
    if not isinstance(unusual.get("percentile"), (int, float)) or not 0.5 <= unusual["percentile"] < 1:
        problems.append(InputProblem(name, "rules layout", "`unusual.percentile` must be a number from 0.5 to below 1"))
    if not isinstance(unusual.get("at_least"), int) or unusual["at_least"] < 2:
        problems.append(InputProblem(name, "rules layout", "`unusual.at_least` must be a whole number of at least 2"))
    rows = []
    seen = set()
    for i, rule in enumerate((doc or {}).get("rules") or [], start=1):
        where = f"{name} (rule {i}{', ' + str(rule.get('id')) if isinstance(rule, dict) and rule.get('id') else ''})"
        if not isinstance(rule, dict):
            problems.append(InputProblem(where, "rules layout", "each rule must be a mapping"))
            continue
        unknown = set(rule) - CONDITIONS - {"id", "cause", "reasoning", "tolerance", "difference_of_concept"}
        if unknown:
            problems.append(InputProblem(where, "rules layout", f"unknown field(s) {sorted(unknown)}"))
        for key in ("id", "cause", "reasoning"):
            if not rule.get(key):
                problems.append(InputProblem(where, "rules layout", f"missing '{key}'"))
        concept_rule = rule.get("difference_of_concept") is True
        if concept_rule == bool(rule.get("tolerance")):
            problems.append(InputProblem(where, "rules layout", "a rule has either a tolerance or `difference_of_concept: true`"))
        if rule.get("id") in seen:
            problems.append(InputProblem(where, "rules layout", f"id '{rule.get('id')}' is used twice"))
        seen.add(rule.get("id"))
        tol = rule.get("tolerance") or {}
        if not concept_rule and (not isinstance(tol, dict) or not tol or set(tol) - TOLERANCES):
            problems.append(InputProblem(where, "rules layout", f"tolerance must set one or more of {sorted(TOLERANCES)}"))
            tol = {}
        concepts = rule.get("concepts")
        if concepts is not None and (not isinstance(concepts, list) or len(concepts) != 2 or set(concepts) - set(CONCEPT.codes())):
            problems.append(InputProblem(where, "rules layout", f"concepts must be two of {sorted(CONCEPT.codes())}"))
        if rule.get("involves") is not None and rule["involves"] not in CONCEPT.codes():
            problems.append(InputProblem(where, "rules layout", f"involves must be one of {sorted(CONCEPT.codes())}"))
        if rule.get("nationality") is not None and rule["nationality"] not in NATIONALITY.codes():
            problems.append(InputProblem(where, "rules layout", f"nationality must be one of {NATIONALITY.codes()}"))
        rows.append(
            {
                "rule_id": str(rule.get("id", "")),
                "priority": i,
                "cause": str(rule.get("cause", "")),
                "reasoning": " ".join(str(rule.get("reasoning", "")).split()),
                "concepts": sorted(concepts) if isinstance(concepts, list) else None,
                "involves": rule.get("involves"),
                "census_basis_differs": rule.get("census_basis_differs"),
                "dates_differ": rule.get("dates_differ"),
                "nationality": rule.get("nationality"),
                "indicator": rule.get("indicator"),
                "tolerance_relative": tol.get("relative"),
                "tolerance_absolute": tol.get("absolute"),
                "tolerance_rounding": bool(tol.get("rounding", False)),
                "difference_of_concept": concept_rule,
            }
        )
    if problems:
        raise RawInputError(problems)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    settings = {
        "consistent_relative": float(consistent["relative"]),
        "consistent_reasoning": " ".join(str(consistent.get("reasoning", "")).split()),
        "plausibility_change_gap": float(plausibility["yearly_change_gap"]),
        "plausibility_reasoning": " ".join(str(plausibility.get("reasoning", "")).split()),
        "unusual_percentile": float(unusual["percentile"]),
        "unusual_at_least": int(unusual["at_least"]),
        "unusual_reasoning": " ".join(str(unusual.get("reasoning", "")).split()),
    }
    return frame, settings
