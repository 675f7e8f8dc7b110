"""Plumbing shared by the teaching widgets: inputs, event tables, images, clicks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..clip import Clip
from ..errors import InputError
from ..video import Video
from .frames import FrameCache

#: Angles plotted by default in the frame player (near leg), one axis each.
DEFAULT_PLOT_ANGLES = ("ankle_dorsiflexion", "knee_flexion", "thigh_angle")
#: Playback speeds offered (fraction of real time).
SPEEDS = (("1×", 1.0), ("½×", 0.5), ("¼×", 0.25), ("⅛×", 0.125), ("1/16×", 0.0625))
#: Shortest interval between two played frames, ms (a browser cannot show more).
MIN_INTERVAL_MS = 40
#: Longest clip (s) whose whole time axis is plotted by default; longer ones get a window.
AUTO_WINDOW_S = 15.0
#: Widest rendered plot (pixels); Agg's limit is 2**16.
MAX_PLOT_PX = 30000
EVENT_COLUMNS = ("foot", "ic_frame", "to_frame", "ic_s", "to_s")


def has_click_support() -> bool:
    """True when ``ipyevents`` is installed, so plots and frames react to clicks."""
    try:
        import ipyevents  # noqa: F401
    except ImportError:
        return False
    return True


# ------------------------------------------------------------------ inputs
def _frame_cache(video: Any, max_side: int, budget_mb: float) -> FrameCache:
    """A FrameCache from a FrameCache, a Video or a path."""
    if isinstance(video, FrameCache):
        return video
    if isinstance(video, Video):
        return FrameCache(video, max_side=max_side, budget_mb=budget_mb)
    if isinstance(video, str | Path):
        return FrameCache(Video(video), max_side=max_side, budget_mb=budget_mb)
    raise InputError(
        f"Expected a video path, a runform.Video or a runform.FrameCache, not "
        f"{type(video).__name__}."
    )


def _check_events(events):
    missing = [c for c in EVENT_COLUMNS if c not in events]
    if missing:
        raise InputError(
            f"The events table lacks columns {missing}; expected one row per contact with "
            f"{', '.join(EVENT_COLUMNS)} (see runform.events.detect_events)."
        )
    return events.sort_values("ic_frame").reset_index(drop=True)


def _load_events(events):
    """A checked events table, or None (``events=None`` or ``False``: no events).

    Widgets never detect events themselves: pass an :class:`runform.Analysis` (its
    events) or an events table, so every view shows the same events as the report.
    """
    if events is None or events is False:
        return None
    return _check_events(events)


def _inputs(source, video, angles, events, who: str):
    """``(clip, video, angles, events)`` from an Analysis or a Clip and the arguments.

    An :class:`runform.Analysis` gives its filtered clip, its video, angles and events
    (arguments given explicitly win). A bare :class:`Clip` must be oriented; its angles
    are computed from it and it has no events unless given.
    """
    from ..analysis import Analysis

    if isinstance(source, Analysis):
        video = source.video if video is None else video
        if video is None:
            raise InputError(f"{who}: this analysis did not come from a video; pass video=... .")
        return (
            source.clip,
            video,
            source.angles if angles is None else angles,
            source.events if events is None else events,
        )
    if not isinstance(source, Clip):
        raise InputError(
            f"{who} needs a runform.Analysis or a runform.Clip, not {type(source).__name__}."
        )
    if video is None:
        raise InputError(f"{who} needs the video of the clip (video=...).")
    return source, video, source.angles() if angles is None else angles, events


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _column(table, name: str, side: str) -> np.ndarray:
    """Values of one angle (side-less name) as a float array; NaN if absent."""
    for col in (f"{side}_{name}_deg", f"{name}_deg"):
        if col in table:
            return table[col].to_numpy(dtype=float)
    return np.full(len(table), np.nan)


def _stance_masks(events, n: int) -> dict[str, np.ndarray]:
    """Per-frame stance flags per foot: IC frame to TO frame (the last in contact)."""
    out = {s: np.zeros(n, bool) for s in ("left", "right")}
    if events is not None:
        for r in events.itertuples():
            if r.foot in out:
                out[r.foot][max(0, int(r.ic_frame)) : max(0, min(n, int(r.to_frame) + 1))] = True
    return out


def _event_marks(events) -> dict[int, list[str]]:
    """Labels such as "left IC" by frame index."""
    out: dict[int, list[str]] = {}
    if events is not None:
        for r in events.itertuples():
            for k in ("ic", "to"):
                out.setdefault(int(getattr(r, f"{k}_frame")), []).append(f"{r.foot} {k.upper()}")
    return out


def _image_widget(data: bytes, fmt: str, width: int, cls: str):
    import ipywidgets as w

    img = w.Image(value=data, format=fmt, layout=w.Layout(width=f"{width}px", height="auto"))
    img.add_class(cls)
    return img


def _clicks(widget, handler, *, drag: bool = False):
    """Attach a click (and drag) handler through ipyevents; None when not installed."""
    if not has_click_support():
        return None
    from ipyevents import Event

    events = ["click", "mousemove"] if drag else ["click"]
    ev = Event(
        source=widget,
        watched_events=events,
        prevent_default_action=True,
        throttle_or_debounce="throttle",
        wait=40,
    )
    ev.on_dom_event(handler)
    return ev


class _Displayable:
    """Shows ``self.widget`` when the object is displayed in a notebook."""

    widget: Any

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def _plot_choices(table) -> list[str]:
    from ..kinematics import ANGLES

    out = []
    for a in ANGLES:
        cols = [f"{s}_{a.name}_deg" for s in ("left", "right")] if a.per_side else [f"{a.name}_deg"]
        if any(c in table for c in cols):
            out.append(a.name)
    return out
