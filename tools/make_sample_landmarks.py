"""Regenerate the shipped pose landmarks of every bundled sample (one command).

Run after the samples are re-rendered (``python -m tools.render.make_samples``)::

    python -m tools.make_sample_landmarks            # all bundled samples
    python -m tools.make_sample_landmarks midfoot_30fps

For each clip it runs :func:`runform.extract_pose` as a single pass (``n_jobs=1``: a
split clip's landmarks depend on the number of chunks, so on the machine's cores; no
cache, so the result is what MediaPipe gives now) and writes
``data/samples/<name>.pose.npz``: positions, depth and visibility as float32, frame
times, and a JSON record (format, the video's sha256, fps, size, provenance without
paths, quality checks as records) that :func:`runform.data.landmarks`
reads. ``tests/test_sample_landmarks.py`` checks the files against ``extract_pose``.
About 5–10 s per clip on 2 cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Mapping

import numpy as np

from runform import data, extract_pose


def _plain(obj):
    """JSON-ready copy of frozen provenance (read-only mappings, tuples)."""
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def write_landmarks(name: str) -> str:
    """Run MediaPipe on one bundled sample and write its landmark file; a summary line."""
    video = data.path(name)
    t0 = time.perf_counter()
    clip = extract_pose(video, cache=False, progress=False, n_jobs=1)
    provenance = {
        k: _plain(v) for k, v in clip.provenance.items() if k not in ("source", "cache_file")
    }
    meta = {
        "format": data.LANDMARKS_FORMAT,
        "sample": name,
        "video_sha256": data.sample(name).sha256["video"],
        "fps": clip.fps,
        "width": clip.width,
        "height": clip.height,
        "provenance": provenance,
        "quality": [
            dataclasses.asdict(q) if dataclasses.is_dataclass(q) else str(q) for q in clip.quality
        ],
    }
    out = data.landmarks_path(name)
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        xy=clip.xy.astype(np.float32),
        visibility=clip.visibility.astype(np.float32),
        depth=clip.depth.astype(np.float32),
        time=clip.time,
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )
    tmp.replace(out)
    return (
        f"{name}: {clip.n_frames} frames, {out.stat().st_size / 1024:.0f} KB, "
        f"{time.perf_counter() - t0:.1f} s"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="samples (default: every bundled one)")
    args = parser.parse_args(argv)
    for name in args.names or data.names("bundled"):
        print(write_landmarks(name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
