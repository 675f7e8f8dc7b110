"""Shared fixtures: paths to the shared test data, a synthetic runner pose.

The shared data folder is ``$RUNFORM_DATA_DIR`` or ``../shared/data``
(:mod:`support.paths`). With ``RUNFORM_REQUIRE_DATA=1`` a skip because data or the
browser are absent is reported as a failure (:func:`pytest_runtest_makereport`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest
from support.paths import absent, data_dir, is_absence, require_data

ROOT = Path(__file__).resolve().parents[1]
SHARED = data_dir()
REAL_CLIP = SHARED / "male_side_treadmill" / "male_side.mp4"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under ``RUNFORM_REQUIRE_DATA=1``, a data- or browser-absent skip is a failure.

    This also covers skips decided by ``skipif`` markers in modules that do not call
    :func:`support.paths.absent` (browser tests, force-plate tests).
    """
    outcome = yield
    rep = outcome.get_result()
    if not (rep.skipped and require_data()) or hasattr(rep, "wasxfail"):
        return
    reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
    if is_absence(reason) or item.get_closest_marker("browser") is not None:
        rep.outcome = "failed"
        rep.longrepr = f"RUNFORM_REQUIRE_DATA=1, but the test was skipped: {reason}"


#: runform's modules whose code decides a pose result (what is run, how, how it is stored)
POSE_CODE = (
    "pose.py",
    "pose_checks.py",
    "chunking.py",
    "parallel.py",
    "video.py",
    "cache.py",
    "landmarks.py",
    "quality.py",
    "pose_result.py",
    "pool.py",
    "workers.py",
    "mediapipe_graph.py",
    "worker_preload.py",
    "capture.py",  # the capture-check statistics measured while decoding
)


def pose_code_version() -> str:
    """Hash of runform's own pose-extraction code, so that a shared test cache is never
    read by a changed extraction (the run-time cache key holds only the video, the
    settings and the MediaPipe version)."""
    h = hashlib.sha256()
    for name in POSE_CODE:
        f = ROOT / "runform" / name
        h.update(name.encode() + (f.read_bytes() if f.is_file() else b"<absent>"))
    return h.hexdigest()[:16]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own pose cache unless it sets RUNFORM_CACHE_DIR itself."""
    if "RUNFORM_TEST_CACHE" in os.environ:  # share MediaPipe results across tests
        monkeypatch.setenv(
            "RUNFORM_CACHE_DIR",
            str(Path(os.environ["RUNFORM_TEST_CACHE"]) / f"pose-code-{pose_code_version()}"),
        )
    else:
        monkeypatch.setenv("RUNFORM_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def real_clip_path() -> Path:
    if not REAL_CLIP.is_file():
        absent(f"real clip not available ({REAL_CLIP})")
    return REAL_CLIP


def pose_from_angles(
    thigh, shank, foot, lean, *, leg=(0.45, 0.43), foot_len=0.25, hip=(0.0, 0.95), heel_back=0.05
):
    """Runner-frame points (Y up, facing +X) of one leg with known angles (degrees).

    thigh, shank: angle of the segment from the downward vertical (+ = distal end ahead);
    foot: angle of heel→toe from +X (toe up +); lean: trunk from vertical (+ forward).
    """
    th, sh, ft, ln = (np.radians(np.asarray(v, float)) for v in (thigh, shank, foot, lean))
    hip = np.broadcast_to(np.asarray(hip, float), (*np.shape(th), 2))
    knee = hip + leg[0] * np.stack([np.sin(th), -np.cos(th)], -1)
    ankle = knee + leg[1] * np.stack([np.sin(sh), -np.cos(sh)], -1)
    fdir = np.stack([np.cos(ft), np.sin(ft)], -1)
    heel = ankle - heel_back * fdir + 0.06 * np.stack([np.sin(ft), -np.cos(ft)], -1)
    toe = heel + foot_len * fdir
    shoulder = hip + 0.5 * np.stack([np.sin(ln), np.cos(ln)], -1)
    return {
        "hip": hip,
        "knee": knee,
        "ankle": ankle,
        "heel": heel,
        "foot_index": toe,
        "shoulder": shoulder,
    }


def to_image(points: dict, direction: str, scale=400.0, origin=(640.0, 700.0)) -> dict:
    """Runner-frame metres → image pixels (y down), runner facing ``direction``."""
    sx = scale if direction == "right" else -scale
    return {
        k: np.stack([origin[0] + sx * v[..., 0], origin[1] - scale * v[..., 1]], -1)
        for k, v in points.items()
    }
