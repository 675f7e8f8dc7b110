"""Do the per-event SDs cover the errors on video? The basis of POSE_MODEL_SD_MS.

Run ``python -m bench.video_event_sd``. Every bundled rendered sample (exact contacts in
its truth file) goes through MediaPipe and runform with the pose model's term of the
event SD switched off; each complete near-foot IC and TO is matched to the truth within
100 ms. Printed per clip and event: count, mean and RMS error (ms), the mean SD, and the
RMS of error / SD (1 = the SDs are right, above 1 = too narrow, below 1 = too wide).
The term T (ms at full visibility) that makes the pooled RMS of error / √(SD² + (T/v)²)
one is then solved, once over all clips and leave-one-clip-out (T from the other clips,
checked on the one left out). :data:`runform.event_uncertainty.POSE_MODEL_SD_MS` rounds it.
"""

from __future__ import annotations

import warnings

import numpy as np

import runform as rf
from runform import data, event_uncertainty
from runform.landmarks import INDEX

MATCH_S = 0.1
SAMPLES = data.names("bundled")


def clip_events(name: str) -> dict:
    """event -> rows of (error ms, SD ms without the pose term, visibility)."""
    truth = data.load_truth(name)
    near = truth["camera"]["near_side"]
    saved = dict(event_uncertainty.POSE_MODEL_SD_MS)
    event_uncertainty.POSE_MODEL_SD_MS.update({"ic": 0.0, "to": 0.0})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = rf.analyze(data.path(name), progress=False)
    finally:
        event_uncertainty.POSE_MODEL_SD_MS.update(saved)
    vis = np.nanmean(
        r.clip.visibility[:, [INDEX[f"{near}_heel"], INDEX[f"{near}_foot_index"]]], axis=1
    )
    ev = r.events[(r.events.foot == near) & r.events.complete]
    out = {}
    for kind in ("ic", "to"):
        tru = np.asarray(truth["events"][near][f"{kind}_s"], float)
        rows = []
        for row in ev.itertuples():
            found = getattr(row, f"{kind}_s")
            j = int(np.argmin(np.abs(tru - found)))
            if abs(tru[j] - found) < MATCH_S:
                k = getattr(row, f"{kind}_frame")
                v = float(np.nanmean(vis[max(k - 1, 0) : k + 2]))
                rows.append((1000.0 * (found - tru[j]), getattr(row, f"{kind}_sd_ms"), v))
        out[kind] = np.array(rows).reshape(-1, 3)
    return out


def rms_z(rows: np.ndarray, term: float) -> float:
    e, sd, v = rows.T
    return float(np.sqrt(np.mean(e**2 / (sd**2 + (term / np.maximum(v, 0.1)) ** 2))))


def solve_term(rows: np.ndarray) -> float:
    """Smallest T ≥ 0 (ms) with RMS z ≤ 1 (bisection; 0 when the SDs already cover)."""
    if rms_z(rows, 0.0) <= 1.0:
        return 0.0
    lo, hi = 0.0, 200.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if rms_z(rows, mid) > 1.0 else (lo, mid)
    return hi


def main() -> None:
    per = {name: clip_events(name) for name in SAMPLES}
    print("clip                   event   n  mean   RMS   SD  RMS z | with term: RMS z  in 2 SD")
    for kind in ("ic", "to"):
        pooled = np.concatenate([per[n][kind] for n in SAMPLES])
        term = solve_term(pooled)
        for name in SAMPLES:
            rows = per[name][kind]
            if not len(rows):
                continue
            e, sd, v = rows.T
            full = np.sqrt(sd**2 + (term / np.maximum(v, 0.1)) ** 2)
            print(
                f"{name:22s} {kind:5s} {len(e):3d} {e.mean():+5.1f} {np.sqrt(np.mean(e**2)):5.1f}"
                f" {sd.mean():4.1f} {rms_z(rows, 0.0):5.2f} | {rms_z(rows, term):5.2f}"
                f"  {np.mean(np.abs(e) <= 2 * full):4.0%}"
            )
        e, sd, v = pooled.T
        full = np.sqrt(sd**2 + (term / np.maximum(v, 0.1)) ** 2)
        rms = float(np.sqrt(np.mean(e**2)))
        print(
            f"{kind.upper()} pooled: n {len(e)}, mean {e.mean():+.1f} ms, RMS {rms:.1f}"
            f" ms, mean SD {sd.mean():.1f} ms, RMS z {rms_z(pooled, 0.0):.2f}; term {term:.1f} ms"
            f" ->"
            f" RMS z {rms_z(pooled, term):.2f}, {np.mean(np.abs(e) <= 2 * full):.0%} within 2 SD"
        )
        loco = []
        for name in SAMPLES:
            rest = np.concatenate([per[n][kind] for n in SAMPLES if n != name])
            t = solve_term(rest)
            rows = per[name][kind]
            loco.append((name, t, rms_z(rows, t), len(rows)))
        zs = np.concatenate([[z] * n for _, _, z, n in loco if n])
        pooled_z = float(np.sqrt(np.mean(zs**2)))
        terms = [x[1] for x in loco]
        print(
            f"  leave-one-clip-out: term {min(terms):.1f}–{max(terms):.1f}"
            f" ms; held-out RMS z {min(x[2] for x in loco if x[3]):.2f}–"
            f"{max(x[2] for x in loco if x[3]):.2f}, pooled over the held-out events"
            f" {pooled_z:.2f}"
        )
    print(f"POSE_MODEL_SD_MS in use: {event_uncertainty.POSE_MODEL_SD_MS}")


if __name__ == "__main__":
    main()
