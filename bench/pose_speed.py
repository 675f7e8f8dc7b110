"""Pose extraction speed: the whole ``runform analyze`` process vs a naive loop process.

Usage: python bench/pose_speed.py [VIDEO] [--reps 5] [--jobs N] [--seams-only]
(default: the real 12 s 720x1280 clip in $RUNFORM_DATA_DIR or ../shared/data)

1. Race. Each repetition runs, as separate fresh processes timed by wall clock (imports
   and model construction included for all of them), in rotating order:
     naive : ``cv2.VideoCapture.read`` -> ``pose.process`` over every frame, one graph;
     rf x1 : ``runform analyze VIDEO --no-cache --jobs 1`` (report included);
     rf xN : ``runform analyze VIDEO --no-cache --jobs N`` (N = usable cores).
   Every run is listed with the 1-minute load average just before it (other work on
   the machine slows every process alike only when the machine is otherwise idle:
   trust a table whose load stays below 1). Then median, min-max and interquartile
   range of wall time and frames/s, and the ratio of medians to the naive loop.
2. Stages. ``runform analyze``'s steps, run once more for x1 and xN in a fresh process
   that does what the command does, with a timestamp after each: interpreter start,
   imports, pose (with the pose workers' own start, first-frame and end times),
   analysis (clean, events, metrics, capture checks, findings), output files and the
   report (key frames and curves measured again on their own).
3. Checks. Runform with one worker must give the naive loop's landmarks exactly; with
   N workers, the difference at the seams (first frames after each chunk start) and
   elsewhere is reported in pixels and % of leg length, with the CPU time and peak
   memory of each worker. Exit status 1 when the x1 landmark check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
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

#: What ``runform analyze VIDEO --no-cache --jobs N --out OUT`` does (runform.cli and
#: runform.cli_run), with a timestamp after each step; argv: video, jobs, out, npy,
#: launch time. Prints one JSON line.
STAGES = r"""
import sys, time
t = {"launch": float(sys.argv[5]), "python": time.time()}
c = {"python": time.process_time()}
import json, os, warnings
os.environ.setdefault("MPLBACKEND", "Agg")
import runform.cli
from runform import cli_run, parallel
t["imports"], c["imports"] = time.time(), time.process_time()
parallel.start_fork_server(int(sys.argv[2]))  # as cli_run.run_analysis does
parallel.prefetch(cli_run.AFTER_POSE)
from runform.analysis import analyze
from runform.findings import RunnerProfile, find
from runform.pose import extract_pose
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    raw = extract_pose(sys.argv[1], n_jobs=int(sys.argv[2]), cache=False, progress=False)
    t["pose"], c["pose"] = time.time(), time.process_time()
    run = parallel.last_run()
    result = analyze(raw)
    findings = find(result, RunnerProfile())
    t["analysis"], c["analysis"] = time.time(), time.process_time()
    cli_run.write_outputs(result, findings, sys.argv[3], report=False)
    t["files"], c["files"] = time.time(), time.process_time()
    from runform.report import build_report
    build_report(result, sys.argv[3], findings)
    t["report"], c["report"] = time.time(), time.process_time()
    from runform.report_figures import cycle_figure_uri, key_frames
    k0 = time.perf_counter(); key_frames(result); k1 = time.perf_counter()
    cycle_figure_uri(result); k2 = time.perf_counter()
import numpy as np
np.save(sys.argv[4], raw.xy)
keep = ("workers", "cpu_s", "wall", "started", "ended", "peak_rss_mb")
chunks = raw.provenance["settings"].get("chunks") or {}
print(json.dumps({"t": t, "cpu": c, "run": {k: run[k] for k in keep},
                  "key_frames_s": k1 - k0, "curves_s": k2 - k1,
                  "starts": list(chunks.get("starts", [0]))}))
"""


def timed(cmd: list[str]) -> float:
    """Wall time of a process in seconds. (Its CPU time cannot be read from here: the
    pose workers are the fork server's children, not ours; see the stage figures.)"""
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0


def race(path: Path, reps: int, jobs: int, tmp: Path) -> tuple[dict, dict]:
    """Wall times per command over ``reps`` rotating repetitions, and the load average
    (1 min) just before each run."""
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
    loads: dict[str, list[float]] = {k: [] for k in cmds}
    names = list(cmds)
    print("| rep | process | wall s | load avg before |\n|---|---|---|---|")
    for r in range(reps):
        for name in names[r % 3 :] + names[: r % 3]:  # rotate the order
            loads[name].append(os.getloadavg()[0])
            times[name].append(timed(cmds[name]))
            print(
                f"| {r + 1} | {name} | {times[name][-1]:.2f} | {loads[name][-1]:.2f} |", flush=True
            )
    return times, loads


def race_table(times: dict, loads: dict, n: int) -> None:
    base = statistics.median(times["naive"])
    print(
        f"\n| whole process ({len(times['naive'])} runs each, rotating) | wall median s | "
        "min-max s | IQR s | frames/s | ratio to naive | load avg min-max |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, t in times.items():
        med = statistics.median(t)
        q1, _, q3 = np.percentile(t, [25, 50, 75])
        print(
            f"| {name} | {med:.2f} | {min(t):.2f}-{max(t):.2f} | {q3 - q1:.2f} | "
            f"{n / med:.1f} | {med / base:.2f} | {min(loads[name]):.1f}-"
            f"{max(loads[name]):.1f} |"
        )


def stages(path: Path, jobs: int, tmp: Path) -> dict:
    """One stage-timed run (fresh process) for ``jobs`` workers."""
    npy = tmp / f"stages-x{jobs}.npy"
    launch = time.time()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            STAGES,
            str(path),
            str(jobs),
            str(tmp / f"stages-out-{jobs}"),
            str(npy),
            repr(launch),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rec = json.loads(out.stdout.strip().splitlines()[-1])
    rec["xy"] = np.load(npy)
    return rec


def stage_table(recs: dict[int, dict]) -> None:
    """Stage breakdown (wall seconds) of the stage-timed runs, side by side."""
    rows, cpus = [], []
    for r in recs.values():
        t, c, run = r["t"], r["cpu"], r["run"]
        first = min(w[1] for w in run["wall"])
        last = max(w[2] for w in run["wall"])
        cpus.append(
            {
                "imports": c["imports"],
                "pose": c["pose"] - c["imports"],
                "analysis": c["analysis"] - c["pose"],
                "files": c["files"] - c["analysis"],
                "report": c["report"] - c["files"],
            }
        )
        rows.append(
            {
                "interpreter start": t["python"] - t["launch"],
                "imports (runform, CLI)": t["imports"] - t["python"],
                "pose: until the first frame is out of the model (hash, probe, workers "
                "start, MediaPipe import, graph, seek)": first - t["imports"],
                "pose: frames (first frame to last worker done)": last - first,
                "pose: joining, second-person check, quality checks": t["pose"] - last,
                "analysis (clean, events, metrics, capture checks, findings)": t["analysis"]
                - t["pose"],
                "files (metrics.json, CSVs, TRC)": t["files"] - t["analysis"],
                "report (html with figures)": t["report"] - t["files"],
                "  of which key frames (measured again, warm)": r["key_frames_s"],
                "  of which gait-cycle curves (measured again, warm)": r["curves_s"],
                "total (launch to report written)": t["report"] - t["launch"],
            }
        )
    print("\n| stage (wall s) | " + " | ".join(f"x{j}" for j in recs) + " |")
    print("|---" * (len(recs) + 1) + "|")
    for key in rows[0]:
        print(f"| {key} | " + " | ".join(f"{row[key]:.2f}" for row in rows) + " |")
    print(
        "\nCPU s of the calling process (all its threads) per stage, which a loaded "
        "machine changes far less than wall time:"
    )
    print("| stage (CPU s) | " + " | ".join(f"x{j}" for j in recs) + " |")
    print("|---" * (len(recs) + 1) + "|")
    for key in cpus[0]:
        print(f"| {key} | " + " | ".join(f"{cpu[key]:.2f}" for cpu in cpus) + " |")
    for jobs, r in recs.items():
        run = r["run"]
        spans = [f"{w[1] - w[0]:.2f}+{w[2] - w[1]:.2f}" for w in run["wall"]]
        print(
            f"x{jobs}: chunks {r['starts']}, per chunk start-up+frames s {spans}, CPU s "
            f"{[round(c, 2) for c in run['cpu_s']]} (sum {sum(run['cpu_s']):.1f}), peak "
            f"memory {[round(m) for m in run['peak_rss_mb']]} MB per "
            f"{'worker' if run['workers'] else 'process'}"
        )


def seam_report(
    one_xy: np.ndarray, many_xy: np.ndarray, starts: list[int], jobs: int, naive_xy: np.ndarray
) -> bool:
    """Landmark checks: x1 == naive exactly; xN vs x1 at seams and elsewhere."""
    from runform.landmarks import INDEX

    same = np.array_equal(one_xy, naive_xy, equal_nan=True)
    print(
        f"\nrunform x1 landmarks == naive loop landmarks: {same} "
        f"(max |diff| {np.nanmax(np.abs(one_xy - naive_xy)):.3g} px)"
    )
    d = np.linalg.norm(many_xy - one_xy, axis=2)
    leg = np.nanmedian(
        np.linalg.norm(one_xy[:, INDEX["left_hip"]] - one_xy[:, INDEX["left_ankle"]], axis=1)
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
    if len(starts) < 2:
        return same
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
    return same


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("video", nargs="?", default=str(DEFAULT))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument(
        "--seams-only",
        action="store_true",
        help="skip the race: one naive run, the stage runs and the checks",
    )
    args = ap.parse_args()
    from runform.video import Video
    from runform.workers import usable_workers

    path, jobs = Path(args.video), args.jobs or usable_workers()
    with Video(path) as v:
        n = len(v)
        print(
            f"clip: {path.name}, {n} frames {v.info.width}x{v.info.height} at {v.fps:g} fps; "
            f"{jobs} workers; load average {os.getloadavg()[0]:.2f} on "
            f"{os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M:%S %Z')}\n"
        )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.seams_only:
            subprocess.run(
                [sys.executable, "-c", NAIVE, str(path), str(tmp / "naive.npy")],
                capture_output=True,
                check=True,
            )
        else:
            times, loads = race(path, args.reps, jobs, tmp)
            race_table(times, loads, n)
        naive_xy = np.load(tmp / "naive.npy")
        recs = {j: stages(path, j, tmp) for j in dict.fromkeys((1, jobs))}
    stage_table(recs)
    return (
        0
        if seam_report(recs[1]["xy"], recs[jobs]["xy"], recs[jobs]["starts"], jobs, naive_xy)
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
