"""Write the bundled keypoints sample: a simulated rearfoot runner, 60 fps, treadmill.

Usage: python tools/make_keypoints_sample.py   (deterministic; rewrites the CSV)
"""

from pathlib import Path

from runform.io import write_keypoints_csv
from runform.model import Camera, RunnerParams, simulate

OUT = (
    Path(__file__).resolve().parents[1] / "data" / "keypoints" / "sim_rearfoot_60fps_keypoints.csv"
)

if __name__ == "__main__":
    motion = simulate(RunnerParams(foot_strike="rearfoot"), fps=60.0, duration_s=6.0)
    write_keypoints_csv(motion.to_clip(Camera(facing="left")), OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")
