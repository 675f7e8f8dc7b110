"""Command line: ``runform analyze INPUT --out DIR``.

Exit status 0 on success, 2 on a user error (``runform: error: …`` on stderr, with
what to do), never a traceback for expected problems.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from .errors import RunformError, RunformWarning


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="runform", description="Running form from side-view video.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse a video or keypoints CSV",
                       description="Pose, angles, gait events and metrics of one clip. "
                       "Writes metrics.json, steps.csv and angles.csv into --out.")
    a.add_argument("input", help="video file (mp4, mov...) or keypoints CSV")
    a.add_argument("--out", required=True, help="output folder")
    a.add_argument("--height-cm", type=float, help="runner's stature in cm (for cm outputs)")
    mode = a.add_mutually_exclusive_group()
    mode.add_argument("--treadmill", dest="treadmill", action="store_true", default=None)
    mode.add_argument("--overground", dest="treadmill", action="store_false")
    a.add_argument("--near-side", choices=["left", "right"],
                   help="runner's side nearer the camera (detected when omitted)")
    a.add_argument("--fps", type=float, help="frame rate (required for CSV; capture rate of "
                   "a slow-motion video)")
    a.add_argument("--no-cache", action="store_true", help="do not read or write the pose cache")
    a.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="pose worker processes (default 1: a single pass; N>1 splits the clip "
                   "into N chunks, faster on N cores, landmarks differ slightly after a seam)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``runform`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    from .analysis import analyze
    from .io import save_analysis

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RunformWarning)  # collected in clip.quality
            result = analyze(args.input, fps=args.fps, treadmill=args.treadmill,
                             near_side=args.near_side,
                             height_cm=args.height_cm, cache=not args.no_cache,
                             progress=sys.stderr.isatty(), n_jobs=args.jobs)
            save_analysis(result, args.out)
    except RunformError as exc:
        print(f"runform: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("runform: interrupted; nothing was cached for the unfinished clip.",
              file=sys.stderr)
        return 130
    print(result.summary())
    print(f"wrote {args.out}/metrics.json, steps.csv, angles.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
