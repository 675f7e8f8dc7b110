"""The filter explorer: a low-pass cutoff slider, raw vs filtered, and residual analysis."""

from __future__ import annotations

import html
import math

import numpy as np

from .. import plots as _p
from ..clip import Clip
from ..errors import InputError
from ..landmarks import INDEX
from ._base import (
    _Displayable,
    _image_widget,
    _plot_choices,
)


class FilterExplorer(_Displayable):
    """See what the low-pass cutoff does to a landmark trace, an angle and its peak.

    It shows an analysis's cleaned, unfiltered landmarks (:attr:`runform.Analysis.cleaned`);
    each cutoff is previewed with :func:`runform.clean.filter_preview`.
    Winter's residual analysis (:func:`runform.clean.residual_analysis`) of the
    chosen landmark coordinate suggests a cutoff.

    Parameters
    ----------
    clip : Analysis or Clip
        The result of :func:`runform.analyze`, or a cleaned, oriented, unfiltered clip.
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

    def __init__(
        self,
        clip,
        *,
        point: str = "foot_index",
        coordinate: str = "y",
        angle: str = "ankle_dorsiflexion",
        side: str | None = None,
        cutoff_hz: float | None = None,
        view_s: float = 3.0,
    ):
        import ipywidgets as w

        from ..clean import DUAL_PASS_CORRECTION, default_cutoff, filter_preview

        clip = _unfiltered(clip)
        self.base = clip
        self.side = side or self.base.near_side or "left"
        _, self.raw_angles = filter_preview(self.base, None)
        top = math.floor(0.95 * DUAL_PASS_CORRECTION * clip.fps / 2 * 2) / 2
        start = default_cutoff(clip.fps) if cutoff_hz is None else float(cutoff_hz)
        self.slider = w.FloatSlider(
            min(start, top),
            min=1.0,
            max=top,
            step=0.5,
            description="cutoff Hz",
            continuous_update=False,
        )
        self.slider.add_class("runform-slider")
        self.point = w.Dropdown(options=self.POINTS, value=point, description="landmark")
        self.coordinate = w.ToggleButtons(
            options=["x", "y"], value=coordinate, style={"button_width": "40px"}
        )
        self.angle = w.Dropdown(
            options=_plot_choices(self.raw_angles), value=angle, description="angle"
        )
        t0, t1 = float(self.base.time[0]), float(self.base.time[-1])
        self.view = w.FloatRangeSlider(
            value=self._around_peak(angle, view_s),
            min=t0,
            max=t1,
            step=0.1,
            description="time (s)",
            readout_format=".1f",
            continuous_update=False,
            layout=w.Layout(width="420px"),
        )
        self._layout()
        self._residuals()

    def _layout(self) -> None:
        """Plot image and readout, callbacks, and the widget box."""
        import ipywidgets as w

        self.image = _image_widget(b"", "png", 720, "runform-plot")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")
        for wd in (self.slider, self.angle, self.view):
            wd.observe(lambda _c: self.update(), "value")
        for wd in (self.point, self.coordinate):
            wd.observe(lambda _c: self._residuals(), "value")
        self.widget = w.VBox(
            [
                w.HBox([self.slider, self.point, self.coordinate, self.angle]),
                self.view,
                self.image,
                self.readout,
            ]
        )

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
        from ..clean import residual_analysis

        self.cutoffs, self.residuals, self.suggested_hz = residual_analysis(
            self._trace(self.base), self.base.fps
        )
        self.update()

    def update(self) -> None:
        """Filter at the current cutoff and redraw (the slider callback)."""
        from ..clean import filter_preview

        filtered, filtered_angles = filter_preview(self.base, self.cutoff)
        col = self._column_name(self.angle.value)
        raw_a = self.raw_angles[col].to_numpy(float)
        filt_a = filtered_angles[col].to_numpy(float)
        self.peak_raw = float(np.nanmax(raw_a)) if np.isfinite(raw_a).any() else math.nan
        self.peak_filtered = float(np.nanmax(filt_a)) if np.isfinite(filt_a).any() else math.nan
        fig = _p.filter_figure(
            self.base.time,
            self._trace(self.base),
            self._trace(filtered),
            raw_a,
            filt_a,
            self.cutoffs,
            self.residuals,
            cutoff_hz=self.cutoff,
            suggested_hz=self.suggested_hz,
            point_label=f"{self.side} {self.point.value} {self.coordinate.value} (px)",
            angle_label=f"{col.removesuffix('_deg').replace('_', ' ')} (°)",
            xlim=self.view.value,
        )
        self.image.value = _p.figure_png(fig)
        self.readout.value = self._readout(col)

    def _readout(self, col: str) -> str:
        drop = self.peak_filtered - self.peak_raw
        sug = f"{self.suggested_hz:.1f} Hz" if np.isfinite(self.suggested_hz) else "not available"
        return (
            f"<div style='font-family:monospace;font-size:13px'>cutoff "
            f"{self.cutoff:.1f} Hz at {self.base.fps:g} fps · residual analysis suggests "
            f"{sug}<br>peak {html.escape(col.removesuffix('_deg').replace('_', ' '))}: "
            f"raw {self.peak_raw:.1f}° → filtered <b>{self.peak_filtered:.1f}°</b> "
            f"({drop:+.1f}°)</div>"
        )


def _unfiltered(clip) -> Clip:
    """The cleaned, oriented, not yet low-passed clip of an Analysis (or that clip itself)."""
    from ..analysis import Analysis

    if isinstance(clip, Analysis):
        clip = clip.cleaned
    if not isinstance(clip, Clip) or clip.cutoff_hz is not None:
        raise InputError(
            "FilterExplorer needs a runform.Analysis (or its .cleaned clip: "
            "cleaned and oriented, not yet low-passed)."
        )
    clip.require_oriented("FilterExplorer")
    return clip
