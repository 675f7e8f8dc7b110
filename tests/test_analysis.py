"""runform.analyze and its result: one frozen answer that every consumer reads."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

import runform as rf
from runform.landmarks import INDEX
from runform.metrics import FootStrike, Metric
from runform.model import Camera, RunnerParams, demo_clip, simulate


@pytest.fixture(scope="module")
def sim():
    motion = simulate(RunnerParams(), fps=60.0, duration_s=4.0)
    return motion, motion.to_clip(Camera(facing="right"))


@pytest.fixture(scope="module")
def result(sim):
    return rf.analyze(sim[1], height_cm=175)


def test_result_is_frozen_and_metrics_are_typed_records(result):
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.clip = None
    with pytest.raises(TypeError):
        result.metrics["cadence_spm"] = None  # a read-only mapping
    assert isinstance(result.metrics["cadence_spm"], Metric)
    assert isinstance(result.metrics["foot_strike"], FootStrike)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.metrics["cadence_spm"].value = 1.0


def test_cadence_and_contact_time_match_the_simulated_runner(sim, result):
    motion, _ = sim
    p = motion.params
    cad = result.metrics["cadence_spm"]
    # within the metric's own stated resolution (one frame of stride timing over n strides)
    assert abs(cad.value - p.cadence_spm) <= cad.resolution
    ct = result.metrics["contact_time_ms"]
    # events are quantised to a frame (16.7 ms at 60 fps); the mean is within one frame
    assert abs(ct.value - 1000 * p.contact_time_s) < result.clip.frame_ms
    assert ct.per_step_reliable is False  # 60 fps < 120 fps


def test_cutoff_none_means_no_filtering(sim):
    raw = rf.analyze(sim[1], cutoff_hz=None)
    assert raw.clip.cutoff_hz is None
    assert not any(p.startswith("butterworth") for p in raw.clip.provenance["processing"])
    # the angle clip is the event clip with only the heel and toe bridged where the feet
    # overlap (runform.clean.bridge_feet_overlap)
    feet = [INDEX[f"{s}_{k}"] for s in ("left", "right") for k in ("heel", "foot_index")]
    others = np.setdiff1d(np.arange(raw.clip.xy.shape[1]), feet)
    np.testing.assert_array_equal(raw.clip.xy[:, others], raw.cleaned.xy[:, others])
    filtered = rf.analyze(sim[1], cutoff_hz=5.0)
    assert filtered.clip.cutoff_hz == 5.0
    assert rf.analyze(sim[1]).clip.cutoff_hz == 8.0  # "auto" at 60 fps


def test_json_is_the_same_numbers(result, tmp_path):
    out = rf.save_analysis(result, tmp_path)
    data = json.loads((out / "metrics.json").read_text())
    assert data["cadence_spm"]["value"] == pytest.approx(
        result.metrics["cadence_spm"].value, abs=1e-3
    )
    assert data["foot_strike"]["type"] == result.metrics["foot_strike"].type
    assert data["clip"]["cutoff_hz"] == result.clip.cutoff_hz
    assert data["contact_time_ms"]["per_step_reliable"] is False
    assert all(set(q) == {"code", "severity", "message", "fix"} for q in data["quality"])
    assert (out / "steps.csv").read_text().count("\n") == len(result.steps) + 1


def test_widgets_show_the_analysis_events(result, tmp_path):
    from runform.skeleton_video import render_skeleton_video
    from runform.widgets import FramePlayer

    video = render_skeleton_video(
        result.clip.xy, tmp_path / "v.mp4", result.clip.fps, (result.clip.width, result.clip.height)
    )
    player = FramePlayer(result, video)
    assert player.events.reset_index(drop=True).equals(
        result.events.sort_values("ic_frame").reset_index(drop=True)
    )
    assert player.table is result.angles


def test_computing_functions_refuse_an_unoriented_clip():
    clip, _ = demo_clip(n_frames=120, fps=60.0)
    bare = clip.replace(direction=None, treadmill=None)
    for fn in (rf.kinematics.angles, rf.events.detect_events):
        with pytest.raises(rf.InputError, match="oriented"):
            fn(bare)
    assert rf.analyze(bare).clip.direction == "left"  # analyze orients once


def test_clip_arrays_are_read_only_and_never_the_callers():
    arr = np.zeros((3, 33, 2))
    clip = rf.Clip(
        xy=arr,
        visibility=np.ones((3, 33)),
        time=np.arange(3) / 30,
        fps=30,
        width=10,
        height=10,
        provenance={"source": "x", "steps": [1]},
    )
    arr[0, 0, 0] = 5.0
    assert clip.xy[0, 0, 0] == 0.0
    with pytest.raises(ValueError):
        clip.xy[0, 0, 0] = 1.0
    with pytest.raises(TypeError):
        clip.provenance["source"] = "y"
    assert clip.provenance["steps"] == (1,)


def test_quality_checks_run_on_keypoint_input(tmp_path):
    clip = simulate(fps=30.0, duration_s=3.0).to_clip()
    path = rf.io.write_keypoints_csv(clip, tmp_path / "k.csv")
    result = rf.analyze(path, near_side="left")
    assert "timing_fps" in {q.code for q in result.quality}  # 30 fps: single contacts untimed
