"""Speed-up of ``runform batch --jobs 2`` over ``--jobs 1``: whole processes, wall clock.

Usage: python bench/batch_speed.py [--samples 4] [--reps 3] [--jobs 2] [--json OUT]

A folder gets copies of the first N bundled sample videos (rendered runners, 240-300
frames of 640x360 at 60 fps, or at 30 fps for the midfoot clip). Each repetition runs
``runform batch FOLDER --out DIR --no-cache --no-report --jobs J`` as a fresh process
(imports, MediaPipe graphs and worker start-up included) for J = 1 and J = jobs, in
alternating order (1, J, J, 1, ...), so that a change of machine load hits both alike.
Before each run the 1-minute load average is read (``os.getloadavg``) and printed with
the run, with the CPU time of the batch process and its workers and the cores that makes
(CPU / wall; pose workers started through the fork server of :mod:`runform.parallel`
are not the batch's children and are missing from it). On a shared machine other
processes take cores too, and with Linux's autogroup scheduling
(``/proc/sys/kernel/sched_autogroup_enabled`` = 1) the batch and all its workers share
one session's fair share of the CPUs: with two or more other busy sessions that share is
below one core, and ``--jobs 2`` cannot be faster than ``--jobs 1``. Measure the speed-up
on an otherwise idle machine. Prints every run, the median wall time of each J, their
ratio (the speed-up) and the range of the ratios of neighbouring runs.
Exit status 1 when a batch run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Samples used, in order (the treadmill clips are the longest: 300 frames).
SAMPLES = (
    "rearfoot_treadmill",
    "forefoot_treadmill",
    "overstride_treadmill",
    "ankle_active",
    "ankle_passive",
    "midfoot_30fps",
    "overground_crossing",
)


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall time and CPU time (s) of one ``runform batch`` process and its workers."""
    shutil.rmtree(out, ignore_errors=True)
    cpu0 = _children_cpu()
    cmd = [
        sys.executable,
        "-m",
        "runform",
        "batch",
        str(folder),
        "--out",
        str(out),
        "--no-cache",
        "--no-report",
        "--jobs",
        str(jobs),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)
        raise SystemExit(f"runform batch --jobs {jobs} failed ({proc.returncode})")
    return seconds, _children_cpu() - cpu0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write the runs here")
    args = ap.parse_args(argv)
    from runform import data

    tmp = Path(tempfile.mkdtemp(prefix="runform-batch-bench-"))
    try:
        folder = tmp / "clips"
        folder.mkdir()
        for name in SAMPLES[: args.samples]:
            shutil.copy(data.path(name), folder / f"{name}.mp4")
        print(
            f"{args.samples} clips, {os.cpu_count()} CPUs; jobs 1 vs {args.jobs}, "
            f"{args.reps} repetitions, alternating"
        )
        runs = []
        order = []
        for r in range(args.reps):
            order += [1, args.jobs] if r % 2 == 0 else [args.jobs, 1]
        for jobs in order:
            load = os.getloadavg()[0]
            seconds, cpu = run(folder, tmp / "out", jobs)
            runs.append({"jobs": jobs, "seconds": seconds, "cpu_s": cpu, "load1": load})
            print(
                f"  --jobs {jobs}: {seconds:6.1f} s wall, {cpu:6.1f} s CPU = {cpu / seconds:.2f} "
                f"cores   (load average before: {load:.2f})",
                flush=True,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    one = [r["seconds"] for r in runs if r["jobs"] == 1]
    many = [r["seconds"] for r in runs if r["jobs"] == args.jobs]
    pairs = [a / b for a, b in zip(one, many, strict=True)]
    loads = [r["load1"] for r in runs]
    for j in sorted({1, args.jobs}):
        cpu = [r["cpu_s"] for r in runs if r["jobs"] == j]
        print(f"--jobs {j}: median CPU {statistics.median(cpu):.1f} s")
    speedup = statistics.median(one) / statistics.median(many)
    print(
        f"median --jobs 1: {statistics.median(one):.1f} s, --jobs {args.jobs}: "
        f"{statistics.median(many):.1f} s -> speed-up {speedup:.2f}x "
        f"(pairs {min(pairs):.2f}-{max(pairs):.2f}x; load average {min(loads):.1f}-"
        f"{max(loads):.1f} during the runs)"
    )
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "speedup": speedup}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
