"""Can geometry or filtering fix runform's near-leg knee and ankle angles? (issue 10 item 7)

Usage: python bench/angles_geometry.py     (every bundled sample; ~1 min with a pose cache)

The target was near-leg knee_flexion mean |error| <= 3.0° and ankle_dorsiflexion <= 6.0°
on every rendered clip, *without* a correction fitted to the renders. Each experiment
below changes one step of the cleaned, filtered clip runform already produces
(:attr:`runform.Analysis.clip`, or :attr:`~runform.Analysis.cleaned` before the
low-pass) and scores the near-leg angles against the truth exactly as
``bench/accuracy.py`` does (mean |error| over frames with both values, degrees):

1. the knee error by true flexion (signed mean) before and after the low-pass, with
   MediaPipe's thigh and shank length over the true projected length (the renders'
   true 2D lengths are constant: the camera is far and the leg planar);
2. segment-length consistency: each leg's thigh and shank lengths are fixed to a
   per-clip percentile ``q`` of their own lengths (50, 75 or 90: the percentile is the
   one free choice, scored leave-one-clip-out) and the points re-placed each frame by
   an iterative projection onto the length constraints (Gauss–Seidel, 30 sweeps), either
   moving only the knee (intersection of the two circles about hip and ankle) or moving
   hip, knee and ankle equally (least displacement; visibility is not used as a weight
   because it does not tell good from bad frames here, see 5);
3. the low-pass cutoff: 4 to 14 Hz for every clip, and a per-clip cutoff by Winter's
   residual analysis (median of the suggestions for the hip, knee, ankle, heel and toe
   coordinates);
4. a per-clip foot calibration from stance: the foot and ankle angles shifted by the
   landmark foot angle in the middle third of runform's own near-foot contacts, which
   would be right if the heel→toe landmark line were parallel to the sole at midstance
   (the sole is flat then);
5. whether MediaPipe's visibility flags the bad frames (correlation of the ankle error
   with the lowest visibility of knee, ankle, heel and toe);
6. a rigid foot: the ankle, heel and toe re-placed each frame by the least-squares rigid
   fit (Söderkvist & Wedin 1993) of the clip's median foot triangle;
7. bridging the feet where they overlap in the image (:func:`runform.clean.bridge_feet_overlap`:
   heel and toe interpolated across runs of frames whose foot centres are closer than
   ``k`` foot lengths, up to 120 ms), k = 0.5 … 1.5, and k chosen leave-one-clip-out;
8. the same bridge for the knees where the two knees overlap (closer than 0.1, 0.15 or
   0.25 thigh lengths), on top of the feet bridge.

Experiments 1–6 start from runform's angles *without* the feet bridge (the cleaned clip
low-passed at the default cutoff, as runform was before it), so they read the same
whether or not the bridge is in the pipeline.
"""

from __future__ import annotations

import itertools
import sys
import warnings

import numpy as np

import runform as rf
from runform import data
from runform.clean import bridge_feet_overlap, butterworth, residual_analysis
from runform.kinematics import angles
from runform.landmarks import INDEX

ANGLES = ("knee_flexion", "ankle_dorsiflexion", "thigh_angle", "shank_angle", "foot_angle")
QS = (50, 75, 90)
OVERLAP = (0.5, 0.75, 1.0, 1.25, 1.5)


def unbridged(res):
    """runform's filtered clip without the feet bridge (the pipeline before it)."""
    return butterworth(res.cleaned, "auto")


def load(names):
    """Truth and runform's analysis of each sample, keyed by name."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {n: (data.load_truth(n), rf.analyze(data.path(n), progress=False)) for n in names}


def _signed(df, truth, side, angle):
    est = df[f"{side}_{angle}_deg"].to_numpy(float)
    tru = np.asarray(truth["angles_deg"][f"{side}_{angle}"], float)
    return (est - tru + 180) % 360 - 180


def score(clip, truth) -> np.ndarray:
    """Near-leg mean |error| of :data:`ANGLES`, degrees."""
    df = angles(clip)
    near = truth["camera"]["near_side"]
    return np.array([np.nanmean(np.abs(_signed(df, truth, near, a))) for a in ANGLES])


def project_lengths(xy, q, move=("hip", "knee", "ankle"), sweeps=30):
    """Re-place hip, knee and ankle so the thigh and shank keep per-clip lengths.

    Parameters
    ----------
    xy : ndarray, shape (n, 33, 2)
        Landmarks, pixels.
    q : float
        Percentile of each segment's own per-frame lengths taken as its length.
    move : tuple of str
        Joints that may move (equal weights); the others stay where they are.
    sweeps : int
        Gauss–Seidel sweeps over the two constraints.
    """
    xy = xy.copy()
    for side in ("left", "right"):
        j = {k: INDEX[f"{side}_{k}"] for k in ("hip", "knee", "ankle")}
        segs = [("hip", "knee"), ("knee", "ankle")]
        length = {
            s: np.nanpercentile(np.linalg.norm(xy[:, j[s[1]]] - xy[:, j[s[0]]], axis=1), q)
            for s in segs
        }
        w = {k: float(k in move) for k in j}
        for _ in range(sweeps):
            for a, b in segs:
                if w[a] + w[b] == 0:
                    continue
                d = xy[:, j[b]] - xy[:, j[a]]
                n = np.linalg.norm(d, axis=1, keepdims=True)
                corr = (n - length[(a, b)]) / np.maximum(n, 1e-9) * d / (w[a] + w[b])
                xy[:, j[a]] += w[a] * corr
                xy[:, j[b]] -= w[b] * corr
    return xy


def rigid_foot(clip):
    """Ankle, heel and toe re-placed by a rigid fit of the clip's median foot triangle."""
    xy = clip.xy.copy()
    for side in ("left", "right"):
        ids = [INDEX[f"{side}_{k}"] for k in ("ankle", "heel", "foot_index")]
        p = xy[:, ids]
        ok = np.isfinite(p).all(axis=(1, 2))
        if ok.sum() < 5:
            continue
        v = p[:, 2] - p[:, 1]
        th = -np.arctan2(v[:, 1], v[:, 0])
        rot = np.stack(
            [np.stack([np.cos(th), -np.sin(th)], -1), np.stack([np.sin(th), np.cos(th)], -1)], -2
        )
        template = np.nanmedian(np.einsum("nij,nkj->nki", rot, p - p[:, 1:2])[ok], axis=0)
        t0 = template - template.mean(0)
        for f in np.flatnonzero(ok):
            x0 = p[f] - p[f].mean(0)
            u, _, vt = np.linalg.svd(t0.T @ x0)
            d = np.sign(np.linalg.det(vt.T @ u.T))
            r = vt.T @ np.diag([1.0, d]) @ u.T
            xy[f, ids] = t0 @ r.T + p[f].mean(0)
    return clip.replace(xy=xy)


def knee_by_flexion(runs) -> list[str]:
    """Experiment 1: signed knee error and length ratios by true flexion bin."""
    lines = [
        "1. near knee signed error (filtered | before the low-pass) and MediaPipe/true "
        "thigh, shank length, by true flexion"
    ]
    bins = (0, 20, 40, 60, 80, 100)
    for name, (truth, res) in runs.items():
        near = truth["camera"]["near_side"]
        tk = np.asarray(truth["angles_deg"][f"{near}_knee_flexion"], float)
        e_f = _signed(angles(unbridged(res)), truth, near, "knee_flexion")
        e_u = _signed(angles(res.cleaned), truth, near, "knee_flexion")
        j2d = truth["joints_2d_px"]

        def ratio(a, b, near=near, j2d=j2d, res=res):
            mp = res.raw.xy[:, INDEX[f"{near}_{b}"]] - res.raw.xy[:, INDEX[f"{near}_{a}"]]
            tr = np.asarray(j2d[f"{near}_{b}"], float) - np.asarray(j2d[f"{near}_{a}"], float)
            return np.linalg.norm(mp, axis=1) / np.linalg.norm(tr, axis=1)

        rt, rs = ratio("hip", "knee"), ratio("knee", "ankle")
        cells = []
        for lo, hi in itertools.pairwise(bins):
            m = (tk >= lo) & (tk < hi) & np.isfinite(e_f)
            cells.append(
                f"{lo}-{hi}° {np.mean(e_f[m]):+4.1f}|{np.nanmean(e_u[m]):+4.1f} "
                f"{np.nanmedian(rt[m]):.2f},{np.nanmedian(rs[m]):.2f}"
                if m.sum() >= 3
                else f"{lo}-{hi}° -"
            )
        lines.append(f"   {name:20s} " + "  ".join(cells))
    return lines


def table(label, rows, names) -> list[str]:
    """Worst clip and mean over clips per angle, and the knee and ankle per clip."""
    rows = np.asarray(rows)
    head = " ".join(
        f"{a.split('_')[0]} {w:.2f}/{m:.2f}"
        for a, w, m in zip(ANGLES, rows.max(0), rows.mean(0), strict=True)
    )
    over = ", ".join(n for n, r in zip(names, rows, strict=True) if r[0] > 3.0 or r[1] > 6.0)
    return [
        f"   {label:34s} worst/mean: {head}",
        f"   {'':34s} knee "
        + " ".join(f"{v:.2f}" for v in rows[:, 0])
        + " | ankle "
        + " ".join(f"{v:.2f}" for v in rows[:, 1])
        + f" | over target: {over or 'none'}",
    ]


def residual_cutoff(clip) -> float:
    """Median Winter-suggested cutoff of both legs' hip…toe coordinates, Hz."""
    fcs = [
        residual_analysis(clip.xy[:, INDEX[f"{s}_{k}"], c], clip.fps)[2]
        for s in ("left", "right")
        for k in ("hip", "knee", "ankle", "heel", "foot_index")
        for c in (0, 1)
    ]
    return float(np.nanmedian(fcs))


def stance_calibrated(res, truth) -> np.ndarray:
    """Experiment 4: ankle and foot |error| after the midstance foot calibration."""
    near = truth["camera"]["near_side"]
    df = angles(unbridged(res))
    t = df.time_s.to_numpy()
    ev = res.events[(res.events.foot == near) & res.events.complete.astype(bool)]
    mid = np.zeros(len(t), bool)
    for ic, to in zip(ev.ic_s, ev.to_s, strict=True):
        mid |= np.abs(t - (ic + to) / 2) <= (to - ic) / 6
    delta = float(np.nanmedian(df[f"{near}_foot_angle_deg"].to_numpy()[mid]))
    out = []
    for a in ("ankle_dorsiflexion", "foot_angle"):
        e = _signed(df, truth, near, a)
        out += [np.nanmean(np.abs(e)), np.nanmean(np.abs((e - delta + 180) % 360 - 180))]
    return np.array([delta, *out])


def main(names) -> None:
    names = names or data.names("bundled")
    runs = load(names)
    lines = knee_by_flexion(runs)
    base = [score(unbridged(res), truth) for truth, res in runs.values()]
    lines += ["2. segment-length consistency (per-clip percentile q of each segment's lengths)"]
    lines += table("runform without the feet bridge", base, names)
    by_q = {}
    for move, label in ((("knee",), "knee on the circles"), (("hip", "knee", "ankle"), "all")):
        for q in QS:
            rows = [
                score(unbridged(res).replace(xy=project_lengths(unbridged(res).xy, q, move)), truth)
                for truth, res in runs.values()
            ]
            by_q[(label, q)] = np.asarray(rows)
            lines += table(f"{label}, q{q}", rows, names)
    held = []
    for i in range(len(names)):
        pick = min(
            (k for k in by_q if k[0] == "all"),
            key=lambda k: np.delete(by_q[k][:, 0] + by_q[k][:, 1], i).mean(),
        )
        held.append(by_q[pick][i])
    lines += table("all, q left-one-clip-out", held, names)
    lines += ["3. low-pass cutoff (Hz, every clip; then Winter residual analysis per clip)"]
    for fc in (4, 5, 6, 8, 10, 14):
        rows = []
        for truth, res in runs.values():
            f = fc if fc < 0.802 * res.cleaned.fps / 2 else None
            rows.append(score(butterworth(res.cleaned, f), truth))
        lines += table(f"{fc} Hz", rows, names)
    fcs = [residual_cutoff(res.cleaned) for _, res in runs.values()]
    rows = [
        score(butterworth(res.cleaned, f), t)
        for (t, res), f in zip(runs.values(), fcs, strict=True)
    ]
    lines += table("residual analysis", rows, names)
    lines.append("   suggested cutoffs, Hz: " + " ".join(f"{f:.1f}" for f in fcs))
    lines += ["4. foot calibration from midstance: offset, ankle |e| before -> after, foot |e|"]
    for name, (truth, res) in runs.items():
        d, a0, a1, f0, f1 = stance_calibrated(res, truth)
        lines.append(
            f"   {name:20s} {d:+6.1f}°  ankle {a0:.2f} -> {a1:.2f}  foot {f0:.2f} -> {f1:.2f}"
        )
    lines += ["5. visibility: corr(|ankle error|, min visibility of knee/ankle/heel/toe), p10 vis"]
    for name, (truth, res) in runs.items():
        near = truth["camera"]["near_side"]
        vis = res.raw.visibility[
            :, [INDEX[f"{near}_{k}"] for k in ("knee", "ankle", "heel", "foot_index")]
        ].min(1)
        e = np.abs(_signed(angles(unbridged(res)), truth, near, "ankle_dorsiflexion"))
        ok = np.isfinite(e)
        lines.append(
            f"   {name:20s} r {np.corrcoef(e[ok], vis[ok])[0, 1]:+.2f}, "
            f"p10 {np.percentile(vis[ok], 10):.3f}"
        )
    lines += ["6. rigid foot triangle"]
    lines += table(
        "rigid foot", [score(rigid_foot(unbridged(res)), t) for t, res in runs.values()], names
    )
    lines += bridged(runs, names)
    lines += knees_bridged(runs, names)
    print("\n".join(lines))


def bridge_knees(clip, thigh_lengths, max_gap_s=0.12):
    """Both knees linearly re-interpolated where they are closer than ``thigh_lengths``."""
    from runform.clean import _runs

    xy = clip.xy.copy()
    lk, rk = INDEX["left_knee"], INDEX["right_knee"]
    thigh = np.nanmedian(np.linalg.norm(xy[:, lk] - xy[:, INDEX["left_hip"]], axis=1))
    over = np.linalg.norm(xy[:, lk] - xy[:, rk], axis=1) < thigh_lengths * thigh
    max_gap = int(np.floor(max_gap_s * clip.fps + 1e-9))
    for s, e in _runs(over):
        if s > 0 and e < len(over) and e - s <= max_gap:
            w = (np.arange(s, e) - (s - 1)) / (e - (s - 1))
            ends = xy[[s - 1, e]][:, [lk, rk]]
            xy[s:e, [lk, rk]] = ends[0] + w[:, None, None] * (ends[1] - ends[0])
    return clip.replace(xy=xy)


def knees_bridged(runs, names) -> list[str]:
    """Experiment 8: the knee bridge on top of the feet bridge."""
    lines = ["8. knees bridged where they overlap (thigh lengths), on top of the feet bridge"]
    for k in (0.1, 0.15, 0.25):
        rows = [
            score(butterworth(bridge_knees(bridge_feet_overlap(res.cleaned), k), "auto"), t)
            for t, res in runs.values()
        ]
        lines += table(f"knees at {k:g}", rows, names)
    return lines


def bridged(runs, names) -> list[str]:
    """Experiment 7: the feet bridge at k foot lengths, and k left-one-clip-out."""
    lines = ["7. feet bridged where they overlap (k foot lengths between the foot centres)"]
    by_k = {}
    for k in OVERLAP:
        by_k[k] = np.asarray(
            [
                score(butterworth(bridge_feet_overlap(res.cleaned, foot_lengths=k), "auto"), t)
                for t, res in runs.values()
            ]
        )
        lines += table(f"k = {k:g}", by_k[k], names)
    picks, held = [], []
    for i in range(len(names)):
        pick = min(OVERLAP, key=lambda k: np.delete(by_k[k][:, 0] + by_k[k][:, 1], i).mean())
        picks.append(pick)
        held.append(by_k[pick][i])
    lines += table("k left-one-clip-out", held, names)
    lines.append("   k picked per held-out clip: " + " ".join(f"{k:g}" for k in picks))
    return lines


if __name__ == "__main__":
    main(sys.argv[1:])
