"""Error of each event-timing rule against force plates: the basis of METHOD_SD_MS.

Run ``python -m bench.event_methods`` (needs ``$RUNFORM_DATA_DIR`` with the Fukuchi 2017
data, as bench/events.py). For every Fukuchi trial, frame rate (30/60/120 fps) and
``foot_index`` option, each complete contact is matched to the same foot's force contact
(within 100 ms) and its IC and TO errors are grouped by ``ic_method`` / ``to_method``.
Printed per (event, method, fps): count, mean and SD of the error, RMS, the frame
quantisation Δt/√12 and the rule's own part √(RMS² − quantisation²), then the RMS per
runner / count. :data:`runform.event_uncertainty.METHOD_SD_MS` rounds the rule's part up.
"""

from __future__ import annotations

import collections

import numpy as np

import runform as rf
from tests.support import fukuchi as fr

MATCH_S = 0.1


def errors() -> dict:
    """(event, method, fps) -> list of (error s, runner)."""
    err = collections.defaultdict(list)
    for runner in fr.ALL_RUNNERS:
        for speed in fr.RUNNER_SPEEDS:
            if not fr.available(runner, speed):
                continue
            truth = fr.runner_force_events(runner, speed)
            for fps in (30, 60, 120):
                for toe in fr.TOE_OPTIONS:
                    ev = rf.analyze(fr.runner_clip(runner, speed, fps, toe)).events
                    for r in ev[ev.complete].itertuples():
                        f = truth[truth.foot == r.foot]
                        j = int(np.argmin(np.abs(f.ic_s.to_numpy() - r.ic_s)))
                        if abs(f.ic_s.iloc[j] - r.ic_s) > MATCH_S:
                            continue
                        err["IC", r.ic_method, fps].append((r.ic_s - f.ic_s.iloc[j], runner))
                        err["TO", r.to_method, fps].append((r.to_s - f.to_s.iloc[j], runner))
    return err


def main() -> None:
    print("event method     fps     n   mean     SD    RMS  quant  rule | RMS per runner/n")
    for key, rows in sorted(errors().items()):
        e = 1000.0 * np.array([x[0] for x in rows])
        quant = 1000.0 / (key[2] * np.sqrt(12.0))
        rms = float(np.sqrt(np.mean(e**2)))
        per = collections.defaultdict(list)
        for x, runner in rows:
            per[runner].append(1000.0 * x)
        by = " ".join(f"{r}:{np.sqrt(np.mean(np.square(v))):.1f}/{len(v)}" for r, v in per.items())
        rule = np.sqrt(max(rms**2 - quant**2, 0.0))
        print(
            f"{key[0]:5s} {key[1]:9s} {key[2]:4d} {len(e):5d} {e.mean():+6.1f} {e.std():6.1f} "
            f"{rms:6.1f} {quant:6.1f} {rule:5.1f} | {by}"
        )


if __name__ == "__main__":
    main()
