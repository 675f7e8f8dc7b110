"""Render a :class:`runform.model.RunnerMotion` to an mp4 plus a JSON truth file.

Needs the optional render dependencies (``tools/render/requirements.txt``) and an
offscreen OpenGL: ``MUJOCO_GL=egl`` (Mesa: ``libegl1 libgl1-mesa-dri``) or
``MUJOCO_GL=osmesa`` (``libosmesa6``). It is a development tool; runform never
imports it at run time.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("MUJOCO_GL", "egl")

import mujoco
import numpy as np

from runform.model import Camera, RunnerMotion

from .mannequin import build_xml, segment_poses

#: Joint centres written to the truth file (both sides) plus the nose.
TRUTH_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel", "foot_index")


class Renderer:
    """Offscreen renderer of one motion through one camera."""

    def __init__(self, motion: RunnerMotion, camera: Camera) -> None:
        self.motion = motion
        self.camera = camera.at_hip_height(motion.params.stature_m)
        self.size = self.camera.image_size
        xml = build_xml(motion, self.camera, image_size=self.size)
        self.model = mujoco.MjModel.from_xml_string(xml)
        self.data = mujoco.MjData(self.model)
        self.renderer = mujoco.Renderer(self.model, height=self.size[1], width=self.size[0])
        self._mocap = {
            self.model.body(i).name: self.model.body_mocapid[i]
            for i in range(self.model.nbody)
            if self.model.body_mocapid[i] >= 0
        }
        self.camera_x = motion.camera_x(self.camera)

    def frame(self, i: int) -> np.ndarray:
        """RGB image (height, width, 3) uint8 of frame ``i``."""
        for name, (pos, quat) in segment_poses(self.motion.joints, i).items():
            k = self._mocap[name]
            self.data.mocap_pos[k] = pos
            self.data.mocap_quat[k] = quat
        rig = self._mocap["camera_rig"]
        self.data.mocap_pos[rig] = (self.camera_x[i], 0.0, 0.0)
        mujoco.mj_forward(self.model, self.data)
        self.renderer.update_scene(self.data, camera="side")
        return self.renderer.render()

    def close(self) -> None:
        """Free the OpenGL context."""
        self.renderer.close()


def write_video(frames, path: Path, fps: float, size: tuple[int, int], crf: int = 23) -> None:
    """Encode RGB frames as H.264 mp4 (yuv420p, bit-exact flags, no metadata)."""
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(
        str(path),
        size,
        fps=fps,
        codec="libx264",
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        macro_block_size=16,
        output_params=[
            "-crf",
            str(crf),
            "-preset",
            "medium",
            "-threads",
            "1",
            "-fflags",
            "+bitexact",
            "-flags:v",
            "+bitexact",
            "-map_metadata",
            "-1",
            "-movflags",
            "+faststart",
        ],
    )
    writer.send(None)
    for frame in frames:
        writer.send(np.ascontiguousarray(frame))
    writer.close()


def render(
    motion: RunnerMotion, camera: Camera, video_path: Path, *, crf: int = 23, progress: bool = True
) -> dict[str, float]:
    """Render ``motion`` to ``video_path``; returns timing figures (frames, s, fps)."""
    r = Renderer(motion, camera)
    t0 = time.perf_counter()

    def frames():
        for i in range(motion.n_frames):
            if progress and i % 60 == 0:
                print(f"  frame {i}/{motion.n_frames}", flush=True)
            yield r.frame(i)

    try:
        write_video(frames(), Path(video_path), motion.fps, r.size, crf=crf)
    finally:
        r.close()
    seconds = time.perf_counter() - t0
    return {"frames": motion.n_frames, "seconds": seconds, "fps": motion.n_frames / seconds}


def truth_record(
    motion: RunnerMotion, camera: Camera, *, name: str, description: str, video_file: str
) -> dict[str, Any]:
    """JSON-ready ground truth of a rendered clip (no pickle; plain lists, SI units)."""
    camera = camera.at_hip_height(motion.params.stature_m)
    clip = motion.to_clip(camera)
    px = motion.project(camera)
    keys = [f"{s}_{j}" for s in ("left", "right") for j in TRUTH_JOINTS] + ["nose"]
    table = motion.truth_table()
    angle_cols = [c for c in table.columns if c.endswith("_deg")]

    def rnd(a, nd):
        return np.round(np.asarray(a, dtype=float), nd).tolist()

    return {
        "name": name,
        "description": description,
        "video": video_file,
        "generator": "runform.model + tools/render (MuJoCo mannequin)",
        "fps": motion.fps,
        "n_frames": motion.n_frames,
        "width": camera.image_size[0],
        "height": camera.image_size[1],
        "direction": clip.direction,
        "near_side": clip.near_side,
        "treadmill": bool(clip.treadmill),
        "motion_treadmill": motion.treadmill,
        "camera": camera.to_dict(),
        "params": motion.params.to_dict(),
        "segments_m": {k: round(v, 5) for k, v in motion.segments.items()},
        "events": {
            s: {"ic_s": rnd(motion.ic_s[s], 6), "to_s": rnd(motion.to_s[s], 6)}
            for s in ("left", "right")
        },
        "contact": {s: motion.contact[s].astype(int).tolist() for s in ("left", "right")},
        "time_s": rnd(motion.time, 6),
        "angles_deg": {c[:-4]: rnd(table[c], 4) for c in angle_cols},
        "joints_3d_m": {k: rnd(motion.joints[k], 5) for k in keys},
        "joints_2d_px": {k: rnd(px[k], 3) for k in keys},
        "conventions": {
            "world": "metres; X forward (travel), Y runner's left, Z up; ground Z=0",
            "image": "pixels; x right, y down; origin top-left; pinhole, principal point "
            "at the image centre",
            "angles": "science.md section 1, runner normalised to face +X; degrees",
            "events": "exact initial contact (ic_s) and toe-off (to_s) times in seconds",
        },
    }


def write_truth(record: dict[str, Any], path: Path) -> None:
    """Write the truth record as compact, stable JSON."""
    Path(path).write_text(
        json.dumps(record, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )
