"""Drawing on video frames (OpenCV): skeleton overlays, angle arcs, a goniometer.

Everything here draws; nothing analyses. Frames are OpenCV BGR ``uint8`` arrays and
landmark positions are image pixels (x right, y **down**) of the *full-size* video,
multiplied by a ``scale`` to land on a downscaled frame
(:class:`runform.widgets.frames.FrameCache`).

Conventions shown to the user:

- the leg nearer the camera is drawn bold, the far leg faded: its foot landmarks are
  the unreliable ones in side view;
- points whose visibility is below a threshold get a red ring;
- angle arcs at the ankle, knee and hip of a leg show the quantity runform computes
  there (:mod:`runform.kinematics`): ankle dorsiflexion (foot heel→toe against the
  perpendicular to the shank), knee flexion (shank against the thigh's extension) and
  the thigh angle to vertical (the coach's "hip extension" when negative).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .geometry import direction_deg as _direction
from .geometry import three_point_angle
from .landmarks import EDGES, INDEX

__all__ = [
    "ANGLE_LABELS",
    "CURSOR_BGR",
    "LOW_VIS_BGR",
    "SIDE_BGR",
    "SIDE_RGB",
    "Arc",
    "draw_angle_arcs",
    "draw_goniometer",
    "draw_skeleton",
    "encode_jpeg",
    "encode_png",
    "joint_arcs",
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

_DRAWN = sorted({INDEX[a] for e in EDGES for a in e} | {INDEX["nose"]})


# ---------------------------------------------------------------- encoding
def encode_jpeg(img: np.ndarray, quality: int = 85) -> bytes:
    """JPEG bytes of a BGR image (what an ``ipywidgets.Image`` displays)."""
    import cv2

    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise InputError("Cannot encode this image as JPEG (is it an empty array?).")
    return buf.tobytes()


def encode_png(img: np.ndarray, compression: int = 1) -> bytes:
    """PNG bytes of a BGR image; low compression, because speed matters more here."""
    import cv2

    ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, int(compression)])
    if not ok:
        raise InputError("Cannot encode this image as PNG (is it an empty array?).")
    return buf.tobytes()


# ---------------------------------------------------------------- skeleton
def _thickness(img: np.ndarray) -> int:
    """Bold line width for a frame of this size (3 px for a 360-px side)."""
    return max(2, round(min(img.shape[:2]) / 120))


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(np.rint(p[0])), int(np.rint(p[1]))


def _edge_group(a: str, b: str, near_side: str | None) -> str:
    """'near', 'far' or 'body' for a skeleton edge."""
    sides = {n.split("_")[0] for n in (a, b)}
    legs = any(j in a or j in b for j in ("knee", "ankle", "heel", "foot_index"))
    if len(sides) != 1 or not legs or sides.pop() not in ("left", "right"):
        return "body"
    side = a.split("_")[0]
    if near_side is None or side == near_side:
        return "near"
    return "far"


def _draw_edges(img, pts, ok, edges, color_of, thick) -> None:
    import cv2

    for a, b in edges:
        ia, ib = INDEX[a], INDEX[b]
        if ok[ia] and ok[ib]:
            cv2.line(img, _pt(pts[ia]), _pt(pts[ib]), color_of(a), thick, cv2.LINE_AA)


def _roi(pts: np.ndarray, shape, pad: int) -> tuple[slice, slice] | None:
    """Bounding box of points (with padding) clipped to the image, as slices."""
    good = np.isfinite(pts).all(axis=1)
    if not good.any():
        return None
    lo = np.floor(pts[good].min(axis=0)).astype(int) - pad
    hi = np.ceil(pts[good].max(axis=0)).astype(int) + pad
    x0, y0 = max(lo[0], 0), max(lo[1], 0)
    x1, y1 = min(hi[0], shape[1]), min(hi[1], shape[0])
    if x1 <= x0 or y1 <= y0:
        return None
    return slice(y0, y1), slice(x0, x1)


def draw_skeleton(
    img: np.ndarray,
    xy: np.ndarray,
    visibility: np.ndarray | None = None,
    *,
    scale: float = 1.0,
    near_side: str | None = None,
    vis_threshold: float = 0.5,
    far_alpha: float = 0.4,
) -> np.ndarray:
    """Draw a BlazePose skeleton on a frame, in place.

    Parameters
    ----------
    img : ndarray, shape (h, w, 3), uint8
        BGR frame (possibly downscaled).
    xy : ndarray, shape (33, 2)
        Landmarks of this frame in full-size image pixels (NaN where unknown).
    visibility : ndarray, shape (33,), optional
        Detector confidence; points below ``vis_threshold`` get a red ring.
    scale : float
        Factor from full-size pixels to ``img`` pixels (:attr:`FrameCache.scale`).
    near_side : {"left", "right"} or None
        Leg drawn bold; the other leg is blended in at ``far_alpha``. None draws
        both legs bold.
    vis_threshold : float
        Visibility below which a point is marked unreliable.
    far_alpha : float
        Opacity of the far leg, 0–1.

    Returns
    -------
    ndarray
        ``img``, drawn on.
    """
    import cv2

    pts = np.asarray(xy, float) * scale
    ok = np.isfinite(pts).all(axis=1)
    thick = _thickness(img)
    groups = {
        g: [e for e in EDGES if _edge_group(*e, near_side) == g] for g in ("near", "far", "body")
    }

    def color(name: str) -> tuple[int, int, int]:
        return SIDE_BGR.get(name.split("_")[0], BODY_BGR)

    far = [INDEX[n] for e in groups["far"] for n in e]
    roi = _roi(pts[far], img.shape, 3 * thick) if far else None
    if roi is not None:
        layer = img[roi].copy()
        off = np.array([roi[1].start, roi[0].start])
        _draw_edges(layer, pts - off, ok, groups["far"], color, max(1, thick - 1))
        cv2.addWeighted(layer, far_alpha, img[roi], 1 - far_alpha, 0, dst=img[roi])
    _draw_edges(img, pts, ok, groups["body"], lambda _n: BODY_BGR, max(1, thick - 1))
    _draw_edges(img, pts, ok, groups["near"], color, thick)
    _draw_points(img, pts, ok, set(far), visibility, vis_threshold, thick)
    return img


def _draw_points(img, pts, ok, far_set, visibility, vis_threshold, thick) -> None:
    """Joint dots (smaller on the far leg) and a red ring on low-visibility points."""
    import cv2

    for i in _DRAWN:
        if not ok[i]:
            continue
        r = thick if i not in far_set else max(1, thick - 1)
        cv2.circle(img, _pt(pts[i]), r, (255, 255, 255), -1, cv2.LINE_AA)
        if visibility is not None and visibility[i] < vis_threshold:
            cv2.circle(img, _pt(pts[i]), r + 3 + thick, LOW_VIS_BGR, max(1, thick - 1), cv2.LINE_AA)


# -------------------------------------------------------------------- arcs
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
