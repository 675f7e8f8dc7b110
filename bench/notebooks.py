"""Time and peak memory of every notebook, run headless as a student's fresh copy.

    python bench/notebooks.py            # every notebook in notebooks/
    python bench/notebooks.py --student  # their student copies instead of the masters

Each notebook runs in a new kernel in a temporary folder, offline, with no data mirror
and an empty pose cache (``tests/support/notebooks.py``), so the figures are those of a
first run on Binder or a student laptop. Seconds include the kernel start; memory is
the kernel's peak resident set size. Targets: each notebook under 60 s on 2 cores, the
whole series under 1.5 GB (the sum of the kernels' peaks: all notebooks open at once).
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="store_true", help="run the student copies")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPU cores; {'student copies' if args.student else 'masters'}")
    print(f"{'notebook':<28} {'seconds':>8} {'peak MB':>8} {'exercises':>10} {'solved':>7}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in nbs.notebooks():
            src = path
            if args.student:
                (src,) = teach.write_copies("student", path, Path(tmp) / "student")
            r = nbs.execute(src, Path(tmp) / path.stem)
            solved = sum(e["solved"] for e in r["exercises"])
            rows.append(r)
            print(
                f"{path.name:<28} {r['seconds']:8.1f} {r['peak_mb']:8.0f} "
                f"{len(r['exercises']):10d} {solved:7d}",
                flush=True,
            )
    total_mb = sum(r["peak_mb"] for r in rows)
    slowest = max(r["seconds"] for r in rows)
    print(f"{'series':<28} {sum(r['seconds'] for r in rows):8.1f} {total_mb:8.0f}")
    print(
        f"slowest {slowest:.1f} s (target < {TARGET_S:.0f} s); sum of peaks "
        f"{total_mb:.0f} MB, largest {max(r['peak_mb'] for r in rows):.0f} MB "
        f"(target < {TARGET_MB:.0f} MB)"
    )
    return 0 if slowest < TARGET_S and total_mb < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
