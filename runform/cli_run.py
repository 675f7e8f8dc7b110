"""Shared steps of the commands: analyse one input with the options, write its outputs."""

from __future__ import annotations

import sys
import warnings

from .errors import RunformWarning

__all__ = ["OUTPUT_FILES", "analysis_kwargs", "run_analysis", "write_outputs"]

#: The data files :func:`write_outputs` writes into the output folder (report.html aside).
OUTPUT_FILES = (
    "metrics.json",
    "steps.csv",
    "angles.csv",
    "angles_tidy.csv",
    "landmarks.csv",
    "landmarks.trc",
)

#: Needed once the pose is done; imported in the background while it runs
#: (:func:`runform.parallel.prefetch`), on the core the pose leaves idle.
AFTER_POSE = (
    "scipy.signal",
    "scipy.stats",
    "pandas",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "runform.report",
    "runform.io",
    "runform.exports",
)


def analysis_kwargs(args) -> dict:
    """Keyword arguments of :func:`runform.analyze` from parsed options."""
    kw = {
        "fps": args.fps,
        "treadmill": args.treadmill,
        "near_side": args.near_side,
        "height_cm": args.height_cm,
        "cache": not args.no_cache,
        "progress": sys.stderr.isatty(),
    }
    if args.roi:
        kw["roi"] = tuple(args.roi)
    if getattr(args, "pose_n_jobs", None):
        kw["n_jobs"] = args.pose_n_jobs
    return kw


def run_analysis(input_path: str, args):
    """Analyse one input with the command's options; returns (result, findings)."""
    from .analysis import analyze
    from .findings import RunnerProfile, find
    from .parallel import prefetch, start_fork_server

    if not str(input_path).lower().endswith(".csv"):
        start_fork_server(getattr(args, "pose_n_jobs", None))  # MediaPipe loads meanwhile
    prefetch(AFTER_POSE)
    profile = RunnerProfile(height_cm=args.height_cm, speed_mps=args.speed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunformWarning)  # collected in clip.quality
        result = analyze(input_path, **analysis_kwargs(args))
    return result, find(result, profile, getattr(args, "findings", None))


def write_outputs(result, findings, out, report: bool = True):
    """Every output file of one analysed clip; returns the report path (or None)."""
    from .exports import save_exports
    from .io import save_analysis

    save_analysis(result, out, findings)
    save_exports(result, out)
    if not report:
        return None
    from .report import build_report

    return build_report(result, out, findings)
