"""Cleaning: gap filling, filtering and swap repair on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import pose_from_angles, to_image

from runform import Clip, InputError
from runform.clean import (
    bridge_feet_overlap,
    butterworth,
    clean,
    default_cutoff,
    feet_overlap,
    fill_gaps,
    filter_signal,
    mask_low_visibility,
    mask_outside_image,
    repair_swaps,
    residual_analysis,
)
from runform.landmarks import INDEX


def gait_clip(n=240, fps=60.0):
    """Two rigid legs running half a cycle apart, pixels, with exactly known positions."""
    t = np.arange(n) / fps
    pts = {}
    for side, off in (("left", 0.0), ("right", np.pi)):
        ph = 2 * np.pi * 1.4 * t + off
        thigh = 5 + 30 * np.sin(ph)
        knee_flex = 45 - 40 * np.cos(ph - 0.6)
        leg = pose_from_angles(
            thigh, thigh - knee_flex, -5 + 15 * np.sin(ph + 0.3), 7 + 0 * t, hip=(0.0, 0.95)
        )
        img = to_image(leg, "right", scale=400.0, origin=(500.0, 800.0))
        for joint in ("hip", "knee", "ankle", "heel", "foot_index"):
            pts[f"{side}_{joint}"] = img[joint]
    return Clip.from_arrays(pts, fps=fps, width=1000, height=800)


def test_fill_gaps_linear_and_limited():
    clip = gait_clip(fps=50.0)
    xy = clip.xy.copy()
    j = INDEX["left_ankle"]
    xy[10:15, j] = np.nan  # 5 frames = 100 ms: filled
    xy[40:47, j] = np.nan  # 7 frames = 140 ms: kept missing
    xy[:3, j] = np.nan  # leading gap: never invented
    out = fill_gaps(clip.replace(xy=xy), max_gap_s=0.12).xy[:, j]
    expect = np.linspace(xy[9, j], xy[15, j], 7)[1:-1]
    np.testing.assert_allclose(out[10:15], expect)
    assert np.isnan(out[40:47]).all() and np.isnan(out[:3]).all()


def test_mask_low_visibility():
    clip = gait_clip()
    vis = clip.visibility.copy()
    vis[5, INDEX["right_heel"]] = 0.3
    out = mask_low_visibility(clip.replace(visibility=vis), 0.5)
    assert np.isnan(out.xy[5, INDEX["right_heel"]]).all()
    assert np.isfinite(out.xy[5, INDEX["left_heel"]]).all()


def test_butterworth_passes_slow_and_removes_fast():
    fps = 60.0
    t = np.arange(600) / fps
    slow = np.sin(2 * np.pi * 1.5 * t)
    fast = 0.5 * np.sin(2 * np.pi * 20 * t)
    out = filter_signal(slow + fast, fps, 6.0)
    core = slice(60, -60)
    assert np.max(np.abs(out[core] - slow[core])) < 0.03
    # the cutoff is the -3 dB point of the dual-pass filter (Winter's correction)
    at_cut = filter_signal(np.sin(2 * np.pi * 6.0 * t), fps, 6.0)
    assert np.std(at_cut[core]) / np.std(np.sin(2 * np.pi * 6.0 * t)[core]) == pytest.approx(
        1 / np.sqrt(2), abs=0.04
    )


def test_filter_keeps_nan_gaps_and_zero_lag():
    fps = 100.0
    t = np.arange(400) / fps
    y = np.sin(2 * np.pi * 2 * t)
    y[200:210] = np.nan
    out = filter_signal(y, fps, 8.0)
    assert np.isnan(out[200:210]).all()
    # zero lag: a 2 Hz wave under an 8 Hz filter comes out where it went in (a one-frame
    # lag alone would leave errors of 0.12)
    assert np.nanmax(np.abs(out[30:180] - y[30:180])) < 0.02


def test_cutoff_too_high_is_explained():
    with pytest.raises(InputError, match="Nyquist"):
        filter_signal(np.zeros(100), 30.0, 14.0)


@pytest.mark.parametrize("fps,expect", [(25, 6.0), (30, 6.0), (60, 8.0), (120, 10.0), (240, 10.0)])
def test_default_cutoff_by_frame_rate(fps, expect):
    assert default_cutoff(fps) == expect


def test_residual_analysis_suggests_cutoff_between_signal_and_noise():
    rng = np.random.default_rng(1)
    fps = 120.0
    t = np.arange(1200) / fps
    y = np.sin(2 * np.pi * 1.5 * t) + 0.4 * np.sin(2 * np.pi * 4 * t)
    noisy = y + 0.05 * rng.standard_normal(len(t))
    _cut, res, suggested = residual_analysis(noisy, fps)
    assert 4.0 <= suggested <= 16.0
    assert res[0] > res[-1]


@pytest.mark.parametrize("kind", ["leg", "foot"])
def test_swap_repair_recovers_planted_swaps(kind):
    truth = gait_clip()
    rng = np.random.default_rng(3)
    joints = (
        ["knee", "ankle", "heel", "foot_index"]
        if kind == "leg"
        else ["ankle", "heel", "foot_index"]
    )
    xy = truth.xy.copy()
    planted = []
    for start in rng.choice(np.arange(10, 220, 25), 6, replace=False):
        run = slice(start, start + rng.integers(1, 6))
        planted.append(run)
        for j in joints:
            li, ri = INDEX[f"left_{j}"], INDEX[f"right_{j}"]
            xy[run, li], xy[run, ri] = truth.xy[run, ri], truth.xy[run, li]
    repaired, n = repair_swaps(truth.replace(xy=xy))
    err = np.linalg.norm(repaired.xy - truth.xy, axis=2)
    leg = 360.0
    assert n > 0
    assert np.nanmax(err) < 0.05 * leg  # every planted swap undone (crossings are near-equal)


def test_swap_repair_leaves_clean_data_alone():
    truth = gait_clip()
    repaired, _ = repair_swaps(truth)
    # relabelling is allowed only where the legs cross (and the points nearly coincide)
    err = np.linalg.norm(repaired.xy - truth.xy, axis=2)
    assert np.nanmax(err) < 0.05 * 360.0


def test_clean_chain_records_its_steps():
    out = clean(gait_clip())
    steps = out.provenance["processing"]
    assert steps[0].startswith("mask") and steps[-1].startswith("butterworth 8 Hz")
    assert out.cutoff_hz == 8.0
    assert butterworth(gait_clip(), 5.0).cutoff_hz == 5.0
    assert butterworth(gait_clip(), None).cutoff_hz is None  # None = no filtering


def test_landmarks_outside_the_image_are_masked():
    """A runner leaving the frame: points past the border become unknown, others stay."""
    n = 5
    x = np.array([[-3.0, 10.0], [0.0, 10.0], [320.0, 479.0], [640.5, 10.0], [639.0, -0.1]])
    clip = Clip.from_arrays(
        {"left_knee": x, "nose": np.full((n, 2), 100.0)}, 30.0, width=640, height=480
    )
    out = mask_outside_image(clip)
    knee = out.point("left_knee")
    assert np.isnan(knee[[0, 3, 4]]).all()
    assert np.array_equal(knee[[1, 2]], x[[1, 2]])  # on the border counts as inside
    assert (out.visibility[[0, 3, 4], INDEX["left_knee"]] == 0).all()
    assert np.array_equal(out.point("nose"), clip.point("nose"))
    # part of the standard chain, and can be switched off
    assert np.isnan(clean(clip, cutoff_hz=None).point("left_knee")[0]).all()
    kept = clean(clip, cutoff_hz=None, inside_image=False, max_gap_s=0)
    assert np.array_equal(kept.point("left_knee")[0], x[0])


def crossing_feet(speed_px: float, n: int, fps: float = 50.0) -> Clip:
    """Two feet of one shape sliding past each other at ``speed_px`` per frame each.

    The ankles move in straight lines, so the true heel and toe are linear in time and
    an interpolation across the crossing is exact. Foot length 28.1 px; the foot
    centres are ``|400 - 2 * speed_px * frame|`` px apart.
    """
    f = np.arange(n, dtype=float)
    pts = {}
    for side, x0, v in (("left", 100.0, speed_px), ("right", 500.0, -speed_px)):
        ankle = np.stack([x0 + v * f, np.full(n, 300.0)], axis=1)
        pts[f"{side}_ankle"] = ankle
        pts[f"{side}_heel"] = ankle + np.array([-8.0, 12.0])
        pts[f"{side}_foot_index"] = ankle + np.array([20.0, 14.0])
    return Clip.from_arrays(pts, fps=fps, width=1000, height=800)


def test_feet_bridged_where_they_overlap():
    """Heel and toe dragged towards the other foot at a crossing are re-interpolated."""
    truth = crossing_feet(10.0, 40)  # centres < 1 foot length apart in frames 19-21
    over = feet_overlap(truth)
    assert np.flatnonzero(over).tolist() == [19, 20, 21]
    xy = truth.xy.copy()
    for name in ("left_heel", "right_foot_index", "left_ankle"):
        xy[19:22, INDEX[name]] += [6.0, -9.0]  # pulled towards the other foot
    out = bridge_feet_overlap(truth.replace(xy=xy))
    for name in ("left_heel", "right_foot_index"):
        np.testing.assert_allclose(out.point(name), truth.point(name), atol=1e-9)
    # the ankle belongs to the shank too: left as measured
    np.testing.assert_array_equal(out.point("left_ankle"), xy[:, INDEX["left_ankle"]])
    assert out.provenance["processing"][-1] == "bridge feet overlap (3 frames)"


def test_feet_overlap_longer_than_the_gap_limit_is_kept():
    """A crossing slower than 120 ms keeps its measurements (nothing is invented)."""
    clip = crossing_feet(2.0, 200)  # centres overlap for 14 frames = 280 ms at 50 fps
    xy = clip.xy.copy()
    xy[95:105, INDEX["left_heel"]] += [6.0, -9.0]
    out = bridge_feet_overlap(clip.replace(xy=xy))
    np.testing.assert_array_equal(out.xy, xy)
    assert out.provenance["processing"][-1] == "bridge feet overlap (0 frames)"
    # part of the standard chain, and can be switched off
    assert clean(clip, cutoff_hz=None).provenance["processing"][-1].startswith("bridge feet")
    assert not any("bridge" in p for p in clean(clip, feet=False).provenance["processing"])


def test_filter_preview_at_the_clip_cutoff_gives_the_analysis_angles():
    """The filter widget's preview is the analysis itself at the clip's own cutoff: the
    feet are bridged where they overlap before filtering, as in analyze()."""
    import runform as rf
    from runform import data
    from runform.clean import butterworth, filter_preview
    from runform.kinematics import angles

    result = rf.analyze(data.load("rearfoot_treadmill").clip)
    cutoff = result.clip.cutoff_hz
    _, preview = filter_preview(result.cleaned, cutoff)
    cols = [c for c in result.angles.columns if c.endswith("_deg")]
    np.testing.assert_allclose(preview[cols], result.angles[cols], atol=1e-9)
    # without the bridge the foot angles differ: the check above can fail
    plain = angles(butterworth(result.cleaned, cutoff))
    assert np.nanmax(np.abs(plain[cols].to_numpy() - result.angles[cols].to_numpy())) > 1.0
