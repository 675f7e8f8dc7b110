"""Notebook 04's view: the simulated runner's ankle strategy on sliders, drawn and measured.

Numbers come from :mod:`runform.teaching.ankle_strategy` (the model's exact truth on
every slider step; runform's full pipeline on the projected landmarks when asked).
"""

from __future__ import annotations

import time

import numpy as np

from ..teaching import ankle_strategy as _a
from ._teach import C, Shown, image, png

__all__ = ["AnkleStrategy", "measure_table", "strategy_figure"]

LEG = ("right_hip", "right_knee", "right_ankle", "right_heel", "right_foot_index",
       "right_ankle")


def _leg_at(motion, t: float) -> np.ndarray:
    """(x, z) of the right leg's joints at time ``t`` (s), hip at x = 0, metres."""
    k = int(np.clip(np.searchsorted(motion.time, t), 0, len(motion.time) - 1))
    pts = np.array([motion.joints[j][k][[0, 2]] for j in LEG])
    return pts - [pts[0, 0], 0.0]


def strategy_figure(motion, measured: dict, title: str, truth=None):
    """Left: the leg 60 ms before and at contact. Right: the ankle over one stride.

    Parameters
    ----------
    motion : RunnerMotion
    measured : dict
        :func:`runform.teaching.ankle_strategy.measure_motion` of it.
    truth : DataFrame, optional
        ``motion.truth_table()`` when already computed.
    """
    from matplotlib.figure import Figure

    # fixed margins, no constrained layout: rendering stays well under 0.1 s per update
    fig = Figure(figsize=(8.6, 3.6), dpi=90)
    ax, bx = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.84, bottom=0.14, wspace=0.25)
    ic = motion.ic_s["right"]
    ic = ic[ic > 0.5][0] if np.any(ic > 0.5) else ic[-1]
    for dt, col, ls, lab in ((-0.06, C["sky"], "--", "60 ms before contact"),
                             (0.0, C["blue"], "-", "initial contact")):
        p = _leg_at(motion, ic + dt)
        ax.plot(p[:, 0], p[:, 1], ls, color=col, lw=3, marker="o", ms=4, label=lab)
    ax.axhline(0, color="0.3", lw=1)
    ax.axvline(0, color=C["grey"], ls=":", lw=1, label="below the hip")
    ax.set(aspect="equal", xlim=(-0.45, 0.6), ylim=(-0.05, 1.0), xlabel="forward of the hip (m)",
           ylabel="height (m)", title="right leg, side view")
    ax.legend(fontsize=8, loc="upper left")
    tt = motion.truth_table() if truth is None else truth
    t = tt["time_s"].to_numpy()
    win = (t > ic - 0.45) & (t < ic + 0.3)
    bx.plot(1000 * (t[win] - ic), tt["right_ankle_dorsiflexion_deg"].to_numpy()[win],
            color=C["vermillion"], lw=2, label="ankle (dorsiflexion +)")
    bx.plot(1000 * (t[win] - ic), tt["right_foot_angle_deg"].to_numpy()[win],
            color=C["green"], lw=2, ls="--", label="foot to ground (toe up +)")
    bx.axvline(0, color="k", lw=1)
    bx.axhline(0, color="0.3", lw=0.8)
    bx.text(5, bx.get_ylim()[1] * 0.9, "contact", fontsize=8)
    fsa = measured["foot_strike_angle_deg"][0]
    bx.set(xlabel="time from initial contact (ms)", ylabel="angle (°)",
           title=f"strike {fsa:+.1f}° ({measured['foot_strike_type']})")
    bx.legend(fontsize=8, loc="lower left")
    fig.suptitle(title, fontsize=11)
    return fig


def measure_table(measured: dict):
    """The measurements as a table: label → "mean ± 95 % half-width unit"."""
    import pandas as pd

    rows = {}
    for key, (label, unit) in _a.MEASURES.items():
        v, h, n = measured[key]
        u = f" ± {h:.1f}" if np.isfinite(h) else ""
        rows[f"{label} ({unit})"] = f"{v:.1f}{u} {unit}"
    rows["foot-strike class"] = measured["foot_strike_type"]
    return pd.Series(rows, name="value").to_frame()


class AnkleStrategy(Shown):
    """Sliders on the simulated runner's ankle strategy; re-simulated on every change.

    ``pipeline=True`` (the checkbox) also measures each setting with ``runform.analyze``
    on the projected landmarks (slower). ``latency_s`` holds the last update's time.
    """

    def __init__(self, toes_up_deg: float = 0.0, kept: float = 0.5,
                 relaxed_strike_deg: float = 3.0, overstride_cm: float = 16.0,
                 speed_mps: float = 3.3):
        import ipywidgets as w

        def slider(v, lo, hi, step, label):
            s = w.FloatSlider(v, min=lo, max=hi, step=step, description=label,
                              continuous_update=False, style={"description_width": "150px"},
                              layout=w.Layout(width="360px"))
            s.observe(lambda _c: self.update(), "value")
            return s

        self.toes_up = slider(toes_up_deg, 0, 20, 1, "toes up in late swing °")
        self.kept = slider(kept, 0, 1, 0.1, "share held at contact")
        self.relaxed = slider(relaxed_strike_deg, -8, 10, 1, "relaxed landing angle °")
        self.overstride = slider(overstride_cm, 8, 40, 1, "heel ahead of hip cm")
        self.speed = slider(speed_mps, 2.5, 5.0, 0.1, "speed m/s")
        self.pipeline = w.Checkbox(False, description="also measure with runform.analyze")
        self.pipeline.observe(lambda _c: self.update(), "value")
        self.image, self.readout = image(860), w.HTML()
        self.widget = w.VBox([w.HBox([w.VBox([self.toes_up, self.kept, self.relaxed]),
                                      w.VBox([self.overstride, self.speed, self.pipeline])]),
                              self.image, self.readout])
        self.update()

    def update(self) -> None:
        """Re-simulate, measure and redraw (the sliders' callback)."""
        from ..errors import InputError
        from ..model import simulate

        start = time.perf_counter()
        try:
            params = _a.strategy_params(self.toes_up.value, self.kept.value,
                                        self.relaxed.value, self.overstride.value,
                                        self.speed.value)
            self.motion = simulate(params, fps=50.0, duration_s=1.8)
        except InputError as exc:
            self.readout.value = f"<div style='color:#b35900'>The model refuses: {exc}</div>"
            return
        tt = self.motion.truth_table()
        self.measured = _a.measure_motion(self.motion, truth=tt)
        self.image.value = png(strategy_figure(self.motion, self.measured,
                                               "Simulated runner: ankle strategy", tt))
        table = measure_table(self.measured).rename(columns={"value": "model (exact)"})
        if self.pipeline.value:
            _, _, self.pipeline_measured = _a.simulate_strategy(params, fps=50.0)
            table["runform.analyze"] = measure_table(self.pipeline_measured)["value"]
        self.latency_s = time.perf_counter() - start
        self.readout.value = (table.to_html() + f"<div style='color:#555'>updated in "
                              f"{1000 * self.latency_s:.0f} ms</div>")
