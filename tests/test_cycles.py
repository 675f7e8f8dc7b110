"""Gait-cycle normalisation against the simulated runner's exact truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from runform import TooShortError
from runform.cycles import cycle_curves, cycle_summary, strides


def periodic_events(stride=0.7, n=6, contact=0.25, t0=0.1):
    ic = t0 + stride * np.arange(n)
    return pd.DataFrame({"foot": "left", "ic_s": ic, "to_s": ic + contact})


def test_cycles_of_a_known_periodic_signal():
    fps, stride = 100.0, 0.7
    t = np.arange(0, 4.5, 1 / fps)
    ev = periodic_events(stride)
    y = 30 * np.sin(2 * np.pi * (t - 0.1) / stride)
    pct, curves, toe = cycle_curves(t, y, ev, "left")
    assert curves.shape == (5, 101)
    expect = 30 * np.sin(2 * np.pi * pct / 100)
    np.testing.assert_allclose(curves, np.broadcast_to(expect, curves.shape), atol=0.3)
    np.testing.assert_allclose(toe, 100 * 0.25 / 0.7)


def test_unequal_strides_are_normalised():
    t = np.arange(0, 3, 0.005)
    ev = pd.DataFrame({"foot": "left", "ic_s": [0.1, 0.8, 1.6, 2.2], "to_s": [0.3, 1.0, 1.8, 2.4]})
    phase = np.interp(t, [0.1, 0.8, 1.6, 2.2], [0, 1, 2, 3])  # cycle count, uneven strides
    pct, curves, _ = cycle_curves(t, phase, ev, "left")
    np.testing.assert_allclose(
        curves - curves[:, :1], np.broadcast_to(pct / 100, (3, 101)), atol=1e-9
    )


def test_summary_mean_sd_and_gaps():
    fps, stride = 60.0, 0.7
    t = np.arange(0, 4.5, 1 / fps)
    ev = periodic_events(stride)
    base = 20 * np.cos(2 * np.pi * (t - 0.1) / stride)
    ang = pd.DataFrame(
        {"time_s": t, "left_knee_flexion_deg": base, "trunk_lean_deg": np.full_like(t, 7.0)}
    )
    ang.loc[100:110, "left_knee_flexion_deg"] = np.nan
    df = cycle_summary(ang, ev, "left")
    assert df.attrs["n_strides"] == 5
    assert df["trunk_lean_deg_mean"].to_numpy() == pytest.approx(7.0)
    assert np.nanmax(df["left_knee_flexion_deg_sd"]) < 0.5
    assert df["left_knee_flexion_deg_mean"].iloc[0] == pytest.approx(20, abs=0.5)


def test_summary_needs_two_strides():
    t = np.arange(0, 1, 0.01)
    ang = pd.DataFrame({"time_s": t, "left_knee_flexion_deg": t, "trunk_lean_deg": t})
    with pytest.raises(TooShortError, match="two"):
        cycle_summary(ang, periodic_events(n=2), "left")


def test_long_gap_between_contacts_is_not_a_stride():
    ev = pd.DataFrame({"foot": "left", "ic_s": [0.1, 0.8, 3.5], "to_s": [0.3, 1.0, 3.7]})
    assert len(strides(ev, "left")) == 1


def test_simulated_runner_cycle_matches_truth():
    from runform.model import RunnerParams, simulate

    motion = simulate(RunnerParams(), fps=120.0, duration_s=4.0)
    truth = motion.truth_table()
    ev = pd.DataFrame(
        [
            {"foot": s, "ic_s": i, "to_s": o}
            for s in ("left", "right")
            for i, o in zip(motion.ic_s[s], motion.to_s[s], strict=False)
        ]
    )
    df = cycle_summary(truth, ev, "left", columns=["left_knee_flexion_deg"])
    assert df.attrs["toe_off_pct"] == pytest.approx(
        100 * motion.params.contact_time_s / motion.params.stride_time_s, abs=0.5
    )
    assert np.nanmax(df["left_knee_flexion_deg_sd"]) < 1.0  # a model repeats itself
    knee_ic = df["left_knee_flexion_deg_mean"].iloc[0]
    assert knee_ic == pytest.approx(motion.params.knee_flexion_ic_deg, abs=2.0)


def test_analysis_exposes_near_foot_cycles():
    from runform import analyze
    from runform.model import Camera, RunnerParams, simulate

    motion = simulate(RunnerParams(), fps=60.0, duration_s=4.0)
    clip = motion.to_clip(Camera(facing="right"))
    df = analyze(clip).cycles()
    side = clip.near_side
    assert df.attrs["foot"] == side and df.attrs["n_strides"] >= 4
    # the mean curve is the runner's knee: its swing peak is the model's within a few
    # degrees (8 Hz filter, events within a frame), and stance flexion is far below it
    mean = df[f"{side}_knee_flexion_deg_mean"].to_numpy()
    true_peak = motion.params.knee_flexion_swing_deg
    assert abs(np.nanmax(mean) - true_peak) < 5.0
    assert np.nanmin(mean[: len(mean) // 5]) < true_peak - 50
