"""Ground-line tilt: level and rolled grounds, heel and toe at different heights."""

from __future__ import annotations

import numpy as np
import pytest

from runform import Clip
from runform.ground import ground_tilt_deg
from runform.model import Camera, RunnerParams, simulate

try:
    from tests.support import fukuchi
except ImportError:
    from support import fukuchi


def rolled(clip: Clip, deg: float) -> Clip:
    """The same clip seen by a camera rolled by ``deg`` (image rotated about its centre)."""
    c = np.array([clip.width / 2, clip.height / 2])
    a = np.radians(deg)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])  # y down image
    return clip.replace(xy=(clip.xy - c) @ rot.T + c)


@pytest.mark.parametrize("facing", ["left", "right"])
def test_level_ground_reads_zero(facing):
    clip = simulate(RunnerParams(), fps=60, duration_s=3).to_clip(Camera(facing=facing))
    assert ground_tilt_deg(clip.oriented(), clip.near_side) == pytest.approx(0.0, abs=0.3)


@pytest.mark.parametrize("roll", [-6.0, 4.0])
def test_camera_roll_is_measured(roll):
    clip = simulate(RunnerParams(), fps=60, duration_s=3).to_clip(Camera(facing="right"))
    tilt = ground_tilt_deg(rolled(clip, roll).oriented(), "right")
    assert tilt == pytest.approx(roll, abs=0.5)


@pytest.mark.skipif(not fukuchi.available(), reason="Fukuchi 2017 data not in ../shared/data")
def test_level_belt_with_markers_at_different_heights():
    """Heel-bottom and MT markers sit 34 and 47 mm above the belt: still level."""
    clip = fukuchi.to_clip("25", fps=60)
    for side in ("left", "right"):
        assert ground_tilt_deg(clip, side) == pytest.approx(0.0, abs=1.0)
