"""The one container for a processed clip: :class:`Clip`.

A clip holds 2D landmark trajectories in *image pixels* (x to the right, y down, as
in the video), their visibility, the frame times, and what runform decided about the
recording (direction of travel, side nearer the camera, treadmill or overground),
plus provenance and a quality record. Every analysis step takes a clip and returns a
new one or a table; nothing is modified in place.

It can be built from MediaPipe (:func:`runform.pose.extract_pose`), from arrays keyed
by BlazePose landmark names (:meth:`Clip.from_arrays`) or from a keypoints CSV
(:func:`read_keypoints_csv`), so keypoints of other tools or projected motion-capture
markers go through the same analysis.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError
from .landmarks import INDEX, N_LANDMARKS, NAMES

__all__ = ["Clip", "read_keypoints_csv"]


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
    provenance : dict
        Source file, content hash, model and settings, processing steps applied.
    quality : tuple of str
        Human-readable warnings about degraded input collected along the way.
    calibration : dict
        Optional standing-trial offsets in degrees (``ankle_deg``, ``foot_deg``).
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
    provenance: dict = dataclasses.field(default_factory=dict)
    quality: tuple[str, ...] = ()
    calibration: dict = dataclasses.field(default_factory=dict)

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
            if not (isinstance(value, numbers.Real) and not isinstance(value, bool)
                    and math.isfinite(value) and value > 0):
                raise InputError(f"Clip.{name} must be a positive number of pixels, "
                                 f"got {value!r}.")
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
        object.__setattr__(self, "xy", xy)
        object.__setattr__(self, "visibility", vis)
        object.__setattr__(self, "time", t)
        object.__setattr__(self, "fps", fps)
        object.__setattr__(self, "width", size[0])
        object.__setattr__(self, "height", size[1])
        if self.depth is not None:
            depth = np.asarray(self.depth, dtype=float)
            if depth.shape != (n, N_LANDMARKS):
                raise InputError(f"Clip.depth must have shape ({n}, {N_LANDMARKS}).")
            object.__setattr__(self, "depth", np.where(np.isfinite(depth), depth, np.nan))
        object.__setattr__(self, "quality", tuple(self.quality))

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

    def with_warning(self, message: str) -> Clip:
        """A copy with ``message`` added to the quality record (once)."""
        if message in self.quality:
            return self
        return self.replace(quality=(*self.quality, message))

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
        n_frames = n.pop()
        xy = np.full((n_frames, N_LANDMARKS, 2), np.nan)
        for name, a in arrays.items():
            xy[:, INDEX[name]] = a
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
        return cls(xy=xy, visibility=vis, time=t, fps=fps, width=width, height=height,
                   **fields)

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

    def to_csv(self, path: str | Path) -> Path:
        """Write the keypoints CSV (wide format) that :func:`read_keypoints_csv` reads."""
        path = Path(path)
        self.to_dataframe(wide=True).rename(columns={"time_s": "time"}).to_csv(
            path, index=False, float_format="%.3f"
        )
        return path

    # ------------------------------------------------------ analysis chaining
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


def _positive_fps(fps: Any) -> float:
    """``fps`` as a float, or InputError unless it is a finite positive number."""
    try:
        value = float(fps)
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(fps, bool) or not math.isfinite(value) or value <= 0:
        raise InputError(f"fps must be a positive number of frames per second, got {fps!r}.")
    return value


def _index(name: str) -> int:
    try:
        return INDEX[name]
    except KeyError:
        raise InputError(
            f"Unknown landmark {name!r}; use a BlazePose name such as 'left_heel'."
        ) from None


#: Largest coordinate magnitude accepted from a keypoints file, in pixels.
MAX_COORDINATE = 1e7
#: Frame rates accepted from a keypoints file or ``fps=`` (frames per second).
FPS_RANGE = (1.0, 10000.0)


def read_keypoints_csv(path: str | Path, fps: float | None = None, **fields: Any) -> Clip:
    """Read a keypoints CSV into a :class:`Clip`.

    The file has one row per frame and columns ``<name>_x`` and ``<name>_y`` in image
    pixels (x right, y **down**) for any BlazePose landmark names, optional
    ``<name>_visibility`` (0–1) and an optional ``time`` column in seconds (``time_s``
    is accepted too). Empty cells, ``nan``, ``inf`` and text are unknown positions.
    Column names are matched without regard to case or surrounding spaces; a UTF-8
    byte-order mark (Excel) and ``;``-separated files with decimal commas are accepted.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    fps : float, optional
        Frame rate. Required unless the file has a time column, from which it is then
        estimated (median frame interval).
    **fields
        Other :class:`Clip` fields (width, height, treadmill...).

    Raises
    ------
    InputError
        The file is missing or unreadable, has no landmark columns, no rows, no usable
        values, a time column that is not finite and increasing, or no frame rate. The
        message says what to fix. No other exception escapes for bad file content.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a keypoints CSV file.")
    if not path.is_file():
        raise InputError(f"Keypoints file not found: {path}. Check the path.")
    df = _read_table(path)
    arrays, vis = _landmark_columns(df, path)
    tcol = next((c for c in ("time", "time_s") if c in df), None)
    time = _numeric_column(df, tcol, path) if tcol else None
    if time is not None and not (np.isfinite(time).all() and np.all(np.diff(time) > 0)):
        raise InputError(f"{path.name}: the '{tcol}' column must hold finite, strictly "
                         "increasing times in seconds (no empty cells or repeats).")
    fps = _frame_rate(fps, time, path)
    if time is not None:
        time = time - time[0]
    fields.setdefault("provenance", {"source": str(path), "kind": "keypoints-csv"})
    return Clip.from_arrays(arrays, float(fps), time=time, visibility=vis or None, **fields)


def _numeric_column(df, col: str, path: Path) -> np.ndarray:
    """One column as floats (text becomes NaN); InputError if missing or repeated."""
    import pandas as pd

    if col not in df:
        raise InputError(f"{path.name}: column {col} is missing (x and y come in pairs).")
    values = df[col]
    if isinstance(values, pd.DataFrame):  # the same name twice
        raise InputError(f"{path.name}: column {col} appears more than once.")
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def _landmark_columns(df, path: Path) -> tuple[dict, dict]:
    """Positions (n, 2) and visibilities (n,) keyed by landmark name, from the table."""
    names = sorted({c[:-2] for c in df.columns if c.endswith(("_x", "_y"))} & set(INDEX))
    if not names:
        raise InputError(
            f"{path.name} has no landmark columns. Expected '<name>_x' and '<name>_y' with "
            "BlazePose names, e.g. left_heel_x, left_heel_y, left_foot_index_x."
        )
    if len(df) == 0:
        raise InputError(f"{path.name} has a header but no rows of keypoints.")
    arrays, vis = {}, {}
    for name in names:
        xy = np.column_stack([_numeric_column(df, f"{name}_x", path),
                              _numeric_column(df, f"{name}_y", path)])
        xy[~np.isfinite(xy).all(axis=1)] = np.nan
        if np.nanmax(np.abs(xy), initial=0.0) > MAX_COORDINATE:
            raise InputError(
                f"{path.name}: {name} has coordinates beyond {MAX_COORDINATE:g}; keypoints "
                "must be image pixels (x right, y down).")
        arrays[name] = xy
        if f"{name}_visibility" in df:
            v = _numeric_column(df, f"{name}_visibility", path)
            vis[name] = np.clip(np.nan_to_num(v, nan=0.0, posinf=1.0, neginf=0.0), 0, 1)
    if not any(np.isfinite(a).any() for a in arrays.values()):
        raise InputError(f"{path.name} has landmark columns but no numeric positions in "
                         "them (all empty, NaN or text).")
    return arrays, vis


def _frame_rate(fps, time: np.ndarray | None, path: Path) -> float:
    """The given frame rate, or the one implied by the time column; validated."""
    if fps is None:
        if time is None:
            raise InputError(
                f"{path.name} has no time column: give the frame rate (fps=... or --fps)."
            )
        if len(time) < 2:
            raise InputError(f"{path.name} has a single row, so its frame rate cannot be "
                             "told from the time column: give it (fps=... or --fps).")
        fps = 1.0 / float(np.median(np.diff(time)))
        if not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
            raise InputError(
                f"{path.name}: the time column gives {fps:.3g} frames per second. Times must "
                "be in seconds (divide milliseconds by 1000), or give fps=... (--fps).")
    if not (isinstance(fps, numbers.Real) and not isinstance(fps, bool)
            and math.isfinite(fps) and FPS_RANGE[0] <= fps <= FPS_RANGE[1]):
        raise InputError(f"fps must be a number of frames per second between "
                         f"{FPS_RANGE[0]:g} and {FPS_RANGE[1]:g}, got {fps!r}.")
    return float(fps)


def _read_table(path: Path):
    """The CSV as a DataFrame with normalised column names; InputError if unreadable."""
    import csv

    import pandas as pd

    def fail(reason: str):
        return InputError(
            f"Cannot read {path.name} as a keypoints CSV ({reason}). Expected a text file "
            "with columns like left_heel_x, left_heel_y (pixels, y down) and an optional "
            "time column in seconds."
        )

    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise fail(exc.strerror or str(exc)) from None
    if b"\x00" in head:
        raise fail("it is a binary file, not text")
    try:
        first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
        semicolons = bool(first) and first[0].count(";") > first[0].count(",")
        df = pd.read_csv(path, encoding="utf-8-sig", low_memory=False,
                         **({"sep": ";", "decimal": ","} if semicolons else {}))
    except pd.errors.EmptyDataError:
        raise fail("the file is empty") from None
    except UnicodeDecodeError:
        raise fail("it is not UTF-8 text") from None
    # ParserError is a ValueError; csv.Error and OverflowError come from odd quoting
    # and huge integers in pandas' parser.
    except (ValueError, csv.Error, OverflowError) as exc:
        raise fail(str(exc).strip().splitlines()[0][:200] if str(exc).strip() else
                   type(exc).__name__) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df
