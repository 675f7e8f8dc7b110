"""Angle conventions against synthetic poses whose angles are known exactly."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import pose_from_angles, to_image
from hypothesis import given, settings
from hypothesis import strategies as st

from runform import Clip
from runform.kinematics import ANGLES, angle_table, angles

SIDES = ("left", "right")


def make_clip(thigh, shank, foot, lean, direction, side="left", **kw):
    pts = to_image(pose_from_angles(thigh, shank, foot, lean, **kw), direction)
    n = len(np.atleast_1d(thigh))
    arrays = {f"{side}_{k}": np.broadcast_to(v, (n, 2)) for k, v in pts.items() if k != "shoulder"}
    arrays["left_shoulder"] = arrays["right_shoulder"] = np.broadcast_to(pts["shoulder"], (n, 2))
    other = "right" if side == "left" else "left"
    arrays[f"{other}_hip"] = arrays[f"{side}_hip"]
    return Clip.from_arrays(arrays, fps=60, direction=direction, width=1280, height=800)


def expected(thigh, shank, foot, lean):
    """Angles from the definitions of science.md §1, written independently."""
    return {
        "thigh_angle": thigh,
        "shank_angle": shank,
        "knee_flexion": thigh - shank,
        "hip_flexion": thigh + lean,
        "foot_angle": foot,
        "trunk_lean": lean,
        # ankle: 0 when foot ⟂ shank; shank direction (ankle→knee) is 90°+shank from +X
        "ankle_dorsiflexion": 90.0 - ((90.0 + shank) - foot),
    }


@pytest.mark.parametrize("direction", ["left", "right"])
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize(
    "thigh,shank,foot,lean",
    [
        (25.0, 5.0, 18.0, 7.0),  # rearfoot contact, reaching lower leg
        (-18.0, -45.0, -20.0, 10.0),  # toe-off: thigh behind, plantarflexed
        (0.0, 0.0, 0.0, 0.0),  # standing: every angle zero
        (60.0, -60.0, -60.0, -5.0),  # swing: knee flexed 120°, backward lean
        (89.0, -89.0, 89.0, 30.0),  # near ±90°
        (10.0, 30.0, -8.0, 3.0),  # hyperextended knee (negative flexion)
    ],
)
def test_every_angle_known_pose(thigh, shank, foot, lean, direction, side):
    df = angles(make_clip([thigh], [shank], [foot], [lean], direction, side))
    want = expected(thigh, shank, foot, lean)
    for name, value in want.items():
        col = "trunk_lean_deg" if name == "trunk_lean" else f"{side}_{name}_deg"
        wrapped = (value + 180) % 360 - 180
        assert df[col].iloc[0] == pytest.approx(wrapped, abs=1e-6), col


def test_no_wraparound_jump_through_180():
    """A foot rotating smoothly past vertical (toe up 80° → 100°) has no 360° jump."""
    foot = np.linspace(80, 100, 41)
    df = angles(make_clip(np.zeros(41), np.zeros(41), foot, np.zeros(41), "left"))
    np.testing.assert_allclose(df["left_foot_angle_deg"], foot, atol=1e-6)
    assert np.all(np.abs(np.diff(df["left_ankle_dorsiflexion_deg"])) < 1.0)


def test_standing_calibration_subtracted():
    clip = make_clip([0.0], [0.0], [6.0], [0.0], "right").replace(
        calibration={"ankle_deg": 6.0, "foot_deg": 6.0}
    )
    df = angles(clip)
    assert df["left_foot_angle_deg"].iloc[0] == pytest.approx(0.0, abs=1e-9)
    assert df["left_ankle_dorsiflexion_deg"].iloc[0] == pytest.approx(0.0, abs=1e-9)


def test_calibration_per_side():
    clip = make_clip([0.0], [0.0], [6.0], [0.0], "right").replace(
        calibration={"foot_deg": {"left": 6.0, "right": 2.0}}
    )
    assert angles(clip)["left_foot_angle_deg"].iloc[0] == pytest.approx(0.0, abs=1e-9)


def test_missing_points_give_nan_not_error():
    clip = make_clip([10.0], [5.0], [3.0], [2.0], "right")
    xy = clip.xy.copy()
    xy[:, :, :] = np.nan
    df = angles(clip.replace(xy=xy))
    assert df.drop(columns="time_s").isna().all().all()


def test_table_documents_every_angle():
    table = angle_table()
    assert set(table.index) == {a.name for a in ANGLES}
    assert table["positive"].str.len().min() > 5


angle = st.floats(-70, 70)


@settings(max_examples=60, deadline=None)
@given(
    thigh=angle,
    shank=angle,
    foot=st.floats(-40, 40),
    lean=st.floats(-20, 30),
    dx=st.floats(-500, 500),
    dy=st.floats(-300, 300),
    scale=st.floats(100, 2000),
)
def test_invariant_to_translation_scale_and_mirroring(thigh, shank, foot, lean, dx, dy, scale):
    base = angles(make_clip([thigh], [shank], [foot], [lean], "right"))
    pts = to_image(
        pose_from_angles([thigh], [shank], [foot], [lean]),
        "left",
        scale=scale,
        origin=(640 + dx, 700 + dy),
    )
    arrays = {f"left_{k}": v for k, v in pts.items() if k != "shoulder"}
    arrays["left_shoulder"] = arrays["right_shoulder"] = pts["shoulder"]
    arrays["right_hip"] = arrays["left_hip"]
    moved = angles(Clip.from_arrays(arrays, fps=30, direction="left", width=5000, height=5000))
    cols = [c for c in base.columns if c != "time_s" and not c.startswith("right_")]
    np.testing.assert_allclose(moved[cols].to_numpy(), base[cols].to_numpy(), atol=1e-6)
