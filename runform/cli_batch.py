"""Analyse every video of a folder in parallel (joblib), with one summary table.

The same code runs on a cluster through joblib's Dask backend::

    from dask.distributed import Client
    import joblib
    client = Client("tcp://scheduler:8786")        # or Client() for a local cluster
    with joblib.parallel_config(backend="dask"):
        run_batch(folder, out, batch_options(height_cm=175), jobs=-1)

Every worker must have runform installed and see ``folder`` and ``out`` at the same paths
(a shared file system); each clip is one task (tested on a ``LocalCluster`` in
``tests/test_cli.py``).

Clips × pose graphs: with ``--jobs 1`` the clips are analysed one after the other and
each clip's pose is split over every usable core (``extract_pose``'s default, as in
``runform analyze``); with ``--jobs N`` (N > 1, or -1) N clips run at once and each uses
one pose graph (``n_jobs=1``). Either way at most as many MediaPipe graphs run as there
are workers or cores.
"""

from __future__ import annotations

import argparse
import csv
import inspect
from pathlib import Path

from .analysis import VIDEO_SUFFIXES
from .errors import InputError, RunformError

__all__ = ["analyse_one", "batch_options", "run_batch", "videos_in"]

SUMMARY_FIELDS = (
    "clip",
    "status",
    "reason",
    "fps",
    "n_steps",
    "cadence_spm",
    "contact_time_ms",
    "duty_factor",
    "foot_strike",
    "foot_strike_angle_deg",
    "findings_present",
    "report",
)


#: Options of ``runform batch`` and their defaults, for calls from Python (a notebook, a
#: Dask cluster): the same names as the parsed command line (``tests/test_cli.py`` checks).
OPTION_DEFAULTS = {
    "fps": None,
    "treadmill": None,
    "near_side": None,
    "height_cm": None,
    "speed": None,
    "roi": None,
    "no_cache": False,
    "no_report": False,
    "findings": None,
}


def batch_options(**overrides) -> argparse.Namespace:
    """Options for :func:`run_batch` from Python, e.g. ``batch_options(height_cm=175)``.

    Raises
    ------
    InputError
        An option ``runform batch`` does not have.
    """
    unknown = sorted(set(overrides) - set(OPTION_DEFAULTS))
    if unknown:
        raise InputError(
            f"Unknown batch option(s) {', '.join(unknown)}; known: {', '.join(OPTION_DEFAULTS)}."
        )
    return argparse.Namespace(**{**OPTION_DEFAULTS, **overrides})


def videos_in(folder: Path) -> list[Path]:
    """Video files (by suffix) directly inside ``folder``, sorted by name."""
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder. Give a folder of videos.")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
    if not files:
        raise InputError(f"No videos ({', '.join(sorted(VIDEO_SUFFIXES))}) in {folder}.")
    return files


def _one_thread_per_worker() -> None:
    """Keep OpenCV's own thread pool (decoding, colour conversion) to one thread, so that
    N workers use N cores rather than N x cores threads fighting over them (joblib's
    loky workers already limit the BLAS/OpenMP threads)."""
    import cv2

    cv2.setNumThreads(1)


def analyse_one(path: Path, out: Path, options, parallel: bool) -> dict:
    """Analyse one clip into ``out/<stem>``; a summary row, never an exception."""
    from .cli_run import run_analysis, write_outputs
    from .pose import extract_pose

    row = dict.fromkeys(SUMMARY_FIELDS, "")
    row.update(clip=path.name, status="failed")
    if parallel:
        _one_thread_per_worker()
        if "n_jobs" in inspect.signature(extract_pose).parameters:
            options.pose_n_jobs = 1
    try:
        result, findings = run_analysis(str(path), options)
        report = write_outputs(
            result, findings, out / path.stem, not getattr(options, "no_report", False)
        )
    except (RunformError, OSError, ValueError) as exc:
        row["reason"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return row
    m = result.metrics

    def val(key):
        v = m.get(key)
        return "" if v is None or not v.known else round(v.value, 3)

    row.update(
        status="ok",
        fps=result.clip.fps,
        n_steps=len(result.steps),
        cadence_spm=val("cadence_spm"),
        contact_time_ms=val("contact_time_ms"),
        duty_factor=val("duty_factor"),
        foot_strike=m["foot_strike"].type,
        foot_strike_angle_deg=(
            round(m["foot_strike"].angle.value, 1) if m["foot_strike"].angle.known else ""
        ),
        findings_present="; ".join(f.code for f in findings if f.status == "present"),
        report=str(report or ""),
    )
    return row


def run_batch(folder: Path, out: Path, options, jobs: int = 1) -> list[dict]:
    """Analyse every video in ``folder``; write ``out/summary.csv``; return its rows."""
    import joblib
    from tqdm.auto import tqdm

    files = videos_in(folder)
    if jobs == 0 or jobs < -1:
        raise InputError(f"--jobs must be a positive number of clips at once, got {jobs}.")
    # -1: as many as the backend has (all cores with loky, all workers of a Dask cluster)
    jobs = -1 if jobs == -1 and len(files) > 1 else max(1, min(jobs, len(files)))
    many = jobs != 1
    out.mkdir(parents=True, exist_ok=True)
    # longest first, so the workers finish together (the summary stays in name order)
    order = sorted(files, key=lambda p: p.stat().st_size, reverse=True) if many else files
    tasks = (joblib.delayed(analyse_one)(p, out, options, many) for p in order)
    rows = []
    try:  # rows as clips finish, for the progress bar
        parallel = joblib.Parallel(n_jobs=jobs, return_as="generator_unordered")
    except ValueError:  # a backend without generators (joblib's "multiprocessing")
        parallel = joblib.Parallel(n_jobs=jobs)
    with tqdm(total=len(files), desc="clips", unit="clip") as bar:
        for row in parallel(tasks):
            rows.append(row)
            bar.update(1)
    rank = {p.name: i for i, p in enumerate(files)}
    rows.sort(key=lambda r: rank[r["clip"]])
    with open(out / "summary.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=SUMMARY_FIELDS)
        w.writeheader()
        w.writerows(rows)
    return rows
