"""Planar (x, z) helpers and the model's own sagittal-angle formulas (the test oracle).

These formulas are written independently of :mod:`runform.kinematics` on purpose: the
simulated runner's true angles are the oracle the library's angles are tested against.
"""

from __future__ import annotations

import numpy as np

SIDES = ("left", "right")


def _down(angle: np.ndarray) -> np.ndarray:
    """Unit vectors (x, z) pointing down, rotated forward by ``angle`` (rad)."""
    return np.stack([np.sin(angle), -np.cos(angle)], axis=-1)


def _rot(vec: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate 2D (x, z) vectors counter-clockwise (toe up) by ``angle`` (rad)."""
    c, s = np.cos(angle), np.sin(angle)
    x, z = vec[..., 0], vec[..., 1]
    return np.stack([c * x - s * z, s * x + c * z], axis=-1)


def _phi(v: np.ndarray) -> np.ndarray:
    """``phi``: angle (rad) of a downward vector from vertical, distal ahead +."""
    return np.arctan2(v[..., 0], -v[..., 1])


def _ang(v: np.ndarray) -> np.ndarray:
    """``ang``: angle (rad) of a vector counter-clockwise from +x."""
    return np.arctan2(v[..., 1], v[..., 0])


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def sagittal_angles(joints: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Sagittal angles (degrees, ``docs/conventions.md``) from 3D joint centres (X forward, Z up).

    Uses the sagittal (X, Z) coordinates; the runner faces +X, so no mirroring.
    """

    def xz(name: str) -> np.ndarray:
        return joints[name][:, [0, 2]]

    trunk = 0.5 * (xz("left_shoulder") + xz("right_shoulder")) - 0.5 * (
        xz("left_hip") + xz("right_hip")
    )
    lean = np.arctan2(trunk[:, 0], trunk[:, 1])
    out = {"trunk_lean": np.degrees(lean)}
    for side in SIDES:
        hip, knee, ankle = xz(f"{side}_hip"), xz(f"{side}_knee"), xz(f"{side}_ankle")
        foot = xz(f"{side}_foot_index") - xz(f"{side}_heel")
        phi_t, phi_s = _phi(knee - hip), _phi(ankle - knee)
        dorsi = np.pi / 2 - (_ang(knee - ankle) - _ang(foot))
        dorsi = (dorsi + np.pi) % (2 * np.pi) - np.pi
        values = {
            "thigh_angle": phi_t,
            "shank_angle": phi_s,
            "knee_flexion": phi_t - phi_s,
            "hip_flexion": phi_t + lean,
            "foot_angle": _ang(foot),
            "ankle_dorsiflexion": dorsi,
        }
        for name, v in values.items():
            out[f"{side}_{name}"] = np.degrees(v)
    return out
