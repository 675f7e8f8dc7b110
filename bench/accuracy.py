"""Accuracy of the whole pipeline on the rendered samples, against their exact truth.

Usage: python bench/accuracy.py [NAME ...]     (default: every bundled sample)

For each clip, MediaPipe → clean → angles → events → metrics is compared with the
truth file written by the renderer, and printed:

- landmark error: distance of each raw MediaPipe landmark from the true projected joint,
  in % of leg length (hip→knee→ankle), median and 90th percentile, near and far leg;
  and the mean signed offset in the runner's frame (+x forward, +y up) — the systematic
  difference between MediaPipe's landmark definitions and true joint centres;
- angle error: |runform − truth| per angle, mean and 90th percentile, near and far leg,
  beside the same error of angles from the raw MediaPipe landmarks (what cleaning buys),
  and the number of frames where runform gives no angle although the truth has one;
- foot-strike angle error (near foot, mean over steps), degrees;
- IC and TO of the near foot, per event: each reported event matched one-to-one to the
  truth within half a step; signed mean, mean |error| and max |error| in frames; true
  events in view that were missed, and reported events with no true event (spurious);
- contact-time error per contact (both events matched) and of the clip mean (ms), and
  cadence error (steps/min).

The overall block pools every event of every clip (a clip's mean signed error can be
near zero while its events are a frame off each way) and gives the worst clip per angle.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

import runform as rf
from runform import data
from runform.kinematics import angles as angle_table
from runform.kinematics import normalise
from runform.landmarks import INDEX
from runform.model.params import ANGLES  # the truth table's angle names

JOINTS = ("hip", "knee", "ankle", "heel", "foot_index", "shoulder")


def _leg_px(j2d: dict, side: str) -> float:
    hip, knee, ankle = (np.asarray(j2d[f"{side}_{k}"]) for k in ("hip", "knee", "ankle"))
    return float(
        np.median(np.linalg.norm(knee - hip, axis=1) + np.linalg.norm(ankle - knee, axis=1))
    )


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
            off = normalise(est, truth["direction"]) - normalise(tru, truth["direction"])
            ok = np.isfinite(d)
            out[name] = {
                "median_pct": float(np.median(d[ok])) if ok.any() else np.nan,
                "p90_pct": float(np.percentile(d[ok], 90)) if ok.any() else np.nan,
                "offset_pct": (np.nanmean(off, axis=0) / leg * 100).round(2).tolist(),
            }
    return out


def angle_errors(angles, truth: dict) -> dict:
    """Per side and angle: mean and P90 of |estimate − truth| (deg), and frames missing.

    ``missing`` counts frames where the truth is known but the estimate is NaN: an angle
    that is simply absent cannot add to the mean error, so it is counted instead.
    """
    out = {}
    for side in ("left", "right"):
        for a in ANGLES:
            est = angles[f"{side}_{a}_deg"].to_numpy(float)
            tru = np.asarray(truth["angles_deg"][f"{side}_{a}"], float)
            e = np.abs((est - tru + 180) % 360 - 180)
            missing = int(np.sum(np.isfinite(tru) & ~np.isfinite(est)))
            e = e[np.isfinite(e)]
            out[f"{side}_{a}"] = (
                float(e.mean()) if len(e) else np.nan,
                float(np.percentile(e, 90)) if len(e) else np.nan,
                missing,
            )
    return out


def _observable(truth: dict, side: str, t_s: float) -> bool:
    """True when the foot is in the image for ±2 frames around ``t_s`` (truth geometry)."""
    fps, n = float(truth["fps"]), int(truth["n_frames"])
    k = round(t_s * fps)
    if k - 2 < 0 or k + 2 >= n:
        return False
    for j in ("ankle", "heel", "foot_index"):
        p = np.asarray(truth["joints_2d_px"][f"{side}_{j}"], float)[k - 2 : k + 3]
        if (
            (p[:, 0] < 0) | (p[:, 0] > truth["width"]) | (p[:, 1] < 0) | (p[:, 1] > truth["height"])
        ).any():
            return False
    return True


def match_events(found, true, window_s: float) -> tuple[list, np.ndarray, np.ndarray]:
    """One-to-one matching of found to true event times, nearest pairs first.

    Returns the matched (found, true) pairs and the unmatched found and true times. A
    pair further apart than ``window_s`` is not a match: the found event is spurious
    and the true one missed (nothing is dropped from the error statistics silently).
    """
    found, true = np.asarray(found, float), np.asarray(true, float)
    found = found[np.isfinite(found)]
    d = np.abs(found[:, None] - true[None, :]) if len(found) and len(true) else np.zeros((0, 0))
    pairs, used_f, used_t = [], set(), set()
    for i, j in sorted(np.ndindex(d.shape), key=lambda ij: d[ij]):
        if d[i, j] <= window_s and i not in used_f and j not in used_t:
            pairs.append((found[i], true[j]))
            used_f.add(i)
            used_t.add(j)
    spurious = np.array([f for i, f in enumerate(found) if i not in used_f])
    missed = np.array([t for j, t in enumerate(true) if j not in used_t])
    return pairs, spurious, missed


def _without_placeholders(ev, seen: np.ndarray):
    """Blank the IC/TO of contacts cut by the start or end of what is seen of the foot.

    A contact already under way when the foot comes into view (or still on when it
    leaves, or the clip ends) carries that first or last seen frame as its IC or TO: a
    placeholder, not a detection. ``seen`` flags frames with the foot's landmarks.
    """
    idx = np.flatnonzero(seen)
    first, last = (idx[0], idx[-1]) if len(idx) else (0, len(seen) - 1)
    cut = ~ev.complete.astype(bool)
    return ev.assign(
        ic_s=ev.ic_s.where(~(cut & (ev.ic_frame <= first))),
        to_s=ev.to_s.where(~(cut & (ev.to_frame >= last))),
    )


def event_errors(events, truth: dict, side: str, fps: float, seen: np.ndarray) -> dict:
    """Near-foot IC/TO errors per event (frames), missed and spurious events, contact times.

    Every event runform reports for the foot is matched to the truth within half a step
    (a detection further away than that cannot be that contact). ``errors`` holds each
    matched event's signed error in frames; ``missed`` counts true events with the foot
    in view (:func:`_observable`) that were not found; ``spurious`` counts found events
    with no true event; ``contact_ms`` the per-contact error of TO − IC where both
    events of a contact were matched.
    """
    ev = _without_placeholders(events[events.foot == side], seen)
    window = 0.5 * 60.0 / float(truth["params"]["cadence_spm"])
    out, matched = {}, {}
    for kind in ("ic_s", "to_s"):
        tru = np.asarray(truth["events"][side][kind], float)
        pairs, spurious, missed = match_events(ev[kind], tru, window)
        matched[kind] = dict((round(t, 6), f) for f, t in pairs)
        errs = np.array([(f - t) * fps for f, t in pairs])
        out[kind] = {
            "errors": errs,
            "n_true": len(tru),
            "missed": int(sum(_observable(truth, side, t) for t in missed)),
            "missed_out_of_view": int(sum(not _observable(truth, side, t) for t in missed)),
            "spurious": len(spurious),
            "spurious_s": spurious.tolist(),
            "missed_s": [t for t in missed if _observable(truth, side, t)],
        }
    ct = []
    tos = np.asarray(truth["events"][side]["to_s"], float)
    for ic in truth["events"][side]["ic_s"]:
        if not (tos > ic).any():
            continue
        to = float(tos[tos > ic][0])  # the contact's own toe-off
        f_ic, f_to = matched["ic_s"].get(round(ic, 6)), matched["to_s"].get(round(to, 6))
        if f_ic is not None and f_to is not None:
            ct.append(1000 * ((f_to - f_ic) - (to - ic)))
    out["contact_ms"] = np.array(ct)
    return out


def _true_contact_and_cadence(truth: dict, near: str) -> tuple[float, float]:
    ic, to = (np.asarray(truth["events"][near][k], float) for k in ("ic_s", "to_s"))
    pairs = [(i, to[to > i][0]) for i in ic if (to > i).any()]  # each IC with its own TO
    return (
        1000 * float(np.mean([b - a for a, b in pairs])),
        120.0 / float(np.mean(np.diff(ic))),
    )  # steps/min: two steps per stride


def _true_thigh_speed(truth: dict, near: str) -> float:
    """Mean over the near leg's swings (TO to next IC) of the peak forward thigh speed, deg/s."""
    th = np.asarray(truth["angles_deg"][f"{near}_thigh_angle"], float)
    t = np.arange(len(th)) / float(truth["fps"])
    v = np.gradient(th, t)
    ic, to = (np.asarray(truth["events"][near][k], float) for k in ("ic_s", "to_s"))
    peaks = [v[(t >= x) & (t <= ic[ic > x][0])].max() for x in to if (ic > x).any()]
    return float(np.mean(peaks))


def evaluate(name: str) -> dict:
    """Run the pipeline on one bundled sample and compare it with its truth.

    Angles are compared twice: from the raw MediaPipe landmarks (oriented as runform
    decided, nothing else) and from runform's cleaned, filtered landmarks.
    """
    truth = data.load_truth(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rf.analyze(data.path(name), progress=False)
        c = result.clip
        raw = result.raw.replace(
            direction=c.direction, near_side=c.near_side, treadmill=c.treadmill
        )
        raw_angles = angle_table(raw)
    near = truth["camera"]["near_side"]
    fps = float(truth["fps"])
    true_ct, true_cad = _true_contact_and_cadence(truth, near)
    seen = np.isfinite(c.xy[:, [INDEX[f"{near}_heel"], INDEX[f"{near}_foot_index"]]]).all(
        axis=(1, 2)
    )  # frames where runform has the near foot
    steps = result.steps[result.steps.near & result.steps.complete]
    strike = truth.get("params", {}).get("strike_angle_deg_used")
    m = result.metrics
    return {
        "name": name,
        "fps": fps,
        "near": near,
        "far": "right" if near == "left" else "left",
        "direction_ok": c.direction == truth["direction"],
        "near_side_ok": c.near_side == near,
        "landmarks": landmark_errors(result.raw, truth),
        "angles": angle_errors(result.angles, truth),
        "angles_raw": angle_errors(raw_angles, truth),
        "events": event_errors(result.events, truth, near, fps, seen),
        "seen": seen,
        "fsa_error_deg": (
            float(np.nanmean(steps.foot_strike_angle_deg)) - strike
            if strike is not None and len(steps)
            else np.nan
        ),
        "strike_type": m["foot_strike"].type,
        "true_strike": truth.get("params", {}).get("foot_strike"),
        "contact_error_ms": m["contact_time_ms"].value - true_ct,
        "cadence_error_spm": m["cadence_spm"].value - true_cad,
        "thigh_speed_error_pct": 100
        * (m["thigh_angular_velocity_deg_s"].value / _true_thigh_speed(truth, near) - 1),
    }


def event_summary(ev: dict) -> dict:
    """Mean signed, mean |.| and max |.| of one kind's per-event errors (frames)."""
    e = ev["errors"]
    if not len(e):
        return {"n": 0, "mean": np.nan, "mean_abs": np.nan, "max_abs": np.nan}
    return {
        "n": len(e),
        "mean": float(e.mean()),
        "mean_abs": float(np.abs(e).mean()),
        "max_abs": float(np.abs(e).max()),
    }


def report(r: dict) -> str:
    """Human-readable block for one clip."""
    near, far = r["near"], r["far"]
    lines = [
        f"== {r['name']} ({r['fps']:g} fps, near leg {near}; direction "
        f"{'ok' if r['direction_ok'] else 'WRONG'}, near side "
        f"{'ok' if r['near_side_ok'] else 'WRONG'})"
    ]
    lines.append("  landmark error, % leg length: median / p90 (near | far); offset x,y near")
    for j in JOINTS:
        a, b = r["landmarks"].get(f"{near}_{j}"), r["landmarks"].get(f"{far}_{j}")
        if a and b:
            lines.append(
                f"    {j:11s} {a['median_pct']:5.1f} / {a['p90_pct']:5.1f} | "
                f"{b['median_pct']:5.1f} / {b['p90_pct']:5.1f}   "
                f"offset {a['offset_pct'][0]:+5.1f},{a['offset_pct'][1]:+5.1f}"
            )
    lines.append(
        "  angle error, deg: mean / p90 (near | far), near raw MediaPipe mean, frames missing near"
    )
    for a in ANGLES:
        (m1, p1, miss), (m2, p2, _) = r["angles"][f"{near}_{a}"], r["angles"][f"{far}_{a}"]
        raw = r["angles_raw"][f"{near}_{a}"][0]
        lines.append(
            f"    {a:19s} {m1:5.1f} / {p1:5.1f} | {m2:5.1f} / {p2:5.1f}   "
            f"raw {raw:5.1f}   missing {miss}"
        )
    for kind, label in (("ic_s", "IC"), ("to_s", "TO")):
        ev = r["events"][kind]
        s = event_summary(ev)
        lines.append(
            f"  near-foot {label}: {s['n']} of {ev['n_true']} true matched, "
            f"missed {ev['missed']} (+{ev['missed_out_of_view']} out of view), "
            f"spurious {ev['spurious']}; per-event error mean {s['mean']:+.2f}, "
            f"|mean| {s['mean_abs']:.2f}, |max| {s['max_abs']:.2f} frames"
        )
    ct = r["events"]["contact_ms"]
    ct_txt = (
        f"per contact |mean| {np.abs(ct).mean():.0f} ms, |max| {np.abs(ct).max():.0f} ms"
        if len(ct)
        else "no contact with both events matched"
    )
    lines.append(f"  contact time: clip mean {r['contact_error_ms']:+.0f} ms, {ct_txt}")
    lines.append(
        f"  foot-strike angle error {r['fsa_error_deg']:+.1f} deg; "
        f"cadence {r['cadence_error_spm']:+.2f} spm; peak thigh speed "
        f"{r['thigh_speed_error_pct']:+.0f} %"
    )
    return "\n".join(lines)


def overall(results: list[dict]) -> dict:
    """Figures over clips (near leg): pooled per event, and the worst clip of each angle."""

    def per_clip(key, which="angles"):
        return np.array([r[which][f"{r['near']}_{key}"][0] for r in results])

    pooled = {
        k: np.concatenate([r["events"][k]["errors"] for r in results]) for k in ("ic_s", "to_s")
    }
    ct = np.concatenate([r["events"]["contact_ms"] for r in results])
    return {
        "angle_mean_deg": {a: float(np.nanmean(per_clip(a))) for a in ANGLES},
        "angle_worst_clip_deg": {a: float(np.nanmax(per_clip(a))) for a in ANGLES},
        "angle_raw_mean_deg": {a: float(np.nanmean(per_clip(a, "angles_raw"))) for a in ANGLES},
        "ic_abs_frames": float(np.abs(pooled["ic_s"]).mean()),
        "ic_max_frames": float(np.abs(pooled["ic_s"]).max()),
        "to_abs_frames": float(np.abs(pooled["to_s"]).mean()),
        "to_max_frames": float(np.abs(pooled["to_s"]).max()),
        "n_events": {k: len(v) for k, v in pooled.items()},
        "missed": sum(r["events"][k]["missed"] for r in results for k in ("ic_s", "to_s")),
        "spurious": sum(r["events"][k]["spurious"] for r in results for k in ("ic_s", "to_s")),
        "contact_step_abs_ms": float(np.abs(ct).mean()) if len(ct) else np.nan,
        "contact_abs_ms": float(np.nanmean([abs(r["contact_error_ms"]) for r in results])),
        "cadence_abs_spm": float(np.nanmean([abs(r["cadence_error_spm"]) for r in results])),
        "fsa_abs_deg": float(np.nanmean([abs(r["fsa_error_deg"]) for r in results])),
        "landmark_median_pct": {
            j: float(
                np.nanmean([r["landmarks"][f"{r['near']}_{j}"]["median_pct"] for r in results])
            )
            for j in JOINTS
        },
    }


def main(names: list[str]) -> None:
    names = names or data.names("bundled")
    results = [evaluate(n) for n in names]
    for r in results:
        print(report(r))
    o = overall(results)
    print("== overall (near leg): angle error mean over clips / worst clip / raw MediaPipe")
    for a, v in o["angle_mean_deg"].items():
        print(
            f"    {a:19s} {v:5.1f} / {o['angle_worst_clip_deg'][a]:5.1f} / "
            f"{o['angle_raw_mean_deg'][a]:5.1f} deg"
        )
    print(
        "    landmark median error, % leg: "
        + ", ".join(f"{j} {v:.1f}" for j, v in o["landmark_median_pct"].items())
    )
    print(
        f"    pooled per event: |IC| {o['ic_abs_frames']:.2f} (max {o['ic_max_frames']:.2f}) "
        f"frames over {o['n_events']['ic_s']}, |TO| {o['to_abs_frames']:.2f} (max "
        f"{o['to_max_frames']:.2f}) over {o['n_events']['to_s']}; missed {o['missed']}, "
        f"spurious {o['spurious']}; |contact| per contact {o['contact_step_abs_ms']:.0f} ms"
    )
    print(
        f"    per clip: |contact| {o['contact_abs_ms']:.0f} ms, |cadence| "
        f"{o['cadence_abs_spm']:.2f} spm, |FSA| {o['fsa_abs_deg']:.1f} deg"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
