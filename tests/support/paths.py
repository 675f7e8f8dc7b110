"""Where the shared test data live, and what a test does when they are absent.

The shared data (the real treadmill clip, the Fukuchi force-plate runners) are found in
``$RUNFORM_DATA_DIR`` when it is set (the variable the README documents for a local
mirror), else in ``../shared/data`` beside the checkout.

``RUNFORM_REQUIRE_DATA=1`` (set by ``.ci/run`` when it has the data) turns "data absent"
and "browser absent" skips into failures, so a moved folder or a missing Chromium
cannot make a green run out of skipped tests. Without it those tests skip with a reason
(a checkout without ``../shared`` still runs the rest of the suite).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_DATA, ENV_REQUIRE = "RUNFORM_DATA_DIR", "RUNFORM_REQUIRE_DATA"
#: Words that mark a skip reason as "data or browser absent" (see :func:`is_absence`).
ABSENCE_MARKERS = (
    "../shared",
    "shared data",
    "RUNFORM_DATA_DIR",
    "data not found",
    "trial not found",
    "/usr/bin/chromium",
    "chromium",
    "not found at",
)


def data_dir() -> Path:
    """The shared data folder: ``$RUNFORM_DATA_DIR``, else ``../shared/data``."""
    env = os.environ.get(ENV_DATA)
    return Path(env).expanduser() if env else ROOT.parent / "shared" / "data"


def require_data() -> bool:
    """True when absent data or browser must fail the run (``RUNFORM_REQUIRE_DATA=1``)."""
    return os.environ.get(ENV_REQUIRE, "").strip() == "1"


def absent(reason: str):
    """Skip the calling test because data are absent, or fail when they are required."""
    reason = f"{reason} (data folder: {data_dir()}; set {ENV_DATA})"
    if require_data():
        pytest.fail(f"{ENV_REQUIRE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def is_absence(reason: str) -> bool:
    """Whether a skip reason says that shared data or the browser are missing."""
    return any(m.lower() in reason.lower() for m in ABSENCE_MARKERS)
