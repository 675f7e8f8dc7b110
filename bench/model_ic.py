"""IC error of runform on exact model keypoints of every sample spec (no render, no MediaPipe).

Run ``python -m bench.model_ic``: for each ``tools.render.make_samples.SPECS`` entry the
model motion is projected by the spec camera (``RunnerMotion.to_clip``), analysed, and
every complete IC matched to the truth within 100 ms; mean and |max| error in frames.
Isolates the model landing from MediaPipe (bench/results/accuracy_land6.txt, last block).
"""

from __future__ import annotations

import warnings

import numpy as np

import runform as rf
from runform.model import simulate
from tools.render.make_samples import SPECS


def main() -> None:
    warnings.filterwarnings("ignore")
    for s in SPECS:
        m = simulate(s.params, fps=s.fps, duration_s=s.duration_s, treadmill=s.camera.follow)
        ev = rf.analyze(m.to_clip(s.camera)).events
        errs = []
        for r in ev[ev.complete].itertuples():
            truth = m.ic_s[r.foot]
            j = int(np.argmin(np.abs(truth - r.ic_s)))
            if abs(truth[j] - r.ic_s) < 0.1:
                errs.append((r.ic_s - truth[j]) * s.fps)
        e = np.array(errs)
        print(
            f"{s.name:22s} exact-keypoint IC mean {e.mean():+.2f} |max| {np.abs(e).max():.2f} "
            f"frames n={e.size}  methods {sorted(set(ev.ic_method))}"
        )


if __name__ == "__main__":
    main()
