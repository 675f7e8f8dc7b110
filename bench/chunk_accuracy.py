"""Chunked vs single-pass pose, at the level of what a user sees, against the truth.

Usage: python bench/chunk_accuracy.py [--jobs 2] [--warmup 0 10 30] [--real] [NAME ...]

For every bundled sample (default: all) the pose is extracted as a single pass and as
``--jobs`` chunks with each ``--warmup`` K (every chunk after the first starts K frames
early and drops them), then the whole pipeline runs on each and is compared with the
renderer's truth using ``bench/accuracy.py``: near-leg angle error (mean |error|, deg),
per-event IC/TO error (frames), missed and spurious events, contact-time, cadence and
foot-strike errors, and the metrics whose truth the simulated runner's parameters state
(knee at IC, peak stance knee, trunk lean, overstride in cm). ``--real`` adds the real
treadmill clip, whose only truth is the cadence (168.9 ± 0.5 steps/min, from pixels);
its other metrics are compared with the single pass and with their own 95% CI.

The pose results are cached (``RUNFORM_CACHE_DIR``), so a second run costs no MediaPipe.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accuracy as A

import runform as rf
from runform import chunking, data
from runform.landmarks import INDEX

REAL = (
    Path(
        os.environ.get("RUNFORM_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    / "male_side_treadmill"
    / "male_side.mp4"
)
REAL_CADENCE = 168.9
#: Metrics compared with the simulated runner's parameters: metric -> parameter.
PARAM_TRUTH = {
    "knee_flexion_ic_deg": "knee_flexion_ic_deg",
    "knee_flexion_peak_stance_deg": "knee_flexion_stance_deg",
    "trunk_lean_deg": "trunk_lean_deg",
    "overstride_cm": "overstride_cm",
}
#: Metrics shown for the real clip (no truth but cadence): chunked - single vs CI.
SHOWN = (
    "cadence_spm",
    "contact_time_ms",
    "flight_time_ms",
    "duty_factor",
    "knee_flexion_ic_deg",
    "knee_flexion_peak_stance_deg",
    "shank_angle_ic_deg",
    "dorsiflexion_peak_stance_deg",
    "peak_hip_extension_deg",
    "overstride_leg",
    "trunk_lean_deg",
    "vertical_oscillation_leg",
)
LEGS = [
    INDEX[f"{s}_{j}"]
    for s in ("left", "right")
    for j in ("hip", "knee", "ankle", "heel", "foot_index")
]


def pose(path, jobs: int, warmup: int):
    """Raw landmarks with ``jobs`` chunks and ``warmup`` frames of warm-up (cached)."""
    chunking.WARMUP_FRAMES = warmup
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rf.extract_pose(path, progress=False, n_jobs=jobs)


def _value(m):
    if m is None:
        return np.nan
    m = getattr(m, "angle", m)  # FootStrike -> its angle
    return float(m.value) if getattr(m, "known", True) else np.nan


def evaluate(name: str, raw: rf.Clip) -> dict:
    """bench/accuracy.py's evaluation of one sample, on given raw landmarks."""
    truth = data.load_truth(name)
    original = rf.analyze
    height = 100 * float(truth["params"]["stature_m"])
    rf.analyze = lambda _path, **kw: original(raw, height_cm=height)
    try:
        r = A.evaluate(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = original(raw, height_cm=height)
    finally:
        rf.analyze = original
    p = truth["params"]
    r["param_errors"] = {
        k: _value(res.metrics.get(k)) - float(p[v])
        for k, v in PARAM_TRUTH.items()
        if p.get(v) is not None
    }
    r["metrics"] = {k: res.metrics.get(k) for k in SHOWN}
    return r


def landmark_gap(one: rf.Clip, other: rf.Clip) -> tuple[float, float]:
    """Median and max distance (px) of leg and foot landmarks between two runs."""
    d = np.linalg.norm(other.xy[:, LEGS] - one.xy[:, LEGS], axis=2)
    return float(np.nanmedian(d)), float(np.nanmax(d))


def summary(r: dict) -> dict:
    near = r["near"]
    ev = {k: A.event_summary(r["events"][k]) for k in ("ic_s", "to_s")}
    return {
        "angle": np.nanmean([r["angles"][f"{near}_{a}"][0] for a in A.ANGLES]),
        "knee": r["angles"][f"{near}_knee_flexion"][0],
        "ankle": r["angles"][f"{near}_ankle_dorsiflexion"][0],
        "ic": ev["ic_s"]["mean_abs"],
        "to": ev["to_s"]["mean_abs"],
        "miss": sum(
            r["events"][k]["missed"] + r["events"][k]["spurious"] for k in ("ic_s", "to_s")
        ),
        "ct": r["contact_error_ms"],
        "cad": r["cadence_error_spm"],
        "fsa": r["fsa_error_deg"],
        "strike": r["strike_type"],
        **r["param_errors"],
    }


COLS = (
    "angle",
    "knee",
    "ankle",
    "ic",
    "to",
    "miss",
    "ct",
    "cad",
    "fsa",
    "knee_flexion_ic_deg",
    "knee_flexion_peak_stance_deg",
    "trunk_lean_deg",
    "overstride_cm",
)
HEAD = (
    "angles",
    "knee",
    "ankle DF",
    "|IC| fr",
    "|TO| fr",
    "miss+spur",
    "contact ms",
    "cadence spm",
    "FSA",
    "knee IC",
    "knee peak",
    "trunk",
    "overstride cm",
)


def _fmt(v) -> str:
    return v if isinstance(v, str) else f"{v:+.2f}" if np.isfinite(v) else "-"


def samples(names, jobs: int, warmups) -> None:
    configs = [("single", 1, 0)] + [(f"x{jobs} K={k}", jobs, k) for k in warmups]
    rows = {c[0]: [] for c in configs}
    print(
        "| sample | run | landmarks vs single median / max px | " + " | ".join(HEAD) + " | strike |"
    )
    print("|---" * (len(HEAD) + 4) + "|")
    for name in names:
        path = data.path(name)
        single = None
        for label, n, k in configs:
            raw = pose(path, n, k)
            single = raw if single is None else single
            s = summary(evaluate(name, raw))
            rows[label].append(s)
            med, mx = landmark_gap(single, raw)
            print(
                f"| {name} | {label} | {med:.2f} / {mx:.1f} | "
                + " | ".join(_fmt(s.get(c, np.nan)) for c in COLS)
                + f" | {s['strike']} |",
                flush=True,
            )
    print(
        "\nPooled over samples: mean |error| vs truth (deg, frames, ms, spm, cm); miss+spur summed"
    )
    print("| run | " + " | ".join(HEAD) + " |\n" + "|---" * (len(HEAD) + 1) + "|")
    for label, rs in rows.items():
        cells = []
        for c in COLS:
            v = np.array([r.get(c, np.nan) for r in rs], float)
            cells.append(f"{np.nansum(v):.0f}" if c == "miss" else f"{np.nanmean(np.abs(v)):.2f}")
        print(f"| {label} | " + " | ".join(cells) + " |")


def real(jobs: int, warmups) -> None:
    """The real clip: chunked minus single per metric, beside the single pass's CI."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one_raw = pose(REAL, 1, 0)
        one = rf.analyze(one_raw)
        runs = {k: rf.analyze(pose(REAL, jobs, k)) for k in warmups}
    print(f"\nReal clip ({REAL.name}); cadence truth {REAL_CADENCE} spm")
    print(
        "| metric | single (95% CI) | "
        + " | ".join(f"x{jobs} K={k} - single" for k in warmups)
        + " |"
    )
    print("|---" * (len(warmups) + 2) + "|")
    for key in (*SHOWN, "foot_strike"):
        m1 = one.metrics.get(key)
        m = getattr(m1, "angle", m1)
        if m is None:
            continue
        lo, hi = m.ci95
        diffs = [_value(r.metrics.get(key)) - m.value for r in runs.values()]
        print(
            f"| {key} | {m.value:.3g} ({lo:.3g} to {hi:.3g}) | "
            + " | ".join(f"{d:+.3g}" for d in diffs)
            + " |"
        )
    for k, r in runs.items():
        med, mx = landmark_gap(one.raw, r.raw)
        cl = np.linalg.norm(r.cleaned.xy[:, LEGS] - one.cleaned.xy[:, LEGS], axis=2)
        a = np.abs(r.angles.to_numpy(float) - one.angles.to_numpy(float))
        print(
            f"K={k}: raw leg landmarks vs single median {med:.2f} px, max {mx:.0f} px; "
            f"cleaned median {np.nanmedian(cl):.2f}, max {np.nanmax(cl):.0f} px; "
            f"filtered angles |diff| median {np.nanmedian(a):.2f}, p99 "
            f"{np.nanpercentile(a, 99):.1f} deg; strike {r.metrics['foot_strike'].type} "
            f"vs {one.metrics['foot_strike'].type}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--warmup", type=int, nargs="+", default=[chunking.WARMUP_FRAMES])
    ap.add_argument("--real", action="store_true")
    ap.add_argument("--no-samples", action="store_true")
    args = ap.parse_args()
    if not args.no_samples:
        samples(args.names or data.names("bundled"), args.jobs, args.warmup)
    if args.real:
        real(args.jobs, args.warmup)


if __name__ == "__main__":
    main()
