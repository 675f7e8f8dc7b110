"""Pose extraction speed: the whole ``runform analyze`` process vs a naive loop process.

Usage: python bench/pose_speed.py [VIDEO] [--reps 5] [--jobs N]
(default: the real 12 s 720x1280 clip in $RUNFORM_DATA_DIR or ../shared/data)

Each repetition runs, as separate fresh processes timed by wall clock (imports and
model construction included for all of them, in rotating order):
  naive   : ``cv2.VideoCapture.read`` -> ``pose.process`` over every frame, one graph;
  rf x1   : ``runform analyze VIDEO --no-cache --jobs 1``;
  rf xN   : ``runform analyze VIDEO --no-cache --jobs N`` (N = usable cores).
It prints median and spread (min-max) of wall time and frames/s, the ratio of medians
to the naive loop, and then checks outputs: runform with one worker must give the naive
loop's landmarks exactly; with N workers, the difference at the seams (first frames
after each chunk start) and elsewhere is reported in pixels and % of leg length, with
the peak memory of each worker. Exit status 1 when the landmark check fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("RUNFORM_DATA_DIR", ROOT.parent / "shared" / "data"))
DEFAULT = DATA / "male_side_treadmill" / "male_side.mp4"
#: Frames after a chunk start that count as "at the seam".
SEAM_FRAMES = 10

NAIVE = r"""
import resource, sys
import cv2, numpy as np
import mediapipe as mp
cap = cv2.VideoCapture(sys.argv[1], cv2.CAP_FFMPEG)
cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1)
rows = []
while True:
    ok, frame = cap.read()
    if not ok:
        break
    h, w = frame.shape[:2]
    res = pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    row = np.full((33, 2), np.nan)
    if res.pose_landmarks is not None:
        row[:] = [(p.x * w, p.y * h) for p in res.pose_landmarks.landmark]
    rows.append(row)
pose.close()
np.save(sys.argv[2], np.array(rows))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3)
"""


def timed(cmd: list[str]) -> float:
    """Wall time of a process in seconds. (Its CPU time cannot be read from here: the
    pose workers are the forkserver's children, not ours; see the in-process figures.)"""
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0


def race(path: Path, reps: int, jobs: int, tmp: Path) -> dict[str, list[float]]:
    runform = [
        sys.executable,
        "-m",
        "runform",
        "analyze",
        str(path),
        "--no-cache",
        "--out",
        str(tmp / "out"),
    ]
    cmds = {
        "naive": [sys.executable, "-c", NAIVE, str(path), str(tmp / "naive.npy")],
        "rf x1": [*runform, "--jobs", "1"],
        f"rf x{jobs}": [*runform, "--jobs", str(jobs)],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    names = list(cmds)
    for r in range(reps):
        for name in names[r % 3 :] + names[: r % 3]:  # rotate the order
            times[name].append(timed(cmds[name]))
            print(
                f"  rep {r + 1} {name:6s} {times[name][-1]:6.2f} s (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    return times


def seam_report(path: Path, jobs: int, naive_xy: np.ndarray) -> bool:
    import runform as rf
    from runform import parallel
    from runform.landmarks import INDEX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = rf.extract_pose(path, cache=False, progress=False, n_jobs=1)
        cpu_one = sum(parallel.last_run()["cpu_s"])
        many = rf.extract_pose(path, cache=False, progress=False, n_jobs=jobs)
    run = parallel.last_run()
    same = np.array_equal(one.xy, naive_xy, equal_nan=True)
    print(
        f"\nrunform x1 landmarks == naive loop landmarks: {same} "
        f"(max |diff| {np.nanmax(np.abs(one.xy - naive_xy)):.3g} px)"
    )
    starts = (many.provenance["settings"].get("chunks") or {}).get("starts", [0])
    d = np.linalg.norm(many.xy - one.xy, axis=2)
    leg = np.nanmedian(
        np.linalg.norm(one.xy[:, INDEX["left_hip"]] - one.xy[:, INDEX["left_ankle"]], axis=1)
    )
    at = np.zeros(len(d), bool)
    for a in starts[1:]:
        at[a : a + SEAM_FRAMES] = True
    later = np.arange(len(d)) >= (starts[1] if len(starts) > 1 else len(d))
    groups = {
        "hips, knees, ankles": [
            INDEX[f"{s}_{j}"] for s in ("left", "right") for j in ("hip", "knee", "ankle")
        ],
        "heels, toes": [
            INDEX[f"{s}_{j}"] for s in ("left", "right") for j in ("heel", "foot_index")
        ],
        "all 33": list(range(33)),
    }
    print(
        f"x{jobs}: chunk starts {starts}, leg (hip-ankle) {leg:.0f} px; difference to x1 "
        f"(px, % of leg) at seams (first {SEAM_FRAMES} frames of a later chunk) and "
        "elsewhere in later chunks (frames before the first seam: max "
        f"{np.nanmax(d[~later]) if (~later).any() else 0:.2g} px)"
    )
    print("| landmarks | seam median | seam max | elsewhere median | elsewhere max |")
    print("|---|---|---|---|---|")
    for label, idx in groups.items():
        cells = []
        for m in (at, later & ~at):
            v = d[m][:, idx]
            cells += [
                f"{np.nanmedian(v):.2f} ({100 * np.nanmedian(v) / leg:.1f}%)",
                f"{np.nanmax(v):.2f} ({100 * np.nanmax(v) / leg:.1f}%)",
            ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(
        f"pose CPU time: x1 {cpu_one:.1f} s in this process; x{jobs} "
        f"{sum(run['cpu_s']):.1f} s over the workers {[round(c, 1) for c in run['cpu_s']]}"
    )
    print(
        f"peak memory per worker: {[round(m) for m in run['peak_rss_mb']]} MB "
        f"({run['workers']} processes); reruns after a wrong seek: {run['reruns']}"
    )
    return same


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("video", nargs="?", default=str(DEFAULT))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--seams-only", action="store_true", help="skip the timed race")
    args = ap.parse_args()
    from runform.parallel import usable_workers
    from runform.video import Video

    path, jobs = Path(args.video), args.jobs or usable_workers()
    with Video(path) as v:
        n = len(v)
        print(
            f"clip: {path.name}, {n} frames {v.info.width}x{v.info.height} at {v.fps:g} fps; "
            f"{jobs} workers; load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} CPUs"
        )
    with tempfile.TemporaryDirectory() as tmp:
        if args.seams_only:
            subprocess.run(
                [sys.executable, "-c", NAIVE, str(path), str(Path(tmp) / "n.npy")],
                capture_output=True,
                check=True,
            )
            return 0 if seam_report(path, jobs, np.load(Path(tmp) / "n.npy")) else 1
        times = race(path, args.reps, jobs, Path(tmp))
        naive_xy = np.load(Path(tmp) / "naive.npy")
    base = statistics.median(times["naive"])
    print(
        f"\n| whole process ({args.reps} runs, alternating) | wall median s | wall min-max s "
        "| frames/s | wall ratio to naive |\n|---|---|---|---|---|"
    )
    for name, t in times.items():
        med = statistics.median(t)
        print(
            f"| {name} | {med:.2f} | {min(t):.2f}-{max(t):.2f} | {n / med:.1f} | {med / base:.2f} |"
        )
    return 0 if seam_report(path, jobs, naive_xy) else 1


if __name__ == "__main__":
    sys.exit(main())
