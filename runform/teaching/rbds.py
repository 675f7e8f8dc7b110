"""Thigh angle of a real runner from motion capture: Fukuchi et al. 2017, subject RBDS001.

The dataset (Fukuchi RK, Fukuchi CA, Duarte M 2017, *A public dataset of running
biomechanics and the effects of running speed on lower extremity kinematics and
kinetics*, PeerJ 5:e3298, doi:10.7717/peerj.3298; data doi:10.6084/m9.figshare.4543435,
CC BY 4.0) is not shipped with runform. This module reads a local copy of RBDS001 (a
forefoot striker, 150 Hz markers, instrumented treadmill) when one is found, in
``$RUNFORM_DATA_DIR/fukuchi2017_rbds001`` (the same local data folder as
:mod:`runform.data`); :func:`available` says whether it is there.

Joint centres: the hip by the Harrington et al. 2007 regression (J Biomech 40:595) in the
pelvis frame built each frame from the ASIS and PSIS markers; the knee as the midpoint of
the static trial's epicondyle markers, carried into each running frame by a
least-squares rigid fit of the 4-marker thigh cluster (Söderkvist I, Wedin PÅ 1993,
J Biomech 26:1473). Lab axes: X forward (running direction), Y up, Z to the right; the
thigh angle is taken in the X–Y (sagittal) plane, runform's sign (+ knee ahead of hip).
Initial contacts and toe-offs come from the treadmill's force plate (files in
``derived/``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["CITATION", "available", "data_dir", "thigh_trial"]

CITATION = (
    "Fukuchi RK, Fukuchi CA, Duarte M (2017). A public dataset of running "
    "biomechanics and the effects of running speed on lower extremity kinematics "
    "and kinetics. PeerJ 5:e3298. Data: doi:10.6084/m9.figshare.4543435, CC BY 4.0."
)
FOLDER = "fukuchi2017_rbds001"
MARKER_HZ = 150.0
_CLUSTER = ("Top.Lateral", "Bottom.Lateral", "Top.Medial", "Bottom.Medial")


def data_dir() -> Path | None:
    """The local RBDS001 folder, or None when there is none."""
    root = os.environ.get("RUNFORM_DATA_DIR")
    if root and (Path(root) / FOLDER / "RBDS001static.txt").is_file():
        return Path(root) / FOLDER
    return None


def available(speed: float = 2.5) -> bool:
    """True when the files of the trial at ``speed`` (2.5 or 3.5 m/s) can be read here."""
    d = data_dir()
    if d is None:
        return False
    if speed == 2.5:
        return (d / "RBDS001runT25markers.txt").is_file()
    try:
        import ezc3d  # noqa: F401
    except ImportError:
        return False
    return (d / "RBDS001runT35.c3d").is_file()


def _read_txt(path: Path) -> dict[str, np.ndarray]:
    import pandas as pd

    df = pd.read_csv(path, sep="\t")
    out = {}
    for col in df.columns[1::3]:
        name = col[:-1]
        xyz = df[[f"{name}X", f"{name}Y", f"{name}Z"]].to_numpy(float) / 1000.0
        xyz[(xyz == 0).all(axis=1)] = np.nan
        out[name] = xyz
    return out


def _read_c3d(path: Path) -> dict[str, np.ndarray]:
    import ezc3d

    c3d = ezc3d.c3d(str(path))
    labels = c3d["parameters"]["POINT"]["LABELS"]["value"]
    unit = c3d["parameters"]["POINT"]["UNITS"]["value"][0].strip().lower()
    pts = c3d["data"]["points"][:3] * {"mm": 1e-3, "m": 1.0}[unit]
    out = {}
    for i, name in enumerate(labels):
        xyz = pts[:, i, :].T.astype(float)
        xyz[(xyz == 0).all(axis=1)] = np.nan
        out[name.strip()] = xyz
    return out


def _pelvis_hjc(m: dict[str, np.ndarray], static: dict[str, np.ndarray]) -> np.ndarray:
    """Right hip joint centre per frame (Harrington 2007), metres, lab frame."""
    pw = np.linalg.norm(static["R.ASIS"] - static["L.ASIS"]) * 1000.0
    mid_a = (static["R.ASIS"] + static["L.ASIS"]) / 2
    pd_ = np.linalg.norm(mid_a - (static["R.PSIS"] + static["L.PSIS"]) / 2) * 1000.0
    local = np.array([-0.24 * pd_ - 9.9, -0.30 * pw - 10.9, 0.33 * pw + 7.3]) / 1000.0
    asis_r, asis_l = m["R.ASIS"], m["L.ASIS"]
    origin = (asis_r + asis_l) / 2
    z = asis_r - asis_l
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    x = origin - (m["R.PSIS"] + m["L.PSIS"]) / 2
    x -= (x * z).sum(axis=1, keepdims=True) * z
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = np.cross(z, x)
    return origin + local[0] * x + local[1] * y + local[2] * z


def _rigid_point(ref: np.ndarray, moving: np.ndarray, point: np.ndarray) -> np.ndarray:
    """A point fixed to a marker cluster, carried into every frame (SVD rigid fit)."""
    c_ref = ref.mean(axis=0)
    c_mov = moving.mean(axis=1)
    h = np.einsum("mi,tmj->tij", ref - c_ref, moving - c_mov[:, None])
    h = np.nan_to_num(h)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.einsum("tji,tkj->tik", vt, u)))
    fix = np.ones((len(h), 3))
    fix[:, 2] = d
    rot = np.einsum("tji,tj,tkj->tik", vt, fix, u)
    return np.einsum("tij,j->ti", rot, point - c_ref) + c_mov


def _events(d: Path, tag: str):
    import pandas as pd

    df = pd.read_csv(d / "derived" / f"RBDS001runT{tag}_events_from_force.csv")
    return pd.DataFrame(
        {
            "foot": df["side"].map({"L": "left", "R": "right"}),
            "ic_s": df["ic_time_s"].astype(float),
            "to_s": df["to_time_s"].astype(float),
        }
    ).sort_values("ic_s", ignore_index=True)


def thigh_trial(speed: float = 2.5, duration_s: float | None = 10.0):
    """Right thigh angle of RBDS001 running at ``speed``, with force-plate events.

    Parameters
    ----------
    speed : {2.5, 3.5}
        Treadmill speed, m/s (3.5 needs ``ezc3d`` for the C3D file).
    duration_s : float or None
        Keep the first ``duration_s`` seconds (None: the whole 30 s trial).

    Returns
    -------
    time_s : ndarray
        ``frame / 150`` s.
    thigh_deg : ndarray
        Right thigh angle to vertical in the sagittal plane, degrees (+ knee ahead).
    events : pandas.DataFrame
        ``foot``, ``ic_s``, ``to_s`` from the force plate.

    Raises
    ------
    FileNotFoundError
        No local copy (see :func:`available`).
    """
    d = data_dir()
    if d is None or not available(speed):
        raise FileNotFoundError(
            f"RBDS001 at {speed} m/s is not available here "
            f"(set RUNFORM_DATA_DIR to a folder holding {FOLDER}/)."
        )
    tag = "25" if speed == 2.5 else "35"
    m = (
        _read_txt(d / "RBDS001runT25markers.txt")
        if tag == "25"
        else _read_c3d(d / "RBDS001runT35.c3d")
    )
    static = {k: np.nanmean(v, axis=0) for k, v in _read_txt(d / "RBDS001static.txt").items()}
    n = (
        len(m["R.ASIS"])
        if duration_s is None
        else min(len(m["R.ASIS"]), int(duration_s * MARKER_HZ))
    )
    m = {k: v[:n] for k, v in m.items()}
    hip = _pelvis_hjc(m, static)
    names = [f"R.Thigh.{c}" for c in _CLUSTER]
    knee0 = (static["R.Knee"] + static["R.Knee.Medial"]) / 2
    knee = _rigid_point(
        np.array([static[k] for k in names]), np.stack([m[k] for k in names], axis=1), knee0
    )
    v = knee - hip
    thigh = np.degrees(np.arctan2(v[:, 0], -v[:, 1]))
    time = np.arange(n) / MARKER_HZ
    ok = np.isfinite(thigh)
    thigh = np.interp(time, time[ok], thigh[ok])  # bridges the few frames without L.ASIS
    ev = _events(d, tag)
    return time, thigh, ev[ev["to_s"] < time[-1]].reset_index(drop=True)
