"""Gait events against force plates: Fukuchi 2017 runners × speed × fps × foot_index option.

Run ``python -m bench.events [--runners RBDS08,RBDS011] [--fps 30,60,120] [--toe mt,toe]``.
Needs ``$RUNFORM_DATA_DIR`` (default ``../shared/data``) with ``fukuchi2017_rearfoot`` and
``fukuchi2017_rbds001``; prints one row per trial and a pooled summary per fps.

Columns: IC and TO error (detected − force, ms) mean ± SD, pooled mean |error| and the share
within one frame period; missed force contacts and spurious detections (both feet, complete
contacts, matched to the same foot's force contact within 100 ms); mean contact time of the
clip metric vs force (ms); cadence vs force (spm); clip strike type without and with the
standing calibration, in capitals when wrong (the dataset label: RBDS001 forefoot, on the
midfoot border by its foot angle, so any non-rearfoot class; the others rearfoot).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import runform as rf
from tests.support import fukuchi as fr

MATCH_S = 0.1


def match(events, truth):
    """IC/TO errors (s) of matched contacts, and counts of missed and spurious contacts."""
    ev = events[events.complete]
    lo, hi = ev.ic_s.min() - MATCH_S, ev.to_s.max() + MATCH_S
    truth = truth[(truth.ic_s > lo) & (truth.to_s < hi)]
    used, ic, to, spurious = set(), [], [], 0
    for r in ev.itertuples():
        f = truth[truth.foot == r.foot]
        if not len(f):
            spurious += 1
            continue
        j = int(np.argmin(np.abs(f.ic_s.to_numpy() - r.ic_s)))
        if abs(f.ic_s.iloc[j] - r.ic_s) >= MATCH_S or f.index[j] in used:
            spurious += 1
            continue
        used.add(f.index[j])
        ic.append(r.ic_s - f.ic_s.iloc[j])
        to.append(r.to_s - f.to_s.iloc[j])
    return np.array(ic), np.array(to), len(truth) - len(used), spurious


def row(runner, speed, fps, toe) -> dict:
    """One bench row (see the module docstring)."""
    truth = fr.runner_force_events(runner, speed)
    summ = fr.runner_truth_summary(runner, speed)
    res = rf.analyze(fr.runner_clip(runner, speed, fps, toe))
    cal = rf.analyze(fr.runner_clip(runner, speed, fps, toe, calibrated=True))
    ic, to, missed, spurious = match(res.events, truth)
    frame = 1.0 / fps
    m = res.metrics
    return {
        "runner": runner,
        "speed": fr.RUNNER_SPEEDS[speed],
        "fps": fps,
        "toe": toe,
        "ic": ic,
        "to": to,
        "n": len(ic),
        "missed": missed,
        "spurious": spurious,
        "ic_in": float(np.mean(np.abs(ic) <= frame)) if len(ic) else np.nan,
        "to_in": float(np.mean(np.abs(to) <= frame)) if len(to) else np.nan,
        "ct": m["contact_time_ms"].value,
        "ct_f": 1000 * summ["contact_time_s"],
        "cad": m["cadence_spm"].value,
        "cad_f": summ["cadence_spm"],
        "cls": m["foot_strike"].type,
        "cls_cal": cal.metrics["foot_strike"].type,
        "fsa": m["foot_strike"].angle.value,
        "fsa_cal": cal.metrics["foot_strike"].angle.value,
        "label": fr.label(runner),
    }


def fmt(r: dict) -> str:
    ic, to = 1000 * r["ic"], 1000 * r["to"]

    def ok(c):  # a wrong class shouts; uncertain is allowed without calibration
        return c if c in fr.right_classes(r["runner"]) | {"uncertain"} else c.upper()

    return (
        f"{r['runner']:8s} {r['speed']:.1f} {r['fps']:4d} {r['toe']:3s} "
        f"{np.mean(ic):+6.1f}±{np.std(ic):4.1f} |{np.mean(np.abs(ic)):4.1f}| "
        f"{100 * r['ic_in']:4.0f}% {np.mean(to):+6.1f}±{np.std(to):4.1f} "
        f"|{np.mean(np.abs(to)):4.1f}| {100 * r['to_in']:4.0f}% {r['missed']:3d} "
        f"{r['spurious']:3d}  {r['ct']:6.1f} {r['ct_f']:6.1f} {r['ct'] - r['ct_f']:+6.1f}  "
        f"{r['cad']:6.1f} {r['cad_f']:6.1f} {r['cad'] - r['cad_f']:+5.2f}  "
        f"{ok(r['cls']):9s}({r['fsa']:+5.1f}) {ok(r['cls_cal']):9s}({r['fsa_cal']:+5.1f})"
    )


HEAD = (
    "runner   m/s  fps toe  IC ms mean±SD |IC|  in1f  TO ms mean±SD |TO|  in1f mis spu"
    "  CT det  force  diff   cad   force  diff  strike(FSA) / calibrated"
)


def pooled(sel: list[dict], fps: int, toe: str) -> str:
    """One summary line over trials: pooled |IC|, |TO|, within-frame range, CT, counts."""
    ic = np.concatenate([r["ic"] for r in sel]) * 1000
    to = np.concatenate([r["to"] for r in sel]) * 1000
    ct = [r["ct"] - r["ct_f"] for r in sel]

    def rng(key):
        return f"{100 * min(r[key] for r in sel):3.0f}-{100 * max(r[key] for r in sel):3.0f}%"

    wrong = sum(r["cls"] not in fr.right_classes(r["runner"]) | {"uncertain"} for r in sel)
    wrong_cal = sum(r["cls_cal"] not in fr.right_classes(r["runner"]) for r in sel)
    return (
        f"{fps:4d} fps {toe:3s}: |IC| {np.mean(np.abs(ic)):4.1f} "
        f"(max {np.max(np.abs(ic)):5.1f})"
        f" in1f {rng('ic_in')}  |TO| {np.mean(np.abs(to)):4.1f} (max "
        f"{np.max(np.abs(to)):5.1f}) in1f {rng('to_in')}  CT err {np.mean(ct):+5.1f} "
        f"[{max(ct, key=abs):+5.1f}]  missed {sum(r['missed'] for r in sel)} spurious "
        f"{sum(r['spurious'] for r in sel)}  wrong class {wrong} / calibrated {wrong_cal}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runners", default=",".join(fr.ALL_RUNNERS))
    ap.add_argument("--fps", default="30,60,120")
    ap.add_argument("--toe", default="mt,toe")
    a = ap.parse_args(argv)
    fpss = [int(x) for x in a.fps.split(",")]
    rows = []
    print(HEAD)
    for runner in a.runners.split(","):
        for speed in fr.speeds(runner):
            for fps in fpss:
                for toe in a.toe.split(","):
                    rows.append(row(runner, speed, fps, toe))
                    print(fmt(rows[-1]), flush=True)
    if not rows:
        print("no Fukuchi data found", file=sys.stderr)
        return 1
    print("\npooled over runners and speeds (per-event |error|, ms; worst trial in brackets)")
    for fps in fpss:
        for toe in a.toe.split(","):
            print(pooled([r for r in rows if r["fps"] == fps and r["toe"] == toe], fps, toe))
    return 0


if __name__ == "__main__":
    sys.exit(main())
