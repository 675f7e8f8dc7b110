"""Regenerate the bundled sample set deterministically.

Usage (from the repository root, with ``tools/render/requirements.txt`` installed)::

    MUJOCO_GL=egl python -m tools.render.make_samples            # all clips
    MUJOCO_GL=egl python -m tools.render.make_samples --only ankle_active
    python -m tools.render.check_mediapipe                      # detection report

Writes ``data/samples/<name>.mp4`` and ``<name>.truth.json`` for every entry of
:data:`SPECS`, then rewrites ``runform/samples.json`` with the file
names, sha256 digests, parameters and descriptions (the registry ``runform.data``
reads). Everything is a pure function of the specs below: same inputs, same bytes
(on the same MuJoCo / Mesa / ffmpeg build).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python tools/render/make_samples.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tools.render"

from runform.model import Camera, RunnerParams, simulate
from runform.model.strides import STRIDE_PUSH, STRIDE_REACHING, STRIDE_SOONER

from .render import render, truth_record, write_truth

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "samples"
SAMPLES_JSON = ROOT / "runform" / "samples.json"


@dataclasses.dataclass(frozen=True)
class Spec:
    """One sample clip: runner, camera, frame rate and length."""

    name: str
    description: str
    params: RunnerParams
    camera: Camera
    fps: float = 60.0
    duration_s: float = 5.0


FOLLOW = Camera(distance_m=4.0, focal_px=700.0, image_size=(640, 480), follow=True)
FOREFOOT = RunnerParams(
    foot_strike="forefoot", contact_time_s=0.23, knee_flexion_ic_deg=22.0, overstride_cm=14.0
)
OVERSTRIDE = RunnerParams(
    overstride_cm=40.0,
    knee_flexion_ic_deg=8.0,
    hip_extension_deg=18.0,
    cadence_spm=158.0,
    toe_off_foot_angle_deg=-40.0,
    foot_strike_angle_deg=22.0,
)

SPECS = (
    Spec(
        "rearfoot_treadmill",
        "Simulated rearfoot striker (foot-strike angle +18 deg, heel 20 cm ahead of the hip), "
        "3.3 m/s, 170 spm, tracking camera (treadmill-style), facing image-left, 60 fps.",
        RunnerParams(),
        dataclasses.replace(FOLLOW, facing="left"),
    ),
    Spec(
        "forefoot_treadmill",
        "Simulated forefoot striker (foot-strike angle -8 deg, lands on the toe and the heel "
        "drops; heel 14 cm ahead of the hip, near-vertical shank at contact), 3.3 m/s, "
        "170 spm, contact 230 ms, tracking camera, facing image-right, 60 fps.",
        FOREFOOT,
        dataclasses.replace(FOLLOW, facing="right"),
    ),
    Spec(
        "overstride_treadmill",
        "Simulated overstrider reaching out with the lower leg: heel 40 cm ahead of the hip, "
        "knee almost straight (8 deg) and shank tilted forward (27 deg) at contact, 158 spm, "
        "contact 290 ms, rearfoot +22 deg, tracking camera, facing image-left, 60 fps.",
        OVERSTRIDE,
        dataclasses.replace(FOLLOW, facing="left"),
    ),
    Spec(
        "ankle_passive",
        "Passive ankle (the pair of ankle_active): same runner, same speed (3.3 m/s) and same "
        "landing (+18 deg); the ankle is left alone in late swing. Facing image-right, 60 fps.",
        RunnerParams(ankle_strategy="passive"),
        dataclasses.replace(FOLLOW, facing="right"),
        duration_s=4.0,
    ),
    Spec(
        "ankle_active",
        "Active ankle ('toes up'): identical to ankle_passive except 12 deg more dorsiflexion in "
        "late swing before contact; the landing angle is the same. Facing image-right, 60 fps.",
        RunnerParams(ankle_strategy="active"),
        dataclasses.replace(FOLLOW, facing="right"),
        duration_s=4.0,
    ),
    Spec(
        "overground_crossing",
        "Overground run past a fixed camera 5 m away: the runner (rearfoot, 3.0 m/s, 166 spm) "
        "crosses the frame from left to right (partly outside it in the first and last "
        "frames), facing image-right, 60 fps, 2.2 s.",
        RunnerParams(speed_mps=3.0, cadence_spm=166.0, contact_time_s=0.26, hip_extension_deg=18.0),
        Camera(facing="right", distance_m=5.0, focal_px=540.0, follow=False),
        duration_s=2.2,
    ),
    Spec(
        "midfoot_30fps",
        "Simulated midfoot striker (+3 deg) at 30 fps, as from a phone: one frame is 33 ms, "
        "so contact times are only good to about +/-33 ms. Tracking camera, facing image-left.",
        RunnerParams(foot_strike="midfoot"),
        dataclasses.replace(FOLLOW, facing="left"),
        fps=30.0,
    ),
    Spec(
        "stride_reaching",
        "Coached runner, stride 1: a flat stride with a slight heel strike from reaching out "
        "with the lower leg. 3.5 m/s, 164 spm (step 1.28 m), heel 32 cm ahead of the hip, "
        "knee 12 deg flexed and shank ~20 deg forward at contact, foot-strike angle +11 deg "
        "(rearfoot, just past the 8 deg boundary of Altman & Davis 2012), contact 260 ms, "
        "flight ~105 ms, hips rise and fall ~7 cm (Malisoux 2023: 73-80 mm). Tracking "
        "camera, facing image-left, 60 fps.",
        STRIDE_REACHING,
        dataclasses.replace(FOLLOW, facing="left"),
        duration_s=4.0,
    ),
    Spec(
        "stride_sooner",
        "Coached runner, stride 2, cue 'put the foot down sooner': same 3.5 m/s, the foot "
        "lands under the body (heel 12 cm ahead of the hip, shank near vertical) on the "
        "midfoot (+3 deg), knee 20 deg at contact (Heiderscheit 2011: 19.6 deg at +10 % step "
        "rate), shorter and choppier: 180 spm (+10 %), step 1.17 m, contact 220 ms, flight "
        "~115 ms, stance knee 40 deg, hips rise and fall ~8 cm. Tracking camera, facing "
        "image-right, 60 fps.",
        STRIDE_SOONER,
        dataclasses.replace(FOLLOW, facing="right"),
        duration_s=4.0,
    ),
    Spec(
        "stride_push",
        "Coached runner, stride 3: the stride lengthened by pushing and projecting, not by "
        "reaching: same 3.5 m/s and the step length of stride 1 (164 spm, 1.28 m) covered "
        "in the air (contact 210 ms, flight ~155 ms, more hip extension: thigh 24 deg "
        "behind vertical at toe-off), more bounce (hips rise and fall ~12 cm), still "
        "landing under the body (heel 13 cm ahead of the hip) on the midfoot (+4 deg). "
        "Tracking camera, facing image-left, 60 fps.",
        STRIDE_PUSH,
        dataclasses.replace(FOLLOW, facing="left"),
        duration_s=4.0,
    ),
)


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make(spec: Spec) -> dict:
    """Render one clip and its truth file; return its registry entry."""
    motion = simulate(spec.params, fps=spec.fps, duration_s=spec.duration_s, treadmill=False)
    video, truth = OUT / f"{spec.name}.mp4", OUT / f"{spec.name}.truth.json"
    print(f"{spec.name}: {motion.n_frames} frames", flush=True)
    timing = render(motion, spec.camera, video)
    record = truth_record(
        motion, spec.camera, name=spec.name, description=spec.description, video_file=video.name
    )
    write_truth(record, truth)
    size_mb = video.stat().st_size / 1e6
    print(f"  {timing['fps']:.1f} frames/s rendered, {size_mb:.2f} MB", flush=True)
    return {
        "name": spec.name,
        "description": spec.description,
        "files": {"video": f"samples/{video.name}", "truth": f"samples/{truth.name}"},
        "sha256": {"video": sha256(video), "truth": sha256(truth)},
        "kind": "bundled",
        "params": {
            "runner": record["params"],  # with automatic values filled in
            "camera": record["camera"],
            "fps": spec.fps,
            "duration_s": spec.duration_s,
            "treadmill": record["treadmill"],
            "direction": record["direction"],
            "near_side": record["near_side"],
        },
    }


def write_registry(entries: list[dict]) -> None:
    """Write ``entries`` to runform/samples.json, the registry ``runform.data`` reads."""
    SAMPLES_JSON.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")


def existing_entries() -> dict[str, dict]:
    """Entries currently in the registry (kept for clips not re-rendered)."""
    sys.path.insert(0, str(ROOT))
    import runform.data as data

    return {d["name"]: d for d in data._BUNDLED}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="render only these sample names")
    parser.add_argument(
        "--no-registry", action="store_true", help="do not rewrite runform/samples.json"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only or [s.name for s in SPECS])
    unknown = wanted - {s.name for s in SPECS}
    if unknown:
        parser.error(f"unknown sample(s): {sorted(unknown)}")
    entries = existing_entries()
    for spec in SPECS:
        if spec.name in wanted:
            entries[spec.name] = make(spec)
    if not args.no_registry:
        write_registry([entries[s.name] for s in SPECS if s.name in entries])
        print(f"registry updated: {SAMPLES_JSON}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
