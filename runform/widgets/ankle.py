"""Dorsiflexion, drawn: an ankle with an angle slider, and the ankle over the gait cycle."""

from __future__ import annotations

import math

import numpy as np

from ..teaching.ankle import ankle_points
from ._teach import C, Shown, image, new_figure, png

__all__ = ["AnkleDiagram", "ankle_figure", "dorsiflexion_cycle_figure"]


def ankle_figure(dorsiflexion_deg: float, shank_lean_deg: float = 0.0):
    """A shank and a foot at a given dorsiflexion, with the angle and its sign drawn.

    The shank is drawn from the knee to the ankle, the foot from heel to toe (the line
    runform measures); a dotted line shows 0° (foot perpendicular to the shank) and an
    arc the angle from it, + dorsiflexion (toes towards the shin), − plantarflexion.
    """
    p = ankle_points(dorsiflexion_deg, shank_lean_deg=shank_lean_deg)
    fig, ax = new_figure(420, 420)
    ax = ax[0, 0]
    knee, ank, heel, toe = p["knee"], p["ankle"], p["heel"], p["foot_index"]
    ax.plot(*np.c_[knee, ank], color=C["blue"], lw=7, solid_capstyle="round", label="shank")
    ax.plot(
        *np.c_[heel, toe],
        color=C["orange"],
        lw=7,
        solid_capstyle="round",
        label="foot (heel → toe)",
    )
    ax.plot(*np.c_[ank, heel], color=C["orange"], lw=3, alpha=0.6)
    ax.plot(*np.c_[ank, toe], color=C["orange"], lw=3, alpha=0.6)
    up = (knee - ank) / np.linalg.norm(knee - ank)
    zero = np.array([up[1], -up[0]])  # perpendicular to the shank, forwards
    shift = toe - heel
    foot_dir = shift / np.linalg.norm(shift)
    ax.plot(
        *np.c_[heel, heel + 26 * zero],
        color=C["grey"],
        ls=":",
        lw=2,
        label="0°: foot perpendicular to shank",
    )
    a0, a1 = math.degrees(math.atan2(*zero[::-1])), math.degrees(math.atan2(*foot_dir[::-1]))
    arc = np.radians(np.linspace(a0, a1, 40))
    r = 18.0
    ax.plot(
        heel[0] + r * np.cos(arc),
        heel[1] + r * np.sin(arc),
        color=C["vermillion"],
        lw=3,
        label="the angle runform reports",
    )
    mid = arc[len(arc) // 2]
    ax.text(
        heel[0] + (r + 3) * np.cos(mid),
        heel[1] + (r + 3) * np.sin(mid),
        f"{dorsiflexion_deg:+.0f}°",
        color=C["vermillion"],
        fontsize=11,
    )
    kind = (
        "dorsiflexion (+)"
        if dorsiflexion_deg > 0
        else "plantarflexion (−)"
        if dorsiflexion_deg < 0
        else "neutral (0°)"
    )
    ax.set_title(f"Ankle angle {dorsiflexion_deg:+.0f}°: {kind}")
    ax.set(xlim=(-22, 42), ylim=(-22, 48), aspect="equal", xlabel="forward (cm)", ylabel="up (cm)")
    ax.legend(loc="upper left", fontsize=8)
    return fig


class AnkleDiagram(Shown):
    """A slider on the ankle angle (degrees) and the drawn ankle with its sign.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
        Ankle angle, degrees (+ dorsiflexion, − plantarflexion).
    lean : ipywidgets.IntSlider
        Forward lean of the shank, degrees (the angle does not depend on it).
    """

    def __init__(self, dorsiflexion_deg: int = 10):
        import ipywidgets as w

        self.slider = w.IntSlider(
            dorsiflexion_deg, min=-50, max=35, description="ankle °", continuous_update=False
        )
        self.lean = w.IntSlider(
            0, min=-20, max=40, description="shank lean °", continuous_update=False
        )
        self.image = image(420)
        for s in (self.slider, self.lean):
            s.observe(lambda _c: self.update(), "value")
        self.widget = w.VBox([w.HBox([self.slider, self.lean]), self.image])
        self.update()

    def update(self) -> None:
        """Redraw for the sliders' values."""
        self.image.value = png(ankle_figure(self.slider.value, self.lean.value))


def dorsiflexion_cycle_figure(
    summary,
    column: str,
    *,
    truth=None,
    norm=None,
    title: str = "Ankle dorsiflexion over the gait cycle",
):
    """Mean ± SD of an angle over strides (0–100 % of the cycle) with stance shaded.

    Parameters
    ----------
    summary : DataFrame
        From :meth:`runform.Analysis.cycles` (``cycle_pct``, ``<column>_mean``/``_sd``).
    column : str
        Angle column, e.g. ``"left_ankle_dorsiflexion_deg"``.
    truth : DataFrame, optional
        The same summary of the clip's true angles (rendered clips), drawn dashed.
    norm : runform.reference.Norm, optional
        A peak-stance norm drawn as a band (mean ± SD).
    """
    fig, ax = new_figure(720, 340)
    ax = ax[0, 0]
    pct = summary["cycle_pct"]
    m, s = summary[f"{column}_mean"], summary[f"{column}_sd"]
    to = summary.attrs.get("toe_off_pct", float("nan"))
    if np.isfinite(to):
        ax.axvspan(0, to, color=C["grey"], alpha=0.15, lw=0, label="stance (IC → TO)")
    ax.fill_between(
        pct,
        m - s,
        m + s,
        color=C["blue"],
        alpha=0.25,
        lw=0,
        label=f"± 1 SD over {summary.attrs.get('n_strides', '?')} strides",
    )
    ax.plot(pct, m, color=C["blue"], lw=2, label="runform (MediaPipe), mean")
    if truth is not None:
        ax.plot(
            truth["cycle_pct"],
            truth[f"{column}_mean"],
            color=C["vermillion"],
            ls="--",
            lw=1.8,
            label="true angle of the rendered runner",
        )
    if norm is not None and norm.band:
        ax.axhspan(
            *norm.band,
            xmin=0.05,
            xmax=0.45,
            color=C["green"],
            alpha=0.25,
            lw=0,
            label=f"peak stance norm {norm.mean:g} ± {norm.sd:g}° (3D markers)",
        )
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set(
        xlabel="gait cycle (% from initial contact)",
        ylabel="dorsiflexion (°, + toes up)",
        title=title,
        xlim=(0, 100),
    )
    ax.legend(fontsize=7.5, loc="upper right")
    return fig
