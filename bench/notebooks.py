"""Time and peak memory of every notebook, run headless as a student's fresh copy.

    python bench/notebooks.py            # every notebook in notebooks/
    python bench/notebooks.py --student  # their student copies instead of the masters

Each notebook runs in a new kernel in a temporary folder, offline, with no data mirror
and an empty pose cache (``tests/support/notebooks.py``), so the figures are those of a
first run on Binder or a student laptop. Seconds include the kernel start.

Memory, two figures per notebook: the kernel's peak resident set size (RSS, which counts
the shared libraries every kernel maps) and its proportional set size (PSS: private
memory plus its share of the pages it shares with the other kernels), read from
``/proc`` with every kernel of the series still open at the end. The series' figure is
what a student with every notebook open uses: the sum of the kernels' PSS (each raised
by any drop from its peak RSS). The sum of peak RSS, which counts the shared libraries
six times, is printed beside it as an upper bound. Targets: each notebook under 60 s on
2 cores, the whole series under 1.5 GB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from runform import teach  # noqa: E402
from tests.support import notebooks as nbs  # noqa: E402

TARGET_S, TARGET_MB = 60.0, 1500.0


def _smaps(pid: int) -> dict[str, float]:
    """RSS and PSS of a process in MB (Linux ``/proc/PID/smaps_rollup``)."""
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                out[key] = int(rest.split()[0]) / 1024
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="store_true", help="run the student copies")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPU cores; {'student copies' if args.student else 'masters'}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for path in nbs.notebooks():
                src = path
                if args.student:
                    (src,) = teach.write_copies("student", path, Path(tmp) / "student")
                rows.append(nbs.execute(src, Path(tmp) / path.stem, keep_kernel=True))
                rows[-1]["name"] = path.name
            for r in rows:  # every kernel still open: shared pages are split between them
                r.update(_smaps(r["km"].provisioner.pid))
        finally:
            for r in rows:
                r["km"].shutdown_kernel(now=True)
    return _print(rows)


def _print(rows: list[dict]) -> int:
    head = f"{'notebook':<30} {'seconds':>8} {'peak RSS':>9} {'PSS':>6} {'exercises':>10}"
    print(head + f" {'solved':>7}  (MB; PSS with all {len(rows)} kernels open)")
    for r in rows:
        solved = sum(e["solved"] for e in r["exercises"])
        print(
            f"{r['name']:<30} {r['seconds']:8.1f} {r['peak_mb']:9.0f} {r['Pss']:6.0f} "
            f"{len(r['exercises']):10d} {solved:7d}"
        )
    together = sum(r["Pss"] + max(0.0, r["peak_mb"] - r["Rss"]) for r in rows)
    rss_sum = sum(r["peak_mb"] for r in rows)
    slowest = max(r["seconds"] for r in rows)
    print(f"{'series':<30} {sum(r['seconds'] for r in rows):8.1f} {rss_sum:9.0f} {together:6.0f}")
    print(
        f"slowest {slowest:.1f} s (target < {TARGET_S:.0f} s); all notebooks open at once "
        f"{together:.0f} MB (target < {TARGET_MB:.0f} MB; sum of peak RSS, shared "
        f"libraries counted {len(rows)} times: {rss_sum:.0f} MB)"
    )
    return 0 if slowest < TARGET_S and together < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
