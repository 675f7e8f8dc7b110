"""The automatic orientation detectors (direction, treadmill, near side) on synthetic clips.

``RunnerMotion.to_clip`` presets direction, near side and treadmill from the camera,
and :func:`runform.orientation.orient` keeps preset values, so every clip here has its
presets cleared before a detector sees it. The runner comes from the simulated model
(exact geometry); the cues a pose model adds on top of positions are made here from the
3D scene: a relative depth per landmark (the mannequin's distance from the camera minus
the hip midpoint's, as MediaPipe reports it: smaller = nearer) and a lower visibility
on the far side (MediaPipe's visibility drops for occluded landmarks).

Cases: runner facing image-left and image-right, near side left and right (the two
combinations a plain camera cannot give come from a mirrored video, as phone front
cameras record), treadmill with a fixed camera, overground with a fixed camera,
overground with a camera that pans with the runner, and one that pans too slowly.
"""

from __future__ import annotations

import numpy as np
import pytest

from runform.clip import Clip
from runform.errors import RunformWarning
from runform.landmarks import INDEX
from runform.model import Camera, RunnerParams, simulate
from runform.orientation import (
    OVERGROUND_SPEED,
    detect_direction,
    detect_near_side,
    detect_treadmill,
    hip_speed,
    leg_length_px,
    orient,
)

PARAMS = RunnerParams(speed_mps=3.3, stature_m=1.75)
#: Hip→knee→ankle length of the model as a fraction of stature (Winter thigh + shank).
LEG_PER_STATURE = 0.245 + 0.246
FAR_VISIBILITY, NEAR_VISIBILITY = 0.6, 0.95


def _scene(facing: str, *, treadmill: bool, follow: bool, fps: float = 60.0):
    motion = simulate(PARAMS, fps=fps, duration_s=2.0, treadmill=treadmill)
    camera = Camera(facing=facing, follow=follow, distance_m=8.0, image_size=(1280, 720))
    return motion, camera


def cleared(clip: Clip) -> Clip:
    """The clip with every orientation preset removed."""
    return clip.replace(direction=None, near_side=None, treadmill=None)


def synthetic(
    facing: str = "left",
    *,
    treadmill: bool = True,
    follow: bool = False,
    depth: bool = True,
    visibility: bool = True,
    mirror: bool = False,
) -> Clip:
    """A cleared clip of the simulated runner, with optional depth and visibility cues."""
    motion, camera = _scene(facing, treadmill=treadmill, follow=follow)
    clip = motion.to_clip(camera)
    cam_y = camera.y_m
    hip_depth = np.abs(cam_y - motion.joints["mid_hip"][:, 1])
    dep = np.full(clip.visibility.shape, np.nan)
    vis = clip.visibility.copy()
    for name, i in INDEX.items():
        if name in motion.joints:
            dep[:, i] = np.abs(cam_y - motion.joints[name][:, 1]) - hip_depth
            far = name.startswith("right_" if camera.near_side == "left" else "left_")
            vis[:, i] = FAR_VISIBILITY if far else NEAR_VISIBILITY
    xy = clip.xy.copy()
    if mirror:
        xy[..., 0] = clip.width - xy[..., 0]
    return cleared(
        clip.replace(
            xy=xy, depth=dep if depth else None, visibility=vis if visibility else clip.visibility
        )
    )


def _pan(clip: Clip, fraction: float) -> Clip:
    """Shift every frame by ``fraction`` of the hip midpoint's travel (a camera panning)."""
    hip = 0.5 * (clip.point("left_hip")[:, 0] + clip.point("right_hip")[:, 0])
    xy = clip.xy.copy()
    xy[..., 0] -= fraction * (hip - hip[0])[:, None]
    return clip.replace(xy=xy)


# ------------------------------------------------------------------ treadmill vs overground
@pytest.mark.parametrize("facing", ["left", "right"])
def test_hip_speed_is_running_speed_in_leg_lengths(facing):
    clip = synthetic(facing, treadmill=False)
    expected = PARAMS.speed_mps / (LEG_PER_STATURE * PARAMS.stature_m)  # ≈ 3.84 leg/s
    sign = 1.0 if facing == "right" else -1.0
    # the legs are ±hip half-width (≈ 0.09 m) off the hips' plane at 8 m: ±1.2 % scale
    assert hip_speed(clip) == pytest.approx(sign * expected, rel=0.02)
    assert abs(hip_speed(synthetic(facing, treadmill=True))) < 0.01


@pytest.mark.parametrize("facing", ["left", "right"])
@pytest.mark.parametrize(
    "treadmill,follow,expected",
    [
        (True, False, True),  # treadmill, fixed camera
        (False, False, False),  # overground, fixed camera: the runner crosses the frame
        (False, True, True),  # overground, a camera panning with the runner
    ],
)
def test_detect_treadmill(facing, treadmill, follow, expected):
    assert detect_treadmill(synthetic(facing, treadmill=treadmill, follow=follow)) is expected


def test_detect_treadmill_threshold_on_a_lagging_pan():
    """A pan that keeps only part of the runner's speed: overground above the threshold."""
    ground = synthetic("right", treadmill=False)
    v = hip_speed(ground)
    slow = 1.0 - 0.5 * OVERGROUND_SPEED / v  # leaves half the threshold speed
    fast = 1.0 - 2.0 * OVERGROUND_SPEED / v  # leaves twice the threshold speed
    assert detect_treadmill(_pan(ground, slow)) is True
    assert detect_treadmill(_pan(ground, fast)) is False
    assert hip_speed(_pan(ground, fast)) == pytest.approx(2 * OVERGROUND_SPEED, rel=0.03)


# ------------------------------------------------------------------ direction
@pytest.mark.parametrize("facing", ["left", "right"])
@pytest.mark.parametrize("treadmill,follow", [(True, False), (False, False), (False, True)])
def test_detect_direction(facing, treadmill, follow):
    clip = synthetic(facing, treadmill=treadmill, follow=follow)
    assert detect_direction(clip) == facing
    assert detect_direction(clip.replace(xy=_mirror_x(clip))) == _other(facing)


@pytest.mark.parametrize("facing", ["left", "right"])
def test_direction_from_each_cue_alone(facing):
    """Feet only, face only (treadmill: no travel), and travel only (overground)."""
    tread = synthetic(facing, treadmill=True)
    no_face = _without(tread, ("nose", "left_ear", "right_ear"))
    no_feet = _without(
        tread, [f"{s}_{j}" for s in ("left", "right") for j in ("heel", "foot_index")]
    )
    assert detect_direction(no_face) == facing
    assert detect_direction(no_feet) == facing
    ground = synthetic(facing, treadmill=False)
    travel_only = _without(
        ground,
        ["nose", "left_ear", "right_ear"]
        + [f"{s}_{j}" for s in ("left", "right") for j in ("heel", "foot_index")],
    )
    assert detect_direction(travel_only) == facing
    assert detect_direction(_without(no_feet, ("nose", "left_ear", "right_ear"))) is None


def test_travel_outvotes_the_feet_overground():
    """Overground, hip travel decides even when the foot cue points the other way."""
    ground = synthetic("right", treadmill=False)
    xy = ground.xy.copy()
    for s in ("left", "right"):  # swap heel and toe: feet now 'point' image-left
        h, t = INDEX[f"{s}_heel"], INDEX[f"{s}_foot_index"]
        xy[:, [h, t]] = xy[:, [t, h]]
    assert detect_direction(ground.replace(xy=xy)) == "right"


# ------------------------------------------------------------------ near side
@pytest.mark.parametrize("facing", ["left", "right"])
@pytest.mark.parametrize("depth,visibility", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("treadmill", [True, False])
def test_detect_near_side(facing, depth, visibility, treadmill):
    clip = synthetic(facing, treadmill=treadmill, depth=depth, visibility=visibility)
    assert detect_near_side(clip) == facing  # Camera(facing=X) stands on the runner's X


def test_near_side_unknown_without_cues():
    """Keypoints without depth and with equal visibility cannot tell the sides apart."""
    assert detect_near_side(synthetic("left", depth=False, visibility=False)) is None


# ------------------------------------------------------------------ orient()
@pytest.mark.parametrize("facing", ["left", "right"])
@pytest.mark.parametrize("mirror", [False, True])
@pytest.mark.parametrize("treadmill,follow", [(True, False), (False, False), (False, True)])
def test_orient_detects_all_three(facing, mirror, treadmill, follow):
    """Both directions x both near sides (mirrored video), every camera set-up."""
    clip = synthetic(facing, treadmill=treadmill, follow=follow, mirror=mirror)
    out = orient(clip)
    assert out.direction == (_other(facing) if mirror else facing)
    assert out.near_side == facing
    assert out.treadmill is (treadmill or follow)
    assert out.quality == clip.quality  # nothing to warn about


def test_orient_explicit_choices_win_and_unknowns_warn():
    clip = synthetic("left", treadmill=True)
    out = orient(clip, direction="right", treadmill=False, near_side="right")
    assert (out.direction, out.treadmill, out.near_side) == ("right", False, "right")
    blind = _without(
        synthetic("left", depth=False, visibility=False),
        ["nose", "left_ear", "right_ear"]
        + [f"{s}_{j}" for s in ("left", "right") for j in ("heel", "foot_index")],
    )
    with pytest.warns(RunformWarning, match="which way the runner faces"):
        out = orient(blind)
    assert out.direction == "right" and out.near_side is None
    assert any("nearer the camera" in q.message for q in out.quality)


def test_leg_length_px_is_the_projected_leg():
    _, camera = _scene("left", treadmill=True, follow=False)
    expected = camera.focal_px * LEG_PER_STATURE * PARAMS.stature_m / camera.distance_m
    assert leg_length_px(synthetic("left")) == pytest.approx(expected, rel=0.015)


# ------------------------------------------------------------------ helpers
def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _mirror_x(clip: Clip) -> np.ndarray:
    xy = clip.xy.copy()
    xy[..., 0] = clip.width - xy[..., 0]
    return xy


def _without(clip: Clip, names) -> Clip:
    xy, vis = clip.xy.copy(), clip.visibility.copy()
    for n in names:
        xy[:, INDEX[n]] = np.nan
        vis[:, INDEX[n]] = 0.0
    return clip.replace(xy=xy, visibility=vis)
