"""Analyse your own runner: the clinic app of notebook 05 (also served by Voilà).

A coach uploads a phone video (or types a path, or picks a bundled sample), and the app
shows the capture-quality check, the measurements with their 95 % intervals, the
coaching findings with cues, the key frames and a frame player, and links to download
the report and the CSV files. Two analysed clips can be compared (before / after a
cue). Uploads are written only inside the working folder, with a safe name
(:func:`runform.uploads.save_upload`); every output goes to
``WORKDIR/results/<clip>/``. A bad file shows runform's own message in the app, never a
traceback. Nothing leaves the computer.

Everything shown comes from the same calls as ``runform analyze``: :func:`runform.analyze`,
:func:`runform.findings.find`, the report's sections and :func:`runform.compare.compare`.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import RunformError, RunformWarning
from ._base import _Displayable
from .clinic_panels import APP_CSS, compare_panel, error_box, result_panel

__all__ = ["ClinicApp", "Outcome"]

#: Accepted by the upload button (the browser's file picker filter).
ACCEPT = "video/*,.mp4,.mov,.m4v,.avi,.mkv,.webm,.3gp"


@dataclass
class Outcome:
    """One analysed clip: label, analysis, findings, output folder, report and its
    sections (:func:`runform.report.report_sections`)."""

    label: str
    result: object
    findings: list
    out_dir: Path
    report: Path
    sections: dict


class ClinicApp(_Displayable):
    """Upload or pick a clip, analyse it, read the findings, compare two clips.

    Parameters
    ----------
    workdir : path
        Working folder; uploads go to ``workdir/uploads``, outputs to
        ``workdir/results``. Created when needed; nothing is written elsewhere.
    height_cm, speed_mps : float, optional
        Initial values of the runner's height (cm) and speed (m/s) fields.

    Attributes
    ----------
    outcomes : dict
        Label → :class:`Outcome` of every clip analysed in this session.
    widget : ipywidgets.VBox
        The app.
    """

    def __init__(self, workdir="runform-work", *, height_cm=None, speed_mps=None):
        import ipywidgets as w

        self.workdir = Path(workdir).resolve()
        self.outcomes: dict[str, Outcome] = {}
        self._inputs(height_cm, speed_mps)
        self.status, self.results, self.comparison = w.HTML(), w.VBox(), w.VBox()
        self.before = w.Dropdown(description="before", layout=w.Layout(width="320px"))
        self.after = w.Dropdown(description="after", layout=w.Layout(width="320px"))
        self.compare_button = w.Button(description="Compare", icon="exchange")
        self.go.on_click(lambda _: self._analyse_from_inputs())
        self.compare_button.on_click(lambda _: self.compare(self.before.value, self.after.value))
        self.widget = w.VBox(
            [
                w.HTML(APP_CSS),
                w.HTML(
                    "<h3>1 · Your clip</h3><p class='small'>A side view, "
                    "camera still and level, the whole runner in frame.</p>"
                ),
                w.HBox([self.upload, self.path]),
                self.sample,
                w.HBox([self.height, self.speed]),
                self.go,
                self.status,
                self.results,
                w.HTML(
                    "<h3>Before / after</h3><p class='small'>Analyse two clips (say before "
                    "and after a cue), pick them here and compare.</p>"
                ),
                w.HBox([self.before, self.after, self.compare_button]),
                self.comparison,
            ]
        )
        self.widget.add_class("runform-clinic")

    def _inputs(self, height_cm, speed_mps) -> None:
        """The clip inputs: upload button, path, sample, height, speed, Analyse."""
        import ipywidgets as w

        from .. import data

        self.upload = w.FileUpload(accept=ACCEPT, multiple=False, description="Upload video")
        self.path = w.Text(
            placeholder="or the path of a video on this computer", layout=w.Layout(width="420px")
        )
        self.sample = w.Dropdown(
            options=[("(none)", "")] + [(n, n) for n in data.names("bundled")],
            description="or a sample",
            layout=w.Layout(width="320px"),
        )
        self.height = w.BoundedFloatText(
            value=height_cm or 0,
            min=0,
            max=250,
            step=1,
            description="height cm",
            layout=w.Layout(width="190px"),
        )
        self.speed = w.BoundedFloatText(
            value=speed_mps or 0,
            min=0,
            max=12,
            step=0.1,
            description="speed m/s",
            layout=w.Layout(width="190px"),
        )
        self.go = w.Button(description="Analyse", button_style="primary", icon="play")

    # ------------------------------------------------------------------ analysing
    def _profile(self):
        from ..findings import RunnerProfile

        return RunnerProfile(
            height_cm=self.height.value or None, speed_mps=self.speed.value or None
        )

    def _analyse_from_inputs(self) -> Outcome | None:
        if self.upload.value:
            return self.analyse_upload()
        if self.path.value.strip():
            return self.analyse_path(self.path.value.strip())
        if self.sample.value:
            return self.analyse_sample(self.sample.value)
        self._show_error("Nothing to analyse", "upload a video, type its path or pick a sample.")
        return None

    def analyse_upload(self) -> Outcome | None:
        """Analyse the file in the upload button (written to ``workdir/uploads``)."""
        from ..uploads import save_upload

        if not self.upload.value:
            self._show_error("Nothing uploaded", "press 'Upload video' and pick a clip.")
            return None
        item = self.upload.value[0]
        name = item["name"]
        try:
            path = save_upload(name, item["content"], self.workdir)
        except (RunformError, OSError) as exc:
            self._show_error(name, exc)
            return None
        self.upload.value = ()
        outcome = self.analyse_path(path, label=path.name)
        if outcome is None:  # not usable: keep no copy of it in the working folder
            path.unlink(missing_ok=True)
        return outcome

    def analyse_path(self, path, label: str | None = None) -> Outcome | None:
        """Analyse a video (or keypoints CSV) on this computer; pose results are cached."""
        label = label or Path(str(path)).name
        return self._run(label, lambda kw: _analyze(str(Path(str(path)).expanduser()), kw))

    def analyse_sample(self, name: str) -> Outcome | None:
        """Analyse a bundled sample from its shipped landmarks (no MediaPipe wait)."""
        from .. import data

        return self._run(name, lambda kw: _analyze(data.load(name).clip, kw))

    def _run(self, label: str, analyse) -> Outcome | None:
        from ..cli_run import write_outputs
        from ..findings import find
        from ..report import build_report, report_sections
        from ..uploads import safe_name

        self.status.value = (
            f"<p class='small'>Analysing {html.escape(label)}… (pose "
            "extraction takes about as long as the clip lasts)</p>"
        )
        try:
            profile = self._profile()
            result = analyse({"height_cm": profile.height_cm})
            findings = find(result, profile)
            out = self.workdir / "results" / Path(safe_name(label)).stem
            write_outputs(result, findings, out, report=False)
            sections = report_sections(result, findings)
            report = build_report(result, out, findings, sections)
        except (RunformError, OSError) as exc:
            self._show_error(label, exc)
            return None
        outcome = Outcome(label, result, findings, out, report, sections)
        self.outcomes[label] = outcome
        self.results.children = result_panel(outcome)
        self.status.value = f"<p class='small'>Done: {html.escape(label)}.</p>"
        labels = list(self.outcomes)
        self.before.options, self.after.options = labels, labels
        if len(labels) >= 2:
            self.before.value, self.after.value = labels[-2], labels[-1]
        return outcome

    def _show_error(self, what: str, exc) -> None:
        self.status.value = error_box(what, _app_words(str(exc)))

    # ------------------------------------------------------------------ comparing
    def compare(self, before: str | None, after: str | None):
        """Before/after table of two analysed clips (labels of :attr:`outcomes`)."""
        from ..compare import Run, compare
        from ..io import analysis_json
        from ..report_compare import build_compare

        if before not in self.outcomes or after not in self.outcomes or before == after:
            self.comparison.children = [
                _html(
                    error_box(
                        "Nothing to compare", "analyse two different clips first, then pick them."
                    )
                )
            ]
            return None
        runs = []
        for label in (before, after):
            o = self.outcomes[label]
            runs.append(
                Run(label, analysis_json(o.result, o.findings), o.result.angles, o.result.events)
            )
        rows = compare(*runs)
        out = self.workdir / "results" / "compare"
        try:
            page = build_compare(*runs, rows, out)
        except OSError as exc:
            self.comparison.children = [_html(error_box("Comparison", exc))]
            return None
        self.comparison.children = compare_panel(runs, rows, page)
        return rows


#: The library's Python-syntax hints, in the app's words (what to press or type here).
_APP_HINTS = (
    (
        "keypoints in a CSV file are read with read_keypoints_csv().",
        "a keypoints CSV is analysed when you type its path (ending in .csv) in the path box.",
    ),
)


def _app_words(message: str) -> str:
    """A library message with its Python-syntax hints replaced by the app's own steps."""
    for python, app in _APP_HINTS:
        message = message.replace(python, app)
    return message


def _analyze(source, kw: dict):
    from ..analysis import analyze

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunformWarning)  # shown in the capture check
        return analyze(source, progress=False, **kw)


def _html(text: str):
    import ipywidgets as w

    return w.HTML(text)
