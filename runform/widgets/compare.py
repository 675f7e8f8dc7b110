"""Two clips or two strides side by side, aligned by the gait cycle."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import overlay as _o
from .. import plots as _p
from ..clip import Clip
from ..errors import InputError
from ._base import (
    DEFAULT_PLOT_ANGLES,
    _clicks,
    _column,
    _Displayable,
    _frame_cache,
    _image_widget,
    _inputs,
    _load_events,
)
from ._cursor import CursorPlot
from .frames import FrameCache
from .player import FramePlayer


@dataclass
class _Source:
    clip: Clip
    cache: FrameCache
    table: Any
    events: Any


def _source(obj, video, events, max_side: int, budget_mb: float) -> _Source:
    if isinstance(obj, FramePlayer):
        return _Source(obj.clip, obj.cache, obj.table, obj.events)
    clip, video, angles, events = _inputs(obj, video, None, events, "CompareView")
    return _Source(clip, _frame_cache(video, max_side, budget_mb), angles, _load_events(events))


def _cycles(src: _Source, foot: str) -> list[tuple[int, int, int]]:
    """Gait cycles of ``foot``: (IC frame, TO frame, next IC frame)."""
    if src.events is None:
        return []
    ev = src.events[src.events["foot"] == foot].sort_values("ic_frame")
    if "complete" in ev:  # a contact cut by the clip's start has no real IC
        ev = ev[ev["complete"].astype(bool) | (ev["ic_frame"] > 0)]
    ic, to = ev["ic_frame"].to_numpy(int), ev["to_frame"].to_numpy(int)
    n = min(len(src.cache), src.clip.n_frames)
    return [(int(ic[k]), int(to[k]), int(ic[k + 1])) for k in range(len(ic) - 1) if ic[k + 1] < n]


class CompareView(_Displayable):
    """Two gait cycles side by side, aligned at initial contact, scrubbed in % of cycle.

    Parameters
    ----------
    a, b : FramePlayer, Analysis or Clip
        The two sources (the same player twice compares two strides of one clip).
        A player's frame cache and events are reused; an analysis gives its video and
        events; a clip needs its video and events.
    video_a, video_b : str, Path, Video or FrameCache, optional
        Videos of the sources (default: an analysis's own video).
    events_a, events_b : pandas.DataFrame, optional
        Gait events of sources given as :class:`Clip` (an analysis has its own).
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

    def __init__(
        self,
        a,
        b,
        *,
        video_a=None,
        video_b=None,
        events_a=None,
        events_b=None,
        stride_a: int = 0,
        stride_b: int = 0,
        foot: str | None = None,
        plot_angles=DEFAULT_PLOT_ANGLES,
        labels=None,
        max_side: int = 400,
        budget_mb: float = 100.0,
    ):
        import ipywidgets as w

        self.sources = [
            _source(a, video_a, events_a, max_side, budget_mb),
            _source(b, video_b, events_b, max_side, budget_mb),
        ]
        self.feet = [foot or s.clip.near_side or "left" for s in self.sources]
        self.labels = list(labels or ("A", "B"))
        self.cycles = [
            self._cycle(s, f, k, lab)
            for s, f, k, lab in zip(
                self.sources, self.feet, (stride_a, stride_b), self.labels, strict=True
            )
        ]
        self.names = list(plot_angles)
        self._build_plot()
        self.slider = w.FloatSlider(
            0.0,
            min=0.0,
            max=100.0,
            step=1.0,
            description="% cycle",
            readout_format=".0f",
            layout=w.Layout(width="480px"),
        )
        self.slider.add_class("runform-slider")
        self.images = [
            _image_widget(b"", "jpeg", s.cache.frame(0).shape[1], "runform-frame")
            for s in self.sources
        ]
        self.plot = _image_widget(b"", "jpeg", self._cursor.width, "runform-plot")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")
        self.frames = (0, 0)
        self.slider.observe(lambda ch: self.show(ch["new"]), "value")
        self._click = _clicks(self.plot, self._on_plot_event, drag=True)
        self.widget = w.VBox([w.HBox(self.images), self.slider, self.plot, self.readout])
        self.show(0.0)

    def _build_plot(self) -> None:
        """Each source's angles over its cycle (0-100 %) and the figure with a cursor."""
        self.percent = np.arange(101.0)
        curves = [
            self._curve(s, c, f)
            for s, c, f in zip(self.sources, self.cycles, self.feet, strict=True)
        ]
        self.toe_off = [100.0 * (c[1] - c[0]) / (c[2] - c[0]) for c in self.cycles]
        fig, axes = _p.compare_figure(
            self.percent,
            curves,
            self.names,
            labels=[f"{lab} ({f})" for lab, f in zip(self.labels, self.feet, strict=True)],
            toe_off=self.toe_off,
            size_px=(640, 300),
        )
        self._cursor = CursorPlot(fig, axes)
        self._curves = curves

    @staticmethod
    def _cycle(src: _Source, foot: str, k: int, label: str) -> tuple[int, int, int]:
        cycles = _cycles(src, foot)
        if not cycles:
            raise InputError(
                f"{label}: no complete gait cycle of the {foot} foot (two initial contacts "
                "are needed). Pass gait events (events_a=..., or a FramePlayer that has them)."
            )
        if not 0 <= k < len(cycles):
            raise InputError(
                f"{label}: stride {k} does not exist; the clip has "
                f"{len(cycles)} complete {foot} cycles (0..{len(cycles) - 1})."
            )
        return cycles[k]

    def _curve(self, src: _Source, cyc, foot: str) -> dict[str, np.ndarray]:
        ic, _, nxt = cyc
        frames = np.arange(ic, nxt + 1)
        pct = 100.0 * (frames - ic) / (nxt - ic)
        return {
            a: np.interp(self.percent, pct, _column(src.table, a, foot)[frames]) for a in self.names
        }

    def frame_at(self, percent: float) -> tuple[int, int]:
        """Frames of both sources at ``percent`` of their gait cycles (nearest frame)."""
        p = float(np.clip(percent, 0.0, 100.0)) / 100.0
        return tuple(int(np.rint(ic + p * (nxt - ic))) for ic, _, nxt in self.cycles)

    def show(self, percent: float) -> None:
        """Repaint both frames, the cursor and the readout at ``percent`` of the cycle."""
        self.frames = self.frame_at(percent)
        for img_w, src, f, foot in zip(
            self.images, self.sources, self.frames, self.feet, strict=True
        ):
            img = src.cache.frame(f)
            _o.draw_skeleton(
                img,
                src.clip.xy[f],
                src.clip.visibility[f],
                scale=src.cache.scale,
                near_side=src.clip.near_side,
            )
            vals = {a: float(_column(src.table, a, foot)[f]) for a in _o.ARC_ANGLE.values()}
            _o.draw_angle_arcs(img, src.clip.xy[f], vals, side=foot, scale=src.cache.scale)
            img_w.value = _o.encode_jpeg(img, 85)
        k = int(np.rint(np.clip(percent, 0, 100)))
        self.plot.value = self._cursor.render(percent, [self._curves[0][a][k] for a in self.names])
        self.readout.value = self._readout(percent)

    def _readout(self, percent: float) -> str:
        rows = []
        for lab, cyc, f, curve in zip(
            self.labels, self.cycles, self.frames, self._curves, strict=True
        ):
            k = int(np.rint(np.clip(percent, 0, 100)))
            vals = " · ".join(
                f"{_o.ANGLE_LABELS.get(a, a)} {curve[a][k]:+.1f}°" for a in self.names
            )
            rows.append(
                f"<b>{html.escape(lab)}</b> frame {f} (IC {cyc[0]}, TO {cyc[1]}, "
                f"next IC {cyc[2]}): {html.escape(vals)}"
            )
        return (
            f"<div style='font-family:monospace;font-size:13px'>{percent:.0f} % of the "
            f"gait cycle<br>{'<br>'.join(rows)}</div>"
        )

    def _on_plot_event(self, event: dict) -> None:
        if event.get("type") == "mousemove" and not event.get("buttons", 0) & 1:
            return
        if "dataX" in event and self._cursor.inside(event["dataX"], event.get("dataY", 0)):
            self.slider.value = float(np.clip(round(self._cursor.px_to_x(event["dataX"])), 0, 100))


# -------------------------------------------------------------- goniometer
#: For each angle the goniometer can check: landmarks A, B (vertex), C, and how the
#: angle ABC becomes the angle runform reports (docs/conventions.md). As with a real
#: goniometer on the ankle, the foot arm runs from the malleolus parallel to the sole
#: ("sole" = ankle + heel→toe), not to the toe tip.
