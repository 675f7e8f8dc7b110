"""The hip as a crank: thigh vs hip angle with trunk lean, the phase portrait, crank vs speed."""

from __future__ import annotations

import math

import numpy as np

from ..teaching import crank as _c
from ._teach import C, Shown, image, new_figure, png
from ._teach import slider as _slider

__all__ = ["CrankSpeed", "ThighVsHip", "lean_figure", "phase_figure", "simulated_crank"]

LOOP_COLOURS = (C["blue"], C["vermillion"], C["green"], C["purple"], C["orange"])


def lean_figure(thigh_deg: float, lean_deg: float):
    """Trunk and thigh drawn from the hip, with the thigh angle and the hip angle."""
    fig, ax = new_figure(460, 420)
    ax = ax[0, 0]
    hip = np.zeros(2)
    t, k = math.radians(thigh_deg), math.radians(lean_deg)
    knee = 0.45 * np.array([math.sin(t), -math.cos(t)])
    sh = 0.55 * np.array([math.sin(k), math.cos(k)])
    ax.plot(
        [0, sh[0]],
        [0, sh[1]],
        color=C["purple"],
        lw=7,
        solid_capstyle="round",
        label=f"trunk, lean {lean_deg:+.0f}°",
    )
    ax.plot(
        [0, knee[0]], [0, knee[1]], color=C["blue"], lw=7, solid_capstyle="round", label="thigh"
    )
    ax.plot([0, 0], [-0.5, 0.6], color=C["grey"], ls=":", lw=1.5, label="vertical")
    ax.plot(
        [0, -sh[0] * 0.8],
        [0, -sh[1] * 0.8],
        color=C["purple"],
        ls="--",
        lw=1.2,
        label="trunk line extended",
    )
    hip_deg = float(_c.hip_flexion(thigh_deg, lean_deg))
    _lean_arcs(ax, thigh_deg, lean_deg, hip_deg)
    ax.plot(*hip, "o", color="k", ms=8)
    ax.set_title(
        f"thigh angle {thigh_deg:+.0f}° (to vertical)  vs  hip angle {hip_deg:+.0f}° (to trunk)",
        fontsize=10,
    )
    ax.text(
        0.02,
        0.03,
        "blue arc: thigh to vertical · vermillion arc: thigh to trunk line",
        transform=ax.transAxes,
        fontsize=8,
    )
    ax.set(
        aspect="equal", xlim=(-0.5, 0.5), ylim=(-0.55, 0.65), xlabel="forward (m)", ylabel="up (m)"
    )
    ax.legend(fontsize=8, loc="upper left")
    return fig


def _lean_arcs(ax, thigh_deg: float, lean_deg: float, hip_deg: float) -> None:
    """The thigh-to-vertical arc (blue) and the thigh-to-trunk arc (vermillion) at the hip."""
    t, k = math.radians(thigh_deg), math.radians(lean_deg)
    r1, r2 = 0.22, 0.34
    a = np.linspace(-math.pi / 2, -math.pi / 2 + t, 30)
    ax.plot(r1 * np.cos(a), r1 * np.sin(a), color=C["blue"], lw=3.5)
    ax.text(
        r1 * np.cos(a[-1]) + 0.02,
        r1 * np.sin(a[-1]) + 0.02,
        f"{thigh_deg:+.0f}°",
        color=C["blue"],
        fontsize=10,
    )
    b = np.linspace(-math.pi / 2 - k, -math.pi / 2 + t, 30)
    ax.plot(r2 * np.cos(b), r2 * np.sin(b), color=C["vermillion"], lw=3.5)
    ax.text(
        r2 * np.cos(b[0]) + 0.03,
        r2 * np.sin(b[0]) - 0.05,
        f"{hip_deg:+.0f}°",
        color=C["vermillion"],
        fontsize=10,
    )


class ThighVsHip(Shown):
    """Sliders on trunk lean and thigh angle; the thigh and hip angles part as the trunk leans."""

    def __init__(self, thigh_deg: float = -15.0, lean_deg: float = 7.0):
        import ipywidgets as w

        self.lean = w.IntSlider(
            int(lean_deg), min=-10, max=30, description="trunk lean °", continuous_update=False
        )
        self.thigh = w.IntSlider(
            int(thigh_deg), min=-35, max=40, description="thigh °", continuous_update=False
        )
        self.image, self.readout = image(460), w.HTML()
        for s in (self.lean, self.thigh):
            s.observe(lambda _c: self.update(), "value")
        self.widget = w.VBox([w.HBox([self.thigh, self.lean]), self.image, self.readout])
        self.update()

    def update(self) -> None:
        """Redraw (the sliders' callback)."""
        self.hip_deg = float(_c.hip_flexion(self.thigh.value, self.lean.value))
        self.image.value = png(lean_figure(self.thigh.value, self.lean.value))
        word = "extension" if self.hip_deg < 0 else "flexion"
        self.readout.value = (
            f"<div style='font-family:monospace'>thigh {self.thigh.value:+d}°"
            f" to vertical, trunk {self.lean.value:+d}° → hip "
            f"{abs(self.hip_deg):.0f}° of {word} relative to the trunk</div>"
        )


def phase_figure(loops: dict, title: str = "The crank: thigh angle vs angular velocity"):
    """Phase portraits, one colour per label, with IC (●) and TO (▲) on each loop.

    Parameters
    ----------
    loops : dict of str to dict
        Label → :func:`runform.teaching.crank.phase_portrait` result.
    """
    fig, ax = new_figure(640, 460)
    ax = ax[0, 0]
    for (label, pp), col in zip(loops.items(), LOOP_COLOURS, strict=False):
        for k, (a, v) in enumerate(zip(pp["angle"], pp["velocity"], strict=True)):
            ax.plot(
                a,
                v,
                color=col,
                lw=1.2,
                alpha=0.55,
                label=f"{label} ({len(pp['angle'])} strides)" if k == 0 else None,
            )
        if len(pp["ic"]):
            ax.plot(*pp["ic"].T, "o", color=col, mec="k", ms=7)
            ax.plot(*pp["to"].T, "^", color=col, mec="k", ms=8)
    ax.plot([], [], "o", color="w", mec="k", label="initial contact (IC)")
    ax.plot([], [], "^", color="w", mec="k", label="toe-off (TO)")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set(
        xlabel="thigh angle to vertical (°, + knee ahead, − hip extension)",
        ylabel="thigh angular velocity (°/s, + swinging forward)",
        title=title,
    )
    ax.legend(fontsize=8, loc="upper left")
    return fig


def simulated_crank(
    speed_mps: float,
    cadence_spm: float,
    hip_extension_deg: float,
    fps: float = 100.0,
    duration_s: float = 2.5,
):
    """Phase portrait and stride table of the simulated runner (right leg, exact events)."""
    from ..model import RunnerParams, events_table, simulate

    p = RunnerParams(
        speed_mps=speed_mps, cadence_spm=cadence_spm, hip_extension_deg=hip_extension_deg
    )
    m = simulate(p, fps=fps, duration_s=duration_s)
    tt, ev = m.truth_table(), events_table(m)
    args = (tt["time_s"].to_numpy(), tt["right_thigh_angle_deg"].to_numpy(), ev, "right")
    return m.params, _c.phase_portrait(*args), _c.crank_strides(*args)


class CrankSpeed(Shown):
    """The simulated runner's crank with sliders on speed, cadence and hip extension.

    The dashed loop is the runner at 3.3 m/s, 170 steps/min, 20° (for comparison).
    """

    def __init__(
        self, speed_mps: float = 3.3, cadence_spm: float = 170.0, hip_extension_deg: float = 20.0
    ):
        import ipywidgets as w

        def slider(v, lo, hi, step, label):
            return _slider(v, lo, hi, step, label, self.update, 110)

        self.speed = slider(speed_mps, 2.0, 6.0, 0.1, "speed (m/s)")
        self.cadence = slider(cadence_spm, 150, 200, 1, "cadence (spm)")
        self.extension = slider(hip_extension_deg, 5, 35, 1, "hip ext. at TO °")
        _, self.reference, _ = simulated_crank(3.3, 170.0, 20.0)
        self.image, self.readout = image(640), w.HTML()
        self.widget = w.VBox(
            [w.HBox([self.speed, self.cadence, self.extension]), self.image, self.readout]
        )
        self.update()

    def update(self) -> None:
        """Simulate and redraw (the sliders' callback)."""
        from ..errors import InputError

        try:
            params, pp, table = simulated_crank(
                self.speed.value, self.cadence.value, self.extension.value
            )
        except InputError as exc:
            self.readout.value = f"<div style='color:#b35900'>The model refuses: {exc}</div>"
            return
        self.params, self.table = params, table
        loops = {f"{self.speed.value:.1f} m/s": pp, "3.3 m/s reference": self.reference}
        self.image.value = png(phase_figure(loops, "Simulated runner: the crank vs speed"))
        stride_m = 2 * params.step_length_m
        self.readout.value = (
            f"<div style='font-family:monospace'>cadence {params.cadence_spm:.0f} steps/min, "
            f"stride {stride_m:.2f} m, contact {1000 * params.contact_time_s:.0f} ms · peak "
            f"backward thigh velocity <b>{table['peak_back_velocity_dps'].mean():.0f} °/s</b>"
            f", peak extension {table['peak_extension_deg'].mean():.1f}° "
            f"({table['peak_extension_vs_to_ms'].mean():+.0f} ms vs TO)</div>"
        )
