"""Reading and writing: keypoints CSV in and out, analysis results to JSON and CSV.

Keypoints CSV: one row per frame; columns ``<name>_x``, ``<name>_y`` in image pixels
(x right, y **down**) for any BlazePose landmark name, optional ``<name>_visibility``
(0–1) and an optional ``time`` column in seconds.

Analysis outputs (:func:`save_analysis`): ``metrics.json`` (:func:`analysis_json`),
``steps.csv`` and ``angles.csv``.
"""

from __future__ import annotations

import json
import math
import numbers
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .clip import Clip
from .errors import InputError
from .landmarks import INDEX

#: Largest coordinate magnitude accepted from a keypoints file, in pixels.
MAX_COORDINATE = 1e7
#: Frame rates accepted from a keypoints file or ``fps=`` (frames per second).
FPS_RANGE = (1.0, 10000.0)

__all__ = ["analysis_json", "read_keypoints_csv", "save_analysis", "thaw", "write_keypoints_csv"]


def write_keypoints_csv(clip: Clip, path: str | os.PathLike) -> Path:
    """Write a clip as the keypoints CSV that :func:`read_keypoints_csv` reads."""
    path = Path(path)
    df = clip.to_dataframe(wide=True).rename(columns={"time_s": "time"})
    df["time"] = df["time"].map("{:.6f}".format)  # µs: intervals exact to 0.01 %
    df.to_csv(path, index=False, float_format="%.3f")
    return path


def thaw(value: Any) -> Any:
    """Plain JSON-ready Python from read-only mappings, tuples, numpy scalars and NaN."""
    if isinstance(value, Mapping):
        return {str(k): thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [thaw(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else float(value)
    if hasattr(value, "to_dict"):
        return thaw(value.to_dict())
    if isinstance(value, Path):
        return str(value)
    return value


def _round(v, nd=2):
    try:
        return None if v is None or v != v else round(float(v), nd)
    except (TypeError, ValueError):
        return None


def analysis_json(result, findings=None) -> dict:
    """``metrics.json`` content of an :class:`runform.Analysis`.

    Keys: ``runform_version``, ``clip``, one key per metric (``value``, ``ci95``,
    ``n_steps``, ...), ``quality`` (capture checks: ``code``, ``severity``, ``message``,
    ``fix``), ``findings`` (coaching findings, :class:`runform.findings.Finding`:
    ``code``, ``problem``, ``status``, ``confidence``, ``withheld``, ``reason``,
    ``evidence``, ``threshold``, ``cue``...) and ``steps``.
    """
    from ._version import __version__
    from .findings import find

    findings = find(result) if findings is None else findings

    c = result.clip
    clip_info = {
        "source": str(c.provenance.get("source", "")),
        "fps": c.fps,
        "n_frames": c.n_frames,
        "duration_s": round(c.duration_s, 4),
        "width": c.width,
        "height": c.height,
        "direction": c.direction,
        "near_side": c.near_side,
        "treadmill": c.treadmill,
        "cutoff_hz": c.cutoff_hz,
        "frame_ms": round(c.frame_ms, 3),
    }
    steps = [
        {
            "foot": r.foot,
            "ic_s": round(r.ic_s, 4),
            "to_s": round(r.to_s, 4),
            "contact_ms": round(r.contact_ms, 1),
            "foot_strike_angle_deg": _round(r.foot_strike_angle_deg),
            "foot_strike_type": r.foot_strike_type,
            "near_side": bool(r.near),
            "ic_sd_ms": _round(getattr(r, "ic_sd_ms", None), 1),
            "to_sd_ms": _round(getattr(r, "to_sd_ms", None), 1),
            "ic_method": getattr(r, "ic_method", ""),
            "to_method": getattr(r, "to_method", ""),
            "flag": getattr(r, "flag", ""),
            "excluded_reason": getattr(r, "excluded_reason", ""),
        }
        for r in result.steps.itertuples()
    ]
    metrics = {k: thaw(v) for k, v in result.metrics.items()}
    return {
        "runform_version": __version__,
        "clip": clip_info,
        **metrics,
        "quality": [q.to_dict() for q in c.quality],
        "findings": [thaw(f.to_dict()) for f in findings],
        "steps": steps,
    }


def save_analysis(result, out_dir: str | os.PathLike, findings=None) -> Path:
    """Write ``metrics.json``, ``steps.csv`` and ``angles.csv`` of a result into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(analysis_json(result, findings), indent=2))
    result.steps.to_csv(out / "steps.csv", index=False, float_format="%.4f")
    result.angles.to_csv(out / "angles.csv", index=False, float_format="%.3f")
    return out


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
        estimated (:func:`_rate_from_times`).
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
        raise InputError(
            f"{path.name}: the '{tcol}' column must hold finite, strictly "
            "increasing times in seconds (no empty cells or repeats)."
        )
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
        xy = np.column_stack(
            [_numeric_column(df, f"{name}_x", path), _numeric_column(df, f"{name}_y", path)]
        )
        xy[~np.isfinite(xy).all(axis=1)] = np.nan
        if np.nanmax(np.abs(xy), initial=0.0) > MAX_COORDINATE:
            raise InputError(
                f"{path.name}: {name} has coordinates beyond {MAX_COORDINATE:g}; keypoints "
                "must be image pixels (x right, y down)."
            )
        arrays[name] = xy
        if f"{name}_visibility" in df:
            v = _numeric_column(df, f"{name}_visibility", path)
            vis[name] = np.clip(np.nan_to_num(v, nan=0.0, posinf=1.0, neginf=0.0), 0, 1)
    if not any(np.isfinite(a).any() for a in arrays.values()):
        raise InputError(
            f"{path.name} has landmark columns but no numeric positions in "
            "them (all empty, NaN or text)."
        )
    return arrays, vis


def _frame_rate(fps, time: np.ndarray | None, path: Path) -> float:
    """The given frame rate, or the one implied by the time column; validated."""
    if fps is None:
        if time is None:
            raise InputError(
                f"{path.name} has no time column: give the frame rate (fps=... or --fps)."
            )
        if len(time) < 2:
            raise InputError(
                f"{path.name} has a single row, so its frame rate cannot be "
                "told from the time column: give it (fps=... or --fps)."
            )
        fps = _rate_from_times(time)
        if not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
            raise InputError(
                f"{path.name}: the time column gives {fps:.3g} frames per second. Times must "
                "be in seconds (divide milliseconds by 1000), or give fps=... (--fps)."
            )
    if not (
        isinstance(fps, numbers.Real)
        and not isinstance(fps, bool)
        and math.isfinite(fps)
        and FPS_RANGE[0] <= fps <= FPS_RANGE[1]
    ):
        raise InputError(
            f"fps must be a number of frames per second between "
            f"{FPS_RANGE[0]:g} and {FPS_RANGE[1]:g}, got {fps!r}."
        )
    return float(fps)


def _rate_from_times(time: np.ndarray) -> float:
    """Frames per second from frame times (s): the whole span when no frame is missing.

    Times written to a fixed number of decimals (e.g. ms) make single intervals unequal
    (8, 9, 8 ms at 120 fps), so their median is biased by up to half a rounding step;
    the span over ``n - 1`` intervals is not. When an interval is more than 1.5 times
    the median (a dropped frame) or under half of it, the median interval is used.
    """
    d = np.diff(time)
    med = float(np.median(d))
    if np.all((d > 0.5 * med) & (d < 1.5 * med)):
        return (len(time) - 1) / float(time[-1] - time[0])
    return 1.0 / med


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
        df = pd.read_csv(
            path,
            encoding="utf-8-sig",
            low_memory=False,
            **({"sep": ";", "decimal": ","} if semicolons else {}),
        )
    except pd.errors.EmptyDataError:
        raise fail("the file is empty") from None
    except UnicodeDecodeError:
        raise fail("it is not UTF-8 text") from None
    # ParserError is a ValueError; csv.Error and OverflowError come from odd quoting
    # and huge integers in pandas' parser.
    except (ValueError, csv.Error, OverflowError) as exc:
        raise fail(
            str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        ) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df
