"""Open a video file, read its true metadata, and access its frames.

OpenCV 4.11 (the version mediapipe 0.10.21 brings) ignores a phone clip's
display-matrix rotation unless ``CAP_PROP_ORIENTATION_AUTO`` is set (DESIGN.md,
pitfalls); :class:`Video` sets it, so frames always come out upright, and reports the
rotation it applied. Frame rate comes from the container; real per-frame timestamps
are read on demand (:meth:`Video.timestamps`) to detect variable frame rate, and a
slow-motion file's capture rate is taken from its metadata (Android's
``com.android.capture.fps``) or stated by the user (``capture_fps``), so that timing
never silently uses the playback rate.

Before decoding, the file's content (never its name) is sniffed (:func:`probe_file`):
pictures and text files renamed ``.mp4``, audio-only recordings and MP4 files cut off
by an interrupted copy get an error that says what they are and what to do, instead
of a generic "cannot open".
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import InputError, VideoError, warn

__all__ = ["FileProbe", "FrameCache", "Video", "VideoInfo", "open_video", "probe_file"]

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
        raise VideoError(f"No permission to read {p}. Copy it somewhere you can read, or "
                         "change its permissions.")
    if p.stat().st_size == 0:
        raise VideoError(f"{p.name} is empty (0 bytes). The copy or upload probably failed; "
                         "copy the file again.")
    return p


#: Relative difference between a file's stated capture rate and its container rate
#: above which the file is taken to be slow motion (normal Android clips state both).
SLOW_MOTION_TOLERANCE = 0.1

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")
_CONTAINER_BOXES = (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts")
_CODEC_NAMES = {"avc1": "H.264", "avc3": "H.264", "hvc1": "HEVC (H.265)",
                "hev1": "HEVC (H.265)", "av01": "AV1", "vp09": "VP9", "vp08": "VP8",
                "mp4v": "MPEG-4 Part 2", "apch": "ProRes", "apcn": "ProRes", "ap4h": "ProRes",
                "dvh1": "Dolby Vision", "dvhe": "Dolby Vision"}


@dataclass
class FileProbe:
    """What the first bytes and the MP4/MOV box structure say about a file.

    Attributes
    ----------
    kind : str
        ``"mp4"`` (ISO base media / QuickTime), ``"image"``, ``"text"`` or ``"other"``.
    detail : str
        Image format (PNG, JPEG, HEIC...) for images.
    handlers : list of str
        Track handler types of an MP4 (``"vide"``, ``"soun"``...).
    codecs : list of str
        Sample-entry codes of the MP4's tracks (``"avc1"``, ``"hvc1"``, ``"av01"``...).
    truncated : bool
        An MP4 box runs past the end of the file, or the index (``moov``) is missing.
    capture_fps : float or None
        Capture rate stated in the file's metadata (Android ``com.android.capture.fps``).
    """

    kind: str = "other"
    detail: str = ""
    handlers: list = field(default_factory=list)
    codecs: list = field(default_factory=list)
    truncated: bool = False
    capture_fps: float | None = None


def probe_file(path: str | os.PathLike, max_moov: int = 64 << 20) -> FileProbe:
    """Sniff a file's type from its content (never from its name) without decoding it.

    Reads the first bytes (pictures and text renamed ``.mp4`` are told apart from
    videos) and walks the top-level boxes of an MP4/MOV file, reading only its index
    (``moov``, at most ``max_moov`` bytes) for the track types, truncation and the
    capture frame rate of slow-motion phone clips. Never raises on malformed input:
    whatever cannot be parsed is left at its default.
    """
    probe = FileProbe()
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(512)
            for magic, name in _IMAGE_MAGIC:
                if head.startswith(magic):
                    return FileProbe(kind="image", detail=name)
            if head[:2] == b"BM" and len(head) >= 6 and struct.unpack("<I", head[2:6])[0] == size:
                return FileProbe(kind="image", detail="BMP")
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                return FileProbe(kind="image", detail="WebP")
            if head[4:8] == b"ftyp":
                brands = [head[i:i + 4] for i in range(8, min(len(head), 8 + 64), 4)]
                if brands[0] in _HEIF_BRANDS:
                    return FileProbe(kind="image", detail="HEIF/AVIF")
            if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"):
                probe.kind = "mp4"
                _walk_mp4(f, size, probe, max_moov)
            elif head and b"\x00" not in head:
                try:
                    head.decode("utf-8")
                    probe.kind = "text"
                except UnicodeDecodeError as exc:  # a multi-byte character cut at 512
                    if exc.start >= len(head) - 3:
                        probe.kind = "text"
    except OSError:
        pass
    return probe


def _boxes(buf: bytes, start: int, end: int):
    """Yield (type, content_start, content_end) of the boxes in ``buf[start:end]``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", buf[pos:pos + 8])
        hdr = 8
        if size == 1 and pos + 16 <= end:
            size = struct.unpack(">Q", buf[pos + 8:pos + 16])[0]
            hdr = 16
        elif size == 0:
            size = end - pos
        if size < hdr or pos + size > end:
            return
        yield kind, pos + hdr, pos + size
        pos += size


def _walk_mp4(f, size: int, probe: FileProbe, max_moov: int) -> None:
    pos, moov, seen_moov = 0, None, False
    while pos + 8 <= size:
        f.seek(pos)
        hdr = f.read(16)
        if len(hdr) < 8:
            break
        box, kind = struct.unpack(">I4s", hdr[:8])
        hsize = 8
        if box == 1 and len(hdr) == 16:
            box, hsize = struct.unpack(">Q", hdr[8:16])[0], 16
        elif box == 0:
            box = size - pos
        if box < hsize:
            probe.truncated = True
            return
        if pos + box > size:
            probe.truncated = True
        if kind == b"moov":
            seen_moov = True
            if box <= max_moov:
                f.seek(pos)
                moov = f.read(min(box, size - pos))
        pos += box
    if not seen_moov:
        probe.truncated = True
    if moov is not None:
        _parse_boxes(moov, 0, len(moov), probe)


def _parse_boxes(buf: bytes, start: int, end: int, probe: FileProbe, depth: int = 0,
                 parent: bytes = b"") -> None:
    if depth > 12:  # real files nest 6 deep; a forged file must not exhaust the stack
        return
    for kind, a, b in _boxes(buf, start, end):
        if kind in _CONTAINER_BOXES:
            _parse_boxes(buf, a, b, probe, depth + 1, kind)
        elif kind == b"hdlr" and parent == b"mdia" and b - a >= 12:  # the track's type
            probe.handlers.append(buf[a + 8:a + 12].decode("latin-1"))
        elif kind == b"stsd" and b - a >= 16:
            probe.codecs.append(buf[a + 12:a + 16].decode("latin-1"))
        elif kind == b"meta":
            # ISO 'meta' is a full box (4 bytes of version/flags); QuickTime's is not.
            a = a if buf[a + 4:a + 8] == b"hdlr" else a + 4
            _parse_meta(buf, a, b, probe)


def _parse_meta(buf: bytes, start: int, end: int, probe: FileProbe) -> None:
    keys: list[bytes] = []
    for kind, a, b in _boxes(buf, start, end):
        if kind == b"keys" and b - a >= 8:
            pos = a + 8
            while pos + 8 <= b:
                ksize = struct.unpack(">I", buf[pos:pos + 4])[0]
                if ksize < 8:
                    break
                keys.append(buf[pos + 8:pos + ksize])
                pos += ksize
        elif kind == b"ilst":
            for item, ia, ib in _boxes(buf, a, b):
                idx = int.from_bytes(item, "big") - 1
                if not 0 <= idx < len(keys) or keys[idx] != b"com.android.capture.fps":
                    continue
                for dkind, da, db in _boxes(buf, ia, ib):
                    if dkind == b"data" and db - da > 8:
                        probe.capture_fps = _metadata_number(
                            int.from_bytes(buf[da + 1:da + 4], "big"), buf[da + 8:db])


def _metadata_number(type_code: int, value: bytes) -> float | None:
    """A number stored in a QuickTime metadata item (UTF-8 text, float or integer)."""
    try:
        if type_code == 1:
            v = float(value.decode("utf-8").strip("\x00 "))
        elif type_code == 23 and len(value) == 4:
            v = struct.unpack(">f", value)[0]
        elif type_code == 24 and len(value) == 8:
            v = struct.unpack(">d", value)[0]
        elif type_code in (21, 22) and 1 <= len(value) <= 8:
            v = float(int.from_bytes(value, "big", signed=type_code == 21))
        else:
            return None
    except (UnicodeDecodeError, ValueError, struct.error):
        return None
    return v if math.isfinite(v) and 0 < v <= 10000 else None


def _not_a_video(name: str, probe: FileProbe) -> str:
    """The message for a file OpenCV cannot read as a video, from what it contains."""
    if probe.kind == "image":
        return (f"{name} is a still picture ({probe.detail}), not a video. runform needs a "
                "video of the runner: record a few seconds of running (several strides).")
    if probe.kind == "text":
        return (f"{name} is a text file, not a video. Check that you picked the video file; "
                "keypoints in a CSV file are read with read_keypoints_csv().")
    if probe.kind == "mp4" and probe.handlers and "vide" not in probe.handlers:
        return (f"{name} has only a sound track and no picture (an audio recording?). "
                "Pick the video file instead.")
    if probe.truncated:
        return (f"{name} is cut off: the file is incomplete (an interrupted copy, upload or "
                "recording). Copy or export it again from the original.")
    if probe.kind == "mp4" and "vide" in probe.handlers:
        codec = next((_CODEC_NAMES.get(c, repr(c)) for i, c in enumerate(probe.codecs)
                      if i < len(probe.handlers) and probe.handlers[i] == "vide"), None)
        if codec:
            return (f"{name} holds {codec} video, which the video decoder runform uses "
                    "(OpenCV) cannot read here. Convert it to H.264, e.g. ffmpeg -i IN -c:v "
                    "libx264 -crf 18 OUT.mp4 (on an iPhone: Settings > Camera > Formats > "
                    "Most Compatible).")
    return (f"Cannot read {name} as a video. Is it really a video (MP4, MOV, AVI)? Export it "
            "again as MP4 (H.264) and retry.")


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
        if capture_fps is not None and not (
            isinstance(capture_fps, int | float) and math.isfinite(capture_fps)
            and 0 < capture_fps <= 10000
        ):
            raise InputError(f"capture_fps must be a positive number of frames per second, "
                             f"got {capture_fps!r}.")
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
                "metadata). Pass capture_fps=... (--fps) if that is wrong.")
        else:
            fps, source = container_fps, "container"
        if not math.isfinite(fps):
            self._cap.release()
            raise VideoError(
                f"{self.path.name} does not state a frame rate. Pass it explicitly "
                "(capture_fps=... or --fps)."
            )
        if probe.truncated:
            notes.append(
                f"{self.path.name} is cut off (incomplete copy or recording): only the "
                "frames before the cut can be read. Copy it again from the original if you "
                "need the whole clip.")
        for note in notes:
            warn(note)
        self._pos = 1
        self._timestamps: np.ndarray | None = None
        self.probe = probe
        self.info = VideoInfo(
            path=str(self.path), fps=fps, container_fps=container_fps, n_frames=max(n, 1),
            width=frame.shape[1], height=frame.shape[0], rotation=rotation,
            capture_fps_source=source, notes=tuple(notes),
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
        if index != self._pos:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = self._cap.read()
        if not ok:
            raise VideoError(f"Frame {index} of {self.path.name} cannot be decoded.")
        self._pos = index + 1
        return frame

    def frames(self, start: int = 0,
               stop: int | None = None) -> Iterator[tuple[int, float, np.ndarray]]:
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
        if not ok:
            raise VideoError(f"Could not compress a frame of {self.video.path.name} for the "
                             "frame cache.")
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
