"""A corpus of bad and awkward input files, written on demand into a test's tmp_path.

Every function writes one kind of file and returns its path. Videos are made with the
ffmpeg binary that ships in the ``imageio-ffmpeg`` wheel (no system ffmpeg needed), fed
raw BGR frames from numpy/OpenCV.

Clips that need a *person* come from the real treadmill clip
``male_side_treadmill/male_side.mp4`` in the shared data folder (``$RUNFORM_DATA_DIR``
or ``../shared/data``, see :mod:`support.paths`) when it exists, else from the three
real frames stored beside it (``frames/male_side_f*.png``, cycled: a person who is
detected but does not run). :func:`person_source` says which, and tests that need a
person skip with :data:`NO_PERSON_REASON` when neither is present.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from .paths import data_dir

SHARED = data_dir() / "male_side_treadmill"
REAL_CLIP = SHARED / "male_side.mp4"
STILLS = sorted(SHARED.glob("frames/male_side_f0*.png"))
NO_PERSON_REASON = (
    f"neither {REAL_CLIP} nor its frames/ exist (shared data absent): "
    "no real person to run the pose model on"
)


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped with imageio-ffmpeg."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg(*args: str, stdin: bytes | None = None) -> None:
    """Run ffmpeg quietly; raise RuntimeError with its message on failure."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    if stdin is not None:
        cmd.remove("-nostdin")
    res = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"ffmpeg {' '.join(args)} failed: {res.stderr.decode()[-2000:]}")


def write_video(
    path: Path,
    frames: Iterable[np.ndarray],
    fps: float = 30.0,
    *,
    out_args: tuple[str, ...] = (),
    in_args: tuple[str, ...] = (),
) -> Path:
    """Encode BGR uint8 frames (all the same, even size) as H.264 MP4 (or ``out_args``)."""
    frames = list(frames)
    h, w = frames[0].shape[:2]
    raw = b"".join(np.ascontiguousarray(f, dtype=np.uint8).tobytes() for f in frames)
    codec = (
        ()
        if any(a == "-c:v" for a in out_args)
        else ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
    )
    ffmpeg(
        "-f",
        "rawvideo",
        "-pix_fmt",
        "bgr24",
        "-s",
        f"{w}x{h}",
        "-r",
        f"{fps:g}",
        *in_args,
        "-i",
        "-",
        *codec,
        *out_args,
        str(path),
        stdin=raw,
    )
    return path


# ---------------------------------------------------------------- plain pictures
def pattern_frames(n: int, size: tuple[int, int] = (160, 120), seed: int = 0) -> list:
    """``n`` frames of a moving bar over noise, ``size`` = (width, height): no person."""
    w, h = size
    rng = np.random.default_rng(seed)
    base = rng.integers(60, 120, size=(h, w, 3), dtype=np.uint8)
    out = []
    for i in range(n):
        f = base.copy()
        x = (i * max(1, w // 40)) % w
        f[:, x : x + max(2, w // 20)] = (40, 200, 240)
        out.append(f)
    return out


def plain_video(
    path: Path, n_frames: int = 30, fps: float = 30.0, size: tuple[int, int] = (160, 120)
) -> Path:
    """A valid H.264 MP4 without any person in it."""
    return write_video(path, pattern_frames(n_frames, size), fps)


# ------------------------------------------------------------- unreadable input
def zero_byte(d: Path) -> Path:
    """An empty file named like a video."""
    p = d / "empty.mp4"
    p.write_bytes(b"")
    return p


def truncated_mp4(d: Path, *, faststart: bool = False, keep: float = 0.4) -> Path:
    """A valid MP4 cut after ``keep`` of its bytes (an interrupted copy or upload).

    Without ``faststart`` the index (moov atom) is at the end and is lost: nothing can be
    decoded. With it the index survives and only the first frames decode.
    """
    src = write_video(
        d / "whole.mp4",
        pattern_frames(60, (160, 120)),
        30.0,
        out_args=("-movflags", "+faststart") if faststart else (),
    )
    data = src.read_bytes()
    p = d / ("truncated-faststart.mp4" if faststart else "truncated.mp4")
    p.write_bytes(data[: int(len(data) * keep)])
    src.unlink()
    return p


def text_as_mp4(d: Path) -> Path:
    """A text file renamed .mp4."""
    p = d / "notes.mp4"
    p.write_text("These are my running notes, not a video.\n" * 50)
    return p


def image_as_mp4(d: Path) -> Path:
    """A PNG picture renamed .mp4."""
    import cv2

    p = d / "photo.mp4"
    ok, buf = cv2.imencode(".png", pattern_frames(1, (320, 240))[0])
    assert ok
    p.write_bytes(buf.tobytes())
    return p


def audio_only(d: Path) -> Path:
    """An MP4 (AAC) with a sound track and no video stream."""
    p = d / "voice-memo.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", str(p))
    return p


def folder(d: Path) -> Path:
    """A directory whose name looks like a video."""
    p = d / "clips.mp4"
    p.mkdir()
    return p


def missing(d: Path) -> Path:
    """A path that does not exist."""
    return d / "no such clip.mp4"


def awkward_name(d: Path) -> Path:
    """A valid video under a folder and name with spaces and non-ASCII characters."""
    sub = d / "Läufe 2024 – été" / "跑步 clip"
    sub.mkdir(parents=True)
    return plain_video(sub / "Montag morgen ñ 1.mp4")


def unreadable(d: Path) -> Path:
    """A valid video with mode 000 (still readable by root)."""
    p = plain_video(d / "locked.mp4")
    p.chmod(0)
    return p


def one_frame(d: Path) -> Path:
    """A valid video of a single frame."""
    return plain_video(d / "one-frame.mp4", n_frames=1)


# ----------------------------------------------------------------- with a person
def person_source() -> str | None:
    """``"clip"`` (the real video), ``"stills"`` (its frames) or None (nothing)."""
    if REAL_CLIP.is_file():
        return "clip"
    if STILLS:
        return "stills"
    return None


def person_frames(n: int = 45, start: int = 90) -> list[np.ndarray]:
    """``n`` upright BGR frames (even size) of the real runner.

    Skips the calling test (:data:`NO_PERSON_REASON`) when neither the real clip nor its
    frames exist, as on a fresh clone without ``../shared``.
    """
    import cv2

    if person_source() is None:
        import pytest

        pytest.skip(NO_PERSON_REASON)
    if REAL_CLIP.is_file():
        cap = cv2.VideoCapture(str(REAL_CLIP))
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        cap.set(cv2.CAP_PROP_POS_FRAMES, start)
        frames = []
        while len(frames) < n:
            ok, f = cap.read()
            if not ok:
                break
            frames.append(f)
        cap.release()
    else:
        stills = [cv2.imread(str(p)) for p in STILLS]
        frames = [stills[i % len(stills)] for i in range(n)]
    h, w = frames[0].shape[:2]
    return [np.ascontiguousarray(f[: h - h % 2, : w - w % 2]) for f in frames]


def person_video(
    path: Path,
    n: int = 45,
    fps: float = 30.0,
    transform: Callable[[int, np.ndarray], np.ndarray] | None = None,
    **kw,
) -> Path:
    """A clip of the real runner, each frame passed through ``transform(i, frame)``."""
    frames = person_frames(n)
    if transform is not None:
        frames = [transform(i, f) for i, f in enumerate(frames)]
    return write_video(path, frames, fps, **kw)


def blank_like(frame: np.ndarray) -> np.ndarray:
    """A grey frame the size of ``frame``."""
    return np.full_like(frame, 128)


def rotated_phone_clip(d: Path, n: int = 30, rotation: int = 90) -> tuple[Path, Path]:
    """(upright reference, the same clip stored sideways with a display rotation).

    Phones store the sensor's landscape image and a display matrix saying how to turn
    it. Here the upright frames are turned the other way, encoded, and the rotation is
    written into the container (stream copy), as a phone does.
    """
    import cv2

    upright = person_video(d / "upright.mp4", n)
    turn = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 270: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180}[
        rotation
    ]
    stored = person_video(d / "stored.mp4", n, transform=lambda i, f: cv2.rotate(f, turn))
    out = d / f"phone-rotate{rotation}.mp4"
    # -display_rotation is counter-clockwise; the stream's "rotate" tag is clockwise.
    ffmpeg(
        "-display_rotation", str((360 - rotation) % 360), "-i", str(stored), "-c", "copy", str(out)
    )
    stored.unlink()
    return upright, out


def sideways_without_metadata(d: Path, n: int = 30) -> Path:
    """The runner stored sideways with no rotation metadata (a stripped phone clip)."""
    import cv2

    return person_video(
        d / "sideways.mp4", n, transform=lambda i, f: cv2.rotate(f, cv2.ROTATE_90_CLOCKWISE)
    )


def vfr_video(
    path: Path,
    frames: list[np.ndarray] | None = None,
    *,
    n: int = 60,
    split: int = 30,
    fps_a: float = 30.0,
    fps_b: float = 60.0,
) -> Path:
    """Variable frame rate: ``split`` frames at ``fps_a`` then the rest at ``fps_b``."""
    frames = frames if frames is not None else pattern_frames(n, (160, 120))
    expr = f"if(lt(N,{split}),N/{fps_a:g},{split}/{fps_a:g}+(N-{split})/{fps_b:g})/TB"
    return write_video(
        path,
        frames,
        fps_b,
        out_args=("-vf", f"setpts='{expr}'", "-fps_mode", "vfr", "-video_track_timescale", "90000"),
    )


def slow_motion(
    path: Path,
    n: int = 48,
    container_fps: float = 30.0,
    capture_fps: float | None = 240.0,
    frames=None,
) -> Path:
    """A slow-motion file: captured fast, stored at ``container_fps``.

    With ``capture_fps`` the file carries Android's ``com.android.capture.fps``
    metadata key, as a phone's slow-motion recording does.
    """
    frames = frames if frames is not None else pattern_frames(n, (160, 120))
    meta = (
        ("-movflags", "use_metadata_tags", "-metadata", f"com.android.capture.fps={capture_fps:g}")
        if capture_fps
        else ()
    )
    return write_video(path, frames, container_fps, out_args=meta)


def copy_to(src: Path, dst: Path) -> Path:
    """Copy a file (creating folders)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst
