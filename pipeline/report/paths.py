"""Where an edition of the profile is built and published (no rendering libraries needed to ask)."""

from __future__ import annotations

import re
from pathlib import Path


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def build_dir(root: Path, city: str, edition: str) -> Path:
    """The edition's Quarto project: report/_build/<city>-<edition>/."""
    return root / f"{slug(city)}-{edition}"


def document_name(city: str, edition: str) -> str:
    """The published file name without suffix: city-migration-profile-<city>-<edition>."""
    return f"city-migration-profile-{slug(city)}-{edition}"
