"""A synthetic video of a mannequin along known landmark trajectories (tests, benchmarks)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import InputError
from .landmarks import EDGES, INDEX
from .overlay import _pt


def render_skeleton_video(
    xy: np.ndarray,
    path: str | Path,
    fps: float,
    size: tuple[int, int],
    *,
    codec: str = "mp4v",
    texture: float = 6.0,
    seed: int = 0,
) -> Path:
    """Write a video of a grey mannequin moving along landmark trajectories.

    Used for demos, tests and benchmarks that need a video matching a known clip
    without MediaPipe: the limbs are drawn as thick grey bars, so an overlay drawn
    on top of the decoded frames must follow them. Each frame also shows its
    number in the corner.

    Parameters
    ----------
    xy : ndarray, shape (n_frames, 33, 2)
        Landmarks, image pixels.
    path : str or Path
        Output file (``.mp4`` for ``mp4v``, ``.avi`` for ``MJPG``).
    fps : float
        Frame rate written to the container.
    size : (int, int)
        Width and height in pixels.
    texture : float
        Standard deviation of a fixed noise texture on the background, grey levels
        (so compressed frame sizes resemble a real scene's).
    seed : int
        Seed of the texture.
    """
    import cv2

    w, h = int(size[0]), int(size[1])
    path = Path(path)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*codec), float(fps), (w, h))
    if not writer.isOpened():
        raise InputError(f"OpenCV cannot write {path.name} with codec {codec!r}.")
    bg = _background(w, h, texture, seed)
    limb = max(3, round(min(w, h) / 45))
    try:
        for i, pts in enumerate(np.asarray(xy, float)):
            img = bg.copy()
            for a, b in EDGES:
                pa, pb = pts[INDEX[a]], pts[INDEX[b]]
                if np.isfinite(pa).all() and np.isfinite(pb).all():
                    shade = 200 if a.startswith(("left", "right")) else 170
                    cv2.line(img, _pt(pa), _pt(pb), (shade, shade, shade), limb, cv2.LINE_AA)
            if np.isfinite(pts[INDEX["nose"]]).all():
                cv2.circle(img, _pt(pts[INDEX["nose"]]), 2 * limb, (190, 190, 190), -1)
            cv2.putText(
                img,
                f"#{i}",
                (8, 8 + round(h / 14)),
                cv2.FONT_HERSHEY_SIMPLEX,
                h / 400,
                (255, 255, 255),
                max(1, round(h / 250)),
                cv2.LINE_AA,
            )
            writer.write(img)
    finally:
        writer.release()
    return path


def _background(w: int, h: int, texture: float, seed: int) -> np.ndarray:
    """A grey gradient with a fixed noise texture and a dark floor band (BGR uint8)."""
    rng = np.random.default_rng(seed)
    grad = np.linspace(70, 150, h, dtype=np.float32)[:, None, None]
    bg = np.clip(grad + rng.normal(0, texture, (h, w, 1)).astype(np.float32), 0, 255)
    bg = np.repeat(bg, 3, axis=2).astype(np.uint8)
    bg[int(h * 0.9) :] = (60, 60, 60)
    return bg
