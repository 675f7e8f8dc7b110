"""What the clinic app shows after an analysis: report sections, a player, downloads.

The sections are the report's own (:mod:`runform.report`), styled by the report's style
sheet limited to the app (:func:`runform.report.scoped_css`), so the app and
``report.html`` always say the same thing. Downloads are ``data:`` links made from the
files in the clip's output folder, so they work in JupyterLab and in Voilà alike
(Voilà serves no files from the notebook's folder by default).
"""

from __future__ import annotations

import base64
import html
import io
import zipfile
from pathlib import Path

from ..report import scoped_css

__all__ = ["APP_CSS", "compare_panel", "download_links", "error_box", "result_panel"]

#: Inline style of an error message (it may be shown outside the app's styled box).
ERROR_STYLE = (
    "background:#fff5f5;border-left:6px solid #c92a2a;padding:8px 12px;"
    "border-radius:6px;color:#1d2430"
)
APP_CSS = (
    "<style>" + scoped_css(".runform-clinic") + ".runform-clinic a.runform-download{"
    "display:inline-block;margin:4px 10px 4px 0;padding:4px 10px;"
    "border:1px solid #4263eb;border-radius:6px;"
    "color:#4263eb;text-decoration:none}</style>"
)
#: Files offered for download, with what each holds.
DOWNLOADS = (
    ("report.html", "text/html", "the report (open in any browser, mail it)"),
    ("metrics.json", "application/json", "every number, with its 95 % interval"),
    ("steps.csv", "text/csv", "one row per contact"),
    ("angles.csv", "text/csv", "angles per frame"),
)


def error_box(what: str, exc) -> str:
    """The library's message for a bad input, in plain words (no traceback)."""
    return (
        f"<div class='runform-error' style='{ERROR_STYLE}'><b>Could not use "
        f"{html.escape(str(what))}.</b> {html.escape(str(exc))}</div>"
    )


def _link(data: bytes, name: str, mime: str, text: str) -> str:
    uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
    return (
        f"<a class='runform-download' download='{html.escape(name)}' href='{uri}'>"
        f"{html.escape(name)}</a><span class='small'>{html.escape(text)}</span><br>"
    )


def download_links(out_dir: Path, stem: str) -> str:
    """Download links for the outputs of one clip, plus a zip of the whole folder."""
    links = [
        _link((out_dir / n).read_bytes(), n, mime, text)
        for n, mime, text in DOWNLOADS
        if (out_dir / n).is_file()
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(out_dir.iterdir()):
            if f.is_file():
                z.write(f, f"{stem}/{f.name}")
    links.append(
        _link(
            buf.getvalue(),
            f"{stem}-runform.zip",
            "application/zip",
            "everything: also landmarks.csv, angles_tidy.csv, landmarks.trc",
        )
    )
    return f"<p class='small'>Written to {html.escape(str(out_dir))}.</p>" + "".join(links)


def result_panel(outcome) -> list:
    """Widgets showing one analysed clip, in the order a coach reads them."""
    import ipywidgets as w

    from .player import FramePlayer

    r, s = outcome.result, {k: _drop_h2(v) for k, v in outcome.sections.items()}
    parts = [
        w.HTML(outcome.sections["summary"]),
        w.HTML("<h3>2 · Capture check</h3>" + s["quality"]),
        w.HTML("<h3>3 · Findings and cues</h3>" + s["findings"]),
        w.HTML(
            "<h3>4 · Measurements with their uncertainty</h3><p class='small'>Mean over "
            "the near leg's steps; 95% CI = the range that holds the runner's true "
            "average; n = steps measured.</p>" + s["metrics"]
        ),
        w.HTML("<h3>5 · Key frames and angle curves</h3>" + s["frames"] + s["curves"]),
    ]
    if r.video is not None:
        parts += [
            w.HTML(
                "<p class='small'>Step through the clip (drag the slider or use "
                "the arrow keys):</p>"
            ),
            FramePlayer(r).widget,
        ]
    parts.append(
        w.HTML(
            "<h3>6 · Downloads</h3>" + download_links(outcome.out_dir, Path(outcome.out_dir).name)
        )
    )
    return parts


def compare_panel(runs, rows, page: Path) -> list:
    """Widgets of a before/after comparison: the "what moved" table and compare.html."""
    import ipywidgets as w

    from ..compare import caveats
    from ..report_compare import caveats_html, compare_table_html

    moved = [r for r in rows if r["changed"]]
    head = (
        f"<p><b>{html.escape(runs[0].name)} → {html.escape(runs[1].name)}</b>: "
        f"{len(moved)} of {len(rows)} measurements changed beyond their uncertainty "
        "(the 95 % interval of the change excludes zero).</p>"
    )
    link = _link(
        page.read_bytes(),
        "compare.html",
        "text/html",
        "the comparison page, with the angle curves of both clips",
    )
    notes = caveats_html(caveats(*runs))
    return [w.HTML(head + notes + compare_table_html(rows) + link)]


def _drop_h2(fragment: str) -> str:
    """A report section without its own ``<h2>`` heading (the app numbers its steps)."""
    if fragment.startswith("<h2>"):
        return fragment.split("</h2>", 1)[1]
    return fragment
