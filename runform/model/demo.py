"""A small simulated runner for trying widgets and tests without MediaPipe or data files.

Built on :func:`runform.model.simulate`: the clip's landmarks are the model's projected
joint centres, so runform's angles of it equal the model's true angles, and its events
table is the model's exact contacts.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from .camera import Camera
from .motion import RunnerMotion, simulate
from .params import RunnerParams

__all__ = ["demo_clip", "events_table"]

#: Far-foot heel and toe visibility while the near leg hides them, and otherwise.
HIDDEN_VISIBILITY, FAR_VISIBILITY = 0.3, 0.85


def events_table(motion: RunnerMotion, near_side: str | None = None):
    """The exact contacts of a simulated runner, in the table shape of gait events.

    Parameters
    ----------
    motion : RunnerMotion
        A simulated runner.
    near_side : {"left", "right"}, optional
        The side facing the camera (sets the ``near`` column; both True when None).

    Returns
    -------
    pandas.DataFrame
        One row per contact with ``foot``, ``ic_frame``/``to_frame`` (first and last
        frame in contact), ``ic_s``/``to_s`` (exact, s), ``contact_ms``, ``near`` and
        ``complete`` (False for a contact cut by the clip's start or end).
    """
    import pandas as pd

    n, fps = motion.n_frames, motion.fps
    tc = motion.params.contact_time_s
    rows = []
    for foot in ("left", "right"):
        ics = list(motion.ic_s[foot])
        if len(motion.to_s[foot]) and (not ics or motion.to_s[foot][0] < ics[0]):
            ics.insert(0, motion.to_s[foot][0] - tc)  # a stance cut by the start
        for ic_s in ics:
            to_s = ic_s + tc
            first = max(0, math.ceil(ic_s * fps - 1e-9))
            last = min(n - 1, math.ceil(to_s * fps - 1e-9) - 1)
            if last < first:
                continue
            rows.append(
                {
                    "foot": foot,
                    "ic_frame": first,
                    "to_frame": last,
                    "ic_s": ic_s,
                    "to_s": to_s,
                    "contact_ms": 1000.0 * tc,
                    "near": near_side is None or foot == near_side,
                    "complete": bool(ic_s >= 0 and to_s < n / fps),
                }
            )
    cols = ["foot", "ic_frame", "to_frame", "ic_s", "to_s", "contact_ms", "near", "complete"]
    return pd.DataFrame(rows, columns=cols).sort_values("ic_s", ignore_index=True)


def demo_clip(
    *,
    n_frames: int = 64,
    width: int = 320,
    height: int = 240,
    fps: float = 30.0,
    direction: str = "left",
    noise_px: float = 0.0,
    seed: int = 0,
    params: RunnerParams | None = None,
):
    """A simulated treadmill runner as a clip, with its exact events: ``(clip, events)``.

    Parameters
    ----------
    n_frames, width, height : int
        Clip length and image size (pixels); the camera's focal length scales with the
        image height so the runner fills about two thirds of it.
    fps : float
        Frame rate, frames per second.
    direction : {"left", "right"}
        Image direction the runner faces; the side facing the camera is the near side.
    noise_px : float
        Standard deviation of Gaussian noise added to the landmarks, pixels.
    seed : int
        Random seed of the noise.
    params : RunnerParams, optional
        The runner (default ``RunnerParams()``).

    Notes
    -----
    The far foot's heel and toe get visibility 0.3 while they pass behind the near
    ankle (within 4 cm along the direction of travel), 0.85 otherwise, so the widgets'
    low-visibility display has something to show.
    """
    if direction not in ("left", "right"):
        raise InputError(f"direction must be 'left' or 'right', not {direction!r}.")
    if not (isinstance(n_frames, int) and n_frames >= 1):
        raise InputError(f"n_frames must be a positive integer, got {n_frames!r}.")
    motion = simulate(params, fps=fps, duration_s=n_frames / float(fps))
    camera = Camera(facing=direction, image_size=(width, height), focal_px=700.0 * height / 480)
    clip = motion.to_clip(camera)
    xy = clip.xy + np.random.default_rng(seed).normal(0.0, noise_px, clip.xy.shape)
    vis = np.ones(clip.visibility.shape)
    far = clip.far_side
    from ..landmarks import INDEX

    gap = np.abs(motion.joints[f"{far}_ankle"][:, 0] - motion.joints[f"{direction}_ankle"][:, 0])
    for j in ("heel", "foot_index"):
        vis[:, INDEX[f"{far}_{j}"]] = np.where(gap < 0.04, HIDDEN_VISIBILITY, FAR_VISIBILITY)
    clip = clip.replace(xy=xy, visibility=vis, provenance={"source": "runform.model.demo_clip"})
    return clip, events_table(motion, clip.near_side)
