"""Exports for other tools: tidy (long) CSV tables and OpenSim TRC of the 2D landmarks.

- ``angles_tidy.csv``: one row per frame and angle: ``frame, time_s, side, angle,
  value_deg`` (``side`` empty for trunk lean).
- ``landmarks.csv``: one row per frame and landmark: ``frame, time_s, landmark, x_px,
  y_px, visibility`` (image pixels, y down, as analysed: cleaned, oriented, filtered).
- ``landmarks.trc``: OpenSim's marker format (tab-separated; header lines
  ``PathFileType``, the rate/units line, marker names, ``X1 Y1 Z1`` ...). Coordinates
  are in the runner's frame: X forward (direction of travel), Y up, Z = 0 (2D). In
  metres when the runner's height is known (scaled by leg length: Winter 2009 leg =
  0.491 of stature), otherwise in pixels (``Units px``: scale before using in OpenSim).
  The origin is the first frame's hip midpoint in X and the ground (lowest foot point)
  in Y. Unknown positions are empty fields.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .geometry import midpoint, normalise
from .landmarks import INDEX, NAMES
from .orientation import leg_length_px
from .reference import LEG_PER_STATURE

__all__ = ["save_exports", "tidy_angles", "tidy_landmarks", "trc_text", "write_trc"]


def tidy_angles(result):
    """Angles in long form: frame, time_s, side, angle, value_deg."""
    a = result.angles
    long = a.reset_index(names="frame").melt(
        id_vars=["frame", "time_s"], var_name="column", value_name="value_deg"
    )
    col = long.pop("column").str.removesuffix("_deg")
    side = col.str.extract(r"^(left|right)_")[0]
    long.insert(2, "side", side.fillna(""))
    long.insert(3, "angle", col.str.replace(r"^(left|right)_", "", regex=True))
    return long.sort_values(["frame", "side", "angle"], kind="stable").reset_index(drop=True)


def tidy_landmarks(result):
    """Landmarks in long form: frame, time_s, landmark, x_px, y_px, visibility."""
    import pandas as pd

    c = result.clip
    n, k = c.xy.shape[:2]
    return pd.DataFrame(
        {
            "frame": np.repeat(np.arange(n), k),
            "time_s": np.repeat(c.time, k),
            "landmark": np.tile(np.array(NAMES), n),
            "x_px": c.xy[:, :, 0].ravel(),
            "y_px": c.xy[:, :, 1].ravel(),
            "visibility": result.raw.visibility.ravel()
            if result.raw.n_frames == n
            else c.visibility.ravel(),
        }
    )


def _trc_coordinates(result) -> tuple[np.ndarray, str]:
    """(n, 33, 3) runner-frame coordinates and their unit ("m" or "px")."""
    c = result.clip
    xy = normalise(c.xy, c.direction)
    hip_x = midpoint(xy[:, INDEX["left_hip"], 0], xy[:, INDEX["right_hip"], 0])
    x0 = hip_x[np.isfinite(hip_x)][0] if np.isfinite(hip_x).any() else 0.0
    feet = xy[:, [INDEX[f"{s}_{j}"] for s in ("left", "right") for j in ("heel", "foot_index")], 1]
    y0 = np.nanpercentile(feet, 1) if np.isfinite(feet).any() else 0.0
    pts = xy - [x0, y0]
    unit = "px"
    if result.height_cm:
        leg = leg_length_px(c)
        if np.isfinite(leg) and leg > 0:
            pts = pts * (LEG_PER_STATURE * result.height_cm / 100.0 / leg)
            unit = "m"
    return np.concatenate([pts, np.zeros((*pts.shape[:2], 1))], axis=2), unit


def trc_text(result, name: str = "landmarks.trc") -> str:
    """The TRC file content of an analysed clip (see the module docstring)."""
    pts, unit = _trc_coordinates(result)
    c = result.clip
    n, k = pts.shape[:2]
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{name}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\t"
        "OrigDataStartFrame\tOrigNumFrames",
        f"{c.fps:.6g}\t{c.fps:.6g}\t{n}\t{k}\t{unit}\t{c.fps:.6g}\t1\t{n}",
        "Frame#\tTime\t" + "\t".join(f"{m}\t\t" for m in NAMES).rstrip("\t"),
        "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, k + 1)),
        "",
    ]
    for f in range(n):
        vals = ["" if not np.isfinite(v) else f"{v:.6f}" for v in pts[f].ravel()]
        lines.append(f"{f + 1}\t{c.time[f]:.6f}\t" + "\t".join(vals))
    return "\n".join(lines) + "\n"


def write_trc(result, path: str | os.PathLike) -> Path:
    """Write the landmarks as an OpenSim TRC file."""
    path = Path(path)
    path.write_text(trc_text(result, path.name), encoding="ascii")
    return path


def save_exports(result, out_dir: str | os.PathLike) -> list[Path]:
    """Write ``angles_tidy.csv``, ``landmarks.csv`` and ``landmarks.trc`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "angles_tidy.csv", out / "landmarks.csv"]
    tidy_angles(result).to_csv(paths[0], index=False, float_format="%.3f")
    tidy_landmarks(result).to_csv(paths[1], index=False, float_format="%.3f")
    paths.append(write_trc(result, out / "landmarks.trc"))
    return paths
