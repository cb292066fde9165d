"""Validation entry point: run a dataset's pandera model lazily and turn every failure into a problem that names the
file, the line, the column (as the publisher's file shows it) and the rule."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from pipeline.domain.errors import InputProblem, RawInputError
from pipeline.validation.tables import RULE_COLUMNS, column_order


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return repr(value) if isinstance(value, str) else str(value)


def problems_from_schema_errors(
    err: pa.errors.SchemaErrors, frame: pd.DataFrame, files: dict[str, str], default_file: str,
    rule_columns: dict[str, str] | None = None,
) -> list[InputProblem]:
    """``rule_columns``: the column at which a rule across columns is reported (models.RULE_COLUMNS);
    otherwise such a rule is reported at the row's ``source_column`` and its value."""
    rule_columns = rule_columns or {}
    cases = err.failure_cases
    problems: list[tuple[int, InputProblem]] = []  # (0 = a cell's own rule, 1 = a rule across rows, problem)
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        idx = case.index
        row = frame.loc[idx] if idx is not None and not pd.isna(idx) and idx in frame.index else None
        file = files.get(row["source_id"], default_file) if row is not None else default_file
        line = int(row["source_line"]) if row is not None and pd.notna(row.get("source_line")) else None
        table_level = case.schema_context == "DataFrameSchema" and case.check not in (
            "column_in_schema",
            "column_in_dataframe",
            "multiple_fields_uniqueness",
        )
        if table_level:
            # A cross-row rule reports every column of a failing row; report the row once, at its value.
            key = (case.check, idx)
            if key in seen:
                continue
            seen.add(key)
            if str(case.check) in rule_columns:
                column = rule_columns[str(case.check)]
                value = row[column] if row is not None and column in row else case.failure_case
                detail = f"{column} = {_fmt(value)} breaks the rule"
            else:
                column = row["source_column"] if row is not None and "source_column" in row else None
                value = row["value"] if row is not None and "value" in row else case.failure_case
                detail = f"value {_fmt(value)} breaks the rule"
        elif case.check == "multiple_fields_uniqueness":
            key = (case.check, idx)
            if key in seen:
                continue
            seen.add(key)
            key_columns = [c for c in (getattr(err.schema, "unique", None) or []) if c not in ("source_line",)]
            column = ", ".join(key_columns) or None
            detail = "the same key appears on more than one row (duplicated row?)"
        else:
            column = row["source_column"] if case.column == "value" and row is not None and "source_column" in row else case.column
            detail = f"{case.column} = {_fmt(case.failure_case)} fails {case.check}"
        problems.append((int(table_level), InputProblem(file, str(case.check), detail, line, None if column is None else str(column))))
    # A cell's own failures first: a cross-row rule usually breaks *because* of them (one negative count also
    # breaks its district's sum), so the cause leads the report.
    problems.sort(key=lambda kp: (kp[0], kp[1].file, kp[1].line or 0))
    return [p for _, p in problems]


@dataclass(frozen=True)
class AcceptedInconsistency:
    """A failure of a rule that the publication itself contains, recorded in the manifest with its reason.

    ``at`` lists the places as failure reports name them: 'line 80' for CSV tables, or the column for JSON-stat
    cells ('value[20256]'). Only exactly these places are excused; any other failure still stops the run.
    """

    file: str
    rule: str
    at: tuple[str, ...]
    reason: str

    def covers(self, p: InputProblem) -> bool:
        return (
            p.file == self.file
            and p.rule == self.rule
            and ((p.line is not None and f"line {p.line}" in self.at) or (p.column is not None and p.column in self.at))
        )


@dataclass
class Validated:
    frame: pd.DataFrame
    accepted: list[tuple[InputProblem, AcceptedInconsistency]] = field(default_factory=list)


def validate_frame(
    model: type[pa.DataFrameModel],
    frame: pd.DataFrame,
    files: dict[str, str],
    accepted: list[AcceptedInconsistency] | None = None,
) -> Validated:
    """Validate ``frame`` with ``model`` (lazily: every failure collected) and return the coerced frame.

    ``files`` maps source_id to the file name shown in messages. Failures covered by ``accepted`` are returned
    with their reasons; any other failure raises RawInputError listing all of them.
    """
    default_file = ", ".join(sorted(set(files.values())))
    try:
        return Validated(model.validate(frame, lazy=True))
    except pa.errors.SchemaErrors as err:
        problems = problems_from_schema_errors(err, frame, files, default_file, RULE_COLUMNS)
        excused, remaining = [], []
        for p in problems:
            match = next((a for a in accepted or [] if a.covers(p)), None)
            (excused.append((p, match)) if match else remaining.append(p))
        if remaining:
            raise RawInputError(remaining) from None
        return Validated(err.data, excused)


def accepted_from_entries(entries: list) -> list[AcceptedInconsistency]:
    """The manifest's ``accepted_inconsistencies`` of each entry (a list of {rule, at, reason})."""
    out = []
    for e in entries:
        for item in e.extra.get("accepted_inconsistencies") or []:
            at = item.get("at") or []
            out.append(AcceptedInconsistency(e.display_name, str(item["rule"]), tuple(str(a) for a in at), str(item.get("reason", ""))))
    return out


def validate_dataset(dataset, frame: pd.DataFrame, entries: list) -> Validated:
    """Validate a built dataset with its model, honouring the accepted inconsistencies of its manifest entries; the
    frame comes back with its columns in the model's order (the order of its staging table)."""
    validated = validate_frame(dataset.model, frame, {e.id: e.display_name for e in entries}, accepted_from_entries(entries))
    validated.frame = validated.frame[column_order(dataset.model)]
    return validated
