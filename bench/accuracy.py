"""Accuracy of the whole pipeline on the rendered samples, against their exact truth.

Usage: python bench/accuracy.py [NAME ...]     (default: every bundled sample)

For each clip, MediaPipe → clean → angles → events → metrics is compared with the
truth file written by the renderer, and printed:

- landmark error: distance of each raw MediaPipe landmark from the true projected joint,
  in % of leg length (hip→knee→ankle), median and 90th percentile, near and far leg;
  and the mean signed offset in the runner's frame (+x forward, +y up) — the systematic
  difference between MediaPipe's landmark definitions and true joint centres;
- angle error: |runform − truth| per angle, mean and 90th percentile, near and far leg;
- foot-strike angle error (near foot, mean over steps), degrees;
- IC and TO error of the near foot in frames (mean and max |error|);
- contact-time error (ms) and cadence error (steps/min).
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

import runform as rf
from runform import data
from runform.kinematics import normalise
from runform.landmarks import INDEX

ANGLES = ("ankle_dorsiflexion", "knee_flexion", "thigh_angle", "hip_flexion", "shank_angle",
          "foot_angle")
JOINTS = ("hip", "knee", "ankle", "heel", "foot_index", "shoulder")


def _leg_px(j2d: dict, side: str) -> float:
    hip, knee, ankle = (np.asarray(j2d[f"{side}_{k}"]) for k in ("hip", "knee", "ankle"))
    return float(np.median(np.linalg.norm(knee - hip, axis=1)
                           + np.linalg.norm(ankle - knee, axis=1)))


def landmark_errors(raw: rf.Clip, truth: dict) -> dict:
    """Per side and joint: median/P90 distance (% leg) and mean signed offset (% leg)."""
    j2d = truth["joints_2d_px"]
    out = {}
    for side in ("left", "right"):
        leg = _leg_px(j2d, side)
        for joint in JOINTS:
            name = f"{side}_{joint}"
            if name not in j2d:
                continue
            tru = np.asarray(j2d[name], float)
            est = raw.xy[:, INDEX[name]]
            d = np.linalg.norm(est - tru, axis=1) / leg * 100
            off = (normalise(est, truth["direction"]) - normalise(tru, truth["direction"]))
            ok = np.isfinite(d)
            out[name] = {
                "median_pct": float(np.median(d[ok])) if ok.any() else np.nan,
                "p90_pct": float(np.percentile(d[ok], 90)) if ok.any() else np.nan,
                "offset_pct": (np.nanmean(off, axis=0) / leg * 100).round(2).tolist(),
            }
    return out


def angle_errors(angles, truth: dict) -> dict:
    """Per side and angle: mean and P90 of |runform − truth|, degrees."""
    out = {}
    for side in ("left", "right"):
        for a in ANGLES:
            est = angles[f"{side}_{a}_deg"].to_numpy(float)
            tru = np.asarray(truth["angles_deg"][f"{side}_{a}"], float)
            e = np.abs((est - tru + 180) % 360 - 180)
            e = e[np.isfinite(e)]
            out[f"{side}_{a}"] = (float(e.mean()) if len(e) else np.nan,
                                  float(np.percentile(e, 90)) if len(e) else np.nan)
    return out


def event_errors(events, truth: dict, side: str, fps: float) -> dict:
    """Near-foot IC/TO errors in frames, matched to the nearest true event."""
    ev = events[(events.foot == side) & events.complete]
    out = {}
    for kind in ("ic_s", "to_s"):
        tru = np.asarray(truth["events"][side][kind], float)
        errs = [r - tru[np.argmin(np.abs(tru - r))] for r in ev[kind]] if len(tru) else []
        errs = np.asarray([e for e in errs if abs(e) < 0.15]) * fps
        out[kind] = (float(errs.mean()) if len(errs) else np.nan,
                     float(np.abs(errs).max()) if len(errs) else np.nan, len(errs))
    return out


def evaluate(name: str) -> dict:
    """Run the pipeline on one bundled sample and compare it with its truth."""
    truth = data.load_truth(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rf.analyze(data.path(name), progress=False)
    near = truth["camera"]["near_side"]
    far = "right" if near == "left" else "left"
    fps = float(truth["fps"])
    ic, to = (np.asarray(truth["events"][near][k], float) for k in ("ic_s", "to_s"))
    pairs = [(i, to[to > i][0]) for i in ic if (to > i).any()]  # each IC with its own TO
    true_ct = 1000 * float(np.mean([b - a for a, b in pairs]))
    true_cad = 120.0 / float(np.mean(np.diff(ic)))  # steps/min: two steps per stride
    steps = result.steps[result.steps.near & result.steps.complete]
    strike = truth.get("params", {}).get("strike_angle_deg_used")
    m = result.metrics
    return {
        "name": name, "fps": fps, "near": near, "far": far,
        "direction_ok": result.clip.direction == truth["direction"],
        "near_side_ok": result.clip.near_side == near,
        "landmarks": landmark_errors(result.raw, truth),
        "angles": angle_errors(result.angles, truth),
        "events": event_errors(result.events, truth, near, fps),
        "fsa_error_deg": (float(np.nanmean(steps.foot_strike_angle_deg)) - strike
                          if strike is not None and len(steps) else np.nan),
        "contact_error_ms": m["contact_time_ms"].value - true_ct,
        "cadence_error_spm": m["cadence_spm"].value - true_cad,
    }


def report(r: dict) -> str:
    """Human-readable block for one clip."""
    near, far = r["near"], r["far"]
    lines = [f"== {r['name']} ({r['fps']:g} fps, near leg {near}; direction "
             f"{'ok' if r['direction_ok'] else 'WRONG'}, near side "
             f"{'ok' if r['near_side_ok'] else 'WRONG'})"]
    lines.append("  landmark error, % leg length: median / p90 (near | far); offset x,y near")
    for j in JOINTS:
        a, b = r["landmarks"].get(f"{near}_{j}"), r["landmarks"].get(f"{far}_{j}")
        if a and b:
            lines.append(f"    {j:11s} {a['median_pct']:5.1f} / {a['p90_pct']:5.1f} | "
                         f"{b['median_pct']:5.1f} / {b['p90_pct']:5.1f}   "
                         f"offset {a['offset_pct'][0]:+5.1f},{a['offset_pct'][1]:+5.1f}")
    lines.append("  angle error, deg: mean / p90 (near | far)")
    for a in ANGLES:
        (m1, p1), (m2, p2) = r["angles"][f"{near}_{a}"], r["angles"][f"{far}_{a}"]
        lines.append(f"    {a:19s} {m1:5.1f} / {p1:5.1f} | {m2:5.1f} / {p2:5.1f}")
    ic, to = r["events"]["ic_s"], r["events"]["to_s"]
    lines.append(f"  near-foot IC error {ic[0]:+.2f} frames (max {ic[1]:.2f}, n={ic[2]}); "
                 f"TO {to[0]:+.2f} (max {to[1]:.2f}, n={to[2]})")
    lines.append(f"  foot-strike angle error {r['fsa_error_deg']:+.1f} deg; contact time "
                 f"{r['contact_error_ms']:+.0f} ms; cadence {r['cadence_error_spm']:+.2f} spm")
    return "\n".join(lines)


def overall(results: list[dict]) -> dict:
    """Pooled figures over clips (near leg)."""
    def pool(key):
        return np.array([r["angles"][f"{r['near']}_{key}"][0] for r in results])

    return {
        "angle_mean_deg": {a: float(np.nanmean(pool(a))) for a in ANGLES},
        "ic_abs_frames": float(np.nanmean([abs(r["events"]["ic_s"][0]) for r in results])),
        "to_abs_frames": float(np.nanmean([abs(r["events"]["to_s"][0]) for r in results])),
        "contact_abs_ms": float(np.nanmean([abs(r["contact_error_ms"]) for r in results])),
        "cadence_abs_spm": float(np.nanmean([abs(r["cadence_error_spm"]) for r in results])),
        "fsa_abs_deg": float(np.nanmean([abs(r["fsa_error_deg"]) for r in results])),
        "landmark_median_pct": {j: float(np.nanmean([r["landmarks"][f"{r['near']}_{j}"]
                                                       ["median_pct"] for r in results]))
                                for j in JOINTS},
    }


def main(names: list[str]) -> None:
    names = names or data.names("bundled")
    results = [evaluate(n) for n in names]
    for r in results:
        print(report(r))
    o = overall(results)
    print("== overall (near leg, mean over clips)")
    for a, v in o["angle_mean_deg"].items():
        print(f"    {a:19s} {v:5.1f} deg")
    print("    landmark median error, % leg: " + ", ".join(
        f"{j} {v:.1f}" for j, v in o["landmark_median_pct"].items()))
    print(f"    |IC| {o['ic_abs_frames']:.2f} frames, |TO| {o['to_abs_frames']:.2f} frames, "
          f"|contact| {o['contact_abs_ms']:.0f} ms, |cadence| {o['cadence_abs_spm']:.2f} spm, "
          f"|FSA| {o['fsa_abs_deg']:.1f} deg")


if __name__ == "__main__":
    main(sys.argv[1:])
