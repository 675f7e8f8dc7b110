"""The squat explorer: a dorsiflexion-limit slider moves the trunk and the load to the hip."""

from __future__ import annotations

import numpy as np

from ..reference import FRY2003_SQUAT_TORQUE_NM
from ..teaching import squat as _sq
from ._teach import C, Shown, image, new_figure, png
from ._teach import slider as _slider

__all__ = ["SquatExplorer", "squat_figure"]


def _stick(ax, pose, title: str) -> None:
    p = pose.points
    ax.plot([p["heel"][0], p["toe"][0]], [0, 0], color=C["orange"], lw=6)
    chain = np.array([p["ankle"], p["knee"], p["hip"], p["shoulder"]])
    colours = (C["blue"], C["sky"], C["purple"])
    for k, col in enumerate(colours):
        ax.plot(chain[k : k + 2, 0], chain[k : k + 2, 1], color=col, lw=6, solid_capstyle="round")
    com = p["com"]
    ax.plot(*com, "o", color="k", ms=9, label="centre of mass")
    ax.axvline(com[0], color="k", ls=":", lw=1)
    ax.plot([p["knee"][0]] * 2, [p["knee"][1], 0], color=C["grey"], ls="--", lw=1)
    ax.set(
        aspect="equal",
        xlim=(-0.75, 0.65),
        ylim=(-0.05, 1.25),
        xlabel="forward (m)",
        ylabel="up (m)",
        title=title,
    )
    ax.legend(fontsize=8, loc="upper right")


def _curves(ax, table, current: float) -> None:
    ok = table["feasible"]
    ax.plot(
        table["df_limit_deg"],
        table["hip_share_pct"].where(ok),
        color=C["vermillion"],
        lw=2,
        label="share of the load at the hip (%)",
    )
    ax.plot(
        table["df_limit_deg"],
        table["trunk_deg"].where(ok),
        color=C["purple"],
        lw=2,
        ls="--",
        label="trunk lean (°)",
    )
    fry = FRY2003_SQUAT_TORQUE_NM
    for key in ("unrestricted", "restricted"):
        share = 100 * fry[key]["hip"] / (fry[key]["hip"] + fry[key]["knee"])
        ax.axhline(share, color=C["green"], lw=1, ls=":")
        ax.text(
            0.02,
            share / 100 + 0.015,
            f"Fry 2003, knees {'free' if key == 'unrestricted' else 'blocked'}: {share:.0f} %",
            color=C["green"],
            fontsize=8,
            transform=ax.transAxes,
        )
    ax.axvline(current, color="k", lw=1)
    ax.set(
        xlabel="dorsiflexion the ankle allows (°)",
        ylabel="% or degrees",
        title="Stiffer ankle: trunk leans, load shifts to the hip",
        ylim=(0, 100),
        xlim=(table["df_limit_deg"].min(), table["df_limit_deg"].max()),
    )
    ax.legend(fontsize=8, loc="upper right")


def squat_figure(pose, table, limit_deg: float):
    """The squatter (left) and hip share / trunk lean over dorsiflexion limits (right)."""
    fig, ax = new_figure(940, 400, ncols=2)
    if pose.feasible:
        _stick(ax[0, 0], pose, f"shank {pose.shank_deg:.0f}°, trunk {pose.trunk_deg:.0f}° forward")
    else:
        ax[0, 0].text(
            0.5,
            0.5,
            "No balanced position:\nthe squatter falls backwards\n(or lifts the heels)",
            ha="center",
            va="center",
            transform=ax[0, 0].transAxes,
            fontsize=12,
        )
        ax[0, 0].set(title=f"dorsiflexion limit {limit_deg:.0f}°", xticks=[], yticks=[])
    _curves(ax[0, 1], table, limit_deg)
    return fig


class SquatExplorer(Shown):
    """Sliders: the dorsiflexion limit, the squat depth and a bar load.

    Attributes
    ----------
    limit, depth, bar : ipywidgets sliders
        Dorsiflexion limit (°), thigh angle below horizontal (°; 0 = parallel) and bar (kg).
    pose : runform.teaching.squat.SquatPose
        The current balanced position (moments, hip share, feasibility).
    """

    def __init__(self, limit_deg: float = 40.0, depth_deg: float = 0.0, bar_kg: float = 60.0):
        import ipywidgets as w

        def slider(v, lo, hi, label, step=1.0):
            return _slider(v, lo, hi, step, label, self.update, 120)

        self.limit = slider(limit_deg, 15, 60, "dorsiflexion limit °")
        self.depth = slider(depth_deg, -50, 10, "thigh below horiz. °")
        self.bar = slider(bar_kg, 0, 120, "bar (kg)", 5.0)
        self.image, self.readout = image(940), w.HTML()
        self.widget = w.VBox([w.HBox([self.limit, self.depth, self.bar]), self.image, self.readout])
        self.update()

    def update(self) -> None:
        """Solve the balanced squat and redraw (the sliders' callback)."""
        kw = {"thigh_deg": self.depth.value, "bar_kg": self.bar.value}
        self.pose = _sq.squat(self.limit.value, **kw)
        table = _sq.sweep(np.arange(15, 60.5, 1.0), **kw)
        self.image.value = png(squat_figure(self.pose, table, self.limit.value))
        p = self.pose
        self.readout.value = (
            "<div style='font-family:monospace'>"
            + (
                f"knee moment {p.knee_moment_nm:.0f} N·m, hip moment {p.hip_moment_nm:.0f} "
                f"N·m per leg → <b>{100 * p.hip_share:.0f} %</b> at the hip; moment arms: "
                f"knee {100 * p.knee_arm_m:.1f} cm, hip {100 * p.hip_arm_m:.1f} cm"
                if p.feasible
                else "no balanced squat at this depth with this ankle"
            )
            + "</div>"
        )
