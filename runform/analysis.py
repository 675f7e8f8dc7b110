"""The whole pipeline in one call: input → pose → clean → angles → events → metrics.

A notebook cell or the command line reads like the analysis it performs::

    result = runform.analyze("run.mp4", height_cm=178)
    result.metrics["cadence_spm"]
    result.save("out/")
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .clean import butterworth, clean
from .clip import Clip, read_keypoints_csv
from .errors import InputError
from .events import detect_events
from .kinematics import angles
from .metrics import clip_metrics, step_table

__all__ = ["Analysis", "analyze"]

VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".3gp"}


@dataclass
class Analysis:
    """Everything runform computed for one clip.

    Attributes
    ----------
    raw : Clip
        Landmarks as extracted (or read).
    clip : Clip
        Cleaned, oriented and filtered clip used for angles and metrics.
    angles : pandas.DataFrame
        Filtered angles, degrees (see :mod:`runform.kinematics`).
    events : pandas.DataFrame
        Contacts (see :func:`runform.events.detect_events`).
    steps : pandas.DataFrame
        Per-step table (see :func:`runform.metrics.step_table`).
    metrics : dict
        Clip-level metrics with uncertainty (see :func:`runform.metrics.clip_metrics`).
    """

    raw: Clip
    clip: Clip
    angles: object
    events: object
    steps: object
    metrics: dict

    def to_json(self) -> dict:
        """``metrics.json`` content: clip description, metrics, quality and steps."""
        c = self.clip
        clip_info = {
            "source": str(c.provenance.get("source", "")), "fps": c.fps,
            "n_frames": c.n_frames, "duration_s": round(c.duration_s, 4), "width": c.width,
            "height": c.height, "direction": c.direction, "near_side": c.near_side,
            "treadmill": c.treadmill, "cutoff_hz": c.provenance.get("cutoff_hz"),
            "frame_ms": round(c.frame_ms, 3),
        }
        steps = [
            {"foot": r.foot, "ic_s": round(r.ic_s, 4), "to_s": round(r.to_s, 4),
             "contact_ms": round(r.contact_ms, 1),
             "foot_strike_angle_deg": _round(r.foot_strike_angle_deg),
             "foot_strike_type": r.foot_strike_type, "near_side": bool(r.near)}
            for r in self.steps.itertuples()
        ]
        return {"runform_version": _version(), "clip": clip_info, **self.metrics,
                "quality": list(c.quality), "steps": steps}

    def save(self, out_dir: str | os.PathLike) -> Path:
        """Write ``metrics.json``, ``steps.csv`` and ``angles.csv`` into ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "metrics.json").write_text(json.dumps(self.to_json(), indent=2))
        self.steps.to_csv(out / "steps.csv", index=False, float_format="%.4f")
        self.angles.to_csv(out / "angles.csv", index=False, float_format="%.3f")
        return out

    def cycles(self, foot: str | None = None, columns=None):
        """Mean ± SD angle curves over strides, 0–100 % of the gait cycle.

        ``foot`` defaults to the near-camera foot. See :func:`runform.cycles.cycle_summary`.
        """
        from .cycles import cycle_summary

        foot = foot or self.clip.near_side or "left"
        return cycle_summary(self.angles, self.events, foot, columns)

    def player(self, video=None, **kwargs):
        """A :class:`runform.widgets.FramePlayer` on this clip, its angles and events.

        ``video`` defaults to the analysed file (when the input was a video).
        """
        from .widgets import FramePlayer

        video = video or self.clip.provenance.get("source")
        if self.clip.provenance.get("kind") != "video" and video is None:
            raise InputError("This analysis did not come from a video: pass video=... .")
        return FramePlayer(self.clip, video, self.angles, self.events, **kwargs)

    def summary(self) -> str:
        """A short human summary (what the command line prints)."""
        m, c = self.metrics, self.clip

        def fmt(key, unit, digits=0):
            d = m.get(key) or {}
            v, ci = d.get("value"), d.get("ci95") or [None, None]
            if v is None:
                return f"{key}: unknown"
            ci_s = (f" (95% CI {ci[0]:.{digits}f}–{ci[1]:.{digits}f})"
                    if None not in ci else "")
            return f"{key}: {v:.{digits}f} {unit}{ci_s}, {d.get('n_steps', 0)} steps"

        fs = m.get("foot_strike", {})
        lines = [
            f"{Path(str(c.provenance.get('source', 'clip'))).name}: {c.n_frames} frames at "
            f"{c.fps:g} fps ({c.duration_s:.1f} s), runner faces image-{c.direction}, "
            f"near leg {c.near_side or 'unknown'}, "
            f"{'treadmill' if c.treadmill else 'overground'}",
            fmt("cadence_spm", "steps/min", 1),
            fmt("contact_time_ms", "ms") + f"  [±{c.frame_ms:.0f} ms per frame]",
            fmt("flight_time_ms", "ms"),
            fmt("duty_factor", "", 2),
            f"foot strike: {fs.get('type')} ({_round(fs.get('angle_deg'))}°)",
        ]
        lines += [f"note: {q}" for q in c.quality]
        return "\n".join(lines)


def _round(v, nd=2):
    try:
        return None if v is None or v != v else round(float(v), nd)
    except (TypeError, ValueError):
        return None


def _version() -> str:
    from . import __version__

    return __version__


def load(input_path: str | os.PathLike, *, fps: float | None = None, **pose_kwargs) -> Clip:
    """Read a video (pose extraction) or a keypoints CSV into a raw :class:`Clip`."""
    p = Path(input_path)
    if p.suffix.lower() == ".csv":
        return read_keypoints_csv(p, fps=fps)  # fps may come from its time column
    from .pose import extract_pose

    return extract_pose(p, capture_fps=fps, **pose_kwargs)


def analyze(
    input_path: str | os.PathLike | Clip,
    *,
    fps: float | None = None,
    treadmill: bool | None = None,
    near_side: str | None = None,
    height_cm: float | None = None,
    cutoff_hz: float | str | None = "auto",
    **pose_kwargs,
) -> Analysis:
    """Run the full pipeline on a video, a keypoints CSV or a :class:`Clip`.

    Parameters
    ----------
    input_path : str, Path or Clip
        Video file, keypoints CSV (needs ``fps``), or an existing clip.
    fps : float, optional
        Frame rate of a CSV, or the capture rate of a slow-motion video.
    treadmill : bool, optional
        Force treadmill (True) or overground (False); detected when None.
    near_side : {"left", "right"}, optional
        The runner's side nearer the camera, when known (keypoints without depth or
        visibility cannot tell); detected when None.
    height_cm : float, optional
        Runner's stature in cm: gives overstride and vertical oscillation in cm.
    cutoff_hz : float, "auto" or None
        Low-pass cutoff for angles (default: by frame rate, science.md §6).
    **pose_kwargs
        Passed to :func:`runform.pose.extract_pose` (roi, cache, progress...).
    """
    if height_cm is not None and not 50 <= float(height_cm) <= 250:
        raise InputError(f"height_cm should be a stature in cm (50–250), got {height_cm!r}.")
    raw = input_path if isinstance(input_path, Clip) else load(input_path, fps=fps,
                                                               **pose_kwargs)
    unfiltered = clean(raw, cutoff_hz=None).oriented(treadmill=treadmill,
                                                     near_side=near_side)
    events = detect_events(unfiltered)
    # one cleaning chain; events read it unfiltered, angles after the low-pass
    filtered = unfiltered if cutoff_hz is None else butterworth(
        unfiltered, None if cutoff_hz == "auto" else float(cutoff_hz))
    steps = step_table(filtered, events, height_cm=height_cm, strike_clip=unfiltered)
    metrics = clip_metrics(filtered, steps, height_cm=height_cm)
    return Analysis(raw=raw, clip=filtered, angles=angles(filtered), events=events,
                    steps=steps, metrics=metrics)
