"""Command line: ``runform analyze VIDEO`` (and ``compare``, ``batch``).

Exit status 0 on success, 2 on a user error: one line ``runform: error: <what is wrong
and what to do>`` on stderr, never a traceback (``--debug`` shows one). Hints the
library writes in Python syntax (``near_side='left'``) are shown as the flags a user
types here (``--near-side left``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys

from ._version import __version__
from .cli_run import OUTPUT_FILES
from .errors import RunformError

#: Python-syntax hints → command-line flags (applied to every message printed).
_HINTS = (
    (
        re.compile(r"are read with read_keypoints_csv\(\)"),
        "are analysed as 'runform analyze FILE.csv --fps N'",
    ),
    (re.compile(r"\b(?:capture_)?fps=\.\.\. \(--fps\)"), "--fps"),
    (re.compile(r"\b(?:capture_)?fps=\.\.\. or --fps"), "--fps"),
    (
        re.compile(r"\b([a-z][a-z_]*)='([^']*)' or '([^']*)'"),
        lambda m: f"{_flag(m[1])} {m[2]} or {_flag(m[1])} {m[3]}",
    ),
    (re.compile(r"\b([a-z][a-z_]*)='([^']*)'"), lambda m: f"{_flag(m[1])} {m[2]}"),
    (re.compile(r"\b([a-z][a-z_]*)=\.\.\."), lambda m: f"{_flag(m[1])} ..."),
)
_FLAG_NAMES = {"capture_fps": "--fps", "height_cm": "--height-cm", "roi": "--roi"}


def _flag(name: str) -> str:
    return _FLAG_NAMES.get(name, "--" + name.replace("_", "-"))


def cli_text(message: str) -> str:
    """A library message with its Python-syntax hints rewritten as command-line flags."""
    for pattern, repl in _HINTS:
        message = pattern.sub(repl, message)
    return message


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors in runform's format."""

    def error(self, message: str):
        print(f"runform: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def _add_analysis_options(a: argparse.ArgumentParser) -> None:
    a.add_argument(
        "--height-cm",
        type=float,
        metavar="CM",
        help="runner's height in cm: gives overstride and bounce in cm",
    )
    a.add_argument(
        "--speed",
        type=float,
        metavar="M_PER_S",
        help="running speed in m/s (treadmill setting; 10 km/h = 2.78): adjusts "
        "speed-dependent thresholds of the findings",
    )
    mode = a.add_mutually_exclusive_group()
    mode.add_argument(
        "--treadmill",
        dest="treadmill",
        action="store_true",
        default=None,
        help="the runner stays in place (treadmill, or a camera that follows "
        "the runner); detected when neither flag is given",
    )
    mode.add_argument(
        "--overground",
        dest="treadmill",
        action="store_false",
        help="a fixed camera the runner runs past",
    )
    a.add_argument(
        "--near-side",
        choices=["left", "right"],
        help="runner's side nearer the camera (detected when omitted)",
    )
    a.add_argument(
        "--fps",
        type=float,
        help="frame rate: required for a keypoints CSV "
        "without a time column; the capture rate of a slow-motion video",
    )
    a.add_argument(
        "--roi",
        type=int,
        nargs=4,
        metavar=("X0", "Y0", "X1", "Y1"),
        help="only look for the runner inside this box (pixels of the upright "
        "frame), when other people are in view",
    )
    a.add_argument(
        "--no-cache",
        action="store_true",
        help="do not read or write the pose cache (recompute the pose)",
    )


def _worker_count(text: str) -> int:
    """``--jobs`` value: a whole number of worker processes, 1 or more."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError("--jobs must be 1 or more")
    return n


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="runform",
        description="Running form from a side-view video: "
        "measurements with their uncertainty, coaching findings with cues, and an "
        "HTML report. Nothing leaves this computer.",
    )
    p.add_argument("--version", action="version", version=f"runform {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = sub.add_parser(
        "analyze",
        help="analyse one video (or keypoints CSV)",
        description="Pose, angles, gait events, metrics and coaching findings "
        f"of one clip. Writes report.html, {', '.join(OUTPUT_FILES)} into the output folder.",
    )
    a.add_argument("input", help="video file (mp4, mov...) or keypoints CSV")
    a.add_argument(
        "--out",
        help="output folder (default: <video name>-runform next to where you run the command)",
    )
    a.add_argument("--no-report", action="store_true", help="skip report.html")
    a.add_argument(
        "--findings",
        metavar="JSON",
        help="your own coaching table (a copy of runform/findings.json, edited)",
    )
    _add_analysis_options(a)
    a.add_argument(
        "--jobs",
        type=_worker_count,
        default=None,
        metavar="N",
        dest="pose_n_jobs",
        help="pose worker processes (default: one per usable core; the clip is "
        "split into N chunks, landmarks differ slightly after a seam; 1: a single "
        "pass)",
    )
    from .cli_more import add_subcommands

    add_subcommands(sub, _add_analysis_options)
    return p


def _quiet_libraries() -> None:
    """Ask MediaPipe (glog) and TensorFlow Lite to keep their start-up logs to themselves."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "2")


def findings_line(findings) -> str:
    """How many findings are present, absent and cannot tell (one line)."""
    from .findings import summary

    return summary(findings)[1]


def _analyze(args) -> int:
    from pathlib import Path

    from .cli_run import run_analysis, write_outputs

    out = Path(args.out) if args.out else Path(f"{Path(args.input).stem}-runform")
    result, findings = run_analysis(args.input, args)
    report = write_outputs(result, findings, out, not args.no_report)
    print(cli_text(result.summary()))
    fs = result.metrics.get("foot_strike")
    if fs is not None and fs.type == "uncertain":
        print(
            f"  (uncertain: the foot-strike angle or its 95% CI lies within {fs.band_deg:g}° of "
            "a class boundary, so video cannot tell the class; it is not a fault)"
        )
    present = [f for f in findings if f.status == "present"]
    print(f"findings: {findings_line(findings)}")
    for f in present:
        print(f"  - {f.problem} ({f.confidence} confidence). Cue: {f.cue}")
    print(f"wrote {out}/{', '.join(OUTPUT_FILES)}")
    if report is not None:
        print(f"report: {report}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``runform`` command."""
    _quiet_libraries()
    parser = _parser()
    args = parser.parse_args(argv)
    from .cli_more import COMMANDS

    command = {"analyze": _analyze, **COMMANDS}[args.command]
    try:
        return command(args)
    except BrokenPipeError:  # the output was piped into e.g. `head`, which stopped reading
        with contextlib.suppress(OSError, ValueError):  # no second error at exit's flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (RunformError, OSError) as exc:
        if args.debug:
            raise
        text = (
            str(exc)
            if isinstance(exc, RunformError)
            else f"{exc.strerror or exc}: {exc.filename or ''}. Check the path and permissions."
        )
        print(f"runform: error: {cli_text(text)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("runform: interrupted; nothing was cached for the unfinished clip.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
