"""Notebook 03's views: strike angle drawn on video, the coaching table, strides, frame rate.

Numbers come from :mod:`runform.teaching.footstrike`, :mod:`runform.teaching.contact_time`
and the coaching table of :mod:`runform.findings` (the same rules as the coach's report).
"""

from __future__ import annotations

import html
import math

import numpy as np

from ..teaching import contact_time as _ct
from ..teaching import footstrike as _fs
from ._teach import C, Shown, image, new_figure, png

__all__ = [
    "CoachingTable",
    "FrameRateView",
    "frame_rate_figure",
    "stride_figure",
    "strike_figure",
]

STRIDE_COLOURS = (C["vermillion"], C["blue"], C["green"], C["purple"])
VERDICT = {
    "present": ("present", C["vermillion"]),
    "absent": ("absent", C["green"]),
    "cannot_tell": ("cannot tell from this clip", C["orange"]),
}


def _frame_rgb(video, frame: int) -> np.ndarray:
    from ..video import open_video

    with open_video(video) as v:
        return v.frame(int(frame))[:, :, ::-1]


def strike_figure(items: list[dict], crop_px: int = 70):
    """One panel per sample: the video at the strike frame, zoomed on the foot.

    Parameters
    ----------
    items : list of dict
        Each with ``title``, ``video`` (path), ``result`` (Analysis), ``step`` (a row of
        :func:`runform.teaching.footstrike.strike_frames`) and optionally ``true_deg``.
        A panel is titled "``title`` · this step: class" (the class of that one step, not
        the clip's label), then runform's angle and the true one.
    crop_px : int
        Half-size of the zoom window around the foot, pixels.
    """
    fig, axes = new_figure(300 * len(items), 340, ncols=len(items))
    for ax, it in zip(axes[0], items, strict=True):
        step = it["step"]
        line = _fs.foot_line(it["result"], int(step["frame"]), step["foot_strike_angle_deg"])
        img = _frame_rgb(it["video"], int(step["frame"]))
        heel, toe, fwd = line["heel"], line["toe"], line["forward"]
        cx, cy = (heel + toe) / 2
        ax.imshow(img)
        ax.plot(*np.c_[heel, toe], color=C["orange"], lw=3, label="heel → toe (MediaPipe)")
        length = float(np.hypot(*(toe - heel))) * 1.1
        ref = math.radians(line["reference_deg"])
        end = heel + length * np.array([fwd * math.cos(ref), -math.sin(ref)])
        ax.plot(
            *np.c_[heel, end], color=C["sky"], lw=2, ls="--", label="zero of the angle (ground)"
        )
        r = 0.6 * length
        a = np.radians(np.linspace(line["reference_deg"], line["foot_deg"], 20))
        ax.plot(
            heel[0] + fwd * r * np.cos(a),
            heel[1] - r * np.sin(a),
            color="k",
            lw=2.5,
            label="foot-strike angle",
        )
        ax.plot(*heel, "o", color=C["yellow"], mec="k", ms=7)
        truth = it.get("true_deg")
        sub = f"\nrunform {step['foot_strike_angle_deg']:+.1f}°"
        sub += f", true {truth:+.1f}°" if truth is not None else ""
        # the class of this one step, never to be read as the clip's label
        ax.set_title(f"{it['title']} · this step: {step['foot_strike_type']}{sub}", fontsize=9)
        ax.set(
            xlim=(cx - crop_px, cx + crop_px),
            ylim=(cy + crop_px, cy - crop_px),
            xlabel="image x (px)",
            ylabel="image y (px)",
        )
    axes[0, 0].legend(fontsize=7, loc="upper left")
    fig.suptitle(
        "Foot-strike angle at the last frame before initial contact (toe up +)", fontsize=11
    )
    return fig


def stride_figure(measures: dict, title: str):
    """One small panel per measure, one bar per stride, with its 95 % CI.

    Parameters
    ----------
    measures : dict of str to dict
        Stride label → :func:`runform.teaching.footstrike.stride_measures`.
    """
    keys = list(_fs.STRIDE_MEASURES)
    fig, axes = new_figure(980, 420, ncols=4, nrows=2)
    names = list(measures)
    for ax, key in zip(axes.flat, keys, strict=False):
        label, unit = _fs.STRIDE_MEASURES[key]
        vals = [measures[n][key][0] for n in names]
        errs = [np.nan_to_num(measures[n][key][1]) for n in names]
        ax.bar(
            range(len(names)),
            vals,
            yerr=errs,
            capsize=4,
            color=STRIDE_COLOURS[: len(names)],
            edgecolor="k",
        )
        ax.set_xticks(range(len(names)), [str(k + 1) for k in range(len(names))])
        ax.set_title(f"{label} ({unit})", fontsize=9)
        ax.set_xlabel("stride", fontsize=8)
    last = axes.flat[len(keys)]
    last.axis("off")
    for k, n in enumerate(names):
        last.text(
            0.0,
            0.85 - 0.2 * k,
            n if n[:1].isdigit() else f"{k + 1}: {n}",
            color=STRIDE_COLOURS[k],
            fontsize=10,
            transform=last.transAxes,
        )
    last.text(
        0.0,
        0.1,
        "bars: mean; whiskers: 95 % CI\nof the mean over steps",
        fontsize=8,
        transform=last.transAxes,
    )
    fig.suptitle(title, fontsize=11)
    return fig


def frame_rate_figure(out: dict, n_steps: int):
    """Histogram of the reported contact-time differences, the truth and the claim."""
    fig, ax = new_figure(640, 340)
    ax = ax[0, 0]
    v = out["values_ms"]
    frame = out["frame_ms"] / max(n_steps, 1)
    edges = np.arange(v.min() - frame / 2, v.max() + frame, max(frame, 0.5))
    ax.hist(
        v,
        bins=edges if len(edges) > 2 else 10,
        color=C["blue"],
        alpha=0.8,
        rwidth=0.85,
        weights=np.full(len(v), 100.0 / len(v)),
        label="what the video reports",
    )
    ax.axvspan(30, 40, color=C["orange"], alpha=0.3, label="claimed 30–40 ms")
    ax.axvline(
        out["true_ms"],
        color=C["vermillion"],
        lw=2.5,
        label=f"true difference {out['true_ms']:.0f} ms",
    )
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set(
        xlabel="rearfoot − midfoot contact time, as measured (ms)",
        ylabel="share of repeated measurements (%)",
        title=f"{1000 / out['frame_ms']:.0f} fps (one frame {out['frame_ms']:.1f} ms), "
        f"{n_steps} step(s) per runner",
    )
    ax.legend(fontsize=8, loc="upper right")
    return fig


class FrameRateView(Shown):
    """Sliders on frame rate, steps and detector error; the reported difference updates."""

    FPS = (25, 30, 50, 60, 100, 120, 240)

    def __init__(self, fps: int = 30, n_steps: int = 1, event_sd_ms: float = 0.0):
        import ipywidgets as w

        self.fps = w.SelectionSlider(
            options=self.FPS, value=fps, description="frame rate", continuous_update=False
        )
        self.steps = w.IntSlider(
            n_steps, min=1, max=30, description="steps each", continuous_update=False
        )
        self.noise = w.FloatSlider(
            event_sd_ms,
            min=0,
            max=15,
            step=1,
            description="detector SD ms",
            continuous_update=False,
            style={"description_width": "100px"},
        )
        for s in (self.fps, self.steps, self.noise):
            s.observe(lambda _c: self.update(), "value")
        self.image, self.readout = image(640), w.HTML()
        self.widget = w.VBox([w.HBox([self.fps, self.steps, self.noise]), self.image, self.readout])
        self.update()

    def update(self) -> None:
        """Re-simulate the measurement and redraw (the sliders' callback)."""
        self.result = out = _ct.measured_difference(
            self.fps.value, self.steps.value, event_sd_ms=self.noise.value
        )
        self.image.value = png(frame_rate_figure(out, self.steps.value))
        lo, hi = out["ci95_ms"]
        self.readout.value = (
            f"<div style='font-family:monospace'>reported difference {out['mean_ms']:.1f} ms on "
            f"average; 95 % of measurements between {lo:.0f} and {hi:.0f} ms · "
            f"{100 * out['p_claim']:.0f} % report ≥ 30 ms · {100 * out['p_wrong_sign']:.0f} % "
            f"report no difference or the wrong sign · one contact read off frames: SD "
            f"{_ct.per_step_sd_ms(self.fps.value):.1f} ms (frame / √6)</div>"
        )


def _finding_html(f) -> str:
    from ..findings import label

    word, colour = VERDICT[f.status]
    rows = [
        f"<b>What you would see.</b> {html.escape(f.what_you_see)}",
        "<b>Possible causes.</b> " + "; ".join(html.escape(c) for c in f.causes),
        f"<b>Cue.</b> {html.escape(f.cue)}",
    ]
    if f.evidence:
        e = f.evidence[0]
        name, unit = label(e.measure)
        lo, hi = e.ci95
        ci = f" (95 % CI {lo:.2f} to {hi:.2f})" if np.isfinite(lo) else " (no CI)"
        rows.append(
            f"<b>Measurement.</b> {html.escape(name)}: {e.value:.2f}{unit}{ci}, "
            f"{e.n_steps} steps; threshold {f.direction} {f.threshold:.2f}{unit}"
        )
    rows.append(
        f"<b>Verdict:</b> <span style='color:rgb{_rgb(colour)};font-weight:bold'>"
        f"{word}</span>{' (' + f.confidence + ' confidence)' if f.confidence else ''}"
        f". {html.escape(f.reason)}"
    )
    rows.append(
        f"<i>Threshold: {html.escape(f.threshold_basis)} Evidence for the row: "
        f"{html.escape(f.evidence_strength or 'not stated')}.</i>"
    )
    return "<div style='max-width:760px'>" + "<br>".join(rows) + "</div>"


def _rgb(colour) -> tuple[int, int, int]:
    return tuple(int(255 * c) for c in colour)


class CoachingTable(Shown):
    """Pick a clip and a problem: what you see, causes, cue, and the verdict on this clip.

    The verdict is :func:`runform.findings.evaluate`, the rule the coach's report uses.

    Parameters
    ----------
    results : dict of str to Analysis
        Clip label → analysis.
    heights_cm : dict of str to float, optional
        Clip label → stature (gives overstride in cm).
    problem : str, optional
        Problem code shown first.
    """

    def __init__(self, results: dict, heights_cm: dict | None = None, problem: str = "reaching"):
        import ipywidgets as w

        from ..findings import load_table

        self.results, self.heights = dict(results), dict(heights_cm or {})
        table = load_table()
        self.clip = w.Dropdown(options=list(self.results), description="clip")
        self.problem = w.Dropdown(
            options=[(p["problem"], p["code"]) for p in table],
            value=problem,
            description="problem",
            layout=w.Layout(width="520px"),
        )
        for d in (self.clip, self.problem):
            d.observe(lambda _c: self.update(), "value")
        self.view = w.HTML()
        self.widget = w.VBox([w.HBox([self.clip, self.problem]), self.view])
        self.update()

    def finding(self, clip: str | None = None, problem: str | None = None):
        """The :class:`runform.findings.Finding` for a clip and problem (default: shown)."""
        from ..findings import RunnerProfile, evaluate

        clip = clip or self.clip.value
        profile = RunnerProfile(height_cm=self.heights.get(clip))
        return evaluate(self.results[clip], problem or self.problem.value, profile)

    def update(self) -> None:
        """Judge the chosen problem on the chosen clip (the dropdowns' callback)."""
        self.current = self.finding()
        self.view.value = _finding_html(self.current)
