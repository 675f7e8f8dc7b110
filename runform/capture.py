"""Capture checks that need the oriented clip or the video frames.

:func:`runform.quality.check_clip` checks the raw landmarks (detection, framing,
rotation, visibility, frame rate). These checks come after orientation, because they
need the near leg and the direction of travel, or read a few frames of the video:

- ``oblique_view``: camera not perpendicular to the direction of travel, estimated from
  how far apart the two hips appear (hip width × sin of the camera angle);
- ``distance_changes``: the runner's size changes across the clip (running towards or
  away from the camera);
- ``runner_small``: runner too small in the frame;
- ``camera_roll``: the ground line is tilted in the image;
- ``occluded_joints``: near-leg joints hidden or poorly detected in many frames;
- ``dark`` / ``blurry``: lighting and sharpness of the runner's box, on sampled frames.

Every record is a :class:`runform.quality.QualityCheck` with a fix for the next filming.
Camera steadiness is not measured (a tracking camera and a shaking one both move the
background); the report says so.
"""

from __future__ import annotations

import os

import numpy as np

from .clip import Clip
from .ground import ground_tilt_deg
from .landmarks import INDEX
from .orientation import leg_length_px
from .quality import MAX_PARTIAL_FRACTION, QualityCheck
from .reference import (
    BLUR_LAPLACIAN_VAR,
    DARK_GREY,
    HIP_WIDTH_PER_STATURE,
    LEG_PER_STATURE,
    MIN_RUNNER_FRACTION,
    OBLIQUE_INFO_DEG,
    OBLIQUE_WARN_DEG,
    ROLL_INFO_DEG,
    ROLL_WARN_DEG,
    VISIBILITY_THRESHOLD,
)

__all__ = [
    "camera_angle_deg",
    "capture_checks",
    "frame_check_indices",
    "frame_checks",
    "runner_box_stats",
]

#: Relative change of the runner's leg length (px) between the first and last third of
#: the clip that means the runner moves towards or away from the camera (convention).
MAX_SIZE_CHANGE = 0.2
_NEAR_JOINTS = ("hip", "knee", "ankle", "heel", "foot_index")


def camera_angle_deg(clip: Clip) -> float:
    """Estimated camera angle from perpendicular to the direction of travel, degrees.

    In a true side view the two hip landmarks overlap; viewed at θ from perpendicular
    they appear ``w·sin θ`` apart, with hip width ``w`` = 0.191 of stature (Winter
    2009). The median separation in leg lengths gives ``sin θ``. Landmark noise puts a
    floor of a few degrees under it. NaN when the hips or legs are unknown.
    """
    leg = leg_length_px(clip)
    sep = np.abs(clip.point("left_hip")[:, 0] - clip.point("right_hip")[:, 0])
    sep = sep[np.isfinite(sep)]
    if not len(sep) or not np.isfinite(leg) or leg <= 0:
        return float("nan")
    ratio = float(np.median(sep)) / leg * LEG_PER_STATURE / HIP_WIDTH_PER_STATURE
    return float(np.degrees(np.arcsin(min(ratio, 1.0))))


def _view(clip: Clip) -> list[QualityCheck]:
    angle = camera_angle_deg(clip)
    if not np.isfinite(angle) or angle < OBLIQUE_INFO_DEG:
        return []
    severe = angle >= OBLIQUE_WARN_DEG
    return [
        QualityCheck(
            "oblique_view",
            "warning" if severe else "info",
            f"The camera looks about {angle:.0f}° away from a side-on view (the hips appear "
            "apart): sagittal angles are foreshortened"
            + (" and unreliable." if severe else " a little."),
            "Put the camera at right angles to the running direction, level with the hips.",
        )
    ]


def _distance(clip: Clip) -> list[QualityCheck]:
    n3 = len(clip.xy) // 3
    if n3 < 5:
        return []
    sizes = []
    for part in (slice(0, n3), slice(-n3, None)):
        vals = [
            np.linalg.norm(clip.point(f"{s}_knee")[part] - clip.point(f"{s}_hip")[part], axis=1)
            for s in ("left", "right")
        ]
        v = np.concatenate(vals)
        sizes.append(np.median(v[np.isfinite(v)]) if np.isfinite(v).any() else np.nan)
    change = sizes[1] / sizes[0] - 1 if sizes[0] else np.nan
    if not np.isfinite(change) or abs(change) <= MAX_SIZE_CHANGE:
        return []
    way = "towards" if change > 0 else "away from"
    return [
        QualityCheck(
            "distance_changes",
            "warning",
            f"The runner's size changes by {100 * change:+.0f}% across the clip: they run "
            f"{way} the camera, so the view is not side-on for part of it.",
            "Film across the running direction, with the camera far enough away (4–5 m).",
        )
    ]


def _size_and_roll(clip: Clip) -> list[QualityCheck]:
    out = []
    ys = clip.xy[:, :, 1]
    ok = np.isfinite(ys).any(axis=1)
    if ok.any():
        extent = np.nanmax(ys[ok], axis=1) - np.nanmin(ys[ok], axis=1)
        frac = float(np.median(extent)) / clip.height
        if frac < MIN_RUNNER_FRACTION:
            out.append(
                QualityCheck(
                    "runner_small",
                    "warning",
                    f"The runner fills only {100 * frac:.0f}% of the frame height: the feet "
                    "are a few pixels long, so foot and ankle angles are coarse.",
                    "Move closer or zoom in so the runner fills half to two-thirds of the "
                    "frame height (whole body still in view).",
                )
            )
    side = clip.near_side or "left"
    tilt = ground_tilt_deg(clip, side) if clip.direction else 0.0
    if abs(tilt) >= ROLL_INFO_DEG:
        warn = abs(tilt) >= ROLL_WARN_DEG
        out.append(
            QualityCheck(
                "camera_roll",
                "warning" if warn else "info",
                f"The ground line is tilted {abs(tilt):.1f}° in the image (camera roll or an "
                "inclined belt). Foot-strike angles are measured against it; trunk lean and "
                "shank angles are not corrected.",
                "Level the camera (most phones show a level in the camera app).",
            )
        )
    return out


def _occluded(clip: Clip, raw: Clip) -> list[QualityCheck]:
    side = clip.near_side
    if side is None:
        return []
    vis = raw.visibility
    detected = np.isfinite(raw.xy[:, :, 0]).any(axis=1)
    if not detected.any():
        return []
    hidden = [
        j.replace("_", " ")
        for j in _NEAR_JOINTS
        if (vis[detected, INDEX[f"{side}_{j}"]] < VISIBILITY_THRESHOLD).mean()
        > MAX_PARTIAL_FRACTION
    ]
    if not hidden:
        return []
    return [
        QualityCheck(
            "occluded_joints",
            "warning",
            f"On the near ({side}) leg the {', '.join(hidden)} "
            f"{'is' if len(hidden) == 1 else 'are'} hidden or poorly detected in more than "
            f"{100 * MAX_PARTIAL_FRACTION:.0f}% of the "
            "frames: angles using them are unreliable there.",
            "Use more light, tight or contrasting clothing and shoes, and keep nothing between "
            "the camera and the runner.",
        )
    ]


#: Frames, evenly spaced over the clip, whose runner box is checked for light and blur.
N_FRAME_CHECKS = 8


def frame_check_indices(n_frames: int, n_checks: int = N_FRAME_CHECKS) -> list[int]:
    """The frames :func:`frame_checks` looks at: ``n_checks`` evenly spaced frames."""
    return [int(i) for i in np.linspace(0, n_frames - 1, n_checks).astype(int)]


def runner_box_stats(frame: np.ndarray, pts: np.ndarray) -> tuple[float, float] | None:
    """Mean grey level (0-255) and variance of the Laplacian of the runner's box.

    The box holds the finite landmarks ``pts`` (N x 2, pixels of ``frame``, a BGR
    image) with 10 px around; None when fewer than 5 landmarks or 100 pixels are left.
    """
    import cv2

    ok = np.isfinite(pts).all(axis=1)
    if ok.sum() < 5:
        return None
    x0, y0 = np.maximum(np.floor(pts[ok].min(axis=0)).astype(int) - 10, 0)
    x1, y1 = np.ceil(pts[ok].max(axis=0)).astype(int) + 10
    box = cv2.cvtColor(np.ascontiguousarray(frame[y0:y1, x0:x1]), cv2.COLOR_BGR2GRAY)
    if box.size < 100:
        return None
    return float(box.mean()), float(cv2.Laplacian(box, cv2.CV_64F).var())


def _measured_during_pose(raw: Clip, frames: list[int]) -> list[tuple[float, float]] | None:
    """The box statistics the pose pass measured on ``frames``, or None when it did
    not measure exactly these frames (an older cache entry, a clip cut short)."""
    rec = raw.provenance.get("frame_stats")
    if not rec or list(rec.get("frames", [])) != frames:
        return None
    return [
        (g, s)
        for g, s in zip(rec["grey"], rec["sharpness"], strict=True)
        if g is not None and s is not None
    ]


def frame_checks(
    video: str | os.PathLike, raw: Clip, n_frames: int = N_FRAME_CHECKS
) -> list[QualityCheck]:
    """Lighting and sharpness of the runner's box on ``n_frames`` evenly spaced frames.

    Pose extraction measures these frames while it decodes them
    (``raw.provenance["frame_stats"]``); the video is read again only when it did not.
    """
    from .video import open_video

    stats = _measured_during_pose(raw, frame_check_indices(len(raw.xy), n_frames))
    if stats is None:
        with open_video(video) as vid:
            frames = frame_check_indices(min(len(vid), len(raw.xy)), n_frames)
            stats = [
                s
                for s in (runner_box_stats(vid.frame(i), raw.xy[i]) for i in frames)
                if s is not None
            ]
    grey, sharp = [g for g, _ in stats], [s for _, s in stats]
    out = []
    if grey and np.median(grey) < DARK_GREY:
        out.append(
            QualityCheck(
                "dark",
                "warning",
                f"The runner is dark in the picture (mean grey level "
                f"{np.median(grey):.0f} of 255): expect jitter and missed landmarks.",
                "Film in more light, with the light behind the camera rather than the runner.",
            )
        )
    if sharp and np.median(sharp) < BLUR_LAPLACIAN_VAR:
        out.append(
            QualityCheck(
                "blurry",
                "warning",
                "The runner looks blurred (little fine detail in the "
                "runner's box): fast limbs smear and landmarks lag.",
                "Use a faster shutter (sports mode or more light), a higher frame rate, and "
                "keep the camera still.",
            )
        )
    return out


def capture_checks(clip: Clip, raw: Clip | None = None) -> list[QualityCheck]:
    """View, distance, size, roll and occlusion checks of an oriented clip.

    Parameters
    ----------
    clip : Clip
        The cleaned, oriented clip (direction and near side decided).
    raw : Clip, optional
        The raw landmarks with the detector's visibility (default ``clip``).
    """
    raw = clip if raw is None else raw
    return [*_view(clip), *_distance(clip), *_size_and_roll(clip), *_occluded(clip, raw)]
