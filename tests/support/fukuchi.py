"""Fukuchi et al. 2017 treadmill running data (subject RBDS001) as runform clips with truth.

The dataset (Fukuchi RK, Fukuchi CA, Duarte M. 2017, *A public dataset of running
biomechanics and the effects of running speed on lower extremity kinematics and
kinetics*, PeerJ 5:e3298, doi:10.7717/peerj.3298; data doi:10.6084/m9.figshare.4543435,
CC BY 4.0) has 3D markers at 150 Hz and instrumented-treadmill forces. The copies used
here live in ``$RUNFORM_DATA_DIR/fukuchi2017_rbds001`` (default ``../shared/data`` next to
the repository; see its ``SOURCE.md``); everything below is skipped when that folder is
absent. The three rearfoot runners are in the second half (``runner_*`` functions).

What the files look like (checked, not assumed)
------------------------------------------------
* Units are millimetres (converted to metres here). Lab axes: **Y vertical (up)**, **X the
  belt / running direction with the runner facing +X** (ASIS ahead of PSIS, MT ahead of the
  heel) and **Z pointing to the runner's right** (every right marker has the larger Z). The
  force plate (= belt surface) is at Y = 0.
* Missing markers are blank cells (NaN) in the TXT files and exact (0, 0, 0) triplets in the
  C3D; both become NaN here. Only L.ASIS drops out (1 frame at 2.5 m/s, 2 at 3.5 m/s).
  The TXT ``Time`` column is rounded to 1 ms, so time is rebuilt as ``frame / 150``.
* In both running trials the **right MT1 and MT5 labels are swapped** (R.MT1 is lateral
  of R.MT5 and sits at the static MT5's distances from the heel markers). The static trial
  and the left foot are labelled correctly. :func:`load_markers` swaps them back (detected
  from the Z order, so a corrected file is left alone) and records it in the provenance.

Joint centres (BlazePose names, see :func:`joint_centres`)
----------------------------------------------------------
* hip: Harrington et al. 2007 (J Biomech 40:595) regression from the static pelvis
  (inter-ASIS width PW, pelvis depth PD = mid-ASIS to mid-PSIS; in the ISB pelvis frame
  x = -0.24 PD - 9.9 mm, y = -0.30 PW - 10.9 mm, z = ±(0.33 PW + 7.3 mm)), carried into every
  running frame by a least-squares rigid fit of the six pelvis markers (ASIS, PSIS, iliac
  crest), which also bridges the frames without L.ASIS.
* knee: midpoint of the lateral/medial femoral epicondyle markers of the static trial, in
  the frame of the 4-marker thigh cluster *and* of the 4-marker shank cluster; the knee is
  the mean of the two reconstructions (they differ by a few mm of soft-tissue artefact).
* ankle: midpoint of the malleoli of the static trial, reconstructed from the shank cluster.
* heel: the heel-bottom marker; foot_index: the midpoint of MT1 and MT5 (running markers).
Rigid fits are the SVD solution of Söderkvist & Wedin 1993 (Kabsch), vectorised over frames.

Rearfoot runners (``runner_*`` functions)
----------------------------------------

RBDS001 (forefoot, 2.5 and 3.5 m/s) is read by the functions above; the three rearfoot
runners (RBDS08, RBDS011, RBDS016) from ``fukuchi2017_rearfoot``.

Same dataset and conventions as RBDS001 (Fukuchi RK, Fukuchi CA, Duarte M
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
from pathlib import Path

import numpy as np
import pandas as pd

try:
    from tests.support.paths import data_dir
except ImportError:  # run from inside tests/
    from support.paths import data_dir

DATA = data_dir() / "fukuchi2017_rbds001"

MARKER_HZ = 150.0
SPEEDS = {"25": 2.5, "35": 3.5}
CITATION = (
    "Fukuchi RK, Fukuchi CA, Duarte M (2017). A public dataset of running biomechanics and "
    "the effects of running speed on lower extremity kinematics and kinetics. PeerJ 5:e3298, "
    "doi:10.7717/peerj.3298"
)
DATA_DOI = "10.6084/m9.figshare.4543435"
LICENSE = "CC BY 4.0"

PELVIS = ("R.ASIS", "L.ASIS", "R.PSIS", "L.PSIS", "R.Iliac.Crest", "L.Iliac.Crest")
_CLUSTER = ("Top.Lateral", "Bottom.Lateral", "Top.Medial", "Bottom.Medial")
_SIDES = {"right": "R", "left": "L"}
#: Virtual camera field of view in metres (1280 x 720 px at 500 px/m) and belt margin.
FIELD_M = (2.56, 1.44)
BELT_MARGIN_M = 0.12


def _rbds001_available() -> bool:
    """True when the RBDS001 files (2.5 m/s trial, static, processed, events) are present."""
    need = (
        "RBDS001runT25markers.txt",
        "RBDS001static.txt",
        "RBDS001processed.txt",
        "derived/RBDS001runT25_events_from_force.csv",
    )
    return all((DATA / name).is_file() for name in need)


def _speed(speed: str) -> str:
    speed = str(speed).replace(".", "")
    if speed not in SPEEDS:
        raise ValueError(f"speed must be one of {sorted(SPEEDS)} (2.5 or 3.5 m/s), not {speed!r}")
    return speed


def _marker_file(speed: str) -> Path:
    return DATA / ("RBDS001runT25markers.txt" if speed == "25" else f"RBDS001runT{speed}.c3d")


# --------------------------------------------------------------------------- reading
def _read_txt(path: Path) -> dict[str, np.ndarray]:
    """Markers of a Fukuchi TXT file, metres, NaN where missing."""
    df = pd.read_csv(path, sep="\t")
    names = [c[:-1] for c in df.columns[1::3]]
    out = {}
    for name in names:
        xyz = df[[f"{name}X", f"{name}Y", f"{name}Z"]].to_numpy(dtype=float) / 1000.0
        xyz[(xyz == 0).all(axis=1)] = np.nan
        xyz[~np.isfinite(xyz).all(axis=1)] = np.nan
        out[name] = xyz
    return out


def _read_c3d(path: Path) -> dict[str, np.ndarray]:
    """Markers of a C3D file, metres, NaN where missing (ezc3d; zeros mean missing)."""
    import ezc3d

    c3d = ezc3d.c3d(str(path))
    point = c3d["parameters"]["POINT"]
    unit = point["UNITS"]["value"][0].strip().lower()
    scale = {"mm": 1e-3, "m": 1.0}[unit]
    rate = float(point["RATE"]["value"][0])
    if not math.isclose(rate, MARKER_HZ):
        raise ValueError(f"{path.name}: marker rate {rate} Hz, expected {MARKER_HZ}")
    pts = c3d["data"]["points"][:3]  # (3, n_markers, n_frames)
    out = {}
    for i, name in enumerate(point["LABELS"]["value"]):
        xyz = pts[:, i, :].T.astype(float) * scale
        xyz[(xyz == 0).all(axis=1) | ~np.isfinite(xyz).all(axis=1)] = np.nan
        out[name.strip()] = xyz
    return out


def _fix_mt_labels(markers: dict[str, np.ndarray]) -> list[str]:
    """Swap MT1/MT5 of a foot whose MT5 is medial of MT1 (lab Z points to the right)."""
    notes = []
    for side, sign in (("R", 1.0), ("L", -1.0)):
        mt1, mt5 = markers[f"{side}.MT1"], markers[f"{side}.MT5"]
        if sign * np.nanmean(mt5[:, 2] - mt1[:, 2]) < 0:
            markers[f"{side}.MT1"], markers[f"{side}.MT5"] = mt5, mt1
            notes.append(f"{side}.MT1 and {side}.MT5 labels swapped back (MT5 was medial)")
    return notes


@functools.lru_cache(maxsize=4)
def _load(speed: str) -> tuple[np.ndarray, dict[str, np.ndarray], tuple[str, ...]]:
    path = _marker_file(speed)
    markers = _read_txt(path) if path.suffix == ".txt" else _read_c3d(path)
    notes = tuple(_fix_mt_labels(markers))
    n = len(next(iter(markers.values())))
    for a in markers.values():
        a.setflags(write=False)
    time = np.arange(n) / MARKER_HZ
    time.setflags(write=False)
    return time, markers, notes


def load_markers(speed: str = "25") -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Running-trial markers of RBDS001.

    Parameters
    ----------
    speed : {"25", "35"}
        "25": 2.5 m/s TXT trial; "35": 3.5 m/s C3D trial (needs ``ezc3d``). Both 150 Hz,
        4500 frames.

    Returns
    -------
    time_s : ndarray, shape (T,)
        Frame times, ``frame / 150`` seconds.
    markers : dict of str to ndarray, shape (T, 3)
        Positions in metres, lab frame (X forward = running direction, Y up, Z to the
        runner's right), NaN where missing. Names as in the file (``"R.Heel.Bottom"``...),
        with the right MT1/MT5 label swap of the source files corrected.
    """
    time, markers, _ = _load(_speed(speed))
    return time.copy(), {k: v.copy() for k, v in markers.items()}


@functools.lru_cache(maxsize=1)
def load_static() -> dict[str, np.ndarray]:
    """Static standing trial, mean position of every marker in metres (lab frame), shape (3,)."""
    raw = _read_txt(DATA / "RBDS001static.txt")
    return {k: np.nanmean(v, axis=0) for k, v in raw.items()}


# ------------------------------------------------------------------ rigid bodies
def rigid_fit(ref: np.ndarray, moving: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least-squares rigid transform of a marker cluster into every frame (SVD/Kabsch).

    Parameters
    ----------
    ref : ndarray, shape (M, 3)
        Cluster in the reference (static) trial, metres.
    moving : ndarray, shape (T, M, 3)
        The same markers in each frame, metres; NaN markers are left out of that frame's
        fit (at least 3 are needed, otherwise the frame is NaN).

    Returns
    -------
    rot : ndarray, shape (T, 3, 3)
    trans : ndarray, shape (T, 3)
        ``p_frame ≈ rot @ p_ref + trans`` (metres).
    rms : ndarray, shape (T,)
        Root-mean-square fit residual per frame, metres.
    """
    ref = np.asarray(ref, float)
    moving = np.asarray(moving, float)
    w = np.isfinite(moving).all(axis=2).astype(float)  # (T, M)
    mov = np.where(w[..., None] > 0, moving, 0.0)
    n = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        c_ref = (w @ ref) / n[:, None]
        c_mov = np.einsum("tm,tmi->ti", w, mov) / n[:, None]
    ok = n >= 3
    c_ref[~ok] = 0.0
    c_mov[~ok] = 0.0
    a = ref[None] - c_ref[:, None]
    b = mov - c_mov[:, None]
    h = np.einsum("tm,tmi,tmj->tij", w, a, b)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.einsum("tji,tkj->tik", vt, u)))
    d[d == 0] = 1.0
    fix = np.ones((len(h), 3))
    fix[:, 2] = d
    rot = np.einsum("tji,tj,tkj->tik", vt, fix, u)  # V diag(1,1,d) U^T
    trans = c_mov - np.einsum("tij,tj->ti", rot, c_ref)
    fitted = np.einsum("tij,mj->tmi", rot, ref) + trans[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        rms = np.sqrt((w * ((fitted - mov) ** 2).sum(axis=2)).sum(axis=1) / n)
    rot[~ok] = np.nan
    trans[~ok] = np.nan
    rms[~ok] = np.nan
    return rot, trans, rms


def _apply(rot: np.ndarray, trans: np.ndarray, point: np.ndarray) -> np.ndarray:
    return np.einsum("tij,j->ti", rot, point) + trans


def harrington_hjc(static: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Hip joint centres of the static trial, Harrington et al. 2007 (J Biomech 40:595).

    Parameters
    ----------
    static : dict of str to ndarray, shape (3,)
        Static marker positions in metres (needs R/L ASIS and PSIS).

    Returns
    -------
    dict with ``"right"`` and ``"left"``: hip joint centre, metres, static lab frame.
    """
    rasis, lasis = static["R.ASIS"], static["L.ASIS"]
    mid_asis = (rasis + lasis) / 2
    mid_psis = (static["R.PSIS"] + static["L.PSIS"]) / 2
    pw = np.linalg.norm(rasis - lasis) * 1000.0  # mm
    pd_ = np.linalg.norm(mid_asis - mid_psis) * 1000.0
    z = (rasis - lasis) / np.linalg.norm(rasis - lasis)
    x = mid_asis - mid_psis
    x = x - (x @ z) * z
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    out = {}
    for side, sign in (("right", 1.0), ("left", -1.0)):
        local = np.array([-0.24 * pd_ - 9.9, -0.30 * pw - 10.9, sign * (0.33 * pw + 7.3)])
        out[side] = mid_asis + (local[0] * x + local[1] * y + local[2] * z) / 1000.0
    return out


@functools.lru_cache(maxsize=4)
def _joint_centres(speed: str) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    _, markers, _ = _load(speed)
    static = load_static()
    hjc = harrington_hjc(static)
    centres: dict[str, np.ndarray] = {}
    quality: dict[str, np.ndarray] = {}

    names = list(PELVIS)
    p_rot, p_trans, rms = rigid_fit(
        np.array([static[m] for m in names]), np.stack([markers[m] for m in names], axis=1)
    )
    quality["pelvis_rms_m"] = rms
    for side, s in _SIDES.items():
        centres[f"{side}_hip"] = _apply(p_rot, p_trans, hjc[side])
        knee_static = (static[f"{s}.Knee"] + static[f"{s}.Knee.Medial"]) / 2
        ankle_static = (static[f"{s}.Ankle"] + static[f"{s}.Ankle.Medial"]) / 2
        knees = []
        for seg in ("Thigh", "Shank"):
            names = [f"{s}.{seg}.{c}" for c in _CLUSTER]
            rot, trans, rms = rigid_fit(
                np.array([static[m] for m in names]),
                np.stack([markers[m] for m in names], axis=1),
            )
            quality[f"{side}_{seg.lower()}_rms_m"] = rms
            knees.append(_apply(rot, trans, knee_static))
            if seg == "Shank":
                centres[f"{side}_ankle"] = _apply(rot, trans, ankle_static)
        centres[f"{side}_knee"] = (knees[0] + knees[1]) / 2
        quality[f"{side}_knee_gap_m"] = np.linalg.norm(knees[0] - knees[1], axis=1)
        centres[f"{side}_heel"] = markers[f"{s}.Heel.Bottom"].copy()
        centres[f"{side}_foot_index"] = (markers[f"{s}.MT1"] + markers[f"{s}.MT5"]) / 2
    for a in (*centres.values(), *quality.values()):
        a.setflags(write=False)
    return centres, quality


def joint_centres(speed: str = "25") -> dict[str, np.ndarray]:
    """Hip, knee, ankle, heel and foot_index of both legs in every running frame.

    Parameters
    ----------
    speed : {"25", "35"}
        Trial (2.5 or 3.5 m/s).

    Returns
    -------
    dict of str to ndarray, shape (T, 3)
        Keyed by BlazePose names (``"right_knee"``...), metres, lab frame (X forward, Y up,
        Z right), 150 Hz. Methods: see the module docstring.
    """
    centres, _ = _joint_centres(_speed(speed))
    return {k: v.copy() for k, v in centres.items()}


def fit_quality(speed: str = "25") -> dict[str, np.ndarray]:
    """Per-frame rigid-fit residuals and the thigh/shank knee disagreement, metres."""
    _, quality = _joint_centres(_speed(speed))
    return {k: v.copy() for k, v in quality.items()}


# ------------------------------------------------------------------------- clip
def sagittal(speed: str = "25") -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Joint centres projected on the sagittal plane, 150 Hz.

    Returns
    -------
    time_s : ndarray, shape (T,)
    points : dict of str to ndarray, shape (T, 2)
        (X forward, Y up) in metres; the lateral Z coordinate is dropped.
    """
    time, _, _ = _load(_speed(speed))
    return time.copy(), {k: v[:, :2].copy() for k, v in joint_centres(speed).items()}


def standing_calibration() -> dict:
    """Standing foot and ankle angles per side from the static trial, degrees.

    Computed here with numpy alone, not with ``runform.kinematics`` (so an offset bug
    there cannot cancel): foot = angle of heel-bottom → MT midpoint from +X in the X–Y
    plane (the ``foot_index`` of :func:`to_clip`, + toe up); ankle = 90° − (angle of
    knee − ankle − foot), with the static epicondyle and malleolus midpoints. Use as
    ``Clip.calibration``.
    """
    st = load_static()
    out: dict = {"foot_deg": {}, "ankle_deg": {}}
    for side, s in (("right", "R"), ("left", "L")):
        heel, toe = st[f"{s}.Heel.Bottom"], (st[f"{s}.MT1"] + st[f"{s}.MT5"]) / 2
        knee = (st[f"{s}.Knee"] + st[f"{s}.Knee.Medial"]) / 2
        ankle = (st[f"{s}.Ankle"] + st[f"{s}.Ankle.Medial"]) / 2
        foot = math.degrees(math.atan2(toe[1] - heel[1], toe[0] - heel[0]))
        shank = math.degrees(math.atan2(knee[1] - ankle[1], knee[0] - ankle[0]))
        out["foot_deg"][side] = foot
        out["ankle_deg"][side] = 90.0 - (shank - foot)
    return out


def to_clip(
    speed: str = "25", fps: float = 150.0, px_per_m: float = 500.0, calibrated: bool = False
):
    """The running trial as a :class:`runform.clip.Clip` seen by a virtual side camera.

    The camera is an orthographic one on the runner's right, looking along -Z: image x is
    lab X (the runner faces image-right), image y is -Y (down). The belt (Y = 0) is
    ``BELT_MARGIN_M`` above the bottom edge and the trial's median mid-hip X is at the
    image centre; the image covers ``FIELD_M`` (2.56 x 1.44 m, 1280 x 720 px at 500 px/m).
    Shoulders, arms and head are absent (NaN): the dataset has no upper-body markers.

    Parameters
    ----------
    speed : {"25", "35"}
        Trial (2.5 or 3.5 m/s).
    fps : float
        Frame rate of the clip. Positions are linearly interpolated from 150 Hz onto the
        grid ``k / fps`` s (for 30 fps this picks every 5th frame exactly).
    px_per_m : float
        Image scale in pixels per metre.

    Returns
    -------
    Clip
        ``direction="right"``, ``near_side="right"`` (the camera is on the right),
        ``treadmill=True``; visibility 1 everywhere a landmark exists.
    """
    from runform.clip import Clip

    speed = _speed(speed)
    fps = float(fps)
    if not (math.isfinite(fps) and 0 < fps <= MARKER_HZ):
        raise ValueError(f"fps must be in (0, {MARKER_HZ:g}], got {fps!r}")
    t150, pts = sagittal(speed)
    n = math.floor(t150[-1] * fps + 1e-9) + 1
    t = np.arange(n) / fps
    width = round(FIELD_M[0] * px_per_m)
    height = round(FIELD_M[1] * px_per_m)
    mid_hip_x = np.nanmedian((pts["left_hip"][:, 0] + pts["right_hip"][:, 0]) / 2)
    landmarks = {}
    for name, xy in pts.items():
        x = np.interp(t, t150, xy[:, 0])
        y = np.interp(t, t150, xy[:, 1])
        landmarks[name] = np.column_stack(
            [width / 2 + (x - mid_hip_x) * px_per_m, height - (y + BELT_MARGIN_M) * px_per_m]
        )
    _, _, notes = _load(speed)
    files = [_marker_file(speed).name, "RBDS001static.txt"]
    provenance = {
        "source": str(_marker_file(speed)),
        "kind": "mocap-projection",
        "dataset": "Fukuchi et al. 2017 running dataset, subject RBDS001",
        "speed_m_s": SPEEDS[speed],
        "files": files,
        "citation": CITATION,
        "data_doi": DATA_DOI,
        "license": LICENSE,
        "px_per_m": float(px_per_m),
        "belt_y_px": float(height - BELT_MARGIN_M * px_per_m),
        "marker_hz": MARKER_HZ,
        "joint_centres": "hip Harrington 2007 (static pelvis, 6-marker rigid fit); knee/ankle "
        "epicondyle/malleolus midpoints via thigh+shank / shank clusters; heel = Heel.Bottom; "
        "foot_index = mid(MT1, MT5)",
        "processing": [
            *notes,
            "sagittal projection (X forward, Y up), orthographic camera on the right",
            f"linear interpolation 150 Hz -> {fps:g} fps" if fps != MARKER_HZ else "150 Hz",
        ],
    }
    return Clip.from_arrays(
        landmarks,
        fps,
        width=width,
        height=height,
        time=t,
        direction="right",
        near_side="right",
        treadmill=True,
        provenance=provenance,
        calibration=standing_calibration() if calibrated else {},
    )


# ------------------------------------------------------------------------ truth
def force_events(speed: str = "25") -> pd.DataFrame:
    """Force-plate contacts (``derived/RBDS001runT{speed}_events_from_force.csv``).

    Returns
    -------
    DataFrame
        One row per contact in time order: ``foot`` ('left'/'right'), ``ic_s``, ``to_s``,
        ``contact_s`` (seconds from the first marker frame), ``ic_frame`` (150 Hz marker
        frame of IC) and ``foot_angle_deg`` (heel-bottom -> MT midpoint angle in the X-Y
        plane at IC minus the static one, degrees, + toe up).
    """
    speed = _speed(speed)
    df = pd.read_csv(DATA / f"derived/RBDS001runT{speed}_events_from_force.csv")
    out = pd.DataFrame(
        {
            "foot": df["side"].map({"L": "left", "R": "right"}),
            "ic_s": df["ic_time_s"].astype(float),
            "to_s": df["to_time_s"].astype(float),
            "contact_s": df["contact_time_s"].astype(float),
            "ic_frame": df["ic_marker_frame"].astype(int),
            "foot_angle_deg": df["foot_angle_at_ic_rel_static_deg"].astype(float),
        }
    )
    return out.sort_values("ic_s", ignore_index=True)


def truth_summary(speed: str = "25") -> dict[str, float]:
    """Force-plate truth of a trial.

    Returns
    -------
    dict
        ``n_contacts``; ``cadence_spm`` (60 / mean step time, steps per minute);
        ``step_time_s`` (mean IC-to-next-IC of alternating feet); ``contact_time_s`` and
        ``contact_time_sd_s``; ``flight_time_s`` (step time - contact time); ``duty_factor``
        (contact / stride time); ``foot_angle_ic_right_deg`` / ``..._left_deg`` (mean, + toe
        up) and their SDs; ``speed_m_s``.
    """
    ev = force_events(speed)
    ic = ev["ic_s"].to_numpy()
    alt = ev["foot"].to_numpy()[1:] != ev["foot"].to_numpy()[:-1]
    steps = np.diff(ic)[alt]
    step = float(np.mean(steps))
    ct = float(ev["contact_s"].mean())
    out = {
        "speed_m_s": SPEEDS[_speed(speed)],
        "n_contacts": len(ev),
        "cadence_spm": 60.0 / step,
        "step_time_s": step,
        "contact_time_s": ct,
        "contact_time_sd_s": float(ev["contact_s"].std()),
        "flight_time_s": step - ct,
        "duty_factor": ct / (2 * step),
    }
    for foot in ("right", "left"):
        a = ev.loc[ev["foot"] == foot, "foot_angle_deg"]
        out[f"foot_angle_ic_{foot}_deg"] = float(a.mean())
        out[f"foot_angle_ic_{foot}_sd_deg"] = float(a.std())
    return out


def reference_angles(speed: str = "25") -> pd.DataFrame:
    """Visual3D mean-gait-cycle sagittal angles of RBDS001 (``RBDS001processed.txt``).

    The ``…AngZ{speed}`` columns, degrees, 101 rows (0–100 % of the cycle, 0 = initial
    contact of that leg: the leg's vertical GRF rises from 0 there and ends at ~38 % at
    2.5 m/s). Sign conventions found in the data: hip + flexion (35° at IC, ~0° near toe-off),
    knee + flexion (~13° at IC, 85–90° in swing, never negative), ankle + dorsiflexion (−8°
    at IC for this non-rearfoot striker, +22° at mid-stance, −27° after toe-off). Ankle 0 is
    Visual3D's foot-vs-shank reference, not necessarily the standing posture.

    Returns
    -------
    DataFrame
        Columns ``pct``, ``hip_right``, ``knee_right``, ``ankle_right``, ``hip_left``,
        ``knee_left``, ``ankle_left``.
    """
    speed = str(speed).replace(".", "")
    if speed not in ("25", "35", "45"):
        raise ValueError(f"speed must be '25', '35' or '45', not {speed!r}")
    df = pd.read_csv(DATA / "RBDS001processed.txt", sep="\t")
    out = pd.DataFrame({"pct": df["PercGcycle"].astype(float)})
    for side, s in (("right", "R"), ("left", "L")):
        for joint in ("hip", "knee", "ankle"):
            out[f"{joint}_{side}"] = df[f"{s}{joint}AngZ{speed}"].astype(float)
    return out


# --------------------------------------------------------------- rearfoot runners
REARFOOT_DATA = data_dir() / "fukuchi2017_rearfoot"
RUNNERS = {"RBDS08": 180.0, "RBDS011": 179.5, "RBDS016": 167.5}  #: stature, cm (RBDSinfo)
RUNNER_SPEEDS = {"25": 2.5, "35": 3.5, "45": 4.5}
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
    return [s for s in RUNNER_SPEEDS if available(runner, s)]


def available(runner: str = "RBDS001", speed: str = "25") -> bool:
    """True when the runner's running trial and static trial exist (RBDS001: also its
    processed angles and force events)."""
    if runner == "RBDS001":
        return (
            _rbds001_available()
            and speed in SPEEDS
            and (speed == "25" or (DATA / "RBDS001runT35.c3d").is_file())
        )
    return (REARFOOT_DATA / runner / f"{runner}runT{speed}.c3d").is_file() and (
        REARFOOT_DATA / runner / f"{runner}static.c3d"
    ).is_file()


def trials() -> list[tuple[str, str]]:
    """Every (runner, speed) pair present on disk."""
    return [(r, s) for r in ALL_RUNNERS for s in RUNNER_SPEEDS if available(r, s)]


@functools.lru_cache(maxsize=3)
def runner_static(runner: str) -> dict[str, np.ndarray]:
    """Mean static position of every marker, metres (lab frame), shape (3,)."""
    if runner == "RBDS001":
        return load_static()
    raw = _read_c3d(REARFOOT_DATA / runner / f"{runner}static.c3d")
    return {k: np.nanmean(v, axis=0) for k, v in raw.items()}


def _runner_markers(runner: str, speed: str) -> dict:
    return _load(speed)[1] if runner == "RBDS001" else _trial(runner, speed)[0]


@functools.lru_cache(maxsize=2)
def _trial(runner: str, speed: str):
    import ezc3d

    path = REARFOOT_DATA / runner / f"{runner}runT{speed}.c3d"
    markers = _read_c3d(path)
    notes = tuple(_fix_mt_labels(markers))
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


def _toe_tip(
    markers: dict,
    st: dict,
    s: str,
    stances: list[tuple[float, float]],
    times: np.ndarray | None = None,
) -> np.ndarray:
    """Toe tip at ``times`` (s; default every marker frame), metres, shape (T, 3).

    See the module notes. ``stances`` are this foot's force-plate (IC, TO) times in
    seconds. The foot's rigid fit and the MT midpoint are interpolated from 150 Hz onto
    ``times`` first and the toe rule is applied there, so the tip is let go at force TO
    itself: built at 150 Hz and resampled, its release would fall on the last marker
    sample before force TO (0–6.7 ms early, −3.3 ms on average).
    """
    names = [f"{s}.{m}" for m in FOOT]
    rot, _, _ = rigid_fit(
        np.array([st[m] for m in names]), np.stack([markers[m] for m in names], axis=1)
    )
    mt_st = (st[f"{s}.MT1"] + st[f"{s}.MT5"]) / 2
    u_st = _toe_static(st, s) - mt_st
    u150 = np.einsum("tij,j->ti", rot, u_st)
    mt150 = (markers[f"{s}.MT1"] + markers[f"{s}.MT5"]) / 2
    t150 = np.arange(len(mt150)) / MARKER_HZ
    t = t150 if times is None else np.asarray(times, float)

    def at(x: np.ndarray, when: np.ndarray) -> np.ndarray:
        return np.column_stack([np.interp(when, t150, x[:, i]) for i in range(x.shape[1])])

    length = float(np.hypot(u_st[0], u_st[1]))

    def pitch_floor(when: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u, mt = at(u150, when), at(mt150, when)
        floor = np.arcsin(np.clip((TOE_HEIGHT_M - mt[:, 1]) / length, -1.0, 1.0))
        return np.arctan2(u[:, 1], u[:, 0]), floor  # rigid toe segment, rad, + tip up

    pitch, floor = pitch_floor(t)
    theta = pitch.copy()
    for ic, to in stances:
        inside = (t >= ic) & (t <= to)
        theta[inside] = np.maximum(pitch[inside], floor[inside])
        p_to, f_to = pitch_floor(np.array([to]))
        at_release = max(p_to[0], f_to[0])
        after = (t > to) & (t < to + TOE_RELAX_S)
        w = (t[after] - to) / TOE_RELAX_S  # toe keeps its orientation at release, then follows
        theta[after] = np.maximum((1.0 - w) * at_release + w * pitch[after], floor[after])
    theta = np.maximum(theta, floor)  # never below the floor (a toe-first landing)
    tip = at(mt150, t)
    tip[:, 0] += length * np.cos(theta)
    tip[:, 1] += length * np.sin(theta)
    tip[:, 2] += at(u150, t)[:, 2]
    return tip


def toe_tip_at(runner: str, speed: str, side: str, times: np.ndarray) -> np.ndarray:
    """The toe tip of ``side`` ('left'/'right') at ``times`` (s), metres, shape (T, 3)."""
    markers = _runner_markers(runner, speed)
    ev = runner_force_events(runner, speed)
    stances = list(zip(ev.ic_s[ev.foot == side], ev.to_s[ev.foot == side], strict=True))
    return _toe_tip(markers, runner_static(runner), _SIDES[side], stances, times)


@functools.lru_cache(maxsize=2)
def runner_joint_centres(runner: str, speed: str) -> dict[str, np.ndarray]:
    """BlazePose-named 3D points per frame (metres), plus ``*_toe_tip``; read-only arrays."""
    markers = _runner_markers(runner, speed)
    st = runner_static(runner)
    ev = runner_force_events(runner, speed)
    stances = {
        side: list(zip(ev.ic_s[ev.foot == side], ev.to_s[ev.foot == side], strict=True))
        for side in _SIDES
    }
    hjc = harrington_hjc(st)
    rot, trans, _ = rigid_fit(
        np.array([st[m] for m in PELVIS]), np.stack([markers[m] for m in PELVIS], axis=1)
    )
    out = {}
    for side, s in _SIDES.items():
        out[f"{side}_hip"] = _apply(rot, trans, hjc[side])
        knee = (st[f"{s}.Knee"] + st[f"{s}.Knee.Medial"]) / 2
        ankle = (st[f"{s}.Ankle"] + st[f"{s}.Ankle.Medial"]) / 2
        knees = []
        for seg in ("Thigh", "Shank"):
            names = [f"{s}.{seg}.{c}" for c in _CLUSTER]
            r, tr, _ = rigid_fit(
                np.array([st[m] for m in names]), np.stack([markers[m] for m in names], axis=1)
            )
            knees.append(_apply(r, tr, knee))
            if seg == "Shank":
                out[f"{side}_ankle"] = _apply(r, tr, ankle)
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
    st = runner_static(runner)
    out = {"foot_deg": {}, "ankle_deg": {}}
    for side, s in _SIDES.items():
        heel = st[f"{s}.Heel.Bottom"]
        tip = _toe_static(st, s) if toe == "toe" else (st[f"{s}.MT1"] + st[f"{s}.MT5"]) / 2
        knee = (st[f"{s}.Knee"] + st[f"{s}.Knee.Medial"]) / 2
        ankle = (st[f"{s}.Ankle"] + st[f"{s}.Ankle.Medial"]) / 2
        foot = math.degrees(math.atan2(tip[1] - heel[1], tip[0] - heel[0]))
        shank = math.degrees(math.atan2(knee[1] - ankle[1], knee[0] - ankle[0]))
        out["foot_deg"][side] = foot
        out["ankle_deg"][side] = 90.0 - (shank - foot)
    return out


def runner_clip(
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
    jc = runner_joint_centres(runner, speed)
    n150 = len(jc["right_hip"])
    t150 = np.arange(n150) / MARKER_HZ
    n = math.floor(t150[-1] * fps + 1e-9) + 1
    t = np.arange(n) / fps
    width, height = round(FIELD_M[0] * px_per_m), round(FIELD_M[1] * px_per_m)
    mid_x = np.nanmedian((jc["left_hip"][:, 0] + jc["right_hip"][:, 0]) / 2)
    lm = {}
    for name, p in jc.items():
        if name.endswith("toe_tip") or (toe == "toe" and name.endswith("foot_index")):
            continue
        lm[name] = p
    lm = {k: np.column_stack([np.interp(t, t150, p[:, i]) for i in (0, 1)]) for k, p in lm.items()}
    if toe == "toe":  # built at the frame times, so it leaves at force TO (see _toe_tip)
        for side in ("left", "right"):
            lm[f"{side}_foot_index"] = toe_tip_at(runner, speed, side, t)[:, :2]
    landmarks = {
        k: np.column_stack(
            [
                width / 2 + (p[:, 0] - mid_x) * px_per_m,
                height - (p[:, 1] + BELT_MARGIN_M) * px_per_m,
            ]
        )
        for k, p in lm.items()
    }
    prov = {
        "source": str(REARFOOT_DATA / runner / f"{runner}runT{speed}.c3d"),
        "kind": "mocap-projection",
        "dataset": f"Fukuchi et al. 2017, {runner}",
        "speed_m_s": RUNNER_SPEEDS[speed],
        "citation": CITATION,
        "license": LICENSE,
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
def runner_force_events(runner: str, speed: str) -> pd.DataFrame:
    """Force-plate contacts: ``foot``, ``ic_s``, ``to_s``, ``contact_s`` (s from marker frame 0)."""
    if runner == "RBDS001":
        return force_events(speed)[["foot", "ic_s", "to_s", "contact_s"]]
    _, _, fy, rate = _trial(runner, speed)
    f = _lowpass(fy, rate)
    on = f > FORCE_N
    edges = np.diff(on.astype(int))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    markers = _runner_markers(runner, speed)
    heel = {side: markers[f"{s}.Heel.Bottom"] for side, s in _SIDES.items()}
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
        k = min(round((ic + to) / 2 * MARKER_HZ), len(heel["right"]) - 1)
        foot = "right" if heel["right"][k, 1] < heel["left"][k, 1] else "left"
        rows.append({"foot": foot, "ic_s": ic, "to_s": to, "contact_s": to - ic})
    df = pd.DataFrame(rows)
    last = (len(heel["right"]) - 1) / MARKER_HZ
    return df[df.to_s < last - 0.02].reset_index(drop=True)


def runner_truth_summary(runner: str, speed: str) -> dict:
    """Cadence (60 / mean alternating step time, spm), contact time mean/SD (s), n contacts."""
    ev = runner_force_events(runner, speed)
    ic = ev["ic_s"].to_numpy()
    alt = ev["foot"].to_numpy()[1:] != ev["foot"].to_numpy()[:-1]
    steps = np.diff(ic)[alt]
    steps = steps[steps < 1.5 * np.median(steps)]
    return {
        "n_contacts": len(ev),
        "cadence_spm": 60.0 / float(np.mean(steps)),
        "contact_time_s": float(ev["contact_s"].mean()),
        "contact_time_sd_s": float(ev["contact_s"].std()),
        "speed_m_s": RUNNER_SPEEDS[speed],
    }
