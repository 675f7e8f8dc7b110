"""The knee-to-wall calculator: distance ↔ angle from geometry, norms, smallest real change."""

from __future__ import annotations

import math

import numpy as np

from ..reference import KNEE_TO_WALL_MDC, NORMS
from ..teaching import ankle as _a
from ._teach import C, Shown, image, new_figure, png

__all__ = ["KneeToWall", "knee_wall_figure"]


def _lunge_panel(ax, d_cm: float, foot_cm: float, shank_cm: float, theta: float) -> None:
    a = _a.TOE_TO_ANKLE_PER_FOOT * foot_cm
    wall = d_cm
    toe, ankle_x = 0.0, -a
    heel = toe - foot_cm
    ax.axvline(wall, color="0.25", lw=4)
    ax.plot([heel - 5, wall], [0, 0], color="0.4", lw=1)
    ax.plot(
        [heel, toe],
        [0, 0],
        color=C["orange"],
        lw=6,
        solid_capstyle="round",
        label=f"foot {foot_cm:.0f} cm",
    )
    if math.isfinite(theta):
        t = math.radians(theta)
        knee = (ankle_x + shank_cm * math.sin(t), shank_cm * math.cos(t))
        ax.plot(
            [ankle_x, knee[0]],
            [0, knee[1]],
            color=C["blue"],
            lw=6,
            solid_capstyle="round",
            label=f"shank {shank_cm:.0f} cm",
        )
        ax.plot([ankle_x, ankle_x], [0, 0.5 * shank_cm], color=C["grey"], ls=":", lw=1.5)
        arc = np.linspace(math.pi / 2, math.pi / 2 - t, 30)
        ax.plot(ankle_x + 10 * np.cos(arc), 10 * np.sin(arc), color=C["vermillion"], lw=2)
        ax.annotate(f"θ = {theta:.1f}°", (ankle_x - 10, 24), color=C["vermillion"], fontsize=10)
    ax.annotate(
        "", xy=(wall, -4), xytext=(toe, -4), arrowprops={"arrowstyle": "<->", "color": "0.2"}
    )
    ax.text((toe + wall) / 2, -8, f"d = {d_cm:.1f} cm", ha="center", fontsize=9)
    ax.set(
        aspect="equal",
        xlim=(heel - 6, wall + 6),
        ylim=(-12, shank_cm + 5),
        xlabel="cm (toe at 0)",
        ylabel="height (cm)",
        title="Knee to wall: the geometry",
    )
    ax.legend(fontsize=8, loc="upper left")


def _norm_panel(ax, d_cm: float, foot_cm: float, shank_cm: float) -> None:
    d = np.linspace(0.0, 18.0, 181)
    theta = _a.knee_to_wall_angle(d, foot_cm, shank_cm)
    n = NORMS["knee_to_wall_cm"]
    band = _a.seed_pass_band()
    ax.axvspan(
        *band["cm"],
        color=C["yellow"],
        alpha=0.35,
        lw=0,
        label="seed's pass: toe 3–5 in from the wall",
    )
    ax.axvspan(
        n.mean - n.sd,
        n.mean + n.sd,
        color=C["green"],
        alpha=0.2,
        lw=0,
        label=f"healthy adults {n.mean:g} ± {n.sd:g} cm",
    )
    ax.plot(d, theta, color=C["blue"], lw=2, label="θ = asin((d + a) / L)")
    for slope, style in ((3.6, "--"),):
        t0 = _a.knee_to_wall_angle(0.0, foot_cm, shank_cm)
        ax.plot(
            d,
            t0 + slope * d,
            color=C["vermillion"],
            ls=style,
            lw=1.3,
            label="'3.6° per cm' rule of thumb",
        )
    th = _a.knee_to_wall_angle(d_cm, foot_cm, shank_cm)
    mdc = KNEE_TO_WALL_MDC["between_raters_cm"]
    ax.errorbar(
        [d_cm],
        [th],
        xerr=[mdc],
        fmt="o",
        color="k",
        capsize=4,
        label=f"you, ± {mdc:g} cm (smallest real change)",
    )
    ax.set(
        xlabel="toe–wall distance d (cm)",
        ylabel="lunge dorsiflexion θ (°)",
        title="Distance → angle is a curve, not a fixed slope",
        xlim=(0, 18),
        ylim=(10, 75),
    )
    ax.legend(fontsize=7.5, loc="upper left")


def knee_wall_figure(d_cm: float, foot_cm: float, shank_cm: float):
    """Two panels: the lunge at distance ``d_cm``, and angle vs distance with the norms."""
    fig, ax = new_figure(900, 380, ncols=2)
    theta = _a.knee_to_wall_angle(d_cm, foot_cm, shank_cm)
    _lunge_panel(ax[0, 0], d_cm, foot_cm, shank_cm, theta)
    _norm_panel(ax[0, 1], d_cm, foot_cm, shank_cm)
    return fig


class KneeToWall(Shown):
    """Sliders: toe–wall distance, foot length, shank length; readout of angle and norms.

    Attributes
    ----------
    distance, foot, shank : ipywidgets.FloatSlider
        Centimetres.
    angle_deg, slope_deg_per_cm, z : float
        The current lunge angle, its local slope and the distance's standard score.
    """

    def __init__(self, distance_cm: float = 10.0, foot_cm: float = 26.0, shank_cm: float = 43.0):
        import ipywidgets as w

        def slider(v, lo, hi, label):
            s = w.FloatSlider(
                v,
                min=lo,
                max=hi,
                step=0.5,
                description=label,
                continuous_update=False,
                style={"description_width": "110px"},
            )
            s.observe(lambda _c: self.update(), "value")
            return s

        self.distance = slider(distance_cm, 0.0, 18.0, "toe–wall (cm)")
        self.foot = slider(foot_cm, 20.0, 32.0, "foot length (cm)")
        self.shank = slider(shank_cm, 34.0, 54.0, "shank length (cm)")
        self.image, self.readout = image(900), w.HTML()
        self.widget = w.VBox(
            [w.HBox([self.distance, self.foot, self.shank]), self.image, self.readout]
        )
        self.update()

    def update(self) -> None:
        """Recompute and redraw (the sliders' callback)."""
        d, f, s = self.distance.value, self.foot.value, self.shank.value
        self.angle_deg = _a.knee_to_wall_angle(d, f, s)
        self.slope_deg_per_cm = _a.knee_to_wall_slope(d, f, s)
        self.z = _a.knee_to_wall_z(d)
        self.image.value = png(knee_wall_figure(d, f, s))
        mdc = KNEE_TO_WALL_MDC
        self.readout.value = (
            f"<div style='font-family:monospace'>d = {d:.1f} cm → θ = <b>{self.angle_deg:.1f}°"
            f"</b>; here 1 cm ≈ {self.slope_deg_per_cm:.2f}°; z = {self.z:+.2f} vs healthy "
            f"adults (Hall EA, Docherty CL 2017, J Sci Med Sport 20:618). A change smaller than "
            f"{mdc['between_raters_cm']:g} cm ({mdc['between_raters_deg']:g}°) between "
            f"testers is not a real change (Powden CJ et al. 2015, Man Ther 20:524).</div>"
        )
