"""The report tests read the profile built once per session by tests/conftest.py (fixture built_report)."""

from __future__ import annotations

import pytest

from tests.conftest import EDITIONS, Edition


@pytest.fixture(params=EDITIONS)
def edition(request, built_report) -> Edition:
    return built_report.editions[request.param]
