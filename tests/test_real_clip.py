"""End to end on the real treadmill clip (../shared/data/male_side_treadmill, MIT).

Runner faces image-left, his left side is toward the camera; cadence from pixels
168.9 ± 0.5 steps/min (SOURCE.md there).
"""

from __future__ import annotations

import numpy as np
import pytest

import runform as rf
from runform import pose as pose_module

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real(real_clip_path, tmp_path_factory):
    cache = tmp_path_factory.mktemp("real-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("RUNFORM_CACHE_DIR", str(cache))
    clip = rf.extract_pose(real_clip_path, progress=False)
    yield clip, real_clip_path, mp
    mp.undo()


def test_detection_and_metadata(real):
    clip, _, _ = real
    assert clip.n_frames == 360 and clip.fps == 30.0
    assert (clip.width, clip.height) == (720, 1280)
    assert clip.provenance["detection_rate"] >= 0.98
    assert clip.provenance["sha256"].startswith("84f2de8c")


def test_orientation_decided_once(real):
    clip = real[0].clean().oriented()
    assert clip.direction == "left"
    assert clip.near_side == "left"
    assert clip.treadmill is True


def test_plausible_angle_ranges(real):
    a = real[0].clean().oriented().angles()
    knee = a["left_knee_flexion_deg"]
    assert 80 <= knee.max() <= 130  # swing peak
    assert knee.quantile(0.05) < 25  # near-straight at toe-off/contact
    thigh = a["left_thigh_angle_deg"]
    assert 15 <= thigh.max() <= 50 and -40 <= thigh.min() <= -10
    assert 0 <= a["trunk_lean_deg"].median() <= 15
    # no angle jumps by more than 60° between frames (no flips or 360° wraps)
    for col in ("left_knee_flexion_deg", "left_thigh_angle_deg", "trunk_lean_deg"):
        assert np.nanmax(np.abs(np.diff(a[col]))) < 60


def test_second_run_hits_the_cache(real, monkeypatch):
    clip, path, _ = real

    def boom(*args, **kwargs):
        raise AssertionError("MediaPipe ran again: the cache was not used")

    from pathlib import Path

    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(Path(clip.provenance["cache_file"]).parent))
    monkeypatch.setattr(pose_module, "_run_model", boom)
    again = rf.extract_pose(path, progress=False)
    np.testing.assert_array_equal(again.xy, clip.xy)
    assert str(again.provenance["cache_file"]) == str(clip.provenance["cache_file"])


def test_cli_on_real_clip(real, tmp_path):
    import json

    from runform.cli import main

    _, path, _ = real
    assert main(["analyze", str(path), "--out", str(tmp_path), "--height-cm", "178"]) == 0
    m = json.loads((tmp_path / "metrics.json").read_text())
    assert m["clip"]["direction"] == "left" and m["clip"]["near_side"] == "left"
    assert m["clip"]["treadmill"] is True
    # cadence: issue 3 asks for ±1.5 of 168.9; measured 168.1 (near-foot strides)
    assert abs(m["cadence_spm"]["value"] - 168.9) < 1.5
    ct = m["contact_time_ms"]["value"]
    assert 180 <= ct <= 320 and m["contact_time_ms"]["per_step_reliable"] is False
    assert 0.25 <= m["duty_factor"]["value"] <= 0.48
    assert (tmp_path / "angles.csv").read_text().startswith("time_s,left_ankle_dorsiflexion_deg")


def test_player_from_analysis(real):
    _, path, _ = real
    result = rf.analyze(path, progress=False)
    from runform.widgets import FramePlayer

    player = FramePlayer(result)
    assert player.clip is result.clip
    player.slider.value = 100
    assert player.frame == 100
