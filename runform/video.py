"""Open a video file, read its true metadata, and access its frames.

OpenCV 4.11 (the version mediapipe 0.10.21 brings) ignores a phone clip's
display-matrix rotation unless ``CAP_PROP_ORIENTATION_AUTO`` is set (DESIGN.md,
pitfalls); :class:`Video` sets it, so frames always come out upright, and reports the
rotation it applied. Frame rate comes from the container; real per-frame timestamps
are read on demand (:meth:`Video.timestamps`) to detect variable frame rate, and a
slow-motion file's capture rate can be stated by the user (``capture_fps``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError, VideoError

__all__ = ["FrameCache", "Video", "VideoInfo", "open_video"]

#: Relative spread of frame intervals above which a clip counts as variable frame rate.
VFR_TOLERANCE = 0.05


@dataclass(frozen=True)
class VideoInfo:
    """Metadata of a video, as displayed (after rotation).

    Attributes
    ----------
    path : str
        The file.
    fps : float
        Frame rate used for timing, frames per second: the capture rate when the user
        stated one, else the container's average rate.
    container_fps : float
        The rate written in the container (playback rate).
    n_frames : int
        Number of frames (container count; exact after :meth:`Video.timestamps`).
    width, height : int
        Upright frame size in pixels.
    rotation : int
        Clockwise display rotation in degrees found in the container (0, 90, 180, 270);
        frames are already rotated upright.
    """

    path: str
    fps: float
    container_fps: float
    n_frames: int
    width: int
    height: int
    rotation: int

    @property
    def duration_s(self) -> float:
        """Duration in seconds at :attr:`fps`."""
        return self.n_frames / self.fps


def _check_path(path: str | os.PathLike) -> Path:
    p = Path(path)
    if not p.exists():
        raise VideoError(f"Video not found: {p}. Check the path and the file name.")
    if p.is_dir():
        raise VideoError(f"{p} is a folder, not a video file. Give the path of a video.")
    if not os.access(p, os.R_OK):
        raise VideoError(f"No permission to read {p}. Copy it somewhere you can read, or "
                         "change its permissions.")
    if p.stat().st_size == 0:
        raise VideoError(f"{p.name} is empty (0 bytes). The copy or upload probably failed; "
                         "copy the file again.")
    return p


class Video:
    """A video file opened for reading, with upright frames and true metadata.

    Parameters
    ----------
    path : str or Path
        The video file.
    capture_fps : float, optional
        The rate the clip was *captured* at, when it differs from the container rate
        (slow-motion files: a 240 fps capture played back at 30 fps). All timing then
        uses this rate.

    Raises
    ------
    VideoError
        The file is missing, empty, unreadable or not a video.
    """

    def __init__(self, path: str | os.PathLike, capture_fps: float | None = None):
        import cv2

        self.path = _check_path(path)
        if capture_fps is not None and not (math.isfinite(capture_fps) and capture_fps > 0):
            raise InputError(f"capture_fps must be a positive number, got {capture_fps!r}.")
        self._cap = self._open(cv2)
        ok, frame = self._cap.read()
        if not ok or frame is None:
            self._cap.release()
            raise VideoError(
                f"{self.path.name} has no readable video frames (audio only, truncated or "
                "not a video). Export it again as MP4 (H.264) and retry."
            )
        container_fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not math.isfinite(container_fps) or container_fps <= 0 or container_fps > 2000:
            container_fps = float("nan")
        n = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        rotation = int(self._cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
        fps = float(capture_fps) if capture_fps else container_fps
        if not math.isfinite(fps):
            raise VideoError(
                f"{self.path.name} does not state a frame rate. Pass it explicitly "
                "(capture_fps=... or --fps)."
            )
        self._pos = 1
        self._timestamps: np.ndarray | None = None
        self.info = VideoInfo(
            path=str(self.path), fps=fps, container_fps=container_fps, n_frames=max(n, 1),
            width=frame.shape[1], height=frame.shape[0], rotation=rotation,
        )
        self._first = frame

    def _open(self, cv2):
        cap = cv2.VideoCapture(str(self.path), cv2.CAP_FFMPEG)
        if not cap.isOpened():
            raise VideoError(
                f"Cannot open {self.path.name} as a video. Is it really a video (MP4, MOV, "
                "AVI)? Export it again as MP4 (H.264) and retry."
            )
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        return cap

    # ----------------------------------------------------------------- access
    @property
    def fps(self) -> float:
        """Frame rate used for timing (frames per second)."""
        return self.info.fps

    def __len__(self) -> int:
        return self.info.n_frames

    def __enter__(self) -> Video:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the decoder."""
        self._cap.release()

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as a BGR uint8 array (upright), by random access.

        Raises
        ------
        InputError
            ``index`` is outside the clip.
        """
        import cv2

        index = int(index)
        if not 0 <= index < len(self):
            raise InputError(f"Frame {index} is outside the clip (0..{len(self) - 1}).")
        if index == 0:
            return self._first.copy()
        if index != self._pos:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = self._cap.read()
        if not ok:
            raise VideoError(f"Frame {index} of {self.path.name} cannot be decoded.")
        self._pos = index + 1
        return frame

    def frames(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, float, np.ndarray]]:
        """Iterate ``(index, time_s, frame)`` sequentially from ``start``.

        ``time_s`` is the container timestamp rescaled to the capture rate, so
        variable frame-rate clips keep their real timing.
        """
        import cv2

        cap = self._open(cv2)
        try:
            if start:
                cap.set(cv2.CAP_PROP_POS_FRAMES, start)
            scale = self._time_scale()
            i = start
            while stop is None or i < stop:
                ok, frame = cap.read()
                if not ok:
                    break
                t_ms = cap.get(cv2.CAP_PROP_POS_MSEC)
                yield i, t_ms * scale / 1000.0, frame
                i += 1
        finally:
            cap.release()

    def _time_scale(self) -> float:
        """Factor from container time to real (capture) time."""
        c = self.info.container_fps
        return c / self.info.fps if math.isfinite(c) else 1.0

    def timestamps(self) -> np.ndarray:
        """Real frame times in seconds from the first frame (decodes the whole clip once)."""
        import cv2

        if self._timestamps is None:
            cap = self._open(cv2)
            t = []
            try:
                while cap.grab():
                    t.append(cap.get(cv2.CAP_PROP_POS_MSEC))
            finally:
                cap.release()
            self._timestamps = regularise_timestamps(np.asarray(t) / 1000.0, self.fps,
                                                     self._time_scale())
        return self._timestamps


def regularise_timestamps(t_container: np.ndarray, fps: float, scale: float = 1.0) -> np.ndarray:
    """Frame times in seconds from container timestamps.

    Constant-rate clips get the exact grid ``k / fps`` (container timestamps are
    rounded to milliseconds); variable frame-rate clips keep their real times,
    rescaled by ``scale`` (container to capture time) and shifted to start at 0.
    """
    n = len(t_container)
    if n < 2 or not np.isfinite(t_container).all() or np.any(np.diff(t_container) <= 0):
        return np.arange(n) / fps
    if is_variable_rate(t_container):
        return (t_container - t_container[0]) * scale
    return np.arange(n) / fps


def is_variable_rate(t: np.ndarray) -> bool:
    """True when frame intervals spread by more than :data:`VFR_TOLERANCE` (relative)."""
    d = np.diff(np.asarray(t, float))
    if len(d) < 2:
        return False
    med = np.median(d)
    return bool(med > 0 and np.percentile(np.abs(d - med), 95) > VFR_TOLERANCE * med + 1.5e-3)


def open_video(path: str | os.PathLike, capture_fps: float | None = None) -> Video:
    """Open a video file: see :class:`Video`."""
    return Video(path, capture_fps=capture_fps)


class FrameCache:
    """Downscaled, JPEG-compressed frames of a whole clip for instant scrubbing.

    Parameters
    ----------
    video : Video
        The source video.
    max_side : int
        Longest side of a cached frame in pixels (default 640).
    budget_mb : float
        Memory budget in megabytes for the compressed frames (default 150). If the
        first frames show the clip would exceed it, frames are cached smaller.
    quality : int
        JPEG quality (default 80).

    Notes
    -----
    A 60 s 1080p clip at 30 fps (1800 frames) at 640 px and quality 80 takes about
    60–90 MB. Decoding one cached frame takes ~1–2 ms.
    """

    def __init__(self, video: Video, max_side: int = 640, budget_mb: float = 150.0,
                 quality: int = 80):
        import cv2

        self.video = video
        self.quality = int(quality)
        self.budget_bytes = int(budget_mb * 1e6)
        w, h = video.info.width, video.info.height
        self.scale = min(1.0, max_side / max(w, h))
        self._jpegs: list[bytes] = []
        n_expected = max(len(video), 1)
        for _, _, frame in video.frames():
            if len(self._jpegs) == 8:
                est = self.nbytes / 8 * n_expected
                if est > self.budget_bytes:  # shrink to fit, once
                    self.scale *= math.sqrt(self.budget_bytes / est) * 0.9
                    self._jpegs = [self._encode(cv2, self._decode_full(cv2, j))
                                   for j in self._jpegs]
            self._jpegs.append(self._encode(cv2, frame))
        if not self._jpegs:
            raise VideoError(f"No frame of {video.path.name} could be decoded.")

    def _encode(self, cv2, frame: np.ndarray) -> bytes:
        if self.scale < 1.0:
            size = (max(1, round(frame.shape[1] * self.scale)),
                    max(1, round(frame.shape[0] * self.scale)))
            if size != (frame.shape[1], frame.shape[0]):
                frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        return buf.tobytes()

    @staticmethod
    def _decode_full(cv2, jpeg: bytes) -> np.ndarray:
        return cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)

    def __len__(self) -> int:
        return len(self._jpegs)

    @property
    def nbytes(self) -> int:
        """Memory used by the compressed frames, in bytes."""
        return sum(len(j) for j in self._jpegs)

    def jpeg(self, index: int) -> bytes:
        """Compressed frame ``index`` (JPEG bytes), ready to send to a browser."""
        return self._jpegs[int(np.clip(index, 0, len(self._jpegs) - 1))]

    def frame(self, index: int) -> np.ndarray:
        """Downscaled frame ``index`` as a BGR uint8 array (multiply pixel coordinates
        of the full-size video by :attr:`scale` to draw on it)."""
        import cv2

        return self._decode_full(cv2, self.jpeg(index))
