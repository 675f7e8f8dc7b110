"""Open a video file, read its true metadata, and access its frames.

OpenCV 4.11 (the version mediapipe 0.10.21 brings) ignores a phone clip's display-matrix
rotation unless ``CAP_PROP_ORIENTATION_AUTO`` is set; :class:`Video` sets it, so frames
always come out upright, and reports the rotation it applied. Frame rate comes from the
container; real per-frame timestamps are read on demand (:meth:`Video.timestamps`) to
detect variable frame rate, and a slow-motion file's capture rate is taken from its
metadata (Android's ``com.android.capture.fps``) or stated by the user
(``capture_fps``), so that timing never silently uses the playback rate.

Before decoding, the file's content (never its name) is sniffed (:func:`probe_file`):
pictures and text files renamed ``.mp4``, audio-only recordings and MP4 files cut off
by an interrupted copy get an error that says what they are and what to do, instead
of a generic "cannot open".
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import InputError, VideoError, warn
from .probe import SLOW_MOTION_TOLERANCE, FileProbe, _not_a_video, probe_file

__all__ = ["FileProbe", "Video", "VideoInfo", "open_video", "probe_file"]

#: Relative spread of frame intervals above which a clip counts as variable frame rate.
VFR_TOLERANCE = 0.05
#: :meth:`Video.frame` decodes forward up to this many frames instead of seeking: a seek
#: decodes from the previous keyframe, up to 250 frames back in an x264 file.
FORWARD_DECODE_FRAMES = 60


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
    capture_fps_source : str
        Where :attr:`fps` comes from: ``"container"``, ``"user"`` (``capture_fps=``) or
        ``"metadata"`` (a phone's slow-motion capture rate, e.g. Android's
        ``com.android.capture.fps``).
    notes : tuple of str
        Warnings about the file (cut off, slow motion...), each also given as a
        :class:`~runform.errors.RunformWarning` when the video is opened; pose
        extraction copies them into the clip's quality record.
    """

    path: str
    fps: float
    container_fps: float
    n_frames: int
    width: int
    height: int
    rotation: int
    capture_fps_source: str = "container"
    notes: tuple[str, ...] = field(default=())

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
        raise VideoError(
            f"No permission to read {p}. Copy it somewhere you can read, or change its permissions."
        )
    if p.stat().st_size == 0:
        raise VideoError(
            f"{p.name} is empty (0 bytes). The copy or upload probably failed; copy the file again."
        )
    return p


def _check_capture_fps(capture_fps) -> None:
    """Refuse a ``capture_fps`` that is not a positive, finite rate (None is fine)."""
    if capture_fps is not None and not (
        isinstance(capture_fps, int | float)
        and math.isfinite(capture_fps)
        and 0 < capture_fps <= 10000
    ):
        raise InputError(
            f"capture_fps must be a positive number of frames per second, got {capture_fps!r}."
        )


def _timing_rate(
    name: str, probe: FileProbe, container_fps: float, capture_fps: float | None
) -> tuple[float, str, list[str]]:
    """The frame rate timing uses, where it comes from, and the notes about the file.

    The user's ``capture_fps`` wins; else a slow-motion capture rate from the metadata
    when it differs from the container rate; else the container rate.

    Returns
    -------
    fps : float
        Frames per second for timing.
    source : {"user", "metadata", "container"}
        Where ``fps`` comes from.
    notes : list of str
        Slow-motion and cut-off warnings.

    Raises
    ------
    VideoError
        No frame rate is known (the container states none and none was given).
    """
    notes = []
    if capture_fps:
        fps, source = float(capture_fps), "user"
    elif probe.capture_fps and not (
        abs(probe.capture_fps - container_fps) <= SLOW_MOTION_TOLERANCE * container_fps
    ):
        fps, source = probe.capture_fps, "metadata"
        notes.append(
            f"Slow-motion file: captured at {fps:g} fps, played back at "
            f"{container_fps:g} fps; all timing uses {fps:g} fps (from the file's "
            "metadata). Pass capture_fps=... (--fps) if that is wrong."
        )
    else:
        fps, source = container_fps, "container"
    if not math.isfinite(fps):
        raise VideoError(
            f"{name} does not state a frame rate. Pass it explicitly (capture_fps=... or --fps)."
        )
    if probe.truncated:
        notes.append(
            f"{name} is cut off (incomplete copy or recording): only the "
            "frames before the cut can be read. Copy it again from the original if you "
            "need the whole clip."
        )
    return fps, source, notes


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
        _check_capture_fps(capture_fps)
        probe = probe_file(self.path)
        if probe.kind in ("image", "text"):
            raise VideoError(_not_a_video(self.path.name, probe))
        self._cap = self._open(cv2, probe)
        ok, frame = self._cap.read()
        if not ok or frame is None:
            self._cap.release()
            raise VideoError(_not_a_video(self.path.name, probe))
        container_fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not math.isfinite(container_fps) or container_fps <= 0 or container_fps > 2000:
            container_fps = float("nan")
        n = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        rotation = int(self._cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
        try:
            fps, source, notes = _timing_rate(self.path.name, probe, container_fps, capture_fps)
        except VideoError:
            self._cap.release()
            raise
        for note in notes:
            warn(note)
        self._pos = 1
        self._timestamps: np.ndarray | None = None
        self.probe = probe
        self.info = VideoInfo(
            path=str(self.path),
            fps=fps,
            container_fps=container_fps,
            n_frames=max(n, 1),
            width=frame.shape[1],
            height=frame.shape[0],
            rotation=rotation,
            capture_fps_source=source,
            notes=tuple(notes),
        )
        self._first = frame

    def _open(self, cv2, probe: FileProbe | None = None):
        cap = cv2.VideoCapture(str(self.path), cv2.CAP_FFMPEG)
        if not cap.isOpened():
            raise VideoError(_not_a_video(self.path.name, probe or probe_file(self.path)))
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
        if 0 < index - self._pos <= FORWARD_DECODE_FRAMES:
            while self._pos < index and self._cap.grab():  # a short step forward: decode,
                self._pos += 1  # cheaper than a seek (which decodes from a keyframe)
        if index != self._pos:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = self._cap.read()
        if not ok:
            raise VideoError(f"Frame {index} of {self.path.name} cannot be decoded.")
        self._pos = index + 1
        return frame

    def frames(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[int, float, np.ndarray]]:
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
            self._timestamps = regularise_timestamps(
                np.asarray(t) / 1000.0, self.fps, self._time_scale()
            )
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
