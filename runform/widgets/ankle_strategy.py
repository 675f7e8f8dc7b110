"""Notebook 04's view: the simulated runner's ankle strategy on sliders, drawn and measured.

Numbers come from :mod:`runform.teaching.ankle_strategy` (the model's exact truth on
every slider step; runform's full pipeline on the projected landmarks when asked).
"""

from __future__ import annotations

import time

import numpy as np

from ..teaching import ankle_strategy as _a
from ._teach import C, Shown, image
from ._teach import slider as _slider

__all__ = ["AnkleStrategy", "measure_table", "strategy_figure"]

LEG = ("right_hip", "right_knee", "right_ankle", "right_heel", "right_foot_index", "right_ankle")


def _leg_at(motion, t: float) -> np.ndarray:
    """(x, z) of the right leg's joints at time ``t`` (s), hip at x = 0, metres."""
    k = int(np.clip(np.searchsorted(motion.time, t), 0, len(motion.time) - 1))
    pts = np.array([motion.joints[j][k][[0, 2]] for j in LEG])
    return pts - [pts[0, 0], 0.0]


def _contact_time(motion) -> float:
    """A right-foot contact well inside the clip (s)."""
    ic = motion.ic_s["right"]
    return float(ic[ic > 0.5][0] if np.any(ic > 0.5) else ic[-1])


def _curves(motion, tt) -> dict:
    """Line data of the figure: the leg before and at contact, ankle and foot around contact."""
    ic = _contact_time(motion)
    t = tt["time_s"].to_numpy()
    win = (t > ic - 0.45) & (t < ic + 0.3)
    ms = 1000 * (t[win] - ic)
    return {
        "before": _leg_at(motion, ic - 0.06).T,
        "contact": _leg_at(motion, ic).T,
        "ankle": (ms, tt["right_ankle_dorsiflexion_deg"].to_numpy()[win]),
        "foot": (ms, tt["right_foot_angle_deg"].to_numpy()[win]),
    }


def _axes(title: str):
    """The figure with fixed limits and the (empty) lines: key → Line2D."""
    from matplotlib.figure import Figure

    # fixed margins and limits, no constrained layout: the widget redraws only the lines
    fig = Figure(figsize=(8.6, 3.6), dpi=90)
    ax, bx = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.84, bottom=0.14, wspace=0.25)
    lines = {
        "before": ax.plot(
            [], [], "--", color=C["sky"], lw=3, marker="o", ms=4, label="60 ms before contact"
        )[0],
        "contact": ax.plot(
            [], [], "-", color=C["blue"], lw=3, marker="o", ms=4, label="initial contact"
        )[0],
        "ankle": bx.plot([], [], color=C["vermillion"], lw=2, label="ankle (dorsiflexion +)")[0],
        "foot": bx.plot([], [], color=C["green"], lw=2, ls="--", label="foot to ground (toe up +)")[
            0
        ],
    }
    ax.axhline(0, color="0.3", lw=1)
    ax.axvline(0, color=C["grey"], ls=":", lw=1, label="below the hip")
    ax.set(
        aspect="equal",
        xlim=(-0.45, 0.6),
        ylim=(-0.05, 1.0),
        xlabel="forward of the hip (m)",
        ylabel="height (m)",
        title="right leg, side view",
    )
    ax.legend(fontsize=8, loc="lower left")
    bx.axvline(0, color="k", lw=1)
    bx.axhline(0, color="0.3", lw=0.8)
    bx.text(8, -85, "contact", fontsize=8)
    bx.set(
        xlim=(-450, 300),
        ylim=(-90, 60),
        xlabel="time from initial contact (ms)",
        ylabel="angle (°)",
        title="ankle and foot angles of the right leg",
    )
    bx.legend(fontsize=8, loc="upper left")
    fig.suptitle(title, fontsize=11)
    return fig, lines


def strategy_figure(motion, measured: dict, title: str, truth=None):
    """Left: the leg 60 ms before and at contact. Right: ankle and foot angles around contact.

    Parameters
    ----------
    motion : RunnerMotion
    measured : dict
        :func:`runform.teaching.ankle_strategy.measure_motion` of it.
    title : str
        Figure title (the strike angle and class are added).
    truth : DataFrame, optional
        ``motion.truth_table()`` when already computed.
    """
    fsa = measured["foot_strike_angle_deg"][0]
    fig, lines = _axes(f"{title}: strike {fsa:+.1f}° ({measured['foot_strike_type']})")
    tt = motion.truth_table() if truth is None else truth
    for key, xy in _curves(motion, tt).items():
        lines[key].set_data(*xy)
    return fig


class _Canvas:
    """The figure drawn once; each update restores the background and draws only the lines.

    Redrawing axes, ticks and legends is most of matplotlib's time; blitting the four
    lines over a saved background keeps a slider step's drawing to a few tens of ms.
    """

    def __init__(self, title: str):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig, self.lines = _axes(title)
        self.canvas = FigureCanvasAgg(self.fig)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def png(self, motion, tt) -> bytes:
        from ..overlay import encode_png

        self.canvas.restore_region(self.background)
        for key, xy in _curves(motion, tt).items():
            line = self.lines[key]
            line.set_data(*xy)
            line.axes.draw_artist(line)
        rgba = np.asarray(self.canvas.buffer_rgba())
        return encode_png(np.ascontiguousarray(rgba[:, :, 2::-1]))


def measure_table(measured: dict):
    """The measurements as a table: label → "mean ± 95 % half-width unit"."""
    import pandas as pd

    rows = {}
    for key, (label, unit) in _a.MEASURES.items():
        v, h, _n = measured[key]
        u = f" ± {h:.1f}" if np.isfinite(h) else ""
        rows[f"{label} ({unit})"] = f"{v:.1f}{u} {unit}"
    rows["foot-strike class"] = measured["foot_strike_type"]
    return pd.Series(rows, name="value").to_frame()


class AnkleStrategy(Shown):
    """Sliders on the simulated runner's ankle strategy; re-simulated on every change.

    ``pipeline=True`` (the checkbox) also measures each setting with ``runform.analyze``
    on the projected landmarks (slower). ``latency_s`` holds the last update's time.
    """

    def __init__(
        self,
        toes_up_deg: float = 0.0,
        kept: float = 0.5,
        relaxed_strike_deg: float = 3.0,
        overstride_cm: float = 16.0,
        speed_mps: float = 3.3,
    ):
        import ipywidgets as w

        def slider(v, lo, hi, step, label):
            return _slider(v, lo, hi, step, label, self.update, 150, width_px=360)

        self.toes_up = slider(toes_up_deg, 0, 20, 1, "toes up in late swing °")
        self.kept = slider(kept, 0, 1, 0.1, "share held at contact")
        self.relaxed = slider(relaxed_strike_deg, -8, 10, 1, "relaxed landing angle °")
        self.overstride = slider(overstride_cm, 8, 40, 1, "heel ahead of hip cm")
        self.speed = slider(speed_mps, 2.5, 5.0, 0.1, "speed m/s")
        self.pipeline = w.Checkbox(False, description="also measure with runform.analyze")
        self.pipeline.observe(lambda _c: self.update(), "value")
        self.image, self.readout = image(860), w.HTML()
        self.canvas = _Canvas("Simulated runner: ankle strategy")
        self.widget = w.VBox(
            [
                w.HBox(
                    [
                        w.VBox([self.toes_up, self.kept, self.relaxed]),
                        w.VBox([self.overstride, self.speed, self.pipeline]),
                    ]
                ),
                self.image,
                self.readout,
            ]
        )
        self.update()

    def update(self) -> None:
        """Re-simulate, measure and redraw (the sliders' callback)."""
        from ..errors import InputError
        from ..model import simulate

        start = time.perf_counter()
        try:
            params = _a.strategy_params(
                self.toes_up.value,
                self.kept.value,
                self.relaxed.value,
                self.overstride.value,
                self.speed.value,
            )
            self.motion = simulate(params, fps=50.0, duration_s=1.8)
        except InputError as exc:
            self.readout.value = f"<div style='color:#b35900'>The model refuses: {exc}</div>"
            return
        tt = self.motion.truth_table()
        self.measured = _a.measure_motion(self.motion, truth=tt)
        self.image.value = self.canvas.png(self.motion, tt)
        table = measure_table(self.measured).rename(columns={"value": "model (exact)"})
        if self.pipeline.value:
            _, _, self.pipeline_measured = _a.simulate_strategy(params, fps=50.0)
            table["runform.analyze"] = measure_table(self.pipeline_measured)["value"]
        self.latency_s = time.perf_counter() - start
        fsa = self.measured["foot_strike_angle_deg"][0]
        self.readout.value = (
            f"<b>foot-strike angle {fsa:+.1f}° ({self.measured['foot_strike_type']})</b>"
            + table.to_html()
            + f"<div style='color:#555'>updated in "
            f"{1000 * self.latency_s:.0f} ms</div>"
        )
