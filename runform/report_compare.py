"""The before/after page: ``DIR/compare.html``, self-contained like the report."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .compare import caveats, row_numbers
from .report import _CSS, _e
from .report_figures import data_uri

__all__ = ["build_compare", "caveats_html", "compare_table_html"]


def _curves_uri(a, b) -> str | None:
    """Near-leg knee, thigh, ankle and trunk: mean ± SD of each run over its strides."""
    from matplotlib.figure import Figure

    from .cycles import cycle_summary
    from .errors import TooShortError
    from .plots import figure_png

    try:
        ca = cycle_summary(a.angles, a.events, a.near_side)
        cb = cycle_summary(b.angles, b.events, b.near_side)
    except (TooShortError, KeyError):
        return None
    fig = Figure(figsize=(7.6, 5.6), dpi=100)
    axes = fig.subplots(2, 2).ravel()
    for ax, name in zip(
        axes, ("knee_flexion", "thigh_angle", "ankle_dorsiflexion", "trunk_lean"), strict=True
    ):
        for run, cyc, color in ((a, ca, "#868e96"), (b, cb, "#d9480f")):
            col = "trunk_lean_deg" if name == "trunk_lean" else f"{run.near_side}_{name}_deg"
            x = cyc["cycle_pct"].to_numpy()
            m, s = cyc[f"{col}_mean"].to_numpy(), cyc[f"{col}_sd"].to_numpy()
            ax.fill_between(x, m - s, m + s, color=color, alpha=0.2, lw=0)
            ax.plot(x, m, color=color, lw=2, label=f"{run.name} ({cyc.attrs['n_strides']})")
        ax.set_title(name.replace("_", " ") + " (°)", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, title="run (strides)", title_fontsize=7)
    for ax in axes[2:]:
        ax.set_xlabel("% of gait cycle (0 = initial contact)", fontsize=8)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.1, top=0.94, hspace=0.35, wspace=0.2)
    return data_uri(figure_png(fig), "image/png")


def _status(r) -> str:
    """The last cell of a row: changed or not, to which side, and the row's caveat."""
    words = (
        "<b>changed</b>"
        if r["changed"]
        else "within the uncertainty"
        if np.isfinite(r["diff_lo"])
        else "no interval (one value per clip)"
    )
    if r["toward"]:
        words += f" {_e(r['toward'])}"
    if r.get("caveat"):
        words += f"<br><span class='small'>{_e(r['caveat'])}: may not be the runner</span>"
    return words


def compare_table_html(rows) -> str:
    """The "what moved" table of :func:`runform.compare.compare` rows (HTML)."""
    cells = []
    for r in rows:
        a, b, d, lo, hi = row_numbers(r)
        cells.append(
            f"<tr><td>{_e(r['label'])}<br><span class='small'>{_e(r['key'])}</span></td>"
            f"<td>{_e(r.get('unit', ''))}</td>"
            f"<td class='num'>{a} (n {r['n_a']})</td><td class='num'>{b} (n {r['n_b']})</td>"
            f"<td class='num'>{d}</td><td class='num'>{lo} to {hi}</td><td>{_status(r)}</td></tr>"
        )
    return (
        "<table><tr><th>measure</th><th>unit</th><th class='num'>before</th><th class='num'>"
        "after</th><th class='num'>change</th><th class='num'>95% interval</th><th></th></tr>"
        f"{''.join(cells)}</table>"
    )


def caveats_html(notes) -> str:
    """The differences between the clips that can move a measure on their own (HTML)."""
    if not notes:
        return ""
    items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return f"<div class='card'><b>Before you read the changes</b><ul>{items}</ul></div>"


def build_compare(a, b, rows, out_dir: str | os.PathLike) -> Path:
    """Write ``out_dir/compare.html`` for two runs and their :func:`compare` rows."""
    uri = _curves_uri(a, b)
    curves = (
        f"<img class='curves' src='{uri}' alt='angle curves before and after'>"
        if uri
        else "<div class='card'>Too few strides for curves.</div>"
    )
    html = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>runform "
        f"comparison</title><style>{_CSS}</style></head><body><main>"
        f"<h1>Before / after: {_e(a.name)} → {_e(b.name)}</h1>"
        "<p class='sub'>A change counts when the 95 % interval of the difference "
        "excludes zero. The interval holds the step-to-step scatter only, not what differs "
        "between the clips themselves. 'Target' is the good side of the coaching table's "
        "threshold; a measure with only a published norm moves closer to or further from "
        "the norm's mean, a population average rather than a goal.</p>"
        f"{caveats_html(caveats(a, b))}<h2>What moved</h2>"
        f"{compare_table_html(rows)}"
        "<h2>Angles over the gait cycle (strides aligned at initial contact)</h2>"
        f"{curves}</main></body></html>"
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "compare.html"
    path.write_text(html, encoding="utf-8")
    return path
