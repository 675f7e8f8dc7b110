"""Colours, line widths and outlined labels shared by every overlay on video frames.

BGR tuples for OpenCV (:data:`SIDE_RGB` gives matplotlib the same leg colours), the
short angle labels, and the small drawing helpers :mod:`runform.overlay` and
:mod:`runform.overlay_angles` both use. Everything here draws; nothing analyses.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ANGLE_LABELS",
    "ARC_ANGLE",
    "ARC_BGR",
    "BODY_BGR",
    "CURSOR_BGR",
    "LOW_VIS_BGR",
    "SIDE_BGR",
    "SIDE_RGB",
]

#: Leg colours, BGR for OpenCV (left blue, right orange-red).
SIDE_BGR: dict[str, tuple[int, int, int]] = {"left": (235, 140, 30), "right": (40, 90, 235)}
#: The same colours as matplotlib RGB in [0, 1].
SIDE_RGB: dict[str, tuple[float, float, float]] = {
    s: (c[2] / 255, c[1] / 255, c[0] / 255) for s, c in SIDE_BGR.items()
}
#: Trunk, arms and shoulder/hip lines.
BODY_BGR = (235, 235, 235)
#: Ring around a low-visibility point.
LOW_VIS_BGR = (40, 40, 230)
#: Arcs and their labels.
ARC_BGR = (60, 230, 250)
#: The cursor of a :class:`CursorPlot`.
CURSOR_BGR = (30, 30, 30)

#: Short labels drawn beside the arcs, by angle name.
ANGLE_LABELS = {"ankle_dorsiflexion": "DF", "knee_flexion": "knee", "thigh_angle": "thigh"}
#: Joint of each arc and the angle it shows.
ARC_ANGLE = {"ankle": "ankle_dorsiflexion", "knee": "knee_flexion", "hip": "thigh_angle"}


def _thickness(img: np.ndarray) -> int:
    """Bold line width for a frame of this size (3 px for a 360-px side)."""
    return max(2, round(min(img.shape[:2]) / 120))


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(np.rint(p[0])), int(np.rint(p[1]))


def _put_label(
    img: np.ndarray,
    text: str,
    org: tuple[float, float],
    color,
    *,
    degree: bool = True,
    font_scale: float | None = None,
) -> None:
    """Outlined text centred on ``org``, with a drawn degree sign (Hershey has none)."""
    import cv2

    fs = font_scale or max(0.35, min(img.shape[:2]) / 800)
    th = max(1, round(fs * 2))
    (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, fs, th)
    x, y = int(org[0] - w / 2), int(org[1] + h / 2)
    for c, t in (((0, 0, 0), th + 2), (color, th)):
        cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, fs, c, t, cv2.LINE_AA)
        if degree:
            cv2.circle(
                img,
                (x + w + max(2, th + 1), y - h + 1),
                max(2, th),
                c,
                max(1, t - th + 1),
                cv2.LINE_AA,
            )
