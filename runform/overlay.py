"""Drawing on video frames (OpenCV): skeleton overlays, angle arcs, a goniometer.

The skeleton and the image encoders live here; the arcs and the goniometer in
:mod:`runform.overlay_angles`, the colours and labels in :mod:`runform.overlay_style`
(both re-exported here, so ``runform.overlay`` is the one name to import).

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

import numpy as np

from .errors import InputError
from .landmarks import EDGES, INDEX
from .overlay_angles import Arc, draw_angle_arcs, draw_goniometer, joint_arcs
from .overlay_style import (
    ANGLE_LABELS,
    ARC_ANGLE,
    BODY_BGR,
    CURSOR_BGR,
    LOW_VIS_BGR,
    SIDE_BGR,
    SIDE_RGB,
    _pt,
    _thickness,
)

__all__ = [
    "ANGLE_LABELS",
    "ARC_ANGLE",
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
