"""Plane geometry shared by orientation, kinematics, events and the drawing layer.

Conventions: image pixels have x to the right and y **down**; the *runner frame* has
Y up and the runner facing +X (see :func:`normalise`). Angles are in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "ang_deg",
    "direction_deg",
    "midpoint",
    "normalise",
    "phi_deg",
    "three_point_angle",
    "wrap_deg",
]


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Midpoint of two point series; where one is missing, the other (NaN if both)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.where(np.isfinite(a) & np.isfinite(b), 0.5 * (a + b), np.where(np.isfinite(a), a, b))


def wrap_deg(deg):
    """Wrap degrees to (-180, 180]."""
    return 180.0 - np.mod(180.0 - np.asarray(deg, float), 360.0)


def normalise(xy: np.ndarray, direction: str | None) -> np.ndarray:
    """Image pixels (y down) → runner frame (Y up, runner facing +X).

    Parameters
    ----------
    xy : ndarray, shape (..., 2)
        Image coordinates in pixels.
    direction : {"left", "right"} or None
        Image direction the runner faces; "left" mirrors X. None is treated as "right".

    Returns
    -------
    ndarray, shape (..., 2)
        A new array: ``Y = -y`` and, when the runner faces left, ``X = -x``.
    """
    out = np.array(xy, dtype=float, copy=True)
    out[..., 1] = -out[..., 1]
    if direction == "left":
        out[..., 0] = -out[..., 0]
    return out


def phi_deg(v: np.ndarray) -> np.ndarray:
    """Angle of a downward vector from the downward vertical, degrees (+ = end ahead).

    ``phi(v) = atan2(v.X, -v.Y)`` in the runner frame (Y up, facing +X).
    """
    return np.degrees(np.arctan2(v[..., 0], -v[..., 1]))


def ang_deg(v: np.ndarray) -> np.ndarray:
    """Angle of a vector from +X, counter-clockwise, degrees: ``atan2(v.Y, v.X)``."""
    return np.degrees(np.arctan2(v[..., 1], v[..., 0]))


def direction_deg(v: Sequence[float]) -> float:
    """Direction of one 2D vector in *image* coordinates (clockwise on screen), degrees."""
    return math.degrees(math.atan2(v[1], v[0]))


def three_point_angle(a: Sequence[float], b: Sequence[float], c: Sequence[float]) -> float:
    """Angle ABC at vertex ``b`` in degrees, 0–180 (NaN if an arm has zero length)."""
    u = np.asarray(a, float) - np.asarray(b, float)
    v = np.asarray(c, float) - np.asarray(b, float)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0 or not (np.isfinite(nu) and np.isfinite(nv)):
        return float("nan")
    cos = float(np.clip(u @ v / (nu * nv), -1.0, 1.0))
    return math.degrees(math.acos(cos))
