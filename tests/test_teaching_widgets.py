"""Teaching widgets, headless: each draws, and a slider step changes what it shows."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("ipywidgets")

from runform.teaching import ankle, crank, squat
from runform.widgets.ankle import AnkleDiagram
from runform.widgets.crank import CrankSpeed, ThighVsHip
from runform.widgets.knee_wall import KneeToWall
from runform.widgets.squat import SquatExplorer

PNG = b"\x89PNG"


def test_ankle_diagram_redraws():
    d = AnkleDiagram(10)
    first = d.image.value
    d.slider.value = -20
    assert bytes(d.image.value).startswith(PNG) and bytes(d.image.value) != bytes(first)


def test_knee_to_wall_readout_follows_geometry():
    k = KneeToWall(10.0, 26.0, 43.0)
    assert k.angle_deg == pytest.approx(ankle.knee_to_wall_angle(10.0, 26.0, 43.0))
    k.distance.value = 14.0
    assert k.angle_deg == pytest.approx(math.degrees(math.asin((14 + 19.5) / 43)))
    assert "z = +1.23" in k.readout.value  # (14 - 10.3) / 3.0


def test_squat_explorer_moves_load_to_the_hip():
    s = SquatExplorer(limit_deg=45, depth_deg=0, bar_kg=60)
    share45 = s.pose.hip_share
    s.limit.value = 30
    assert s.pose.hip_share > share45 + 0.15
    assert s.pose.hip_share == pytest.approx(squat.squat(30, 0, bar_kg=60).hip_share)
    s.bar.value = 0
    s.limit.value = 20  # no balanced parallel squat without a bar
    assert not s.pose.feasible and "no balanced squat" in s.readout.value


def test_thigh_vs_hip_parts_with_lean():
    w = ThighVsHip(thigh_deg=-15, lean_deg=7)
    assert w.hip_deg == pytest.approx(-8.0)
    w.lean.value = 15
    assert w.hip_deg == pytest.approx(float(crank.hip_flexion(-15, 15)))


def test_crank_speed_grows():
    w = CrankSpeed(speed_mps=3.0)
    slow = -w.table["peak_back_velocity_dps"].mean()
    w.speed.value = 4.5
    assert -w.table["peak_back_velocity_dps"].mean() > slow * 1.3


def test_condition_table_grades_rows():
    pytest.importorskip("runform.exercises")
    from runform.widgets.conditions import ConditionTable

    q = ConditionTable(
        "?",
        rows={"4°": "NWB straight", "39°": "lunge"},
        options=["lunge", "NWB straight"],
        hints=["nudge", "stronger"],
    )
    fb = q.check({"4°": "lunge", "39°": "lunge"})
    assert not fb.correct and "1 of 2" in fb.message and fb.hint == "nudge"
    assert "NWB straight" not in fb.message  # never gives the answer away
    assert q.check({"4°": "NWB straight", "39°": "lunge"}).correct and q.solved
