"""Downscaled JPEG frames of a whole clip in memory, for instant scrubbing."""

from __future__ import annotations

import math

import numpy as np

from ..errors import VideoError
from ..video import Video


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

    def __init__(
        self, video: Video, max_side: int = 640, budget_mb: float = 150.0, quality: int = 80
    ):
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
                    self._jpegs = [
                        self._encode(cv2, self._decode_full(cv2, j)) for j in self._jpegs
                    ]
            self._jpegs.append(self._encode(cv2, frame))
        if not self._jpegs:
            raise VideoError(f"No frame of {video.path.name} could be decoded.")

    def _encode(self, cv2, frame: np.ndarray) -> bytes:
        if self.scale < 1.0:
            size = (
                max(1, round(frame.shape[1] * self.scale)),
                max(1, round(frame.shape[0] * self.scale)),
            )
            if size != (frame.shape[1], frame.shape[0]):
                frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, self.quality])
        if not ok:
            raise VideoError(
                f"Could not compress a frame of {self.video.path.name} for the frame cache."
            )
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
