"""Pictures for the HTML report: key frames with the skeleton, gait-cycle curves vs norms.

Everything here draws; nothing analyses. Images come back as ``data:`` URIs (base64),
so the report is one self-contained file.
"""

from __future__ import annotations

import base64

import numpy as np

from .overlay import SIDE_RGB, draw_angle_arcs, draw_skeleton, encode_jpeg
from .plots import figure_png
from .reference import NORMS

__all__ = ["cycle_figure_uri", "data_uri", "key_frames"]

#: Curves of the report: angle column suffix, axis title, norms drawn as (cycle % or
#: "stance", norm name).
CURVES = (
    (
        "knee_flexion_deg",
        "knee flexion (°, + bent)",
        ((0.0, "knee_flexion_ic_deg"), ("stance", "knee_flexion_peak_stance_deg")),
    ),
    ("thigh_angle_deg", "thigh angle (°, + ahead of vertical)", ()),
    ("shank_angle_deg", "shank angle (°, + ankle ahead of knee)", ()),
    (
        "ankle_dorsiflexion_deg",
        "ankle dorsiflexion (°, + toes up)",
        ((0.0, "dorsiflexion_ic_deg"), ("stance", "dorsiflexion_peak_stance_deg")),
    ),
)


def data_uri(data: bytes, mime: str) -> str:
    """``data:`` URI of bytes (base64)."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def _frame_index(clip, t: float) -> int:
    return int(np.clip(np.searchsorted(clip.time, t), 0, clip.n_frames - 1))


def _runner_box(result, frames: list[int], pad: float = 0.12) -> tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1) around the runner in the given frames, padded."""
    pts = np.concatenate([result.clip.xy[i] for i in frames])
    pts = pts[np.isfinite(pts).all(axis=1)]
    c = result.clip
    if not len(pts):
        return 0, 0, c.width, c.height
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    margin = pad * (hi - lo).max()
    x0, y0 = np.maximum(lo - margin, 0).astype(int)
    x1, y1 = np.minimum(hi + margin, [c.width, c.height]).astype(int)
    return int(x0), int(y0), int(x1), int(y1)


def key_frames(result, max_height: int = 420) -> list[dict]:
    """Frames at initial contact and toe-off of a mid-clip near-foot step, drawn on.

    Returns a list of ``{"label", "time_s", "uri"}``; empty when the input is not a
    video or no near-foot step exists.
    """
    import cv2

    from .video import open_video

    if result.video is None or not result.video.is_file() or not len(result.steps):
        return []
    side = result.clip.near_side or "left"
    steps = result.steps[result.steps["foot"] == side]
    if not len(steps):
        return []
    row = steps.iloc[len(steps) // 2]
    ang = result.angles
    out = []
    wanted = [
        (lab, _frame_index(result.clip, t))
        for lab, t in (("initial contact", row.ic_s), ("toe-off", row.to_s))
    ]
    x0, y0, x1, y1 = _runner_box(result, [i for _, i in wanted])
    with open_video(result.video) as vid:
        for label, i in wanted:
            if i >= len(vid):
                continue
            img = np.ascontiguousarray(vid.frame(i)[y0:y1, x0:x1])
            scale = min(2.0, max_height / img.shape[0])
            img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            xy = result.clip.xy[i] - [x0, y0]
            draw_skeleton(
                img, xy, result.raw.visibility[i], scale=scale, near_side=result.clip.near_side
            )
            vals = {
                n: float(ang[f"{side}_{n}_deg"].iloc[i])
                for n in ("ankle_dorsiflexion", "knee_flexion", "thigh_angle")
            }
            draw_angle_arcs(img, xy, vals, side=side, scale=scale)
            out.append(
                {
                    "label": label,
                    "time_s": float(result.clip.time[i]),
                    "uri": data_uri(encode_jpeg(img, 85), "image/jpeg"),
                }
            )
    return out


def _norm_marks(ax, marks, toe_off: float) -> None:
    for where, name in marks:
        n = NORMS.get(name)
        if n is None or n.sd is None:
            continue
        x = 1.5 if where == 0.0 else toe_off * 0.4  # peak stance ≈ 40 % of stance
        ax.errorbar(
            [x],
            [n.mean],
            yerr=[n.sd],
            fmt="s",
            color="0.2",
            ms=4,
            capsize=3,
            zorder=5,
            label="published norm (mean ± SD)",
        )


def _cycle_panel(ax, cyc, panel, side: str, toe: float) -> None:
    """One angle's mean ± SD band over the cycle, with its norms and the toe-off line."""
    col, title, marks = panel
    key = "trunk_lean_deg" if col == "trunk_lean" else f"{side}_{col}"
    x = cyc["cycle_pct"].to_numpy()
    m, s = cyc[f"{key}_mean"].to_numpy(), cyc[f"{key}_sd"].to_numpy()
    color = SIDE_RGB.get(side, (0.2, 0.2, 0.2))
    ax.fill_between(x, m - s, m + s, color=color, alpha=0.25, lw=0)
    ax.plot(x, m, color=color, lw=2, label=f"{side} leg, mean ± SD")
    if col == "trunk_lean":
        n = NORMS["trunk_lean_deg"]
        ax.axhspan(
            n.mean - n.sd,
            n.mean + n.sd,
            color="0.5",
            alpha=0.15,
            label=f"norm {n.mean:g} ± {n.sd:g}°",
        )
        # show the band as a band: its edges inside the axes, with room on either side
        lo = min(np.nanmin(m - s), n.mean - n.sd) - 0.5 * n.sd
        hi = max(np.nanmax(m + s), n.mean + n.sd) + 0.5 * n.sd
        ax.set_ylim(lo, hi)
    _norm_marks(ax, marks, toe)
    if np.isfinite(toe):
        ax.axvline(toe, color="0.4", ls="--", lw=1)
        ax.text(
            toe,
            1.0,
            " toe-off",
            transform=ax.get_xaxis_transform(),
            fontsize=7,
            va="top",
            color="0.3",
        )
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    ax.set_xlim(0, 100)


def _legend_panel(ax, axes, n_strides: int) -> None:
    """The last panel: one legend for every curve and norm of the others."""
    ax.axis("off")
    handles, labels = [], []
    for other in axes:
        for h, lab in zip(*other.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    ax.legend(
        handles,
        labels,
        loc="center",
        fontsize=8,
        frameon=False,
        title=f"{n_strides} strides; 0 % = initial contact",
        title_fontsize=8,
    )


def cycle_figure_uri(result, size_px=(760, 720)) -> str | None:
    """Mean ± SD curves over the near foot's strides, 0–100 % of the cycle, as a PNG URI.

    Norms drawn where published (Heiderscheit 2011 knee; Fukuchi 2017 ankle, 3D markers);
    trunk lean's band is Teng & Powers 2014. None when fewer than two strides exist.
    """
    from matplotlib.figure import Figure

    from .errors import TooShortError

    try:
        cyc = result.cycles()
    except TooShortError:
        return None
    side = cyc.attrs.get("foot", result.clip.near_side or "left")
    toe = float(cyc.attrs.get("toe_off_pct", np.nan))
    fig = Figure(figsize=(size_px[0] / 100, size_px[1] / 100), dpi=100)
    axes = fig.subplots(3, 2).ravel()
    panels = [*CURVES, ("trunk_lean", "trunk lean (°, + forward)", ())]
    for ax, panel in zip(axes, panels, strict=False):
        _cycle_panel(ax, cyc, panel, side, toe)
    _legend_panel(axes[-1], axes[:-1], cyc.attrs.get("n_strides", 0))
    for ax in axes[3:5]:
        ax.set_xlabel("% of gait cycle", fontsize=8)
    _fixed_margins(fig, size_px)
    return data_uri(figure_png(fig), "image/png")


def _fixed_margins(fig, size_px, px=(44, 12, 26, 40), gaps_px=(56, 58)) -> None:
    """Lay out a grid of panels with margins fixed in pixels (left, right, top, bottom)
    and gaps between panels (horizontal, vertical): what ``tight_layout`` finds for these
    figures, without the extra draw it needs to measure them (a third of the report's time).
    """
    w, h = size_px
    left, right, top, bottom = px
    grid = fig.axes[0].get_gridspec()
    ncols, nrows = grid.ncols, grid.nrows
    aw = (w - left - right - (ncols - 1) * gaps_px[0]) / ncols
    ah = (h - top - bottom - (nrows - 1) * gaps_px[1]) / nrows
    fig.subplots_adjust(
        left=left / w,
        right=1 - right / w,
        top=1 - top / h,
        bottom=bottom / h,
        wspace=gaps_px[0] / aw,
        hspace=gaps_px[1] / ah,
    )
