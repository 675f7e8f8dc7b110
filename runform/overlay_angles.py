"""Angle arcs and a hand goniometer drawn on video frames (OpenCV).

Arcs at the ankle, knee and hip of a leg show the quantity runform computes there
(:mod:`runform.kinematics`): ankle dorsiflexion (foot heel→toe against the perpendicular
to the shank), knee flexion (shank against the thigh's extension) and the thigh angle to
vertical. Positions are full-size image pixels (x right, y **down**) times ``scale``.
Everything here draws; nothing analyses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .geometry import direction_deg as _direction
from .geometry import three_point_angle
from .landmarks import INDEX
from .overlay_style import ANGLE_LABELS, ARC_ANGLE, ARC_BGR, _pt, _put_label, _thickness

__all__ = ["Arc", "draw_angle_arcs", "draw_goniometer", "joint_arcs"]


@dataclass(frozen=True)
class Arc:
    """An angle arc in image pixels (y down).

    ``start_deg`` is the direction of the reference line and ``sweep_deg`` the signed
    turn to the segment, both in OpenCV's convention (degrees from +x, clockwise on
    screen because y points down).
    """

    joint: str
    center: tuple[float, float]
    start_deg: float
    sweep_deg: float
    radius: float

    def point_at(self, fraction: float, radius: float | None = None) -> tuple[float, float]:
        """Pixel position at ``fraction`` of the sweep, at ``radius`` (default: the arc's)."""
        a = math.radians(self.start_deg + fraction * self.sweep_deg)
        r = self.radius if radius is None else radius
        return self.center[0] + r * math.cos(a), self.center[1] + r * math.sin(a)


def _wrap(deg: float) -> float:
    return (deg + 180.0) % 360.0 - 180.0


def joint_arcs(xy: np.ndarray, side: str, *, scale: float = 1.0) -> dict[str, Arc]:
    """Arcs of one leg's ankle, knee and hip (those whose points are known).

    Parameters
    ----------
    xy : ndarray, shape (33, 2)
        Landmarks of one frame, full-size pixels.
    side : {"left", "right"}
        The leg.
    scale : float
        Factor to the drawn image.

    Returns
    -------
    dict of str to Arc
        Keys among ``"ankle"``, ``"knee"``, ``"hip"``. The unsigned sweep equals the
        magnitude of the angle runform computes there (ankle dorsiflexion, knee
        flexion, thigh angle to vertical), because image mirroring and the y flip only
        change signs.
    """
    p = {
        j: np.asarray(xy[INDEX[f"{side}_{j}"]], float) * scale
        for j in ("hip", "knee", "ankle", "heel", "foot_index")
    }
    out: dict[str, Arc] = {}
    have = {j: bool(np.isfinite(v).all()) for j, v in p.items()}
    if have["hip"] and have["knee"]:
        thigh = p["knee"] - p["hip"]
        r = float(np.clip(0.3 * np.linalg.norm(thigh), 8, 60))
        out["hip"] = Arc("hip", tuple(p["hip"]), 90.0, _wrap(_direction(thigh) - 90.0), r)
        if have["ankle"]:
            shank = p["ankle"] - p["knee"]
            start = _direction(thigh)
            out["knee"] = Arc("knee", tuple(p["knee"]), start, _wrap(_direction(shank) - start), r)
    if have["knee"] and have["ankle"] and have["heel"] and have["foot_index"]:
        up = p["knee"] - p["ankle"]
        foot = p["foot_index"] - p["heel"]
        perp = np.array([-up[1], up[0]])
        if perp @ foot < 0:
            perp = -perp
        start = _direction(perp)
        r = float(np.clip(0.6 * np.linalg.norm(foot), 8, 50))
        out["ankle"] = Arc("ankle", tuple(p["ankle"]), start, _wrap(_direction(foot) - start), r)
    return out


def draw_angle_arcs(
    img: np.ndarray,
    xy: np.ndarray,
    values: Mapping[str, float],
    *,
    side: str,
    scale: float = 1.0,
    joints: Iterable[str] = ("ankle", "knee", "hip"),
) -> dict[str, Arc]:
    """Draw angle arcs with their values at the ankle, knee and hip of one leg.

    Parameters
    ----------
    img : ndarray
        BGR frame, drawn on in place.
    xy : ndarray, shape (33, 2)
        Landmarks of this frame, full-size pixels.
    values : mapping of str to float
        Angle values in degrees keyed by angle name (``"ankle_dorsiflexion"``,
        ``"knee_flexion"``, ``"thigh_angle"``): the numbers runform computed, printed
        beside the arcs. NaN values are drawn without a label.
    side : {"left", "right"}
        The leg.
    scale : float
        Factor from full-size pixels to ``img``.
    joints : iterable of str
        Which of ``"ankle"``, ``"knee"``, ``"hip"`` to draw.

    Returns
    -------
    dict of str to Arc
        The arcs drawn (for tests and click targets).
    """
    import cv2

    arcs = {j: a for j, a in joint_arcs(xy, side, scale=scale).items() if j in set(joints)}
    thick = max(1, _thickness(img) - 1)
    for joint, arc in arcs.items():
        c = _pt(arc.center)
        ref = (arc.point_at(0.0, arc.radius * 0.5), arc.point_at(0.0, arc.radius * 1.6))
        cv2.line(img, _pt(ref[0]), _pt(ref[1]), ARC_BGR, 1, cv2.LINE_AA)
        cv2.ellipse(
            img,
            c,
            (round(arc.radius), round(arc.radius)),
            0,
            arc.start_deg,
            arc.start_deg + arc.sweep_deg,
            ARC_BGR,
            thick,
            cv2.LINE_AA,
        )
        value = values.get(ARC_ANGLE[joint], float("nan"))
        if value is not None and np.isfinite(value):
            label = f"{ANGLE_LABELS[ARC_ANGLE[joint]]} {value:.0f}"
            _put_label(img, label, arc.point_at(0.5, arc.radius + 10 + 4 * len(label)), ARC_BGR)
    return arcs


# -------------------------------------------------------------- goniometer
def draw_goniometer(
    img: np.ndarray,
    points: Sequence[Sequence[float]],
    *,
    scale: float = 1.0,
    active: int | None = None,
) -> float:
    """Draw a hand goniometer: arms B→A and B→C and the arc at B, in place.

    Parameters
    ----------
    img : ndarray
        BGR frame.
    points : sequence of three (x, y)
        A, B (vertex), C in full-size pixels.
    scale : float
        Factor to ``img``.
    active : int, optional
        Index of the point to highlight (the one the next click moves).

    Returns
    -------
    float
        The angle ABC in degrees.
    """
    import cv2

    a, b, c = (np.asarray(p, float) * scale for p in points)
    thick = _thickness(img)
    for end in (a, c):
        cv2.line(img, _pt(b), _pt(end), (0, 255, 255), thick, cv2.LINE_AA)
    angle = three_point_angle(a, b, c)
    if np.isfinite(angle):
        r = 0.35 * min(np.linalg.norm(a - b), np.linalg.norm(c - b))
        start = _direction(a - b)
        sweep = _wrap(_direction(c - b) - start)
        cv2.ellipse(
            img,
            _pt(b),
            (max(4, round(r)), max(4, round(r))),
            0,
            start,
            start + sweep,
            (0, 255, 255),
            max(1, thick - 1),
            cv2.LINE_AA,
        )
        mid = math.radians(start + sweep / 2)
        _put_label(
            img,
            f"{angle:.1f}",
            (b[0] + (r + 28) * math.cos(mid), b[1] + (r + 28) * math.sin(mid)),
            (0, 255, 255),
        )
    for k, p in enumerate((a, b, c)):
        color = (0, 0, 255) if k == active else (0, 200, 255)
        cv2.circle(img, _pt(p), thick + 3, color, -1, cv2.LINE_AA)
        _put_label(img, "ABC"[k], (p[0] + 12, p[1] - 12), color, degree=False)
    return angle
