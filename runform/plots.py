"""Figures (matplotlib, object API, no pyplot state): angle curves, comparisons, filters.

Everything here draws; nothing analyses. Figures are built with
:class:`matplotlib.figure.Figure` directly, so drawing never touches global pyplot
state and works in any backend, notebook or headless.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np

from .errors import InputError
from .overlay import ANGLE_LABELS, SIDE_RGB

__all__ = ["PLOT_MARGINS_PX", "angle_figure", "compare_figure", "figure_png", "filter_figure"]


def figure_png(fig, dpi: float | None = None) -> bytes:
    """PNG bytes of a matplotlib figure (Agg, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


#: Margins of the time-series figures in pixels: left, right, top, bottom.
PLOT_MARGINS_PX = (58, 12, 8, 38)


def _new_figure(size_px: tuple[int, int], n_axes: int, dpi: float = 100.0):
    """A figure of stacked axes sharing x, with margins fixed in pixels."""
    from matplotlib.figure import Figure

    w, h = size_px
    left, right, top, bottom = PLOT_MARGINS_PX
    fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi)
    axes = fig.subplots(n_axes, 1, sharex=True, squeeze=False)[:, 0]
    fig.subplots_adjust(
        left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h, hspace=0.12
    )
    return fig, list(axes)


def _events_rows(events) -> list[dict]:
    if events is None or len(events) == 0:
        return []
    return events.to_dict("records")


def angle_figure(
    time: np.ndarray,
    table,
    names: Sequence[str],
    *,
    near_side: str | None = None,
    events=None,
    size_px: tuple[int, int] = (600, 400),
    dpi: float = 100.0,
    xlim: tuple[float, float] | None = None,
):
    """Stacked angle traces against time, with stance phases and gait events.

    Parameters
    ----------
    time : ndarray
        Times in seconds (x axis).
    table : pandas.DataFrame
        Angles as :meth:`runform.Clip.angles` returns them.
    names : sequence of str
        Angle names without side, e.g. ``"knee_flexion"`` (or ``"trunk_lean"``); one
        axis each. The near leg is drawn bold, the far leg thin and faded.
    near_side : {"left", "right"} or None
        None draws both legs alike.
    events : pandas.DataFrame, optional
        Gait events (``foot``, ``ic_s``, ``to_s``, ``near``): stance phases are shaded
        in the foot's colour, initial contacts drawn solid, toe-offs dashed.
    size_px : (int, int)
        Figure size in pixels.
    xlim : (float, float), optional
        Time range of the axes (default: all of ``time``).

    Returns
    -------
    fig, axes
        The matplotlib figure (no pyplot state) and its axes, top to bottom.
    """
    if not names:
        raise InputError("angle_figure needs at least one angle name, e.g. 'knee_flexion'.")
    fig, axes = _new_figure(size_px, len(names), dpi)
    lo, hi = (float(time[0]), float(time[-1])) if xlim is None else map(float, xlim)
    rows = [r for r in _events_rows(events) if r["to_s"] >= lo and r["ic_s"] <= hi]
    sides = (
        ("left", "right")
        if near_side is None
        else (near_side, "right" if near_side == "left" else "left")
    )
    for ax, name in zip(axes, names, strict=True):
        _shade_events(ax, rows, near_side)
        _angle_traces(ax, time, table, name, sides, near_side)
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(
            fontsize=7,
            loc="upper right",
            framealpha=0.8,
            ncol=2,
            title="shaded: stance · solid: IC · dashed: TO" if rows else None,
            title_fontsize=6,
        )
    axes[0].set_xlim(lo, hi)
    axes[-1].set_xlabel("time (s)", fontsize=8)
    return fig, axes


def _angle_traces(ax, time, table, name: str, sides, near_side: str | None) -> None:
    """One angle of both legs (near bold, far faded) or a side-less angle, on one axis."""
    if f"{name}_deg" in table:
        ax.plot(time, table[f"{name}_deg"], color="0.2", lw=1.5)
    for k, side in enumerate(sides):
        col = f"{side}_{name}_deg"
        if col in table:
            far = near_side is not None and k == 1
            tag = "" if near_side is None else (" (far)" if far else " (near)")
            ax.plot(
                time,
                table[col],
                color=SIDE_RGB[side],
                lw=0.9 if far else 1.8,
                alpha=0.45 if far else 1.0,
                label=side + tag,
            )
    ax.set_ylabel(f"{ANGLE_LABELS.get(name, name.replace('_', ' '))} (°)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3, lw=0.5)


def _shade_events(ax, rows: list[dict], near_side: str | None) -> None:
    for r in rows:
        color = SIDE_RGB.get(r.get("foot"), (0.5, 0.5, 0.5))
        near = bool(r.get("near", near_side is None or r.get("foot") == near_side))
        ax.axvspan(r["ic_s"], r["to_s"], color=color, alpha=0.14 if near else 0.06, lw=0)
        ax.axvline(r["ic_s"], color=color, lw=0.9, alpha=0.9 if near else 0.4)
        ax.axvline(r["to_s"], color=color, lw=0.9, ls="--", alpha=0.9 if near else 0.4)


def compare_figure(
    percent: np.ndarray,
    curves: Sequence[Mapping[str, np.ndarray]],
    names: Sequence[str],
    *,
    labels: Sequence[str] = ("A", "B"),
    toe_off: Sequence[float] = (),
    size_px: tuple[int, int] = (600, 400),
    dpi: float = 100.0,
):
    """Angle curves of several gait cycles overlaid against % of the cycle.

    Parameters
    ----------
    percent : ndarray
        The x axis, 0–100 % of the gait cycle (initial contact to the next one).
    curves : sequence of mapping
        One mapping per cycle from angle name to values at ``percent``.
    names : sequence of str
        Angles, one axis each.
    labels : sequence of str
        Legend label per cycle.
    toe_off : sequence of float
        Toe-off of each cycle in % (dashed line in the cycle's colour).

    Returns
    -------
    fig, axes
    """
    colors = [(0.12, 0.47, 0.71), (0.85, 0.33, 0.10), (0.2, 0.6, 0.2), (0.5, 0.3, 0.6)]
    fig, axes = _new_figure(size_px, len(names), dpi)
    for ax, name in zip(axes, names, strict=True):
        for k, curve in enumerate(curves):
            c = colors[k % len(colors)]
            ax.plot(
                percent,
                curve.get(name, np.full(len(percent), np.nan)),
                color=c,
                lw=1.8,
                label=labels[k] if k < len(labels) else None,
            )
            if k < len(toe_off) and np.isfinite(toe_off[k]):
                ax.axvline(toe_off[k], color=c, ls="--", lw=0.9)
        ax.set_ylabel(f"{ANGLE_LABELS.get(name, name.replace('_', ' '))} (°)", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, lw=0.5)
    axes[0].legend(fontsize=7, loc="upper right")
    axes[0].set_xlim(float(percent[0]), float(percent[-1]))
    axes[-1].set_xlabel(
        "% of gait cycle (initial contact → next initial contact; -- toe-off)", fontsize=8
    )
    return fig, axes


def filter_figure(
    time: np.ndarray,
    raw_point: np.ndarray,
    filtered_point: np.ndarray,
    raw_angle: np.ndarray,
    filtered_angle: np.ndarray,
    cutoffs: np.ndarray,
    residuals: np.ndarray,
    *,
    cutoff_hz: float,
    suggested_hz: float,
    point_label: str,
    angle_label: str,
    size_px: tuple[int, int] = (720, 560),
    dpi: float = 100.0,
    xlim: tuple[float, float] | None = None,
):
    """Raw vs filtered traces of a landmark and an angle, and the residual curve.

    ``xlim`` limits the time axis of the two trace panels (default: all).

    Returns
    -------
    fig
        Three stacked panels: landmark coordinate (px), angle (°) with its peaks
        marked, and Winter's residual RMS against cutoff with the chosen and
        suggested cutoffs.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size_px[0] / dpi, size_px[1] / dpi), dpi=dpi)
    ax1, ax2, ax3 = fig.subplots(3, 1)
    fig.subplots_adjust(left=0.1, right=0.97, top=0.96, bottom=0.08, hspace=0.55)
    for ax, raw, filt, lab in (
        (ax1, raw_point, filtered_point, point_label),
        (ax2, raw_angle, filtered_angle, angle_label),
    ):
        ax.plot(time, raw, color="0.6", lw=0.9, marker=".", ms=2.5, label="raw")
        ax.plot(time, filt, color="C3", lw=1.6, label=f"filtered {cutoff_hz:.1f} Hz")
        ax.set_ylabel(lab, fontsize=8)
        ax.set_xlabel("time (s)", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, lw=0.5)
        ax.legend(fontsize=7, loc="upper right")
    for trace, c, dx in ((raw_angle, "0.4", -34), (filtered_angle, "C3", 6)):
        if np.isfinite(trace).any():
            k = int(np.nanargmax(trace))
            ax2.plot(time[k], trace[k], "v", color=c, ms=7)
            ax2.annotate(
                f"{trace[k]:.1f}°",
                (time[k], trace[k]),
                textcoords="offset points",
                xytext=(dx, 4),
                fontsize=7,
                color=c,
            )
    if xlim is not None:
        for ax in (ax1, ax2):
            ax.set_xlim(*xlim)
            _fit_y(
                ax,
                time,
                (raw_point, filtered_point) if ax is ax1 else (raw_angle, filtered_angle),
                xlim,
            )
    _residual_panel(ax3, cutoffs, residuals, cutoff_hz, suggested_hz)
    return fig


def _residual_panel(ax, cutoffs, residuals, cutoff_hz: float, suggested_hz: float) -> None:
    """Winter's residual RMS against cutoff, with the chosen and suggested cutoffs."""
    ax.plot(cutoffs, residuals, color="0.2", lw=1.5, marker=".", ms=3)
    ax.axvline(cutoff_hz, color="C3", lw=1.2, label=f"chosen {cutoff_hz:.1f} Hz")
    if np.isfinite(suggested_hz):
        ax.axvline(
            suggested_hz,
            color="C2",
            ls="--",
            lw=1.2,
            label=f"residual analysis {suggested_hz:.1f} Hz",
        )
    ax.set_xlabel("cutoff (Hz)", fontsize=8)
    ax.set_ylabel("RMS residual (px)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(fontsize=7, loc="upper right")


def _fit_y(ax, time, traces, xlim) -> None:
    """Y limits fitted to the traces inside the x range (5 % padding)."""
    inside = (time >= xlim[0]) & (time <= xlim[1])
    vals = np.concatenate([np.asarray(t)[inside] for t in traces])
    vals = vals[np.isfinite(vals)]
    if len(vals):
        lo, hi = float(vals.min()), float(vals.max())
        pad = 0.08 * (hi - lo) or 1.0
        ax.set_ylim(lo - pad, hi + pad)
