"""The one error type raised for bad input, so every failure names file, line, column and rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def printable(name: str) -> str:
    """A file name as it can be shown on one line: control characters (a newline in a name) escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with one place in one input file: a line and column of a text file, or a spreadsheet's cell
    written as Excel does, '<sheet>!<cell>', in ``column``."""

    file: str
    rule: str
    detail: str
    line: int | None = None
    column: str | None = None

    def describe(self) -> str:
        where = [printable(self.file)]
        if self.column and "!" in self.column:
            # a spreadsheet's place, '<sheet>!<cell>' (or '<sheet>!' for the sheet as a whole)
            sheet, cell = self.column.rsplit("!", 1)
            where.append(f"sheet '{sheet}'" + (f", cell {cell}" if cell else ""))
            return f"{', '.join(where)}: {self.detail} [rule: {self.rule}]"
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        place = ", ".join(where) if len(where) > 1 else f"{where[0]} (whole file)"
        return f"{place}: {self.detail} [rule: {self.rule}]"


class RawInputError(ValueError):
    """A raw file could not be read or failed validation.

    Carries every problem found (validation is lazy), each naming the file, the line (1-based, as an editor
    shows it), the column and the rule that failed.
    """

    def __init__(self, problems: list[InputProblem]):
        if not problems:
            raise ValueError("RawInputError needs at least one problem")
        # a long table repeats a row's label for each of its values: report each distinct problem once
        self.problems = list(dict.fromkeys(problems))
        super().__init__(self.summary())

    @classmethod
    def single(
        cls,
        file: str | Path,
        rule: str,
        detail: str,
        line: int | None = None,
        column: str | None = None,
    ) -> RawInputError:
        return cls([InputProblem(str(file), rule, detail, line, column)])

    def summary(self, limit: int = 20) -> str:
        lines = [p.describe() for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            lines.append(f"... and {more} more problem(s) of the same kind")
        head = f"{len(self.problems)} problem(s) in the input:" if len(self.problems) > 1 else ""
        return "\n".join([head, *lines]) if head else lines[0]

    def as_markdown_table(self, limit: int = 200) -> str:
        rows = ["| file | line | column | rule | problem |", "|---|---|---|---|---|"]
        for p in self.problems[:limit]:
            cells = [p.file, "" if p.line is None else str(p.line), p.column or "", p.rule, p.detail]
            rows.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        if len(self.problems) > limit:
            rows.append(f"| ... | | | | {len(self.problems) - limit} more |")
        return "\n".join(rows)
