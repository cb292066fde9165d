"""Code lists, each stated once: a code, its English label (printed by the report through core.vocabulary), and the
labels the publishers print for it. A table's module maps the publisher's labels with ``mapper()``, its pandera
model checks ``codes()``, and the warehouse's vocabulary takes ``labels()``: one list, three uses. (The older code
lists in pipeline/domain/labels.py and pipeline/warehouse/vocabulary.py move here table by table.)"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # English, as the report prints it
    published_as: tuple[str, ...] = ()  # the publishers' labels for it


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

    def mapper(self) -> dict[str, str]:
        """Publisher's label -> code."""
        return {p: c.code for c in self.entries for p in c.published_as}

    def labels(self) -> dict[str, str]:
        """Code -> English label, in the list's order."""
        return {c.code: c.label for c in self.entries}
