"""Pose extraction speed: runform's pipelined extraction vs a naive read→process loop.

Usage: python bench/pose_speed.py [VIDEO]   (default: the real clip in ../shared/data)
Prints frames per second of both on the same clip in the same run, and their ratio.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import cv2

import runform as rf

DEFAULT = (Path(__file__).resolve().parents[1].parent
           / "shared/data/male_side_treadmill/male_side.mp4")


def naive(path: Path) -> tuple[int, float]:
    import mediapipe as mp

    cap = cv2.VideoCapture(str(path))
    pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1)
    n, t0 = 0, time.perf_counter()
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        n += 1
    dt = time.perf_counter() - t0
    pose.close()
    cap.release()
    return n, dt


def ours(path: Path) -> tuple[int, float]:
    t0 = time.perf_counter()
    clip = rf.extract_pose(path, cache=False, progress=False)
    return clip.n_frames, time.perf_counter() - t0


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["RUNFORM_CACHE_DIR"] = tmp
        ours(path)  # warm-up: model load, file cache
        n1, t1 = naive(path)
        n2, t2 = ours(path)
    print(f"clip: {path.name}, {n1} frames")
    print(f"naive cv2.read -> pose.process loop : {n1 / t1:6.1f} frames/s ({t1:.2f} s)")
    print(f"runform.extract_pose (pipelined)    : {n2 / t2:6.1f} frames/s ({t2:.2f} s)")
    print(f"ratio runform / naive               : {(n2 / t2) / (n1 / t1):.2f}")


if __name__ == "__main__":
    main()
