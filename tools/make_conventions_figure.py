"""Draw docs/conventions.png: every sagittal angle runform reports, with its sign.

``python tools/make_conventions_figure.py`` (matplotlib only). The figure is built from
:func:`runform.kinematics.sagittal_angles` on a pose with known angles, so the numbers
printed on it are runform's own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Arc

from runform.kinematics import sagittal_angles

OUT = Path(__file__).resolve().parents[1] / "docs" / "conventions.png"


def pose(thigh=25.0, shank=-10.0, foot=12.0, lean=8.0):
    """Runner-frame points (Y up, facing +X) with known segment angles (degrees)."""
    r = np.radians
    hip = np.array([0.0, 0.95])
    knee = hip + 0.45 * np.array([np.sin(r(thigh)), -np.cos(r(thigh))])
    ankle = knee + 0.43 * np.array([np.sin(r(shank)), -np.cos(r(shank))])
    f = np.array([np.cos(r(foot)), np.sin(r(foot))])
    heel = ankle - 0.06 * f + 0.06 * np.array([np.sin(r(foot)), -np.cos(r(foot))])
    toe = heel + 0.26 * f
    sh = hip + 0.55 * np.array([np.sin(r(lean)), np.cos(r(lean))])
    return {"hip": hip, "knee": knee, "ankle": ankle, "heel": heel, "toe": toe, "sh": sh}


def main() -> Path:
    p = pose()
    pts = {
        f"{s}_{k}": v[None]
        for s in ("left", "right")
        for k, v in (
            ("hip", p["hip"]),
            ("knee", p["knee"]),
            ("ankle", p["ankle"]),
            ("heel", p["heel"]),
            ("foot_index", p["toe"]),
            ("shoulder", p["sh"]),
        )
    }
    a = {k: float(v[0]) for k, v in sagittal_angles(pts).items()}
    fig = Figure(figsize=(7.5, 6.5), dpi=110)
    ax = fig.subplots()
    chain = [p["sh"], p["hip"], p["knee"], p["ankle"]]
    ax.plot(*np.array(chain).T, "-o", color="#0072B2", lw=3)
    ax.plot(*np.array([p["heel"], p["toe"]]).T, "-o", color="#D55E00", lw=3)
    ax.plot([p["ankle"][0], p["heel"][0]], [p["ankle"][1], p["heel"][1]], ":", color="grey")
    for base in (p["hip"], p["knee"]):
        ax.plot([base[0], base[0]], [base[1], base[1] - 0.3], "--", color="grey", lw=1)
    ax.plot([p["hip"][0], p["hip"][0]], [p["hip"][1], p["hip"][1] + 0.5], "--", color="grey", lw=1)
    ax.axhline(0.0, color="k", lw=1)
    ax.add_patch(Arc(p["hip"], 0.3, 0.3, theta1=-90, theta2=-90 + 25, color="#009E73", lw=2))
    ax.add_patch(Arc(p["hip"], 0.3, 0.3, theta1=90 - 8, theta2=90, color="#CC79A7", lw=2))
    labels = [  # (where, angle key, what the sign means)
        (p["hip"] + [0.12, -0.05], "thigh_angle", "+ knee ahead of hip;\n− = hip extension"),
        (p["sh"] + [0.04, 0.0], "trunk_lean", "+ forward"),
        (p["knee"] + [0.08, 0.0], "knee_flexion", "0 straight, + flexed"),
        (np.array([-0.7, 0.45]), "shank_angle", "+ ankle ahead of knee"),
        (p["toe"] + [0.02, 0.05], "foot_angle", "+ toe up"),
        (
            np.array([-0.7, 0.2]),
            "ankle_dorsiflexion",
            "0 = foot perpendicular\nto the shank, + toes up",
        ),
        (p["hip"] + [-0.62, 0.12], "hip_flexion", "thigh vs trunk line"),
    ]
    for xy, key, meaning in labels:
        value = a.get(f"left_{key}_deg", a.get(f"{key}_deg"))
        ax.annotate(f"{key.replace('_', ' ')} {value:+.0f}°\n({meaning})", xy, fontsize=9)
    ax.annotate("", (0.55, 1.75), (0.15, 1.75), arrowprops={"arrowstyle": "->"})
    ax.text(0.16, 1.78, "direction of travel (+X, after mirroring)", fontsize=9)
    ax.set_aspect("equal")
    ax.set_xlim(-0.75, 0.9)
    ax.set_ylim(-0.1, 1.9)
    ax.set_xlabel("X (m, forward)")
    ax.set_ylabel("Y (m, up)")
    ax.set_title("runform's sagittal angles and their signs (left leg shown)")
    OUT.parent.mkdir(exist_ok=True)
    fig.savefig(OUT, bbox_inches="tight")
    return OUT


if __name__ == "__main__":
    print(main())
