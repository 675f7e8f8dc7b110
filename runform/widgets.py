"""Interactive widgets for teaching: frame player, compare view, goniometer, filter explorer.

This module only wires ipywidgets to runform: every number comes from the analysis
modules (:meth:`Clip.angles`, :mod:`runform.clean`, gait events) and every pixel from
:mod:`runform.display`. Display a widget by leaving it as the last expression of a
cell, or with ``IPython.display.display(widget)``; ``widget.widget`` is the
ipywidgets box itself.

Speed. A slider step decodes one JPEG from a downscaled :class:`FrameCache`, draws the
overlay with OpenCV on the small frame, encodes it again and moves a cursor on a plot
rendered once (:class:`runform.display.CursorPlot`): a few milliseconds per step
(``bench/widget_latency.py``). Clicking a plot or a frame needs the optional
``ipyevents`` package (``pip install runform[widgets]``); without it everything else
works and sliders do the job.

Gait events: pass a DataFrame with one row per contact (``foot``, ``ic_frame``,
``to_frame``, ``ic_s``, ``to_s``, ``near``); by default :func:`runform.events.detect_events`
is used when available, else the widgets run without events.
"""

from __future__ import annotations

import html
import math
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import display as _d
from .clip import Clip
from .errors import InputError, RunformError, RunformWarning
from .landmarks import INDEX
from .video import FrameCache, Video

__all__ = [
    "DEFAULT_PLOT_ANGLES", "CompareView", "Demo", "FilterExplorer", "FramePlayer",
    "Goniometer", "demo", "demo_angles", "demo_clip", "has_click_support",
]

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


def _load_events(clip: Clip, events):
    """Events given, detected with runform.events when available, or None.

    ``events=False`` disables events.
    """
    if events is False:
        return None
    if events is not None:
        return _check_events(events)
    try:
        from .events import detect_events
    except ImportError:
        return None
    try:
        return _check_events(detect_events(clip))
    except RunformError as exc:
        warnings.warn(f"No gait events for this clip ({exc}); the widgets run without them.",
                      RunformWarning, stacklevel=3)
        return None


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
                out[r.foot][max(0, int(r.ic_frame)):max(0, min(n, int(r.to_frame) + 1))] = True
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
    ev = Event(source=widget, watched_events=events, prevent_default_action=True,
               throttle_or_debounce="throttle", wait=40)
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


# ------------------------------------------------------------ frame player
class FramePlayer(_Displayable):
    """Scrub, play and step through a clip with its skeleton, angle arcs and angle plot.

    Parameters
    ----------
    clip : Clip
        Landmarks of the video (usually ``extract_pose(path).clean().oriented()``);
        frame ``i`` of the clip is frame ``i`` of the video.
    video : str, Path, Video or FrameCache
        The video the clip came from. A path or Video is decoded once into a
        downscaled :class:`FrameCache` (a few seconds; pass a cache to share it).
    angles : pandas.DataFrame, optional
        Angle table (default ``clip.angles()``).
    events : pandas.DataFrame, False or None
        Gait events (see the module notes). None: detect them if
        :mod:`runform.events` exists; False: none.
    plot_angles : sequence of str
        Angle names plotted (one axis each), e.g. ``("knee_flexion",)``.
    arcs : bool
        Draw angle arcs on the frame at start (a checkbox changes it).
    max_side : int
        Longest side of the displayed frame in pixels.
    budget_mb : float
        Memory budget of the frame cache.
    jump : {"both", "near", "left", "right"}
        Whose events the IC/TO jump buttons use.
    speed : float
        Initial playback speed (fraction of real time), one of :data:`SPEEDS`.
    window : "auto", float or None
        Seconds of the plot's time axis; None or 0 shows the whole clip, "auto" the whole
        clip up to :data:`AUTO_WINDOW_S` and a window of that length beyond. A window
        scrolls with the cursor like a strip chart (the long figure is rendered once).

    Attributes
    ----------
    slider : ipywidgets.IntSlider
        The frame index; set ``slider.value`` to move.
    image, plot, readout : ipywidgets widgets
        The frame (JPEG), the plot (JPEG) and the text readout (HTML).
    arcs : dict of str to runform.display.Arc
        Arcs drawn on the current frame.
    cursor_px : float
        Pixel column of the plot cursor.
    """

    def __init__(self, clip: Clip, video, angles=None, events=None, *,
                 plot_angles=DEFAULT_PLOT_ANGLES, arcs: bool = True, max_side: int = 640,
                 budget_mb: float = 150.0, jump: str = "both", speed: float = 0.5,
                 window="auto"):
        import ipywidgets as w

        if not isinstance(clip, Clip):
            raise InputError(f"FramePlayer needs a runform.Clip, not {type(clip).__name__}.")
        if jump not in ("both", "near", "left", "right"):
            raise InputError(f"jump must be 'both', 'near', 'left' or 'right', not {jump!r}.")
        if speed not in [v for _, v in SPEEDS]:
            raise InputError(f"speed must be one of {[v for _, v in SPEEDS]}, not {speed!r}.")
        if not (window in ("auto", None) or (isinstance(window, int | float) and window >= 0)):
            raise InputError(f"window must be 'auto', None or seconds >= 0, not {window!r}.")
        self.clip = clip
        self.cache = _frame_cache(video, max_side, budget_mb)
        self.n_frames = min(len(self.cache), clip.n_frames)
        if self.n_frames < 1:
            raise InputError("The clip has no frames to show.")
        self.table = clip.angles() if angles is None else angles
        self.events = _load_events(clip, events)
        self.near_side = clip.near_side
        self.side = clip.near_side or "left"
        self.jump = jump
        self.arcs: dict[str, _d.Arc] = {}
        self.cursor_px = float("nan")
        self._stance = _stance_masks(self.events, self.n_frames)
        self._marks = _event_marks(self.events)
        self._arc_values = {a: _column(self.table, a, self.side) for a in _d.ARC_ANGLE.values()}

        frame0 = self.cache.frame(0)
        self._frame_hw = frame0.shape[:2]
        self.slider = w.IntSlider(0, 0, self.n_frames - 1, description="frame",
                                  continuous_update=True, layout=w.Layout(width="420px"))
        self.slider.add_class("runform-slider")
        self.play = w.Play(value=0, min=0, max=self.n_frames - 1, repeat=True,
                           description="play")
        w.jslink((self.play, "value"), (self.slider, "value"))
        self.speed = w.Dropdown(options=SPEEDS, value=speed, description="speed",
                                layout=w.Layout(width="150px"))
        self.show_arcs = w.Checkbox(value=arcs, description="angle arcs", indent=False,
                                    layout=w.Layout(width="110px"))
        names = _plot_choices(self.table)
        chosen = tuple(a for a in plot_angles if a in names) or tuple(names[:1])
        self.choose = w.SelectMultiple(options=names, value=chosen, rows=3,
                                       description="plot", layout=w.Layout(width="300px"))
        spans = _window_options(clip.duration_s)
        if window not in ("auto", None) and float(window) not in [v for _, v in spans]:
            spans.append((f"{float(window):g} s", float(window)))
        self.window = w.Dropdown(options=spans, description="show",
                                 value=_default_window(clip.duration_s) if window == "auto"
                                 else float(window or 0.0), layout=w.Layout(width="200px"))
        self.image = _image_widget(b"", "jpeg", frame0.shape[1], "runform-frame")
        self.plot = _image_widget(b"", "jpeg", 10, "runform-plot")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")
        buttons = self._buttons()
        self._build_plot()
        self._wire()
        self.widget = self._layout(buttons)
        self.show(0)

    # ----------------------------------------------------------- layout
    def _buttons(self) -> list:
        import ipywidgets as w

        def button(label, tip, fn, disabled=False):
            b = w.Button(description=label, tooltip=tip, disabled=disabled,
                         layout=w.Layout(width="62px"))
            b.on_click(lambda _b: fn())
            return b

        no_events = self.events is None or len(self.events) == 0
        return [
            button("◀ 1", "previous frame", lambda: self.step(-1)),
            button("1 ▶", "next frame", lambda: self.step(1)),
            button("◀ IC", "previous initial contact", lambda: self.jump_to("ic", -1), no_events),
            button("IC ▶", "next initial contact", lambda: self.jump_to("ic", 1), no_events),
            button("◀ TO", "previous toe-off", lambda: self.jump_to("to", -1), no_events),
            button("TO ▶", "next toe-off", lambda: self.jump_to("to", 1), no_events),
        ]

    def _layout(self, buttons):
        import ipywidgets as w

        self.hint = w.HTML(self._hint())
        controls = w.VBox([
            w.HBox([self.play, self.slider, *buttons[:2]]),
            w.HBox([*buttons[2:], self.speed, self.show_arcs]),
            w.HBox([self.choose, self.window, self.hint]),
        ])
        h, wd = self._frame_hw
        side = w.VBox([self.plot, self.readout])
        view = w.HBox([self.image, side]) if h >= wd else w.VBox([self.image, side])
        box = w.VBox([view, controls])
        box.add_class("runform-player")
        return box

    def _hint(self) -> str:
        parts = []
        if self.events is None:
            parts.append("no gait events")
        if self._click is None:
            parts.append("install ipyevents to click the plot")
        else:
            parts.append("click or drag on the plot to move")
        return f"<small>{html.escape('; '.join(parts))}</small>"

    def _wire(self) -> None:
        self.slider.observe(lambda ch: self.show(ch["new"]), "value")
        self.speed.observe(lambda _ch: self._set_speed(), "value")
        self.show_arcs.observe(lambda _ch: self.show(self.frame), "value")
        self.choose.observe(lambda _ch: self._replot(), "value")
        self.window.observe(lambda _ch: self._replot(), "value")
        self._click = _clicks(self.plot, self._on_plot_event, drag=True)
        self._set_speed()

    def _plot_size(self) -> tuple[int, int]:
        """Displayed plot size: beside a portrait frame and as tall, or below a landscape one."""
        h, wd = self._frame_hw
        if h >= wd:
            return 560, max(300, h - 70)
        return max(480, wd), 300

    def _build_plot(self) -> None:
        """Render the angle figure once; with a window it is wider than shown (a strip)."""
        names = list(self.choose.value)
        times = self.clip.time[:self.n_frames]
        t0, t1 = float(times[0]), max(float(times[-1]), float(times[0]) + 1e-3)
        w, h = self._plot_size()
        span = self.window.value or None
        left, right = _d.PLOT_MARGINS_PX[:2]
        if span is not None and span < t1 - t0:
            inner = (w - left - right) * (t1 - t0) / span
            w = int(min(left + right + inner, MAX_PLOT_PX))
        fig, axes = _d.angle_figure(times, self.table.iloc[:self.n_frames], names,
                                    near_side=self.near_side, events=self.events,
                                    size_px=(w, h), xlim=(t0, t1))
        self._cursor = _d.CursorPlot(fig, axes)
        self._span = span if span is not None and span < t1 - t0 else None
        if self._span is not None:
            self._cursor.set_view(t0, self._span)
        self._plot_values = [_column(self.table, a, self.side) for a in names]
        self.plot.layout.width = f"{self._cursor.width}px"

    def _replot(self) -> None:
        self._build_plot()
        self.show(self.frame)

    def _scroll(self, t: float) -> None:
        """Centre the plot's time window on ``t`` (strip-chart view of long clips)."""
        if self._span is not None:
            self._cursor.set_view(t - self._span / 2)

    def _set_speed(self) -> None:
        interval = 1000.0 / (self.clip.fps * self.speed.value)
        step = max(1, math.ceil(MIN_INTERVAL_MS / interval))
        self.play.step = step
        self.play.interval = max(1, round(interval * step))

    # ----------------------------------------------------------- actions
    @property
    def frame(self) -> int:
        """The frame index shown."""
        return int(self.slider.value)

    def step(self, delta: int) -> None:
        """Move ``delta`` frames (clipped to the clip)."""
        self.slider.value = int(np.clip(self.frame + delta, 0, self.n_frames - 1))

    def event_frames(self, kind: str) -> np.ndarray:
        """Sorted frames of initial contacts (``"ic"``) or toe-offs (``"to"``) to jump to."""
        if kind not in ("ic", "to"):
            raise InputError(f"kind must be 'ic' or 'to', not {kind!r}.")
        if self.events is None or len(self.events) == 0:
            return np.array([], int)
        ev = self.events
        foot = self.near_side if self.jump == "near" else self.jump
        if foot in ("left", "right"):
            ev = ev[ev["foot"] == foot]
        return np.unique(ev[f"{kind}_frame"].to_numpy(dtype=int))

    def jump_to(self, kind: str, direction: int) -> None:
        """Go to the next (``direction=1``) or previous (-1) IC or TO, if any."""
        frames = self.event_frames(kind)
        frames = frames[(frames >= 0) & (frames < self.n_frames)]
        ahead = frames[frames > self.frame] if direction > 0 else frames[frames < self.frame]
        if len(ahead):
            self.slider.value = int(ahead[0] if direction > 0 else ahead[-1])

    def frame_at_time(self, t: float) -> int:
        """The frame nearest to time ``t`` (seconds)."""
        times = self.clip.time[:self.n_frames]
        return int(np.argmin(np.abs(times - float(t))))

    def click_plot(self, px: float, py: float | None = None) -> None:
        """Move to the time under plot pixel column ``px`` (what a click does)."""
        if py is not None and not self._cursor.inside(px, py):
            return
        self.slider.value = self.frame_at_time(self._cursor.px_to_x(px))

    def _on_plot_event(self, event: dict) -> None:
        if event.get("type") == "mousemove" and not event.get("buttons", 0) & 1:
            return
        if "dataX" in event:
            self.click_plot(event["dataX"], event.get("dataY"))

    # ---------------------------------------------------------- drawing
    def overlay_points(self, i: int | None = None) -> np.ndarray:
        """Landmarks of frame ``i`` (default: current) in displayed-frame pixels, (33, 2)."""
        i = self.frame if i is None else int(i)
        return self.clip.xy[i] * self.cache.scale

    def values(self, i: int | None = None) -> dict[str, float]:
        """Arc angles of frame ``i`` (default: current), degrees, for the near leg."""
        i = self.frame if i is None else int(i)
        return {a: float(v[i]) for a, v in self._arc_values.items()}

    def render_frame(self, i: int) -> np.ndarray:
        """Frame ``i`` with its overlay, as a BGR array (what the player shows)."""
        img = self.cache.frame(i)
        _d.draw_skeleton(img, self.clip.xy[i], self.clip.visibility[i],
                         scale=self.cache.scale, near_side=self.near_side)
        self.arcs = {}
        if self.show_arcs.value:
            self.arcs = _d.draw_angle_arcs(img, self.clip.xy[i], self.values(i),
                                           side=self.side, scale=self.cache.scale)
        return img

    def show(self, i: int) -> None:
        """Repaint frame ``i``: image, plot cursor and readout (the slider callback)."""
        i = int(np.clip(i, 0, self.n_frames - 1))
        self.image.value = _d.encode_jpeg(self.render_frame(i), 85)
        t = float(self.clip.time[i])
        self._scroll(t)
        self.cursor_px = self._cursor.x_to_px(t)
        self.plot.value = self._cursor.render(t, [v[i] for v in self._plot_values])
        self.readout.value = self._readout(i)

    def _readout(self, i: int) -> str:
        t = self.clip.time[i]
        feet = []
        for s in ("left", "right"):
            tag = " (near)" if s == self.near_side else ""
            phase = "stance" if self._stance[s][i] else "swing"
            feet.append(f"{s}{tag}: {phase if self.events is not None else '?'}")
        marks = self._event_marks(i)
        vals = " · ".join(f"{_d.ANGLE_LABELS[a]} {v:+.1f}°" for a, v in self.values(i).items()
                          if np.isfinite(v))
        return (f"<div style='font-family:monospace;font-size:13px'>"
                f"<b>frame {i}</b> / {self.n_frames - 1} · {t:.3f} s · "
                f"{html.escape(' · '.join(feet))}{marks}<br>"
                f"{html.escape(self.side)} leg: {html.escape(vals or 'angles unknown')}"
                f"<br><small>one frame = {self.clip.frame_ms:.1f} ms</small></div>")

    def _event_marks(self, i: int) -> str:
        marks = self._marks.get(i)
        return f" · <b>{html.escape(', '.join(marks))}</b>" if marks else ""


def _window_options(duration_s: float) -> list[tuple[str, float]]:
    """Plot time spans offered; 0 = the whole clip (a Dropdown cannot hold None)."""
    spans = [s for s in (2.0, 5.0, AUTO_WINDOW_S) if s < duration_s]
    return [("whole clip", 0.0)] + [(f"{s:g} s", s) for s in spans]


def _default_window(duration_s: float) -> float:
    return 0.0 if duration_s <= AUTO_WINDOW_S else AUTO_WINDOW_S


def _plot_choices(table) -> list[str]:
    from .kinematics import ANGLES

    out = []
    for a in ANGLES:
        cols = [f"{s}_{a.name}_deg" for s in ("left", "right")] if a.per_side else [
            f"{a.name}_deg"]
        if any(c in table for c in cols):
            out.append(a.name)
    return out


# ------------------------------------------------------------ compare view
@dataclass
class _Source:
    clip: Clip
    cache: FrameCache
    table: Any
    events: Any


def _source(obj, video, events, max_side: int, budget_mb: float) -> _Source:
    if isinstance(obj, FramePlayer):
        return _Source(obj.clip, obj.cache, obj.table, obj.events)
    if not isinstance(obj, Clip):
        raise InputError(f"CompareView takes FramePlayers or Clips, not {type(obj).__name__}.")
    if video is None:
        raise InputError("CompareView needs the video of each clip (video_a=..., video_b=...).")
    return _Source(obj, _frame_cache(video, max_side, budget_mb), obj.angles(),
                   _load_events(obj, events))


def _cycles(src: _Source, foot: str) -> list[tuple[int, int, int]]:
    """Gait cycles of ``foot``: (IC frame, TO frame, next IC frame)."""
    if src.events is None:
        return []
    ev = src.events[src.events["foot"] == foot].sort_values("ic_frame")
    if "complete" in ev:  # a contact cut by the clip's start has no real IC
        ev = ev[ev["complete"].astype(bool) | (ev["ic_frame"] > 0)]
    ic, to = ev["ic_frame"].to_numpy(int), ev["to_frame"].to_numpy(int)
    n = min(len(src.cache), src.clip.n_frames)
    return [(int(ic[k]), int(to[k]), int(ic[k + 1])) for k in range(len(ic) - 1)
            if ic[k + 1] < n]


class CompareView(_Displayable):
    """Two gait cycles side by side, aligned at initial contact, scrubbed in % of cycle.

    Parameters
    ----------
    a, b : FramePlayer or Clip
        The two sources (the same player twice compares two strides of one clip).
        A player's frame cache and events are reused; a clip needs its video.
    video_a, video_b : str, Path, Video or FrameCache, optional
        Videos of clips given as :class:`Clip`.
    events_a, events_b : pandas.DataFrame, optional
        Gait events of clips given as :class:`Clip` (default: detected if possible).
    stride_a, stride_b : int
        Which gait cycle of each source (0 = the first complete one).
    foot : {"left", "right"} or None
        Foot whose initial contacts delimit a cycle; default each clip's near side.
    plot_angles : sequence of str
        Angles overlaid, one axis each.
    labels : (str, str), optional
        Names of the two sides.
    max_side : int
        Longest side of each frame in pixels.

    Attributes
    ----------
    slider : ipywidgets.FloatSlider
        Position in % of the gait cycle (0 = initial contact).
    frames : (int, int)
        The frame shown of each source.
    """

    def __init__(self, a, b, *, video_a=None, video_b=None, events_a=None, events_b=None,
                 stride_a: int = 0, stride_b: int = 0, foot: str | None = None,
                 plot_angles=DEFAULT_PLOT_ANGLES, labels=None, max_side: int = 400,
                 budget_mb: float = 100.0):
        import ipywidgets as w

        self.sources = [_source(a, video_a, events_a, max_side, budget_mb),
                        _source(b, video_b, events_b, max_side, budget_mb)]
        self.feet = [foot or s.clip.near_side or "left" for s in self.sources]
        self.labels = list(labels or ("A", "B"))
        self.cycles = [self._cycle(s, f, k, lab) for s, f, k, lab in zip(
            self.sources, self.feet, (stride_a, stride_b), self.labels, strict=True)]
        self.names = list(plot_angles)
        self.percent = np.arange(101.0)
        curves = [self._curve(s, c, f) for s, c, f in zip(self.sources, self.cycles,
                                                          self.feet, strict=True)]
        self.toe_off = [100.0 * (c[1] - c[0]) / (c[2] - c[0]) for c in self.cycles]
        fig, axes = _d.compare_figure(self.percent, curves, self.names,
                                      labels=[f"{lab} ({f})" for lab, f in
                                              zip(self.labels, self.feet, strict=True)],
                                      toe_off=self.toe_off, size_px=(640, 300))
        self._cursor = _d.CursorPlot(fig, axes)
        self._curves = curves
        self.slider = w.FloatSlider(0.0, min=0.0, max=100.0, step=1.0,
                                    description="% cycle", readout_format=".0f",
                                    layout=w.Layout(width="480px"))
        self.slider.add_class("runform-slider")
        self.images = [_image_widget(b"", "jpeg", s.cache.frame(0).shape[1], "runform-frame")
                       for s in self.sources]
        self.plot = _image_widget(b"", "jpeg", self._cursor.width, "runform-plot")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")
        self.frames = (0, 0)
        self.slider.observe(lambda ch: self.show(ch["new"]), "value")
        self._click = _clicks(self.plot, self._on_plot_event, drag=True)
        self.widget = w.VBox([w.HBox(self.images), self.slider, self.plot, self.readout])
        self.show(0.0)

    @staticmethod
    def _cycle(src: _Source, foot: str, k: int, label: str) -> tuple[int, int, int]:
        cycles = _cycles(src, foot)
        if not cycles:
            raise InputError(
                f"{label}: no complete gait cycle of the {foot} foot (two initial contacts "
                "are needed). Pass gait events (events_a=..., or a FramePlayer that has them)."
            )
        if not 0 <= k < len(cycles):
            raise InputError(f"{label}: stride {k} does not exist; the clip has "
                             f"{len(cycles)} complete {foot} cycles (0..{len(cycles) - 1}).")
        return cycles[k]

    def _curve(self, src: _Source, cyc, foot: str) -> dict[str, np.ndarray]:
        ic, _, nxt = cyc
        frames = np.arange(ic, nxt + 1)
        pct = 100.0 * (frames - ic) / (nxt - ic)
        return {a: np.interp(self.percent, pct, _column(src.table, a, foot)[frames])
                for a in self.names}

    def frame_at(self, percent: float) -> tuple[int, int]:
        """Frames of both sources at ``percent`` of their gait cycles (nearest frame)."""
        p = float(np.clip(percent, 0.0, 100.0)) / 100.0
        return tuple(int(np.rint(ic + p * (nxt - ic))) for ic, _, nxt in self.cycles)

    def show(self, percent: float) -> None:
        """Repaint both frames, the cursor and the readout at ``percent`` of the cycle."""
        self.frames = self.frame_at(percent)
        for img_w, src, f, foot in zip(self.images, self.sources, self.frames, self.feet,
                                       strict=True):
            img = src.cache.frame(f)
            _d.draw_skeleton(img, src.clip.xy[f], src.clip.visibility[f],
                             scale=src.cache.scale, near_side=src.clip.near_side)
            vals = {a: float(_column(src.table, a, foot)[f]) for a in _d.ARC_ANGLE.values()}
            _d.draw_angle_arcs(img, src.clip.xy[f], vals, side=foot, scale=src.cache.scale)
            img_w.value = _d.encode_jpeg(img, 85)
        k = int(np.rint(np.clip(percent, 0, 100)))
        self.plot.value = self._cursor.render(percent, [self._curves[0][a][k]
                                                        for a in self.names])
        self.readout.value = self._readout(percent)

    def _readout(self, percent: float) -> str:
        rows = []
        for lab, cyc, f, curve in zip(self.labels, self.cycles, self.frames, self._curves,
                                      strict=True):
            k = int(np.rint(np.clip(percent, 0, 100)))
            vals = " · ".join(f"{_d.ANGLE_LABELS.get(a, a)} {curve[a][k]:+.1f}°"
                              for a in self.names)
            rows.append(f"<b>{html.escape(lab)}</b> frame {f} (IC {cyc[0]}, TO {cyc[1]}, "
                        f"next IC {cyc[2]}): {html.escape(vals)}")
        return (f"<div style='font-family:monospace;font-size:13px'>{percent:.0f} % of the "
                f"gait cycle<br>{'<br>'.join(rows)}</div>")

    def _on_plot_event(self, event: dict) -> None:
        if event.get("type") == "mousemove" and not event.get("buttons", 0) & 1:
            return
        if "dataX" in event and self._cursor.inside(event["dataX"], event.get("dataY", 0)):
            self.slider.value = float(np.clip(round(self._cursor.px_to_x(event["dataX"])),
                                              0, 100))


# -------------------------------------------------------------- goniometer
#: For each angle the goniometer can check: landmarks A, B (vertex), C, and how the
#: angle ABC becomes the angle runform reports (science.md §1). As with a real
#: goniometer on the ankle, the foot arm runs from the malleolus parallel to the sole
#: ("sole" = ankle + heel→toe), not to the toe tip.
GONIOMETER = {
    "knee_flexion": (("hip", "knee", "ankle"), "180 − ABC", lambda abc: 180.0 - abc),
    "hip_flexion": (("shoulder", "hip", "knee"), "180 − ABC (sign not shown)",
                    lambda abc: 180.0 - abc),
    "ankle_dorsiflexion": (("knee", "ankle", "sole"), "90 − ABC (arm BC parallel to the sole)",
                           lambda abc: 90.0 - abc),
}


class Goniometer(_Displayable):
    """Measure an angle by hand on a frame and compare it with runform's value.

    Place points A, B (the vertex) and C with the sliders, or by clicking on the
    frame (with ipyevents: each click places the selected point and selects the next).
    "Snap to landmarks" puts them on the pose landmarks of the chosen joint.

    Parameters
    ----------
    clip : Clip
        Landmarks.
    video : str, Path, Video, FrameCache or FramePlayer
        The video (a player's frame cache is reused).
    angles : pandas.DataFrame, optional
        Angle table (default ``clip.angles()``).
    frame : int
        First frame shown.
    angle : {"knee_flexion", "hip_flexion", "ankle_dorsiflexion"}
        What is being measured.
    side : {"left", "right"}, optional
        Leg (default: the near side).

    Attributes
    ----------
    points : list of three (x, y)
        A, B, C in full-size image pixels.
    angle_deg : float
        The angle ABC in degrees.
    hand_value : float
        ABC converted to the chosen angle's convention.
    runform_value : float
        runform's value of that angle at the frame.
    """

    def __init__(self, clip: Clip, video, angles=None, *, frame: int = 0,
                 angle: str = "knee_flexion", side: str | None = None, max_side: int = 640):
        import ipywidgets as w

        if angle not in GONIOMETER:
            raise InputError(f"angle must be one of {sorted(GONIOMETER)}, not {angle!r}.")
        self.clip = clip
        if isinstance(video, FramePlayer):
            self.cache, angles = video.cache, angles if angles is not None else video.table
        else:
            self.cache = _frame_cache(video, max_side, 150.0)
        self.table = clip.angles() if angles is None else angles
        self.side = side or clip.near_side or "left"
        self.n_frames = min(len(self.cache), clip.n_frames)
        self.frame_slider = w.IntSlider(int(np.clip(frame, 0, self.n_frames - 1)), 0,
                                        self.n_frames - 1, description="frame",
                                        continuous_update=False)
        self.which = w.Dropdown(options=list(GONIOMETER), value=angle, description="angle")
        self.active = w.ToggleButtons(options=["A", "B", "C"], value="A",
                                      description="click sets",
                                      style={"button_width": "40px"})
        self.xy_sliders = [self._coord_slider(f"{p}{ax}", clip.width if ax == "x" else
                                              clip.height) for p in "ABC" for ax in "xy"]
        self.snap = w.Button(description="snap to landmarks")
        self.image = _image_widget(b"", "jpeg", self.cache.frame(0).shape[1], "runform-frame")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")
        self._hold = False
        self._wire()
        self.widget = w.HBox([self.image, w.VBox([
            self.frame_slider, self.which, self.active, *self._slider_rows(),
            self.snap, self.readout])])
        self.snap_to_landmarks()

    @staticmethod
    def _coord_slider(name: str, top: int):
        import ipywidgets as w

        # step 0.1: the browser rounds values to the step, so whole pixels would cost ~0.5°
        return w.FloatSlider(0.0, min=0.0, max=float(top), step=0.1, description=name,
                             continuous_update=True, readout_format=".1f",
                             layout=w.Layout(width="300px"))

    def _slider_rows(self) -> list:
        import ipywidgets as w

        s = self.xy_sliders
        return [w.HBox([s[0], s[1]]), w.HBox([s[2], s[3]]), w.HBox([s[4], s[5]])]

    def _wire(self) -> None:
        self.frame_slider.observe(lambda _c: self.snap_to_landmarks(), "value")
        self.which.observe(lambda _c: self.snap_to_landmarks(), "value")
        self.active.observe(lambda _c: self.redraw(), "value")
        for s in self.xy_sliders:
            s.observe(lambda _c: self.redraw(), "value")
        self.snap.on_click(lambda _b: self.snap_to_landmarks())
        self._click = _clicks(self.image, self._on_image_event)

    # ---------------------------------------------------------- points
    @property
    def frame(self) -> int:
        """The frame shown."""
        return int(self.frame_slider.value)

    @property
    def points(self) -> list[tuple[float, float]]:
        """A, B, C in full-size image pixels."""
        v = [s.value for s in self.xy_sliders]
        return [(v[0], v[1]), (v[2], v[3]), (v[4], v[5])]

    def set_points(self, a, b, c) -> None:
        """Place A, B (vertex) and C, in full-size image pixels, and repaint once."""
        self._hold = True
        try:
            for s, v in zip(self.xy_sliders, [*a, *b, *c], strict=True):
                s.value = float(np.clip(v, s.min, s.max))
        finally:
            self._hold = False
        self.redraw()

    def landmark_points(self) -> list[tuple[float, float]] | None:
        """The landmarks of the chosen angle at this frame, or None if one is unknown."""
        names, _, _ = GONIOMETER[self.which.value]
        pts = []
        for j in names:
            if j == "shoulder":  # runform's trunk line starts at the shoulder midpoint
                with np.errstate(invalid="ignore"):
                    p = np.nanmean([self.clip.xy[self.frame, INDEX[f"{s}_shoulder"]]
                                    for s in ("left", "right")], axis=0)
            elif j == "sole":  # goniometer arm from the ankle, parallel to heel→toe
                xy = self.clip.xy[self.frame]
                p = xy[INDEX[f"{self.side}_ankle"]] + xy[INDEX[f"{self.side}_foot_index"]] - xy[
                    INDEX[f"{self.side}_heel"]]
            else:
                p = self.clip.xy[self.frame, INDEX[f"{self.side}_{j}"]]
            if not np.isfinite(p).all():
                return None
            pts.append((float(p[0]), float(p[1])))
        return pts

    def snap_to_landmarks(self) -> None:
        """Put A, B, C on the pose landmarks of the chosen angle (if known)."""
        pts = self.landmark_points()
        if pts is None:
            self.redraw()
        else:
            self.set_points(*pts)

    def click(self, x: float, y: float) -> None:
        """Place the selected point at displayed-frame pixel (x, y); select the next."""
        k = "ABC".index(self.active.value)
        s = self.cache.scale
        self._hold = True
        try:
            self.xy_sliders[2 * k].value = float(np.clip(x / s, 0, self.clip.width))
            self.xy_sliders[2 * k + 1].value = float(np.clip(y / s, 0, self.clip.height))
        finally:
            self._hold = False
        self.active.value = "ABC"[(k + 1) % 3]
        self.redraw()

    def _on_image_event(self, event: dict) -> None:
        if "dataX" in event:
            self.click(event["dataX"], event["dataY"])

    # ---------------------------------------------------------- values
    @property
    def angle_deg(self) -> float:
        """The angle ABC in degrees (0–180)."""
        return _d.three_point_angle(*self.points)

    @property
    def hand_value(self) -> float:
        """ABC converted to the convention of the chosen angle, degrees."""
        return float(GONIOMETER[self.which.value][2](self.angle_deg))

    @property
    def runform_value(self) -> float:
        """runform's value of the chosen angle at this frame, degrees."""
        return float(_column(self.table, self.which.value, self.side)[self.frame])

    def redraw(self) -> None:
        """Repaint the frame with the goniometer and update the readout."""
        if self._hold:
            return
        img = self.cache.frame(self.frame)
        _d.draw_skeleton(img, self.clip.xy[self.frame], self.clip.visibility[self.frame],
                         scale=self.cache.scale, near_side=self.clip.near_side)
        _d.draw_goniometer(img, self.points, scale=self.cache.scale,
                           active="ABC".index(self.active.value))
        self.image.value = _d.encode_jpeg(img, 85)
        self.readout.value = self._readout()

    def _readout(self) -> str:
        name = self.which.value
        _, rule, _ = GONIOMETER[name]
        hand, auto = self.hand_value, self.runform_value
        diff = f"{hand - auto:+.1f}°" if np.isfinite(hand) and np.isfinite(auto) else "–"
        return (f"<div style='font-family:monospace;font-size:13px'>frame {self.frame} · "
                f"ABC = {self.angle_deg:.1f}°<br>{html.escape(name.replace('_', ' '))} "
                f"by hand = {html.escape(rule)} = <b>{hand:.1f}°</b><br>"
                f"runform ({html.escape(self.side)}): <b>{auto:.1f}°</b> · difference {diff}"
                "</div>")


# --------------------------------------------------------- filter explorer
class FilterExplorer(_Displayable):
    """See what the low-pass cutoff does to a landmark trace, an angle and its peak.

    The clip is cleaned once without filtering (mask, gap fill, swap repair); each
    cutoff then runs :func:`runform.clean.butterworth` and the angle table again.
    Winter's residual analysis (:func:`runform.clean.residual_analysis`) of the
    chosen landmark coordinate suggests a cutoff.

    Parameters
    ----------
    clip : Clip
        Raw landmarks (as :func:`runform.extract_pose` returns them).
    point : str
        Landmark joint without side: ``"foot_index"``, ``"heel"``, ``"ankle"``...
    coordinate : {"x", "y"}
        Which image coordinate of the landmark is shown and analysed.
    angle : str
        Angle name, e.g. ``"ankle_dorsiflexion"``.
    side : {"left", "right"}, optional
        Leg (default: the near side).
    cutoff_hz : float, optional
        Initial cutoff (default :func:`runform.clean.default_cutoff`).
    view_s : float
        Seconds of the traces shown at first, centred on the raw angle's peak (a range
        slider moves the view; the peaks are those of the whole clip).

    Attributes
    ----------
    slider : ipywidgets.FloatSlider
        The cutoff in Hz.
    peak_raw, peak_filtered : float
        Highest value of the angle before and after filtering, degrees.
    suggested_hz : float
        Cutoff suggested by residual analysis.
    """

    POINTS = ("foot_index", "heel", "ankle", "knee", "hip")

    def __init__(self, clip: Clip, *, point: str = "foot_index", coordinate: str = "y",
                 angle: str = "ankle_dorsiflexion", side: str | None = None,
                 cutoff_hz: float | None = None, view_s: float = 3.0):
        import ipywidgets as w

        from .clean import DUAL_PASS_CORRECTION, clean, default_cutoff

        base = clean(clip, cutoff_hz=None)
        self.base = base if base.direction is not None else base.oriented()
        self.side = side or self.base.near_side or "left"
        self.raw_angles = self.base.angles()
        top = math.floor(0.95 * DUAL_PASS_CORRECTION * clip.fps / 2 * 2) / 2
        start = default_cutoff(clip.fps) if cutoff_hz is None else float(cutoff_hz)
        self.slider = w.FloatSlider(min(start, top), min=1.0, max=top, step=0.5,
                                    description="cutoff Hz", continuous_update=False)
        self.slider.add_class("runform-slider")
        self.point = w.Dropdown(options=self.POINTS, value=point, description="landmark")
        self.coordinate = w.ToggleButtons(options=["x", "y"], value=coordinate,
                                          style={"button_width": "40px"})
        self.angle = w.Dropdown(options=_plot_choices(self.raw_angles), value=angle,
                                description="angle")
        t0, t1 = float(self.base.time[0]), float(self.base.time[-1])
        self.view = w.FloatRangeSlider(value=self._around_peak(angle, view_s), min=t0, max=t1,
                                       step=0.1, description="time (s)", readout_format=".1f",
                                       continuous_update=False, layout=w.Layout(width="420px"))
        self.image = _image_widget(b"", "png", 720, "runform-plot")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")
        for wd in (self.slider, self.angle, self.view):
            wd.observe(lambda _c: self.update(), "value")
        for wd in (self.point, self.coordinate):
            wd.observe(lambda _c: self._residuals(), "value")
        self.widget = w.VBox([w.HBox([self.slider, self.point, self.coordinate, self.angle]),
                              self.view, self.image, self.readout])
        self._residuals()

    def _column_name(self, angle: str) -> str:
        col = f"{self.side}_{angle}_deg"
        return col if col in self.raw_angles else f"{angle}_deg"

    def _around_peak(self, angle: str, span: float) -> tuple[float, float]:
        """A time window of ``span`` seconds centred on the raw angle's peak."""
        t = self.base.time
        values = self.raw_angles[self._column_name(angle)].to_numpy(float)
        centre = t[int(np.nanargmax(values))] if np.isfinite(values).any() else t[0]
        lo = float(np.clip(centre - span / 2, t[0], max(t[0], t[-1] - span)))
        return lo, min(float(t[-1]), lo + span)

    @property
    def cutoff(self) -> float:
        """The cutoff in Hz."""
        return float(self.slider.value)

    def _trace(self, clip: Clip) -> np.ndarray:
        name = f"{self.side}_{self.point.value}"
        return clip.xy[:, INDEX[name], "xy".index(self.coordinate.value)]

    def _residuals(self) -> None:
        from .clean import residual_analysis

        self.cutoffs, self.residuals, self.suggested_hz = residual_analysis(
            self._trace(self.base), self.base.fps)
        self.update()

    def update(self) -> None:
        """Filter at the current cutoff and redraw (the slider callback)."""
        from .clean import butterworth

        filtered = butterworth(self.base, self.cutoff)
        col = self._column_name(self.angle.value)
        raw_a = self.raw_angles[col].to_numpy(float)
        filt_a = filtered.angles()[col].to_numpy(float)
        self.peak_raw = float(np.nanmax(raw_a)) if np.isfinite(raw_a).any() else math.nan
        self.peak_filtered = float(np.nanmax(filt_a)) if np.isfinite(filt_a).any() else math.nan
        fig = _d.filter_figure(
            self.base.time, self._trace(self.base), self._trace(filtered), raw_a, filt_a,
            self.cutoffs, self.residuals, cutoff_hz=self.cutoff,
            suggested_hz=self.suggested_hz,
            point_label=f"{self.side} {self.point.value} {self.coordinate.value} (px)",
            angle_label=f"{col.removesuffix('_deg').replace('_', ' ')} (°)",
            xlim=self.view.value)
        self.image.value = _d.figure_png(fig)
        self.readout.value = self._readout(col)

    def _readout(self, col: str) -> str:
        drop = self.peak_filtered - self.peak_raw
        sug = (f"{self.suggested_hz:.1f} Hz" if np.isfinite(self.suggested_hz)
               else "not available")
        return (f"<div style='font-family:monospace;font-size:13px'>cutoff "
                f"{self.cutoff:.1f} Hz at {self.base.fps:g} fps · residual analysis suggests "
                f"{sug}<br>peak {html.escape(col.removesuffix('_deg').replace('_', ' '))}: "
                f"raw {self.peak_raw:.1f}° → filtered <b>{self.peak_filtered:.1f}°</b> "
                f"({drop:+.1f}°)</div>")


# --------------------------------------------------------------- demo data
@dataclass(frozen=True)
class Demo:
    """A synthetic runner for trying the widgets without MediaPipe or data files.

    Attributes
    ----------
    clip : Clip
        Landmarks (treadmill, facing ``direction``, near side = the side facing the
        camera); the far foot's heel and toe drop to visibility 0.3 for a tenth of
        each cycle (hidden behind the near leg), 0.85 otherwise.
    video : Path
        A matching video: a grey mannequin on the same trajectories.
    events : pandas.DataFrame
        The true gait events (the contract of :func:`runform.events.detect_events`).
    """

    clip: Clip
    video: Path
    events: Any


#: Gait cycle of the demo runner: period (s), toe-off phase, right-leg phase shift.
DEMO_PERIOD_S, DEMO_TOE_OFF, DEMO_SHIFT = 0.7, 0.38, 0.5


def _bump(p: np.ndarray, centre: float, width: float) -> np.ndarray:
    d = (p - centre + 0.5) % 1.0 - 0.5
    return np.exp(-((d / width) ** 2))


def demo_angles(phase: np.ndarray) -> dict[str, np.ndarray]:
    """The demo runner's thigh angle, knee flexion and ankle dorsiflexion (degrees).

    ``phase`` is the fraction of the gait cycle from initial contact (0) to the next
    one (1); toe-off is at :data:`DEMO_TOE_OFF`.
    """
    p = np.asarray(phase, float) % 1.0
    thigh = 5.0 + 22.0 * np.cos(2 * np.pi * (p - 0.9))
    knee = 10.0 + 30.0 * _bump(p, 0.15, 0.08) + 85.0 * _bump(p, 0.68, 0.13)
    ankle = 2.0 + 16.0 * _bump(p, 0.22, 0.1) - 22.0 * _bump(p, 0.45, 0.06)
    return {"thigh_angle": thigh, "knee_flexion": knee, "ankle_dorsiflexion": ankle}


def _unit(deg: np.ndarray) -> np.ndarray:
    r = np.radians(deg)
    return np.stack([np.cos(r), np.sin(r)], axis=-1)


def _demo_leg(phase: np.ndarray, hip: np.ndarray, body: float) -> dict[str, np.ndarray]:
    """Leg points in the runner frame (Y up, facing +X) by forward kinematics."""
    a = demo_angles(phase)
    thigh, shank = a["thigh_angle"], a["thigh_angle"] - a["knee_flexion"]
    knee = hip + 0.23 * body * np.stack([np.sin(np.radians(thigh)),
                                          -np.cos(np.radians(thigh))], -1)
    ankle = knee + 0.23 * body * np.stack([np.sin(np.radians(shank)),
                                            -np.cos(np.radians(shank))], -1)
    up = knee - ankle
    foot_dir = a["ankle_dorsiflexion"] - 90.0 + np.degrees(np.arctan2(up[:, 1], up[:, 0]))
    f = _unit(foot_dir)
    down = np.stack([f[:, 1], -f[:, 0]], -1)
    heel = ankle - 0.035 * body * f + 0.045 * body * down
    return {"hip": hip, "knee": knee, "ankle": ankle, "heel": heel,
            "foot_index": heel + 0.13 * body * f}


def _demo_upper(phase: np.ndarray, hip: np.ndarray, body: float) -> dict[str, np.ndarray]:
    lean = np.radians(6.0)
    sh = hip + 0.29 * body * np.array([np.sin(lean), np.cos(lean)])
    out = {"shoulder_mid": sh, "nose": sh + body * np.array([0.05, 0.12])}
    for side, shift in (("left", DEMO_SHIFT), ("right", 0.0)):
        swing = np.radians(-25.0 * np.cos(2 * np.pi * ((phase + shift) % 1.0 - 0.9)))
        elbow = sh + 0.15 * body * np.stack([np.sin(swing), -np.cos(swing)], -1)
        fore = swing + np.radians(85.0)
        out[f"{side}_elbow"] = elbow
        out[f"{side}_wrist"] = elbow + 0.14 * body * np.stack([np.sin(fore), -np.cos(fore)], -1)
    return out


def _demo_events(n: int, fps: float, near: str):
    import pandas as pd

    rows = []
    for foot, shift in (("left", 0.0), ("right", DEMO_SHIFT)):
        k = -1
        while True:
            ic_s = (k + shift) * DEMO_PERIOD_S
            to_s = ic_s + DEMO_TOE_OFF * DEMO_PERIOD_S
            # first frame in contact, last frame in contact (detect_events' contract)
            ic, to = math.ceil(ic_s * fps - 1e-9), math.ceil(to_s * fps - 1e-9) - 1
            if ic >= n:
                break
            if ic >= 0 and to < n:
                rows.append({"foot": foot, "ic_frame": ic, "to_frame": to, "ic_s": ic_s,
                             "to_s": to_s, "contact_ms": (to_s - ic_s) * 1000.0,
                             "near": foot == near, "complete": True})
            k += 1
    cols = ["foot", "ic_frame", "to_frame", "ic_s", "to_s", "contact_ms", "near", "complete"]
    return pd.DataFrame(rows, columns=cols).sort_values("ic_frame", ignore_index=True)


def demo_clip(*, n_frames: int = 64, width: int = 320, height: int = 240, fps: float = 30.0,
              direction: str = "left", noise_px: float = 0.0, seed: int = 0):
    """The synthetic runner of :func:`demo` without its video: ``(clip, events)``."""
    if direction not in ("left", "right"):
        raise InputError(f"direction must be 'left' or 'right', not {direction!r}.")
    t = np.arange(n_frames) / float(fps)
    phase = (t / DEMO_PERIOD_S) % 1.0
    body = 0.8 * height
    hip = np.stack([np.zeros(n_frames), 0.015 * body * np.cos(4 * np.pi * phase)], -1)
    pts: dict[str, np.ndarray] = {}
    for side, shift in (("left", 0.0), ("right", DEMO_SHIFT)):
        for j, v in _demo_leg((phase - shift) % 1.0, hip, body).items():
            pts[f"{side}_{j}"] = v
    upper = _demo_upper(phase, hip, body)
    for side in ("left", "right"):
        pts[f"{side}_shoulder"] = upper["shoulder_mid"]
        pts[f"{side}_elbow"] = upper[f"{side}_elbow"]
        pts[f"{side}_wrist"] = upper[f"{side}_wrist"]
    pts["nose"] = upper["nose"]
    sign = -1.0 if direction == "left" else 1.0
    hip_y = 0.88 * height - 0.49 * body
    rng = np.random.default_rng(seed)
    image = {k: np.stack([width / 2 + sign * v[:, 0], hip_y - v[:, 1]], -1)
             + rng.normal(0.0, noise_px, v.shape) for k, v in pts.items()}
    near = direction
    vis = {k: np.full(n_frames, 0.95) for k in image}
    far_phase = (phase - (DEMO_SHIFT if near == "left" else 0.0)) % 1.0
    hidden = (far_phase >= 0.55) & (far_phase < 0.65)  # far foot behind the near leg
    for j in ("heel", "foot_index"):
        vis[f"{_other(near)}_{j}"] = np.where(hidden, 0.3, 0.85)
    clip = Clip.from_arrays(image, fps, width=width, height=height, visibility=vis,
                            direction=direction, near_side=near, treadmill=True,
                            provenance={"source": "runform.widgets.demo"})
    return clip, _demo_events(n_frames, fps, near)


def demo(folder: str | Path | None = None, *, n_frames: int = 64, width: int = 320,
         height: int = 240, fps: float = 30.0, direction: str = "left",
         noise_px: float = 0.0, seed: int = 0) -> Demo:
    """Make a synthetic treadmill runner and its video.

    The runner's left leg starts a gait cycle (initial contact) at t = 0; the cycle
    lasts :data:`DEMO_PERIOD_S` (about 171 steps/min) and the right leg is half a
    cycle behind. Angles follow :func:`demo_angles`, so runform's angles of the clip
    equal them (a check of the whole display chain).

    Parameters
    ----------
    folder : str or Path, optional
        Where to write ``runner.mp4`` (default: a new temporary folder).
    n_frames, width, height, fps
        Size of the clip.
    direction : {"left", "right"}
        Image direction the runner faces; the side facing the camera is the near side.
    noise_px : float
        Standard deviation of Gaussian noise added to landmark positions (pixels),
        for the filter explorer.
    seed : int
        Random seed of the noise and the background texture.
    """
    clip, events = demo_clip(n_frames=n_frames, width=width, height=height, fps=fps,
                             direction=direction, noise_px=noise_px, seed=seed)
    folder = Path(folder) if folder is not None else Path(
        tempfile.mkdtemp(prefix="runform-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    video = _d.render_skeleton_video(clip.xy, folder / "runner.mp4", fps, (width, height),
                                     seed=seed)
    return Demo(clip, video, events)
