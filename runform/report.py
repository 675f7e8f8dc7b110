"""The coach's report: one self-contained HTML file (``DIR/report.html``).

Images are inlined as base64, the style sheet is inline, and nothing refers to the
network, so the file opens offline and can be mailed to an athlete. Sections: clip
summary, findings with cues, capture quality, key frames, gait-cycle curves against
norms, metrics with uncertainty, the limits of the measurement, and what the fields
mean.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import numpy as np

from .coaching_table import format_value, label
from .findings import find, summary
from .metrics import FootStrike, Metric
from .reference import NORMS
from .report_figures import cycle_figure_uri, key_frames
from .report_glossary import GLOSSARY, LIMITS, limits

__all__ = [
    "GLOSSARY",
    "LIMITS",
    "build_report",
    "curves_html",
    "findings_html",
    "frames_html",
    "metrics_html",
    "quality_html",
    "report_html",
    "report_sections",
    "scoped_css",
    "summary_html",
]

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2430;
margin:0;background:#f4f5f7}main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px;border-bottom:2px
solid #d9dde3;padding-bottom:4px}.sub{color:#5a6472}.card{background:#fff;border-radius:8px;
padding:14px 18px;margin:10px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.present{border-left:6px solid #d9480f}.cannot_tell{border-left:6px solid #9aa3ad}
.absent{border-left:6px solid #2b8a3e}.badge{display:inline-block;padding:1px 8px;
border-radius:10px;font-size:12px;font-weight:600;margin-left:6px;color:#fff}
.b-present{background:#d9480f}.b-cannot_tell{background:#7b8590}.b-absent{background:#2b8a3e}
.b-info{background:#4263eb}.b-warning{background:#e67700}.b-error{background:#c92a2a}
.cue{background:#fff4e6;border-radius:6px;padding:8px 12px;margin:8px 0;font-weight:600}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
td,th{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef0f3}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.frames{display:flex;gap:12px;flex-wrap:wrap}.frames figure{margin:0;background:#fff;
padding:8px;border-radius:8px}.frames img{max-width:100%;display:block}
figcaption{font-size:13px;color:#5a6472;margin-top:4px}img.curves{max-width:100%;
background:#fff;border-radius:8px}details summary{cursor:pointer;font-weight:600}
.small{font-size:13px;color:#5a6472}.unit{white-space:nowrap}
dl dt{font-weight:600;margin-top:8px}dl dd{margin:0 0 0 0}
"""


def _e(text) -> str:
    return html.escape(str(text))


def _num(v: float, digits: int = 1) -> str:
    return "–" if v is None or not np.isfinite(v) else f"{v:.{digits}f}"


def summary_html(result) -> str:
    c = result.clip
    src = Path(str(c.provenance.get("source", "clip"))).name
    fs = result.metrics.get("foot_strike")
    bits = [
        f"{c.n_frames} frames at {c.fps:g} fps ({c.duration_s:.1f} s)",
        "treadmill" if c.treadmill else "overground",
        f"runner faces image-{c.direction}",
        f"near leg: {c.near_side or 'unknown'}",
    ]
    if result.height_cm:
        bits.append(f"height {result.height_cm:g} cm")
    if fs is not None:
        bits.append(f"foot strike: {fs.type}")
    extra = _strike_note(fs)
    return (
        f"<h1>Running form report: {_e(src)}</h1><p class='sub'>"
        + " · ".join(_e(b) for b in bits)
        + "</p>"
        + extra
    )


def _strike_note(fs) -> str:
    """Plain words for an "uncertain" foot strike (the CI reaches a class boundary)."""
    if fs is None or fs.type != "uncertain" or not fs.angle.known:
        return ""
    lo, hi = fs.angle.ci95
    ci = f" (95% CI {lo:.1f}° to {hi:.1f}°)" if np.isfinite(lo) else ""
    return (
        f"<p class='small'>Foot strike \"uncertain\": the mean foot-strike angle is "
        f"{fs.angle.value:.1f}°{_e(ci)}, within {fs.band_deg:g}° of a class boundary "
        f"({_e(fs.reference)} reference; rearfoot above "
        "8°, forefoot below −1.6°), so video cannot say which class the runner is in. "
        "It is not a fault.</p>"
    )


def _finding_card(f) -> str:
    conf = f" · {f.confidence} confidence" if f.confidence else ""
    status = {"present": "present", "absent": "absent", "cannot_tell": "cannot tell"}[f.status]
    rows = "".join(
        f"<tr><td>{_e(label(e.measure)[0])}</td><td class='num'>"
        f"{format_value(e.value, e.value)}{_e(label(e.measure)[1])}</td><td class='num'>"
        f"{format_value(e.ci95[0], e.value)} to {format_value(e.ci95[1], e.value)}</td>"
        f"<td class='num'>{e.n_steps}</td></tr>"
        for e in f.evidence
    )
    unit = label(f.evidence[0].measure)[1] if f.evidence else ""
    conv = " (a coaching convention, not a validated cut-off)" if f.convention else ""
    causes = "".join(f"<li>{_e(c)}</li>" for c in f.causes)
    return (
        f"<div class='card {f.status}'><b>{_e(f.problem)}</b>"
        f"<span class='badge b-{f.status}'>{status}{_e(conf)}</span>"
        f"<p>{_e(f.reason)}</p>"
        + (f"<div class='cue'>Cue: {_e(f.cue)}</div>" if f.status != "absent" else "")
        + f"<p><b>What you see:</b> {_e(f.what_you_see)}<br><b>Why it matters:</b> "
        f"{_e(f.explanation)}</p>"
        + (f"<p><b>Possible causes:</b></p><ul>{causes}</ul>" if causes else "")
        + "<table><tr><th>evidence</th><th class='num'>mean</th><th class='num'>95% CI</th>"
        f"<th class='num'>n</th></tr>{rows}</table>"
        f"<p class='small'>Threshold: {f.direction} "
        f"{format_value(f.threshold, f.threshold)}{_e(unit)}{conv}. "
        f"{_e(f.threshold_basis)} Evidence for the cue: {_e(f.evidence_strength)}.</p></div>"
    )


def findings_html(findings) -> str:
    present = [f for f in findings if f.status == "present"]
    unsure = [f for f in findings if f.status == "cannot_tell"]
    absent = [f for f in findings if f.status == "absent"]
    head = f"<p>{_e(summary(findings)[1])}</p>"
    body = "".join(_finding_card(f) for f in present)
    more = "".join(_finding_card(f) for f in unsure)
    ok = "".join(_finding_card(f) for f in absent)
    return (
        "<h2>Findings and cues</h2>"
        + head
        + body
        + (
            f"<details><summary>Cannot tell ({len(unsure)})</summary>{more}</details>"
            if unsure
            else ""
        )
        + (f"<details><summary>Absent ({len(absent)})</summary>{ok}</details>" if absent else "")
    )


def quality_html(result) -> str:
    if not result.quality:
        return "<h2>Capture quality</h2><div class='card'>No capture problems found.</div>"
    rows = "".join(
        f"<tr><td><span class='badge b-{q.severity}'>{_e(q.severity)}</span></td>"
        f"<td>{_e(q.message)}</td><td>{_e(q.fix)}</td></tr>"
        for q in result.quality
    )
    return (
        "<h2>Capture quality</h2><table><tr><th></th><th>what we saw</th>"
        f"<th>next time you film</th></tr>{rows}</table>"
    )


def frames_html(result) -> str:
    frames = key_frames(result)
    if not frames:
        return ""
    figs = "".join(
        f"<figure><img src='{f['uri']}' alt='{_e(f['label'])}'><figcaption>"
        f"{_e(f['label'])} at {f['time_s']:.2f} s</figcaption></figure>"
        for f in frames
    )
    return (
        "<h2>Key frames</h2><p class='small'>A step of the near leg in the middle of "
        "the clip. Near leg bold, far leg faded; red rings mark poorly detected points; "
        "arcs show ankle dorsiflexion (DF), knee flexion and thigh angle.</p>"
        f"<div class='frames'>{figs}</div>"
    )


def curves_html(result) -> str:
    uri = cycle_figure_uri(result)
    if uri is None:
        return (
            "<h2>Angles over the gait cycle</h2><div class='card'>Fewer than two complete "
            "strides of the near leg: no cycle curves.</div>"
        )
    return (
        "<h2>Angles over the gait cycle</h2><p class='small'>Mean ± SD over the near "
        "leg's strides, from initial contact (0 %) to the next one (100 %). Squares: "
        "published norms (mean ± SD) at contact and at peak stance.</p>"
        f"<img class='curves' src='{uri}' alt='angle curves over the gait cycle'>"
    )


def _norm_unit(unit: str) -> str:
    """A norm's unit as the table's unit column writes it (``"deg"`` → ``"°"``)."""
    return {"deg": "°", "": ""}.get(unit, f" {unit}")


def metrics_html(result) -> str:
    rows = []
    for key, m in result.metrics.items():
        if isinstance(m, FootStrike):
            key, m = "foot_strike_angle_deg", m.angle
        if not isinstance(m, Metric):
            continue
        nm = NORMS.get(key)
        norm = (
            ""
            if nm is None
            else _e(f"{nm.mean:g}" + (f" ± {nm.sd:g}" if nm.sd else "") + _norm_unit(nm.unit))
            + f"<br><span class='small'>{_e(nm.population)}; {_e(nm.source)}</span>"
        )
        digits = 3 if abs(m.value) < 2 else 1
        note = re.sub(r"\s*\(science\.md[^)]*\)", "", m.note)
        rows.append(
            f"<tr><td>{_e(label(key)[0])}<br><span class='small'>{_e(key)}</span></td>"
            f"<td class='num'>{_num(m.value, digits)}</td>"
            f"<td class='num'>{_num(m.ci95[0], digits)} to {_num(m.ci95[1], digits)}</td>"
            f"<td class='unit'>{_e(label(key)[1].strip() or 'ratio')}</td>"
            f"<td class='num'>{m.n_steps}</td><td>{norm}</td><td class='small'>"
            f"{_e(note)}</td></tr>"
        )
    return (
        "<h2>Measurements</h2><p class='small'>Norms are published group means (± SD "
        "between runners), mostly from 3D marker studies at a given speed: runform's 2D "
        "landmark angles sit a few degrees off them by definition, so a value far from a "
        "norm is a reason to look, and a runner is best compared with their own earlier "
        "clips.</p><table><tr><th>metric</th><th class='num'>mean</th>"
        "<th class='num'>95% CI</th><th>unit</th><th class='num'>n</th><th>norm</th>"
        "<th>note</th></tr>" + "".join(rows) + "</table>"
    )


def _glossary(fps: float | None = None) -> str:
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in GLOSSARY)
    lims = "".join(f"<li>{_e(t)}</li>" for t in limits(fps))
    return (
        f"<h2>Limits of the measurement</h2><ul>{lims}</ul>"
        f"<h2>What the fields mean</h2><dl>{items}</dl>"
    )


def scoped_css(scope: str) -> str:
    """The report's style sheet limited to elements inside ``scope`` (a CSS selector), so
    that it can style report sections shown inside another page (a notebook)."""
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", _CSS)
    out = []
    for sel, body in rules:
        sels = [s.strip() for s in sel.split(",")]
        out.append(
            ",".join(scope if s == "body" else f"{scope} {s}" for s in sels) + "{" + body + "}"
        )
    return "".join(out)


def report_sections(result, findings=None) -> dict[str, str]:
    """The report's sections as HTML fragments, keyed by name, in reading order.

    Keys: ``summary``, ``findings``, ``quality``, ``frames``, ``curves``, ``metrics``,
    ``glossary``. Computed once, they can be shown elsewhere (the clinic app) and written
    as the report without drawing the figures twice.
    """
    findings = find(result) if findings is None else findings
    return {
        "summary": summary_html(result),
        "findings": findings_html(findings),
        "quality": quality_html(result),
        "frames": frames_html(result),
        "curves": curves_html(result),
        "metrics": metrics_html(result),
        "glossary": _glossary(result.clip.fps),
    }


def report_html(result, findings=None, sections: dict | None = None) -> str:
    """The report as one HTML string (see the module docstring)."""
    from ._version import __version__

    sections = report_sections(result, findings) if sections is None else sections
    parts = [
        *sections.values(),
        f"<p class='small'>runform {_e(__version__)}. Made on this computer; nothing "
        "was sent anywhere.</p>",
    ]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>runform report</title><style>{_CSS}</style></head><body><main>"
        + "".join(parts)
        + "</main></body></html>"
    )


def build_report(
    result, out_dir: str | os.PathLike, findings=None, sections: dict | None = None
) -> Path:
    """Write ``out_dir/report.html`` and return its path (``sections``: see
    :func:`report_sections`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.html"
    path.write_text(report_html(result, findings, sections), encoding="utf-8")
    return path
