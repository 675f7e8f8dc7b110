"""Fukuchi et al. 2017 runners as clips with force-plate truth: RBDS001 and three rearfoot runners.

RBDS001 (forefoot, 2.5 and 3.5 m/s) is read through :mod:`tests.support.fukuchi`; the three
rearfoot runners (RBDS08, RBDS011, RBDS016) from ``fukuchi2017_rearfoot``.

Same dataset and conventions as :mod:`tests.support.fukuchi` (Fukuchi RK, Fukuchi CA, Duarte M
2017, PeerJ 5:e3298, doi:10.7717/peerj.3298; CC BY 4.0): C3D markers at 150 Hz in mm, lab Y up,
X along the belt (runner facing +X), Z to the runner's right; treadmill forces at 300 Hz. The
files live in ``$RUNFORM_DATA_DIR/fukuchi2017_rearfoot`` (default ``../shared/data``); every
test using them skips when absent.

What differs from RBDS001
-------------------------
* Only C3D files, each runner at 2.5, 3.5 and 4.5 m/s, with a static C3D trial.
* The knee and ankle landmarks exist only in the static trial: they are carried by the 4-marker
  thigh and shank clusters with a rigid fit (:func:`tests.support.fukuchi.rigid_fit`).
* Force truth is computed here from the platform signal (``extract_forceplat_data=True``):
  vertical force (lab Y) low-passed at 50 Hz (2nd-order Butterworth, zero lag), stance where it
  exceeds 20 N, IC/TO by linear interpolation at 20 N, the stance foot the lower heel marker at
  mid-stance. Stances shorter than 100 ms or cut by the trial ends are dropped.

Two ``foot_index`` options
--------------------------
``"mt"``: the MT1/MT5 midpoint (metatarsal heads, on the shoe's dorsum; they lift before TO).
``"toe"``: a toe tip extrapolated along the foot, as a video model tracks it. In the static
trial the tip is placed on the heel→MT-midpoint direction (horizontal) at the heel-to-MT
distance / 0.73 from the heel marker (the MT heads lie at ~73 % of foot length from the heel;
Winter 2009 anthropometry) and 20 mm above the floor (front of the sole). The toe segment (MT
midpoint → tip) moves with the foot's rigid fit (five foot markers) except at the MTP joint:
while the force plate says the foot is loaded, the tip cannot go below its standing height
(the toes stay flat on the belt while the heel rises; that is what a toe tip in contact is),
and never below it (a toe-first landing bends the toes at touchdown);
after force TO the toe segment keeps its orientation at release (so the tip rises with the MT
heads) and blends into the rigid foot's orientation over 150 ms. So the tip leaves the floor
at force TO, as a real toe tip does, while the
MT markers rise 20–30 ms earlier: the two options bracket a video toe landmark.

Standing calibration truth (:func:`standing_truth`) is computed here with numpy alone (the
heel→tip angle from +X in the X–Y plane; the ankle as 90° − (angle(knee − ankle) −
angle(tip − heel))), so an offset bug in ``runform.kinematics`` cannot cancel.
"""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

try:
    from tests.support import fukuchi as _f
except ImportError:  # run from inside tests/
    from support import fukuchi as _f

DATA = (
    Path(
        os.environ.get("RUNFORM_DATA_DIR")
        or Path(__file__).resolve().parents[2].parent / "shared/data"
    )
    / "fukuchi2017_rearfoot"
)
RUNNERS = {"RBDS08": 180.0, "RBDS011": 179.5, "RBDS016": 167.5}  #: stature, cm (RBDSinfo)
SPEEDS = {"25": 2.5, "35": 3.5, "45": 4.5}
ALL_RUNNERS = ("RBDS001", *RUNNERS)
FORCE_N = 20.0
FORCE_CUTOFF_HZ = 50.0
MT_AT_FOOT_FRACTION = 0.73
TOE_HEIGHT_M = 0.020
TOE_RELAX_S = 0.15
FOOT = ("Heel.Bottom", "Heel.Top", "Heel.Lateral", "MT1", "MT5")
TOE_OPTIONS = ("mt", "toe")


def label(runner: str) -> str:
    """The dataset's strike label at every speed (RBDSinfo; SOURCE.md's centre-of-pressure
    check)."""
    return "forefoot" if runner == "RBDS001" else "rearfoot"


def right_classes(runner: str) -> set[str]:
    """Strike classes that are right for the runner.

    RBDS001 is labelled forefoot, but its foot angle at force IC relative to standing is
    −1.8° (2.5 m/s) and +0.2° (3.5 m/s), on the Altman & Davis midfoot/forefoot border:
    any non-rearfoot class (or "uncertain") is right for it.
    """
    return {"forefoot", "midfoot", "uncertain"} if runner == "RBDS001" else {"rearfoot"}


def speeds(runner: str) -> list[str]:
    """Speeds ("25", "35", "45") of the runner present on disk."""
    return [s for s in SPEEDS if available(runner, s)]


def available(runner: str = "RBDS08", speed: str = "25") -> bool:
    """True when the runner's running trial and static trial exist."""
    if runner == "RBDS001":
        return (
            _f.available()
            and speed in _f.SPEEDS
            and (speed == "25" or (_f.DATA / "RBDS001runT35.c3d").is_file())
        )
    return (DATA / runner / f"{runner}runT{speed}.c3d").is_file() and (
        DATA / runner / f"{runner}static.c3d"
    ).is_file()


def trials() -> list[tuple[str, str]]:
    """Every (runner, speed) pair present on disk."""
    return [(r, s) for r in ALL_RUNNERS for s in SPEEDS if available(r, s)]


@functools.lru_cache(maxsize=3)
def load_static(runner: str) -> dict[str, np.ndarray]:
    """Mean static position of every marker, metres (lab frame), shape (3,)."""
    if runner == "RBDS001":
        return _f.load_static()
    raw = _f._read_c3d(DATA / runner / f"{runner}static.c3d")
    return {k: np.nanmean(v, axis=0) for k, v in raw.items()}


def _markers(runner: str, speed: str) -> dict:
    return _f._load(speed)[1] if runner == "RBDS001" else _trial(runner, speed)[0]


@functools.lru_cache(maxsize=2)
def _trial(runner: str, speed: str):
    import ezc3d

    path = DATA / runner / f"{runner}runT{speed}.c3d"
    markers = _f._read_c3d(path)
    notes = tuple(_f._fix_mt_labels(markers))
    c3d = ezc3d.c3d(str(path), extract_forceplat_data=True)
    plat = c3d["data"]["platform"][0]
    fy = np.asarray(plat["force"][1], float)
    rate = float(c3d["parameters"]["ANALOG"]["RATE"]["value"][0])
    return markers, notes, fy, rate


def _toe_static(st: dict, s: str) -> np.ndarray:
    heel = st[f"{s}.Heel.Bottom"]
    mt = (st[f"{s}.MT1"] + st[f"{s}.MT5"]) / 2
    d = (mt - heel) * np.array([1.0, 0.0, 1.0])
    tip = heel + d / MT_AT_FOOT_FRACTION
    tip[1] = TOE_HEIGHT_M
    tip[2] = mt[2]
    return tip


def _toe_tip(markers: dict, st: dict, s: str, stances: list[tuple[float, float]]) -> np.ndarray:
    """Toe tip per frame (see the module notes), metres, shape (T, 3).

    ``stances`` are this foot's force-plate (IC, TO) times in seconds.
    """
    names = [f"{s}.{m}" for m in FOOT]
    rot, _, _ = _f.rigid_fit(
        np.array([st[m] for m in names]), np.stack([markers[m] for m in names], axis=1)
    )
    mt_st = (st[f"{s}.MT1"] + st[f"{s}.MT5"]) / 2
    u_st = _toe_static(st, s) - mt_st
    u = np.einsum("tij,j->ti", rot, u_st)
    mt = (markers[f"{s}.MT1"] + markers[f"{s}.MT5"]) / 2
    length = float(np.hypot(u_st[0], u_st[1]))
    pitch = np.arctan2(u[:, 1], u[:, 0])  # rigid toe segment, rad, + tip up
    floor = np.arcsin(np.clip((TOE_HEIGHT_M - mt[:, 1]) / length, -1.0, 1.0))
    t = np.arange(len(mt)) / _f.MARKER_HZ
    theta = pitch.copy()
    for ic, to in stances:
        inside = (t >= ic) & (t <= to)
        theta[inside] = np.maximum(pitch[inside], floor[inside])
        k = int(np.clip(np.searchsorted(t, to) - 1, 0, len(t) - 1))
        after = (t > to) & (t < to + TOE_RELAX_S)
        w = (t[after] - to) / TOE_RELAX_S  # toe keeps its orientation at release, then follows
        theta[after] = np.maximum((1.0 - w) * theta[k] + w * pitch[after], floor[after])
    theta = np.maximum(theta, floor)  # never below the floor (a toe-first landing)
    tip = mt.copy()
    tip[:, 0] += length * np.cos(theta)
    tip[:, 1] += length * np.sin(theta)
    tip[:, 2] += u[:, 2]
    return tip


@functools.lru_cache(maxsize=2)
def joint_centres(runner: str, speed: str) -> dict[str, np.ndarray]:
    """BlazePose-named 3D points per frame (metres), plus ``*_toe_tip``; read-only arrays."""
    markers = _markers(runner, speed)
    st = load_static(runner)
    ev = force_events(runner, speed)
    stances = {
        side: list(zip(ev.ic_s[ev.foot == side], ev.to_s[ev.foot == side], strict=True))
        for side in _f._SIDES
    }
    hjc = _f.harrington_hjc(st)
    rot, trans, _ = _f.rigid_fit(
        np.array([st[m] for m in _f.PELVIS]), np.stack([markers[m] for m in _f.PELVIS], axis=1)
    )
    out = {}
    for side, s in _f._SIDES.items():
        out[f"{side}_hip"] = _f._apply(rot, trans, hjc[side])
        knee = (st[f"{s}.Knee"] + st[f"{s}.Knee.Medial"]) / 2
        ankle = (st[f"{s}.Ankle"] + st[f"{s}.Ankle.Medial"]) / 2
        knees = []
        for seg in ("Thigh", "Shank"):
            names = [f"{s}.{seg}.{c}" for c in _f._CLUSTER]
            r, tr, _ = _f.rigid_fit(
                np.array([st[m] for m in names]), np.stack([markers[m] for m in names], axis=1)
            )
            knees.append(_f._apply(r, tr, knee))
            if seg == "Shank":
                out[f"{side}_ankle"] = _f._apply(r, tr, ankle)
        out[f"{side}_knee"] = (knees[0] + knees[1]) / 2
        out[f"{side}_heel"] = markers[f"{s}.Heel.Bottom"].copy()
        out[f"{side}_foot_index"] = (markers[f"{s}.MT1"] + markers[f"{s}.MT5"]) / 2
        out[f"{side}_toe_tip"] = _toe_tip(markers, st, s, stances[side])
    for a in out.values():
        a.setflags(write=False)
    return out


def standing_truth(runner: str, toe: str = "mt") -> dict:
    """Standing foot and ankle angles per side from the static trial (numpy only), degrees.

    foot: angle of heel → foot point from +X in the X–Y plane (+ toe up); ankle:
    ``90 − (angle(knee − ankle) − foot)``. Returned as a ``Clip.calibration`` dict.
    """
    st = load_static(runner)
    out = {"foot_deg": {}, "ankle_deg": {}}
    for side, s in _f._SIDES.items():
        heel = st[f"{s}.Heel.Bottom"]
        tip = _toe_static(st, s) if toe == "toe" else (st[f"{s}.MT1"] + st[f"{s}.MT5"]) / 2
        knee = (st[f"{s}.Knee"] + st[f"{s}.Knee.Medial"]) / 2
        ankle = (st[f"{s}.Ankle"] + st[f"{s}.Ankle.Medial"]) / 2
        foot = math.degrees(math.atan2(tip[1] - heel[1], tip[0] - heel[0]))
        shank = math.degrees(math.atan2(knee[1] - ankle[1], knee[0] - ankle[0]))
        out["foot_deg"][side] = foot
        out["ankle_deg"][side] = 90.0 - (shank - foot)
    return out


def to_clip(
    runner: str,
    speed: str,
    fps: float = 60.0,
    toe: str = "mt",
    calibrated: bool = False,
    px_per_m: float = 500.0,
):
    """The trial seen by an orthographic camera on the runner's right (as RBDS001's clip).

    Positions are linearly interpolated from 150 Hz onto ``k / fps``; ``toe`` picks the
    ``foot_index`` (``"mt"`` or ``"toe"``). Direction, near side and treadmill are left for
    runform to detect. ``calibrated`` adds :func:`standing_truth` as the calibration.
    """
    from runform.clip import Clip

    if toe not in TOE_OPTIONS:
        raise ValueError(f"toe must be one of {TOE_OPTIONS}, not {toe!r}")
    jc = joint_centres(runner, speed)
    n150 = len(jc["right_hip"])
    t150 = np.arange(n150) / _f.MARKER_HZ
    n = math.floor(t150[-1] * fps + 1e-9) + 1
    t = np.arange(n) / fps
    width, height = round(_f.FIELD_M[0] * px_per_m), round(_f.FIELD_M[1] * px_per_m)
    mid_x = np.nanmedian((jc["left_hip"][:, 0] + jc["right_hip"][:, 0]) / 2)
    lm = {}
    for name, p in jc.items():
        if name.endswith("toe_tip") or (toe == "toe" and name.endswith("foot_index")):
            continue
        lm[name] = p
    if toe == "toe":
        for side in ("left", "right"):
            lm[f"{side}_foot_index"] = jc[f"{side}_toe_tip"]
    landmarks = {
        k: np.column_stack(
            [
                width / 2 + (np.interp(t, t150, p[:, 0]) - mid_x) * px_per_m,
                height - (np.interp(t, t150, p[:, 1]) + _f.BELT_MARGIN_M) * px_per_m,
            ]
        )
        for k, p in lm.items()
    }
    prov = {
        "source": str(DATA / runner / f"{runner}runT{speed}.c3d"),
        "kind": "mocap-projection",
        "dataset": f"Fukuchi et al. 2017, {runner}",
        "speed_m_s": SPEEDS[speed],
        "citation": _f.CITATION,
        "license": _f.LICENSE,
        "foot_index": toe,
    }
    return Clip.from_arrays(
        landmarks,
        float(fps),
        width=width,
        height=height,
        time=t,
        provenance=prov,
        calibration=standing_truth(runner, toe) if calibrated else {},
    )


def _lowpass(x: np.ndarray, rate: float) -> np.ndarray:
    from scipy.signal import butter, filtfilt

    b, a = butter(2, FORCE_CUTOFF_HZ / (rate / 2))
    return filtfilt(b, a, x)


@functools.lru_cache(maxsize=12)
def force_events(runner: str, speed: str) -> pd.DataFrame:
    """Force-plate contacts: ``foot``, ``ic_s``, ``to_s``, ``contact_s`` (s from marker frame 0)."""
    if runner == "RBDS001":
        return _f.force_events(speed)[["foot", "ic_s", "to_s", "contact_s"]]
    _, _, fy, rate = _trial(runner, speed)
    f = _lowpass(fy, rate)
    on = f > FORCE_N
    edges = np.diff(on.astype(int))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    markers = _markers(runner, speed)
    heel = {side: markers[f"{s}.Heel.Bottom"] for side, s in _f._SIDES.items()}
    rows = []
    for s in starts:
        later = ends[ends > s]
        if not len(later):
            break
        e = later[0]
        ic = (s + (FORCE_N - f[s]) / (f[s + 1] - f[s])) / rate
        to = (e + (f[e] - FORCE_N) / (f[e] - f[e + 1])) / rate
        if to - ic < 0.1 or ic < 0.02:
            continue
        k = min(round((ic + to) / 2 * _f.MARKER_HZ), len(heel["right"]) - 1)
        foot = "right" if heel["right"][k, 1] < heel["left"][k, 1] else "left"
        rows.append({"foot": foot, "ic_s": ic, "to_s": to, "contact_s": to - ic})
    df = pd.DataFrame(rows)
    last = (len(heel["right"]) - 1) / _f.MARKER_HZ
    return df[df.to_s < last - 0.02].reset_index(drop=True)


def truth_summary(runner: str, speed: str) -> dict:
    """Cadence (60 / mean alternating step time, spm), contact time mean/SD (s), n contacts."""
    ev = force_events(runner, speed)
    ic = ev["ic_s"].to_numpy()
    alt = ev["foot"].to_numpy()[1:] != ev["foot"].to_numpy()[:-1]
    steps = np.diff(ic)[alt]
    steps = steps[steps < 1.5 * np.median(steps)]
    return {
        "n_contacts": len(ev),
        "cadence_spm": 60.0 / float(np.mean(steps)),
        "contact_time_s": float(ev["contact_s"].mean()),
        "contact_time_sd_s": float(ev["contact_s"].std()),
        "speed_m_s": SPEEDS[speed],
    }
