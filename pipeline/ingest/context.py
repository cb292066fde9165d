"""What building a dataset may look at besides its own files: the manifest, the datasets built before it (its
``needs``), and the cities a regional table must list."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.domain.config import City
from pipeline.domain.manifest import Manifest


@dataclass
class BuildContext:
    manifest: Manifest
    upstream: dict[str, pd.DataFrame] = field(default_factory=dict)
    # the cities a regional table must list; empty: not checked
    cities: tuple[City, ...] = ()
