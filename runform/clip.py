"""The one container for a processed clip: :class:`Clip`.

A clip holds 2D landmark trajectories in *image pixels* (x to the right, y down, as
in the video), their visibility, the frame times, and what runform decided about the
recording (direction of travel, side nearer the camera, treadmill or overground),
plus provenance and a quality record. Every analysis step takes a clip and returns a
new one or a table; nothing is modified in place.

It can be built from MediaPipe (:func:`runform.pose.extract_pose`), from arrays keyed
by BlazePose landmark names (:meth:`Clip.from_arrays`) or from a keypoints CSV
(:func:`runform.io.read_keypoints_csv`), so keypoints of other tools or projected motion-capture
markers go through the same analysis.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from .errors import InputError
from .landmarks import INDEX, N_LANDMARKS, NAMES

__all__ = ["Clip"]


@dataclasses.dataclass(frozen=True, eq=False)
class Clip:
    """Landmark time series of one runner, with everything needed to interpret it.

    Attributes
    ----------
    xy : ndarray, shape (n_frames, 33, 2)
        Landmark positions in image pixels, x right and y **down**; NaN where unknown.
        Landmarks are ordered as :data:`runform.landmarks.NAMES`.
    visibility : ndarray, shape (n_frames, 33)
        Detector confidence in [0, 1] (1 for trusted external keypoints); 0 where
        a landmark is unknown.
    time : ndarray, shape (n_frames,)
        Frame times in seconds from the first frame (real timestamps for variable
        frame-rate video).
    fps : float
        Nominal (capture) frame rate in frames per second; used for filtering and for
        the timing resolution of every event (one frame = ``1000 / fps`` ms).
    width, height : int
        Image size in pixels (after rotation to upright).
    depth : ndarray or None, shape (n_frames, 33)
        MediaPipe relative depth (smaller = nearer the camera), NaN where unknown.
    direction : {"left", "right"} or None
        Image direction the runner faces, decided once per clip.
    near_side : {"left", "right"} or None
        The runner's side nearer the camera: its leg is the trustworthy one.
    treadmill : bool or None
        True when the runner stays in place in the frame (treadmill, or a camera
        that follows the runner); False for a fixed camera the runner crosses.
    provenance : Mapping
        Source file, content hash, model and settings, processing steps applied
        (read-only; :meth:`with_note` and :meth:`replace` make changed copies).
    quality : tuple of QualityCheck
        Records of degraded input collected along the way
        (:class:`runform.quality.QualityCheck`: code, severity, message, fix).
    calibration : Mapping
        Optional standing-trial offsets in degrees (``ankle_deg``, ``foot_deg``: one
        number or ``{"left": .., "right": ..}``), read-only. ``foot_deg`` is the standing
        foot's heel-to-toe landmark angle to the floor (toe up positive), not to the
        image's edge: foot-strike angles already remove the camera's roll through the
        ground line under the feet, so an angle read off a tilted image would remove the
        roll twice.
    cutoff_hz : float or None
        Low-pass cutoff applied to ``xy`` (Hz); None when the landmarks are unfiltered.

    Notes
    -----
    A clip is immutable: its arrays are read-only copies (a caller's array is never
    kept writable), and provenance and calibration are read-only mappings.
    """

    xy: np.ndarray
    visibility: np.ndarray
    time: np.ndarray
    fps: float
    width: int
    height: int
    depth: np.ndarray | None = None
    direction: str | None = None
    near_side: str | None = None
    treadmill: bool | None = None
    provenance: Mapping = dataclasses.field(default_factory=dict)
    quality: tuple = ()
    calibration: Mapping = dataclasses.field(default_factory=dict)
    cutoff_hz: float | None = None

    def __post_init__(self) -> None:
        fps = _positive_fps(self.fps)
        xy = np.asarray(self.xy, dtype=float)
        if xy.ndim != 3 or xy.shape[1:] != (N_LANDMARKS, 2):
            raise InputError(
                f"Clip.xy must have shape (n_frames, {N_LANDMARKS}, 2), got {xy.shape}."
            )
        n = xy.shape[0]
        vis = np.asarray(self.visibility, dtype=float)
        if vis.shape != (n, N_LANDMARKS):
            raise InputError(f"Clip.visibility must have shape ({n}, {N_LANDMARKS}).")
        t = np.asarray(self.time, dtype=float)
        if t.shape != (n,):
            raise InputError(f"Clip.time must have shape ({n},), got {t.shape}.")
        if not np.isfinite(t).all():
            raise InputError("Clip.time must hold finite times in seconds (no NaN or inf).")
        if n > 1 and not np.all(np.diff(t) > 0):
            raise InputError("Clip.time must be strictly increasing (seconds).")
        size = []
        for name, value in (("width", self.width), ("height", self.height)):
            if not (
                isinstance(value, numbers.Real)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and value > 0
            ):
                raise InputError(f"Clip.{name} must be a positive number of pixels, got {value!r}.")
            size.append(max(1, round(float(value))))
        for name, value in (("direction", self.direction), ("near_side", self.near_side)):
            if value not in (None, "left", "right"):
                raise InputError(f"Clip.{name} must be 'left', 'right' or None, not {value!r}.")
        # A point is known only when both coordinates are finite; inf means unknown too.
        bad = ~np.isfinite(xy).all(axis=2)
        if bad.any():
            xy = xy.copy()
            xy[bad] = np.nan
        vis = np.clip(np.nan_to_num(vis, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
        object.__setattr__(self, "xy", _frozen(xy))
        object.__setattr__(self, "visibility", _frozen(vis))
        object.__setattr__(self, "time", _frozen(t))
        object.__setattr__(self, "fps", fps)
        object.__setattr__(self, "width", size[0])
        object.__setattr__(self, "height", size[1])
        if self.depth is not None:
            depth = np.asarray(self.depth, dtype=float)
            if depth.shape != (n, N_LANDMARKS):
                raise InputError(f"Clip.depth must have shape ({n}, {N_LANDMARKS}).")
            object.__setattr__(self, "depth", _frozen(np.where(np.isfinite(depth), depth, np.nan)))
        from .quality import as_check

        object.__setattr__(self, "quality", tuple(as_check(q) for q in self.quality))
        object.__setattr__(self, "provenance", _freeze(self.provenance))
        object.__setattr__(self, "calibration", _freeze(self.calibration))
        if self.cutoff_hz is not None:
            object.__setattr__(self, "cutoff_hz", _positive_fps(self.cutoff_hz, "cutoff_hz"))

    # ------------------------------------------------------------------ basics
    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return self.xy.shape[0]

    @property
    def duration_s(self) -> float:
        """Duration in seconds (first to last frame plus one frame period)."""
        if self.n_frames == 0:
            return 0.0
        return float(self.time[-1] - self.time[0] + 1.0 / self.fps)

    @property
    def frame_ms(self) -> float:
        """Length of one frame in milliseconds: the timing resolution of every event."""
        return 1000.0 / self.fps

    @property
    def far_side(self) -> str | None:
        """The runner's side away from the camera (its foot landmarks are unreliable)."""
        if self.near_side is None:
            return None
        return "right" if self.near_side == "left" else "left"

    def point(self, name: str) -> np.ndarray:
        """Trajectory of one landmark, shape (n_frames, 2), pixels, y down."""
        return self.xy[:, _index(name)]

    def replace(self, **changes: Any) -> Clip:
        """A copy with some fields changed (the clip itself is immutable)."""
        return dataclasses.replace(self, **changes)

    def with_note(self, step: str) -> Clip:
        """A copy with ``step`` appended to ``provenance['processing']``."""
        prov = dict(self.provenance)
        prov["processing"] = [*prov.get("processing", []), step]
        return self.replace(provenance=prov)

    def with_warning(self, check) -> Clip:
        """A copy with a quality record added (once).

        ``check`` is a :class:`runform.quality.QualityCheck`, or a plain message (kept
        as a warning with code ``"note"``).
        """
        from .quality import as_check

        check = as_check(check)
        if check in self.quality:
            return self
        return self.replace(quality=(*self.quality, check))

    def require_oriented(self, what: str, *, treadmill: bool = True) -> None:
        """Raise :class:`InputError` unless the direction (and treadmill) are decided.

        Computing functions never re-orient a clip behind the caller's back: orient
        once (:meth:`oriented`) and pass the result on. ``treadmill=False`` asks for the
        direction of travel only (all that angles need).
        """
        if self.direction is None or (treadmill and self.treadmill is None):
            raise InputError(
                f"{what} needs an oriented clip (direction of travel and treadmill decided "
                "once per clip): call clip.oriented() first, or use runform.analyze()."
            )

    def __repr__(self) -> str:
        src = self.provenance.get("source", "arrays")
        return (
            f"Clip({Path(str(src)).name!s}, {self.n_frames} frames @ {self.fps:g} fps, "
            f"{self.width}x{self.height}, direction={self.direction}, "
            f"near_side={self.near_side}, treadmill={self.treadmill})"
        )

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        landmarks: Mapping[str, Any],
        fps: float,
        *,
        width: int | None = None,
        height: int | None = None,
        time: Any = None,
        visibility: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Clip:
        """Build a clip from arrays keyed by BlazePose landmark names.

        Parameters
        ----------
        landmarks : mapping of str to array_like, shape (n_frames, 2)
            Pixel positions (x right, y down), e.g. ``{"left_heel": ..., ...}``.
            Names are those of :data:`runform.landmarks.NAMES`; missing landmarks
            are NaN. Unknown names raise :class:`InputError`.
        fps : float
            Frame rate in frames per second.
        width, height : int, optional
            Image size in pixels; default: the extent of the data, rounded up.
        time : array_like, optional
            Frame times in seconds; default ``arange(n_frames) / fps``.
        visibility : mapping of str to array_like, shape (n_frames,), optional
            Confidence per landmark; default 1 where the position is finite.
        **fields
            Other :class:`Clip` fields (direction, near_side, treadmill, provenance...).
        """
        xy = _stack_landmarks(landmarks)
        n_frames = xy.shape[0]
        finite = np.isfinite(xy).all(axis=2)
        vis = finite.astype(float)
        if visibility is not None:
            for name, v in visibility.items():
                vis[:, _index(name)] = np.asarray(v, dtype=float)
            vis[~finite] = 0.0
        t = np.arange(n_frames) / _positive_fps(fps) if time is None else np.asarray(time, float)
        if width is None or height is None:
            with np.errstate(all="ignore"):
                ext = np.nanmax(xy, axis=(0, 1)) if np.isfinite(xy).any() else (1, 1)
            width = int(width or math.ceil(max(ext[0], 1)))
            height = int(height or math.ceil(max(ext[1], 1)))
        fields.setdefault("provenance", {"source": "arrays"})
        return cls(xy=xy, visibility=vis, time=t, fps=fps, width=width, height=height, **fields)

    # ------------------------------------------------------------- conversion
    def to_dataframe(self, *, wide: bool = False):
        """Landmarks as a pandas DataFrame.

        Parameters
        ----------
        wide : bool
            False (default): tidy long format, one row per frame and landmark with
            columns ``frame, time_s, landmark, x_px, y_px, visibility``.
            True: one row per frame with ``time_s`` and ``<name>_x``, ``<name>_y``,
            ``<name>_visibility`` columns (the keypoints-CSV format).
        """
        import pandas as pd

        n = self.n_frames
        if wide:
            cols: dict[str, np.ndarray] = {"time_s": self.time}
            for i, name in enumerate(NAMES):
                cols[f"{name}_x"] = self.xy[:, i, 0]
                cols[f"{name}_y"] = self.xy[:, i, 1]
                cols[f"{name}_visibility"] = self.visibility[:, i]
            return pd.DataFrame(cols)
        return pd.DataFrame(
            {
                "frame": np.repeat(np.arange(n), N_LANDMARKS),
                "time_s": np.repeat(self.time, N_LANDMARKS),
                "landmark": np.tile(np.array(NAMES, dtype=object), n),
                "x_px": self.xy[:, :, 0].ravel(),
                "y_px": self.xy[:, :, 1].ravel(),
                "visibility": self.visibility.ravel(),
            }
        )

    # ------------------------------------------------------ analysis chaining
    # The three methods below are the one sanctioned upward edge of the import graph:
    # the container offers the pipeline's first steps as methods, imported lazily, so a
    # cell reads ``clip.clean().oriented().angles()``. Nothing else in clip.py depends
    # on the analysis modules.
    def clean(self, **kwargs: Any) -> Clip:
        """Mask, gap-fill, repair swaps and low-pass filter: :func:`runform.clean.clean`."""
        from .clean import clean

        return clean(self, **kwargs)

    def oriented(self, **kwargs: Any) -> Clip:
        """Decide direction, near side and treadmill: :func:`runform.orientation.orient`."""
        from .orientation import orient

        return orient(self, **kwargs)

    def angles(self, **kwargs: Any):
        """Sagittal angles table: :func:`runform.kinematics.angles`."""
        from .kinematics import angles

        return angles(self, **kwargs)


def _stack_landmarks(landmarks: Mapping[str, Any]) -> np.ndarray:
    """(n_frames, 33, 2) array from arrays keyed by BlazePose names (NaN where absent)."""
    if not landmarks:
        raise InputError("from_arrays needs at least one landmark array.")
    unknown = sorted(set(landmarks) - set(INDEX))
    if unknown:
        raise InputError(
            f"Unknown landmark names {unknown}; use BlazePose names such as "
            "'left_heel' or 'right_foot_index' (see runform.landmarks.NAMES)."
        )
    arrays = {k: np.asarray(v, dtype=float) for k, v in landmarks.items()}
    n = {a.shape[0] for a in arrays.values()}
    if len(n) != 1 or any(a.ndim != 2 or a.shape[1] != 2 for a in arrays.values()):
        raise InputError("Every landmark array must have the same shape (n_frames, 2).")
    xy = np.full((n.pop(), N_LANDMARKS, 2), np.nan)
    for name, a in arrays.items():
        xy[:, INDEX[name]] = a
    return xy


def _frozen(a: np.ndarray) -> np.ndarray:
    """A read-only array that shares no memory with the caller's."""
    out = np.array(a, copy=True)
    out.setflags(write=False)
    return out


def _freeze(value: Any) -> Any:
    """Read-only view of nested mappings and lists (mappings → MappingProxyType, lists → tuples)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, np.ndarray):
        return _frozen(value)
    return value


def _positive_fps(fps: Any, name: str = "fps") -> float:
    """``fps`` as a float, or InputError unless it is a finite positive number."""
    try:
        value = float(fps)
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(fps, bool) or not math.isfinite(value) or value <= 0:
        unit = "frames per second" if name == "fps" else "Hz"
        raise InputError(f"{name} must be a positive number of {unit}, got {fps!r}.")
    return value


def _index(name: str) -> int:
    try:
        return INDEX[name]
    except KeyError:
        raise InputError(
            f"Unknown landmark {name!r}; use a BlazePose name such as 'left_heel'."
        ) from None
