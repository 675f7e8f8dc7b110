"""The whole pipeline in one call: input → pose → clean → orient → angles → events → metrics.

A notebook cell or the command line reads like the analysis it performs::

    result = runform.analyze("run.mp4", height_cm=178)
    result.metrics["cadence_spm"].value
    runform.io.save_analysis(result, "out/")

Every consumer (command line, notebooks, widgets, report) reads its events and metrics
from this one result, so they always agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .clean import bridge_feet_overlap, butterworth, clean
from .clip import Clip
from .errors import InputError
from .events import detect_events
from .kinematics import angles
from .metrics import clip_metrics, step_table
from .quality import check_clip

__all__ = ["Analysis", "analyze", "load"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything runform computed for one clip (read-only).

    Attributes
    ----------
    raw : Clip
        Landmarks as extracted (or read).
    cleaned : Clip
        Masked, gap-filled, swap-repaired and oriented, **not** low-passed: gait events
        and foot-strike angles are read from it (a low-pass filter blurs the landing).
    clip : Clip
        ``cleaned`` with the heel and toe bridged where the feet overlap
        (:func:`runform.clean.bridge_feet_overlap`), after the low-pass filter
        (``clip.cutoff_hz``): angles come from it.
    angles : pandas.DataFrame
        Filtered angles, degrees (:func:`runform.kinematics.angles`).
    events : pandas.DataFrame
        Contacts (:func:`runform.events.detect_events`).
    steps : pandas.DataFrame
        Per-step table (:func:`runform.metrics.step_table`).
    metrics : Mapping of str to Metric or FootStrike
        Clip-level metrics with uncertainty (:func:`runform.metrics.clip_metrics`).
    height_cm : float or None
        Runner's stature when given.
    """

    raw: Clip
    cleaned: Clip
    clip: Clip
    angles: Any
    events: Any
    steps: Any
    metrics: Mapping
    height_cm: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "metrics", MappingProxyType(dict(self.metrics)))

    @property
    def video(self) -> Path | None:
        """The analysed video file, or None when the input was keypoints or arrays."""
        if self.clip.provenance.get("kind") != "video":
            return None
        return Path(str(self.clip.provenance["source"]))

    @property
    def quality(self) -> tuple:
        """Capture-quality records (:class:`runform.quality.QualityCheck`)."""
        return self.clip.quality

    def cycles(self, foot: str | None = None, columns=None):
        """Mean ± SD angle curves over strides, 0–100 % of the gait cycle.

        ``foot`` defaults to the near-camera foot. See :func:`runform.cycles.cycle_summary`.
        """
        from .cycles import cycle_summary

        foot = foot or self.clip.near_side or "left"
        return cycle_summary(self.angles, self.events, foot, columns)

    def summary(self) -> str:
        """A short human summary (what the command line prints)."""
        m, c = self.metrics, self.clip
        fs = m.get("foot_strike")
        lines = [
            f"{Path(str(c.provenance.get('source', 'clip'))).name}: {c.n_frames} frames at "
            f"{c.fps:g} fps ({c.duration_s:.1f} s), runner faces image-{c.direction}, "
            f"near leg {c.near_side or 'unknown'}, "
            f"{'treadmill' if c.treadmill else 'overground'}",
            _line(m, "cadence_spm", "steps/min", 1),
            _line(m, "contact_time_ms", "ms") + f"  [one frame = {c.frame_ms:.0f} ms]",
            _line(m, "flight_time_ms", "ms"),
            _line(m, "duty_factor", "", 2),
            f"foot strike: {fs.type if fs else 'unknown'}" + _strike_angle_text(fs),
        ]
        lines += [f"note: {q}" for q in c.quality]
        return "\n".join(lines)


def _strike_angle_text(fs) -> str:
    """ " (17.8°, 95% CI 16.9–18.7, 8 steps)" or " (18.8°, one step: no CI)"; "" if unknown."""
    if fs is None or not fs.angle.known:
        return ""
    a = fs.angle
    if a.n_steps < 2:
        return f" ({a.value:.1f}°, one step: no CI, the class holds for that step only)"
    return f" ({a.value:.1f}°, 95% CI {a.ci95[0]:.1f}–{a.ci95[1]:.1f}, {a.n_steps} steps)"


def _line(metrics: Mapping, key: str, unit: str, digits: int = 0) -> str:
    d = metrics.get(key)
    if d is None or not d.known:
        return f"{key}: unknown"
    lo, hi = d.ci95
    ci = f" (95% CI {lo:.{digits}f}–{hi:.{digits}f})" if lo == lo and hi == hi else ""
    value = f"{d.value:.{digits}f} {unit}".rstrip()
    return f"{key}: {value}{ci}, {d.n_steps} steps"


VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".3gp"}


def load(input_path: str | os.PathLike, *, fps: float | None = None, **pose_kwargs) -> Clip:
    """Read a video (pose extraction) or a keypoints CSV into a raw :class:`Clip`."""
    p = Path(input_path)
    if p.suffix.lower() == ".csv":
        from .io import read_keypoints_csv

        return read_keypoints_csv(p, fps=fps)  # fps may come from its time column
    from .pose import extract_pose

    return extract_pose(p, capture_fps=fps, **pose_kwargs)


def _capture_checks(cleaned: Clip, raw: Clip) -> list:
    """Checks after orientation (view, size, roll, occlusion) and, for a video, frames."""
    from .capture import capture_checks, frame_checks

    checks = capture_checks(cleaned, raw)
    if raw.provenance.get("kind") == "video" and Path(str(raw.provenance["source"])).is_file():
        checks += frame_checks(raw.provenance["source"], raw)
    return checks


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
        Video file, keypoints CSV (needs ``fps`` unless it has a time column), or a clip.
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
        Low-pass cutoff for angles in Hz; "auto" (default) by frame rate
        (:func:`runform.reference.default_cutoff_hz`); None = no filtering.
    **pose_kwargs
        Passed to :func:`runform.pose.extract_pose` (roi, cache, progress...).
    """
    if height_cm is not None and not 50 <= float(height_cm) <= 250:
        raise InputError(f"height_cm should be a stature in cm (50–250), got {height_cm!r}.")
    raw = input_path if isinstance(input_path, Clip) else load(input_path, fps=fps, **pose_kwargs)
    if raw.provenance.get("kind") != "video":  # a video's checks ran at extraction
        for check in check_clip(raw):
            raw = raw.with_warning(check)
    cleaned = clean(raw, cutoff_hz=None, feet=False)
    cleaned = cleaned.oriented(treadmill=treadmill, near_side=near_side)
    events = detect_events(cleaned)
    # angles only: the event rules were validated on force plates without the bridge,
    # and bridging inside detect_events moved IC/TO both ways on the renders
    filtered = butterworth(bridge_feet_overlap(cleaned), cutoff_hz)
    for check in _capture_checks(cleaned, raw):
        filtered = filtered.with_warning(check)
    steps = step_table(
        filtered,
        events,
        height_cm=height_cm,
        strike_clip=cleaned,
        ground_clip=butterworth(cleaned, cutoff_hz),
    )
    metrics = clip_metrics(filtered, steps, height_cm=height_cm)
    return Analysis(
        raw=raw,
        cleaned=cleaned,
        clip=filtered,
        angles=angles(filtered),
        events=events,
        steps=steps,
        metrics=metrics,
        height_cm=None if height_cm is None else float(height_cm),
    )
