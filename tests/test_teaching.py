"""Teaching modules (ankle, squat, crank, RBDS001 reader) against geometry checked by hand."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from runform.kinematics import sagittal_angles
from runform.model import RunnerParams, events_table, simulate
from runform.teaching import ankle, crank, rbds, squat


# ------------------------------------------------------------------ ankle
def test_knee_to_wall_angle_by_hand():
    # foot 24 cm -> a = 18 cm; d = 10 cm, L = 56 cm: (10 + 18) / 56 = 0.5 -> 30 degrees
    assert ankle.knee_to_wall_angle(10.0, foot_cm=24.0, shank_cm=56.0) == pytest.approx(30.0)
    # slope there: 1 / (L cos 30°) rad/cm = 1 / (56 * 0.8660) * 57.2958 = 1.1814 °/cm
    assert ankle.knee_to_wall_slope(10.0, 24.0, 56.0) == pytest.approx(1.1814, abs=1e-3)
    # inverse: d = L sin(theta) - a
    assert ankle.knee_to_wall_distance(30.0, 24.0, 56.0) == pytest.approx(10.0)
    # the knee cannot reach a wall beyond the shank: NaN, not an angle
    assert math.isnan(ankle.knee_to_wall_angle(60.0, 24.0, 40.0))


def test_knee_to_wall_slope_is_nowhere_near_3_6_deg_per_cm():
    d = np.arange(0.0, 15.1, 1.0)
    for foot, shank in ((22, 40), (26, 43), (29, 50)):
        s = ankle.knee_to_wall_slope(d, foot, shank)
        assert np.all((s > 1.2) & (s < 2.4)), (foot, shank, s)
    # slope grows with distance (the relation bends): not a straight line
    assert ankle.knee_to_wall_slope(15, 26, 43) > ankle.knee_to_wall_slope(0, 26, 43) + 0.5


def test_seed_pass_band_in_healthy_distribution():
    band = ankle.seed_pass_band()
    assert band["cm"] == pytest.approx((7.62, 12.7))
    # (7.62 - 10.3) / 3.0 = -0.893; (12.7 - 10.3) / 3.0 = +0.8
    assert band["z"] == pytest.approx((-0.8933, 0.8), abs=1e-3)
    assert band["percentile"][0] == pytest.approx(18.6, abs=0.1)


@pytest.mark.parametrize("df", [-30.0, -8.0, 0.0, 12.0, 23.0])
@pytest.mark.parametrize("lean", [0.0, 20.0])
def test_drawn_ankle_has_runforms_angle(df, lean):
    p = ankle.ankle_points(df, shank_lean_deg=lean)
    pts = {f"left_{k}": v[None] for k, v in p.items()}
    for k in ("hip", "shoulder"):
        pts[f"left_{k}"] = np.array([[0.0, 90.0]])
    for k in ("hip", "knee", "ankle", "heel", "foot_index", "shoulder"):
        pts[f"right_{k}"] = pts.get(f"left_{k}", np.full((1, 2), np.nan))
    got = sagittal_angles(pts)["left_ankle_dorsiflexion_deg"][0]
    assert got == pytest.approx(df, abs=1e-9)
    # shank leaning forward: knee ahead of the ankle (negative shank angle in runform)
    assert sagittal_angles(pts)["left_shank_angle_deg"][0] == pytest.approx(-lean, abs=1e-9)


# ------------------------------------------------------------------ squat
def test_unlimited_dorsiflexion_keeps_the_trunk_upright():
    s = squat.squat(math.inf, thigh_deg=-45.0)  # a half squat, thighs 45° above horizontal
    assert not s.limited and s.feasible
    assert s.trunk_deg == pytest.approx(0.0, abs=1e-9)
    assert s.hip_arm_m == pytest.approx(0.0, abs=1e-9)  # HAT straight above the hip
    # centre of mass over mid-foot
    mid = 0.5 * (s.points["heel"][0] + s.points["toe"][0])
    assert s.points["com"][0] == pytest.approx(mid, abs=1e-9)


def test_limited_dorsiflexion_forces_the_trunk_forward_and_moves_load_to_the_hip():
    free = squat.squat(math.inf, thigh_deg=-45.0)
    stiff = squat.squat(30.0, thigh_deg=-45.0)
    assert stiff.limited and stiff.shank_deg == pytest.approx(30.0)
    assert stiff.trunk_deg > 20.0
    mid = 0.5 * (stiff.points["heel"][0] + stiff.points["toe"][0])
    assert stiff.points["com"][0] == pytest.approx(mid, abs=1e-9)  # still balanced
    assert stiff.hip_share > free.hip_share + 0.3
    assert stiff.knee_moment_nm < free.knee_moment_nm


def test_moment_arms_from_known_segment_angles():
    s = squat.squat(30.0, thigh_deg=0.0, body_kg=70.0)
    p, seg = s.points, squat._lengths(1.75)
    # knee and hip positions from the angles, by hand
    knee = np.array(
        [
            seg["shank"] * math.sin(math.radians(30)),
            seg["ankle_height"] + seg["shank"] * math.cos(math.radians(30)),
        ]
    )
    assert p["knee"] == pytest.approx(knee)
    assert p["hip"] == pytest.approx(knee - np.array([seg["thigh"], 0.0]))
    # hip arm: the HAT centre of mass 0.626 of the trunk ahead of the hip at the trunk lean
    arm = 0.626 * seg["trunk"] * math.sin(math.radians(s.trunk_deg))
    assert s.hip_arm_m == pytest.approx(arm)
    assert s.hip_moment_nm == pytest.approx(9.81 * 0.678 * 70 / 2 * arm)


def test_knee_over_toe_restriction_shifts_torque_like_fry_2003():
    free = squat.squat(math.inf, 0.0, bar_kg=60.0)
    blocked = squat.squat(squat.knee_over_toe_deg(), 0.0, bar_kg=60.0)
    # Fry 2003: hip share 28/178 = 16 % free, 303/420 = 72 % blocked; the model: same shift
    assert free.hip_share < 0.3 and blocked.hip_share > 0.6
    assert squat.knee_over_toe_deg() == pytest.approx(
        math.degrees(math.asin(0.75 * 0.152 / (0.285 - 0.039)))
    )


def test_sweep_table():
    t = squat.sweep([20, 30, 40], thigh_deg=-45)
    assert list(t["df_limit_deg"]) == [20, 30, 40]
    assert t["trunk_deg"].is_monotonic_decreasing and t["feasible"].all()


# ------------------------------------------------------------------ crank
def test_hip_flexion_is_thigh_plus_lean():
    # 7° lean + thigh 15° behind vertical = only 8° of extension vs the trunk
    assert crank.hip_flexion(-15.0, 7.0) == pytest.approx(-8.0)


def test_angular_velocity_of_a_sine():
    t = np.arange(0, 1, 0.001)
    v = crank.angular_velocity(t, 20 * np.sin(2 * np.pi * t))
    assert v[500] == pytest.approx(-20 * 2 * np.pi, rel=1e-4)
    assert np.isnan(v[0]) and np.isnan(v[-1])


def test_crank_on_simulated_runner_matches_its_parameters():
    p = RunnerParams(hip_extension_deg=20.0, thigh_flexion_swing_deg=35.0)
    m = simulate(p, fps=200, duration_s=3.0)
    tt, ev = m.truth_table(), events_table(m)
    table = crank.crank_strides(tt["time_s"], tt["right_thigh_angle_deg"], ev, "right")
    assert len(table) >= 3
    # the model puts the thigh exactly hip_extension_deg behind vertical at toe-off
    assert table["thigh_to_deg"].to_numpy() == pytest.approx(-20.0, abs=0.5)
    assert table["peak_flexion_deg"].to_numpy() == pytest.approx(35.0, abs=1.0)
    assert (table["peak_back_velocity_dps"] < 0).all()
    s = crank.crank_summary(table, 200)
    assert s.loc["peak_extension_vs_to_ms", "uncertainty"] >= 2.5  # half a frame at 200 fps
    pp = crank.phase_portrait(tt["time_s"], tt["right_thigh_angle_deg"], ev, "right")
    assert pp["to"][:, 0] == pytest.approx(-20.0, abs=0.5)


def test_crank_grows_with_speed_in_the_model():
    peaks = []
    for v in (2.5, 3.5, 4.5):
        m = simulate(RunnerParams(speed_mps=v), fps=120, duration_s=3.0)
        tt, ev = m.truth_table(), events_table(m)
        t = crank.crank_strides(tt["time_s"], tt["right_thigh_angle_deg"], ev, "right")
        peaks.append(-t["peak_back_velocity_dps"].mean())
    assert peaks[0] < peaks[1] < peaks[2]


# ------------------------------------------------------------------ RBDS001
_SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _shared_data(monkeypatch):
    """Point RUNFORM_DATA_DIR at ../shared/data when it exists and nothing else is set."""
    if not os.environ.get("RUNFORM_DATA_DIR") and _SHARED.is_dir():
        monkeypatch.setenv("RUNFORM_DATA_DIR", str(_SHARED))


def _rbds(speed):
    if not os.environ.get("RUNFORM_DATA_DIR") and _SHARED.is_dir():
        os.environ["RUNFORM_DATA_DIR"] = str(_SHARED)  # only for the skip decision below
        try:
            return rbds.available(speed)
        finally:
            del os.environ["RUNFORM_DATA_DIR"]
    return rbds.available(speed)


needs_rbds = pytest.mark.skipif(
    not _rbds(2.5), reason="Fukuchi RBDS001 data not present (../shared)"
)


@needs_rbds
def test_rbds_thigh_matches_the_rigid_pelvis_reconstruction():
    from tests.support import fukuchi

    t, thigh, ev = rbds.thigh_trial(2.5, duration_s=5.0)
    c = fukuchi.joint_centres("25")
    v = c["right_knee"] - c["right_hip"]
    ref = np.degrees(np.arctan2(v[: len(t), 0], -v[: len(t), 1]))
    assert np.nanmax(np.abs(ref - thigh)) < 1.5  # Harrington per frame vs rigid pelvis fit
    assert isinstance(ev, pd.DataFrame) and set(ev["foot"]) == {"left", "right"}


@needs_rbds
@pytest.mark.skipif(not _rbds(3.5), reason="3.5 m/s trial needs ezc3d")
def test_rbds_crank_grows_from_2_5_to_3_5_mps():
    out = {}
    for sp in (2.5, 3.5):
        t, thigh, ev = rbds.thigh_trial(sp)
        out[sp] = crank.crank_summary(crank.crank_strides(t, thigh, ev, "right"), 150)
    # thigh angular velocity about 250 -> 330 °/s; extension at TO about -18 -> -23°
    assert out[2.5].loc["peak_back_velocity_dps", "mean"] == pytest.approx(-251, abs=15)
    assert out[3.5].loc["peak_back_velocity_dps", "mean"] == pytest.approx(-337, abs=20)
    assert out[3.5].loc["thigh_to_deg", "mean"] < out[2.5].loc["thigh_to_deg", "mean"] - 3
