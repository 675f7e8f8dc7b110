"""The frame player: scrub a clip with its skeleton, angle arcs and a synchronised plot."""

from __future__ import annotations

import html
import math

import numpy as np

from .. import overlay as _o
from .. import plots as _p
from ..errors import InputError
from ._base import (
    AUTO_WINDOW_S,
    DEFAULT_PLOT_ANGLES,
    MAX_PLOT_PX,
    MIN_INTERVAL_MS,
    SPEEDS,
    _clicks,
    _column,
    _Displayable,
    _event_marks,
    _frame_cache,
    _image_widget,
    _inputs,
    _load_events,
    _plot_choices,
    _stance_masks,
)
from ._cursor import CursorPlot


class FramePlayer(_Displayable):
    """Scrub, play and step through a clip with its skeleton, angle arcs and angle plot.

    Parameters
    ----------
    clip : Analysis or Clip
        The result of :func:`runform.analyze` (its clip, video, angles and events), or
        an oriented clip; frame ``i`` of the clip is frame ``i`` of the video.
    video : str, Path, Video or FrameCache, optional
        The video (default: the analysed file). A path or Video is decoded once into a
        downscaled :class:`FrameCache` (a few seconds; pass a cache to share it).
    angles : pandas.DataFrame, optional
        Angle table (default: the analysis's, or ``clip.angles()``).
    events : pandas.DataFrame, False or None
        Gait events (default: the analysis's; a bare clip has none unless given).
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

    def __init__(
        self,
        clip,
        video=None,
        angles=None,
        events=None,
        *,
        plot_angles=DEFAULT_PLOT_ANGLES,
        arcs: bool = True,
        max_side: int = 640,
        budget_mb: float = 150.0,
        jump: str = "both",
        speed: float = 0.5,
        window="auto",
    ):
        import ipywidgets as w

        clip, video, angles, events = _inputs(clip, video, angles, events, "FramePlayer")
        _check_options(jump, speed, window)
        self.clip = clip
        self.cache = _frame_cache(video, max_side, budget_mb)
        self.n_frames = min(len(self.cache), clip.n_frames)
        if self.n_frames < 1:
            raise InputError("The clip has no frames to show.")
        self.table = angles
        self.events = _load_events(events)
        self.near_side = clip.near_side
        self.side = clip.near_side or "left"
        self.jump = jump
        self.arcs: dict[str, _o.Arc] = {}
        self.cursor_px = float("nan")
        self._stance = _stance_masks(self.events, self.n_frames)
        self._marks = _event_marks(self.events)
        self._arc_values = {a: _column(self.table, a, self.side) for a in _o.ARC_ANGLE.values()}

        frame0 = self.cache.frame(0)
        self._frame_hw = frame0.shape[:2]
        self._controls(speed, arcs, plot_angles, window)
        self.image = _image_widget(b"", "jpeg", frame0.shape[1], "runform-frame")
        self.plot = _image_widget(b"", "jpeg", 10, "runform-plot")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")
        buttons = self._buttons()
        self._build_plot()
        self._wire()
        self.widget = self._layout(buttons)
        self.show(0)

    def _controls(self, speed: float, arcs: bool, plot_angles, window) -> None:
        """Slider, play, speed, arcs checkbox, plotted angles and plot window widgets."""
        import ipywidgets as w

        self.slider = w.IntSlider(
            0,
            0,
            self.n_frames - 1,
            description="frame",
            continuous_update=True,
            layout=w.Layout(width="420px"),
        )
        self.slider.add_class("runform-slider")
        self.play = w.Play(value=0, min=0, max=self.n_frames - 1, repeat=True, description="play")
        w.jslink((self.play, "value"), (self.slider, "value"))
        self.speed = w.Dropdown(
            options=SPEEDS, value=speed, description="speed", layout=w.Layout(width="150px")
        )
        self.show_arcs = w.Checkbox(
            value=arcs, description="angle arcs", indent=False, layout=w.Layout(width="110px")
        )
        names = _plot_choices(self.table)
        chosen = tuple(a for a in plot_angles if a in names) or tuple(names[:1])
        self.choose = w.SelectMultiple(
            options=names, value=chosen, rows=3, description="plot", layout=w.Layout(width="300px")
        )
        spans = _window_options(self.clip.duration_s)
        if window not in ("auto", None) and float(window) not in [v for _, v in spans]:
            spans.append((f"{float(window):g} s", float(window)))
        self.window = w.Dropdown(
            options=spans,
            description="show",
            value=_default_window(self.clip.duration_s)
            if window == "auto"
            else float(window or 0.0),
            layout=w.Layout(width="200px"),
        )

    # ----------------------------------------------------------- layout
    def _buttons(self) -> list:
        import ipywidgets as w

        def button(label, tip, fn, disabled=False):
            b = w.Button(
                description=label, tooltip=tip, disabled=disabled, layout=w.Layout(width="62px")
            )
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
        controls = w.VBox(
            [
                w.HBox([self.play, self.slider, *buttons[:2]]),
                w.HBox([*buttons[2:], self.speed, self.show_arcs]),
                w.HBox([self.choose, self.window, self.hint]),
            ]
        )
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
        times = self.clip.time[: self.n_frames]
        t0, t1 = float(times[0]), max(float(times[-1]), float(times[0]) + 1e-3)
        w, h = self._plot_size()
        span = self.window.value or None
        left, right = _p.PLOT_MARGINS_PX[:2]
        if span is not None and span < t1 - t0:
            inner = (w - left - right) * (t1 - t0) / span
            w = int(min(left + right + inner, MAX_PLOT_PX))
        fig, axes = _p.angle_figure(
            times,
            self.table.iloc[: self.n_frames],
            names,
            near_side=self.near_side,
            events=self.events,
            size_px=(w, h),
            xlim=(t0, t1),
        )
        self._cursor = CursorPlot(fig, axes)
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
        times = self.clip.time[: self.n_frames]
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
        _o.draw_skeleton(
            img,
            self.clip.xy[i],
            self.clip.visibility[i],
            scale=self.cache.scale,
            near_side=self.near_side,
        )
        self.arcs = {}
        if self.show_arcs.value:
            self.arcs = _o.draw_angle_arcs(
                img, self.clip.xy[i], self.values(i), side=self.side, scale=self.cache.scale
            )
        return img

    def show(self, i: int) -> None:
        """Repaint frame ``i``: image, plot cursor and readout (the slider callback)."""
        i = int(np.clip(i, 0, self.n_frames - 1))
        self.image.value = _o.encode_jpeg(self.render_frame(i), 85)
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
        vals = " · ".join(
            f"{_o.ANGLE_LABELS[a]} {v:+.1f}°" for a, v in self.values(i).items() if np.isfinite(v)
        )
        return (
            f"<div style='font-family:monospace;font-size:13px'>"
            f"<b>frame {i}</b> / {self.n_frames - 1} · {t:.3f} s · "
            f"{html.escape(' · '.join(feet))}{marks}<br>"
            f"{html.escape(self.side)} leg: {html.escape(vals or 'angles unknown')}"
            f"<br><small>one frame = {self.clip.frame_ms:.1f} ms</small></div>"
        )

    def _event_marks(self, i: int) -> str:
        marks = self._marks.get(i)
        return f" · <b>{html.escape(', '.join(marks))}</b>" if marks else ""


def _check_options(jump: str, speed: float, window) -> None:
    """Refuse a ``jump``, ``speed`` or ``window`` the player does not offer."""
    if jump not in ("both", "near", "left", "right"):
        raise InputError(f"jump must be 'both', 'near', 'left' or 'right', not {jump!r}.")
    if speed not in [v for _, v in SPEEDS]:
        raise InputError(f"speed must be one of {[v for _, v in SPEEDS]}, not {speed!r}.")
    if not (window in ("auto", None) or (isinstance(window, int | float) and window >= 0)):
        raise InputError(f"window must be 'auto', None or seconds >= 0, not {window!r}.")


def _window_options(duration_s: float) -> list[tuple[str, float]]:
    """Plot time spans offered; 0 = the whole clip (a Dropdown cannot hold None)."""
    spans = [s for s in (2.0, 5.0, AUTO_WINDOW_S) if s < duration_s]
    return [("whole clip", 0.0)] + [(f"{s:g} s", s) for s in spans]


def _default_window(duration_s: float) -> float:
    return 0.0 if duration_s <= AUTO_WINDOW_S else AUTO_WINDOW_S
