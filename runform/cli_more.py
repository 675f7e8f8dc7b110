"""``runform compare A B`` and ``runform batch FOLDER``: the command-line side."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["COMMANDS", "add_subcommands"]


def add_subcommands(sub, add_analysis_options) -> None:
    """Add the ``compare`` and ``batch`` sub-commands to the parser."""
    c = sub.add_parser(
        "compare",
        help="before/after: what moved between two clips",
        description="Compare two clips (videos, or output folders of an "
        "earlier 'runform analyze'): what moved, by how much with its "
        "uncertainty, and whether it moved towards the target.",
    )
    c.add_argument("before", help="video or output folder of the first run")
    c.add_argument("after", help="video or output folder of the second run")
    c.add_argument("--out", required=True, help="output folder for compare.html")
    add_analysis_options(c)
    b = sub.add_parser(
        "batch",
        help="analyse every video in a folder",
        description="Analyse every video in a folder in parallel; one "
        "summary table; failures are listed with their reasons. Exit status "
        "1 when some clips failed.",
    )
    b.add_argument("folder", help="folder of videos (mp4, mov, ...)")
    b.add_argument("--out", required=True, help="output folder (one sub-folder per clip)")
    b.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="clips analysed at once (default 1; at most the number of CPU cores)",
    )
    b.add_argument("--no-report", action="store_true", help="skip each clip's report.html")
    b.add_argument(
        "--findings",
        metavar="JSON",
        help="your own coaching table (a copy of runform/findings.json, edited) for every clip",
    )
    add_analysis_options(b)


def _compare(args) -> int:
    from .cli_run import run_analysis
    from .coaching_table import label
    from .compare import caveats, compare, load_run, row_numbers
    from .report_compare import build_compare

    def analyse(path):
        return run_analysis(path, args)

    a, b = load_run(args.before, analyse), load_run(args.after, analyse)
    rows = compare(a, b)
    path = build_compare(a, b, rows, args.out)
    for note in caveats(a, b):
        print(f"note: {note}")
    moved = [r for r in rows if r["changed"]]
    print(f"{len(moved)} of {len(rows)} measurements changed beyond their uncertainty:")
    for r in moved:
        a_, b_, d, lo, hi = row_numbers(r)
        extra = "; ".join(x for x in (r["toward"], r["caveat"]) if x)
        print(
            f"  {r['label']}: {a_} -> {b_}{label(r['key'])[1]} ({d}, 95% CI {lo} to {hi})"
            + (f" {extra}" if extra else "")
        )
    print(f"comparison: {path}")
    return 0


def _batch(args) -> int:
    from .cli_batch import run_batch

    summary = run_batch(Path(args.folder), Path(args.out), args, jobs=args.jobs)
    failed = [r for r in summary if r["status"] != "ok"]
    print(
        f"{len(summary) - len(failed)} clips analysed, {len(failed)} failed; summary: "
        f"{Path(args.out) / 'summary.csv'}"
    )
    for r in failed:
        print(f"  failed: {r['clip']}: {r['reason']}", file=sys.stderr)
    return 1 if failed else 0


COMMANDS = {"compare": _compare, "batch": _batch}
