"""Report, exports (tidy CSV, TRC read back by an independent parser), CLI and batch."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

from runform.cli import cli_text, main

ROOT = Path(__file__).resolve().parents[1]


def read_trc(path: Path) -> dict:
    """A minimal TRC reader written from the format description, not from runform."""
    lines = path.read_text().split("\n")
    assert lines[0].startswith("PathFileType\t4")
    keys, vals = lines[1].split("\t"), lines[2].split("\t")
    head = dict(zip(keys, vals, strict=True))
    names = [n for n in lines[3].split("\t")[2:] if n]
    axes = lines[4].split("\t")[2:]
    assert axes[:3] == ["X1", "Y1", "Z1"] and len(axes) == 3 * len(names)
    rows = [ln.split("\t") for ln in lines[6:] if ln.strip()]
    data = np.array([[float(v) if v else np.nan for v in r[2:]] for r in rows])
    return {
        "rate": float(head["DataRate"]),
        "n": int(head["NumFrames"]),
        "units": head["Units"],
        "names": names,
        "time": np.array([float(r[1]) for r in rows]),
        "frame": np.array([int(r[0]) for r in rows]),
        "xyz": data.reshape(len(rows), len(names), 3),
    }


@pytest.fixture(scope="module")
def real(real_clip_path, tmp_path_factory):
    import runform
    from runform.exports import save_exports
    from runform.findings import find
    from runform.io import save_analysis
    from runform.report import build_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = runform.analyze(real_clip_path, height_cm=178, progress=False)
    out = tmp_path_factory.mktemp("real")
    fs = find(res)
    save_analysis(res, out, fs)
    save_exports(res, out)
    return res, out, build_report(res, out, fs)


ROW = re.compile(
    r"<span class='small'>(\w+)</span></td><td class='num'>([^<]+)</td>"
    r"<td class='num'>([^<]+) to ([^<]+)</td><td class='unit'>([^<]+)</td>"
    r"<td class='num'>(\d+)</td>"
)
#: The unit each metric key's ending names (written here from the naming rule, not read
#: from runform), and the units of the keys without one.
SUFFIX_UNITS = {"_deg_s": "°/s", "_deg": "°", "_spm": "steps/min", "_ms": "ms", "_cm": "cm"}
SUFFIX_UNITS |= {"_leg": "leg lengths"}
NO_SUFFIX_UNITS = {"duty_factor": "ratio"}


def _unit_of(key: str) -> str:
    if key in NO_SUFFIX_UNITS:
        return NO_SUFFIX_UNITS[key]
    return next(
        u for end, u in sorted(SUFFIX_UNITS.items(), key=lambda e: -len(e[0])) if key.endswith(end)
    )


def _shown(text: str) -> float:
    return float("nan") if text == "–" else float(text)


def _printed_digits(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def check_report_numbers(html: str, data: dict) -> int:
    """Every metric of metrics.json is in the report's table with the same mean, 95% CI
    and step count, to the digits printed (half a unit of the last digit, plus the
    rounding of metrics.json to 4 decimals); every finding with the same status."""
    shown = {m[1]: m.groups()[1:] for m in ROW.finditer(html)}
    keys = [
        k
        for k, v in data.items()
        if isinstance(v, dict) and "ci95" in v and ("value" in v or "angle_deg" in v)
    ]
    assert len(keys) >= 15
    for key in keys:
        d = data[key]
        name = "foot_strike_angle_deg" if key == "foot_strike" else key
        assert name in shown, f"{name} is in metrics.json but not in the report"
        mean, lo, hi, unit, n = shown[name]
        assert html_unescape(unit) == _unit_of(name), (name, unit)
        for text, want in (
            (mean, d.get("value", d.get("angle_deg"))),
            (lo, d["ci95"][0]),
            (hi, d["ci95"][1]),
        ):
            if want is None:
                assert text == "–", (name, text)
                continue
            tol = 0.5 * 10 ** -_printed_digits(text) + 1e-4
            assert abs(_shown(text) - want) <= tol, (name, text, want)
        assert int(n) == d["n_steps"], name
    status = {"present": "present", "absent": "absent", "cannot_tell": "cannot tell"}
    for f in data["findings"]:
        card = re.search(
            re.escape(
                f"<b>{html_escape(f['problem'])}</b><span class='badge "
                f"b-{f['status']}'>{status[f['status']]}"
            ),
            html,
        )
        assert card, f"finding {f['code']} ({f['status']}) not shown as such"
    return len(keys)


def html_escape(text: str) -> str:
    import html as _html

    return _html.escape(text)


def html_unescape(text: str) -> str:
    import html as _html

    return _html.unescape(text)


@pytest.mark.slow
def test_report_is_self_contained_and_its_numbers_equal_metrics_json(real):
    _, out, path = real
    html = path.read_text()
    assert not re.search(r"(src|href)=['\"](https?:)?//", html)  # no external requests
    assert "<script" not in html and html.count("data:image/") >= 3  # 2 frames + curves
    data = json.loads((out / "metrics.json").read_text())
    check_report_numbers(html, data)
    assert [f["code"] for f in data["findings"]] and all(
        f["status"] in ("present", "absent", "cannot_tell") for f in data["findings"]
    )
    assert {q["code"] for q in data["quality"]} >= {"timing_fps"}
    for word in ("overstride_leg", "duty_factor", "95% CI (ci95)", "uncertain"):
        assert word in html


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory):
    """A rendered sample analysed from its shipped landmarks, all outputs written."""
    import runform
    from runform import data
    from runform.cli_run import write_outputs
    from runform.findings import find

    s = data.load("overstride_treadmill")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = runform.analyze(s.clip, height_cm=s.height_cm)
    out = tmp_path_factory.mktemp("sample")
    fs = find(res)
    return res, out, write_outputs(res, fs, out)


def test_report_numbers_equal_metrics_json_on_a_sample(sample_outputs):
    _, out, path = sample_outputs
    data = json.loads((out / "metrics.json").read_text())
    assert check_report_numbers(path.read_text(), data) >= 15
    present = [f["code"] for f in data["findings"] if f["status"] == "present"]
    assert "reaching" in present  # the sample is built to overstride


def test_every_output_field_is_explained_in_the_report_and_the_readme(sample_outputs):
    """Each column of steps.csv and each field of a metric in metrics.json is named in the
    README's output section; the ones a coach meets in the report are in its glossary."""
    import pandas as pd

    _, out, path = sample_outputs
    readme = (ROOT / "README.md").read_text()
    outputs = readme[readme.index("### Outputs of `runform analyze`") :]
    data = json.loads((out / "metrics.json").read_text())
    fields = set(pd.read_csv(out / "steps.csv").columns)
    fields |= {k for v in data.values() if isinstance(v, dict) and "ci95" in v for k in v}
    fields |= set(data) | set(data["clip"]) | set(data["step_summary"])
    fields |= {k for f in data["findings"] for k in f} | set(data["foot_strike"])
    missing = sorted(f for f in fields if f"`{f}`" not in outputs)
    assert not missing, f"not explained in the README's outputs section: {missing}"
    html = path.read_text()
    glossary = html[html.index("What the fields mean") :]
    for word in (
        "ci95",
        "n steps",
        "duty_factor",
        "overstride_leg",
        "uncertain",
        "withheld",
        "resolution",
        "per_step_reliable",
        "excluded_reason",
        "ic_sd_ms",
        "ic_method",
        "foot_strike_reference",
        "confidence",
    ):
        assert word in glossary, word


@pytest.mark.slow
def test_trc_reads_back_in_metres_and_tidy_tables(real):
    import pandas as pd

    from runform.landmarks import INDEX, NAMES
    from runform.orientation import leg_length_px
    from runform.reference import LEG_PER_STATURE

    res, out, _ = real
    trc = read_trc(out / "landmarks.trc")
    c = res.clip
    assert trc["units"] == "m" and trc["rate"] == c.fps and trc["n"] == c.n_frames
    assert trc["names"] == list(NAMES) and np.allclose(trc["time"], c.time, atol=1e-6)
    # a thigh's length in the TRC equals its pixel length times the height scale
    scale = LEG_PER_STATURE * 1.78 / leg_length_px(c)
    s = c.near_side
    px = np.linalg.norm(c.xy[:, INDEX[f"{s}_knee"]] - c.xy[:, INDEX[f"{s}_hip"]], axis=1)
    m = np.linalg.norm(trc["xyz"][:, INDEX[f"{s}_knee"]] - trc["xyz"][:, INDEX[f"{s}_hip"]], axis=1)
    assert np.nanmax(np.abs(m - px * scale)) < 1e-5
    assert np.all(trc["xyz"][:, :, 2] == 0)
    # Y up: the nose is above the heels; leg ≈ 0.87 m for a 1.78 m runner
    assert np.nanmedian(trc["xyz"][:, INDEX["nose"], 1]) > 1.2
    tidy = pd.read_csv(out / "landmarks.csv")
    assert len(tidy) == c.n_frames * len(NAMES)
    ang = pd.read_csv(out / "angles_tidy.csv")
    row = ang[(ang.frame == 100) & (ang.side == s) & (ang.angle == "knee_flexion")]
    assert row.value_deg.iloc[0] == pytest.approx(
        res.angles[f"{s}_knee_flexion_deg"][100], abs=1e-3
    )


@pytest.mark.browser
@pytest.mark.slow
def test_report_renders_in_chromium(real, tmp_path):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("no chromium")
    png = tmp_path / "shot.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1100,3000",
            f"--screenshot={png}",
            real[2].as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    import cv2

    img = cv2.imread(str(png))
    assert img is not None and img.shape[:2] == (3000, 1100) and img.std() > 20


def test_cli_hints_use_command_line_syntax():
    assert (
        cli_text("Pass near_side='left' or 'right' if you know it.")
        == "Pass --near-side left or --near-side right if you know it."
    )
    assert cli_text("give the frame rate (fps=... or --fps).") == "give the frame rate (--fps)."
    assert cli_text("Pass capture_fps=... (--fps) if wrong") == "Pass --fps if wrong"
    assert "height-cm" in cli_text("height_cm=...")


def test_cli_errors_are_one_line_with_exit_2(capsys, tmp_path):
    for argv in (
        ["analyze", str(tmp_path / "missing.mp4"), "--out", str(tmp_path / "o")],
        ["analyze"],
        ["analyze", "x.mp4", "--height-cm", "tall"],
        ["batch", str(tmp_path), "--out", str(tmp_path / "b")],
    ):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and err[0].startswith("runform: error: "), argv
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and "runform" in capsys.readouterr().out


@pytest.mark.slow
def test_batch_reports_good_clips_and_a_broken_file(tmp_path, capsys):
    import csv

    import runform.data

    folder = tmp_path / "clips"
    folder.mkdir()
    for name in ("rearfoot_treadmill", "ankle_active"):
        shutil.copy(runform.data.path(name), folder / f"{name}.mp4")
    (folder / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200)
    code = main(
        ["batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "2", "--no-report"]
    )
    assert code == 1
    rows = {r["clip"]: r for r in csv.DictReader(open(tmp_path / "out" / "summary.csv"))}
    assert rows["rearfoot_treadmill.mp4"]["status"] == "ok"
    assert rows["ankle_active.mp4"]["status"] == "ok"
    assert "dorsiflexed_foot" in rows["ankle_active.mp4"]["findings_present"]
    assert rows["broken.mp4"]["status"] == "failed" and rows["broken.mp4"]["reason"]
    assert "broken.mp4" in capsys.readouterr().err


@pytest.mark.slow
def test_compare_folders_finds_the_overstride_change(tmp_path, capsys):
    import runform.data

    for name in ("rearfoot_treadmill", "overstride_treadmill"):
        assert (
            main(
                [
                    "analyze",
                    str(runform.data.path(name)),
                    "--out",
                    str(tmp_path / name),
                    "--no-report",
                ]
            )
            == 0
        )
    assert (
        main(
            [
                "compare",
                str(tmp_path / "rearfoot_treadmill"),
                str(tmp_path / "overstride_treadmill"),
                "--out",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "shank angle at contact" in ln)
    assert "away from the target" in line  # 9° -> 27°: further past the 15° threshold
    html = (tmp_path / "c" / "compare.html").read_text()
    assert "data:image/png;base64," in html and "//" not in html.split("<main>")[1][:0] + ""


def test_the_timing_limit_uses_the_clips_frame_rate(sample_outputs):
    """The report's limits give one frame of the clip's own rate, not a 30 fps example."""
    from runform.report_glossary import LIMITS, limits

    res, _, path = sample_outputs
    fps = res.clip.fps
    limits_html = html_unescape(path.read_text()).split("Limits of the measurement")[1]
    assert f"±{1000 / fps:.0f} ms at this clip's {fps:g} fps" in limits_html
    assert "30 fps" not in limits_html and "±33 ms" not in limits_html
    assert any("±33 ms at this clip's 30 fps" in t for t in limits(30.0))
    assert not any("this clip" in t for t in LIMITS)


def test_the_units_of_the_labels_are_the_ones_the_keys_name():
    """One rule for units: every label's unit is the one its key's ending names, and a
    measure without a label still gets its unit from the ending."""
    from runform.coaching_table import LABELS, label, unit

    for key, (_name, suffix) in LABELS.items():
        assert suffix.strip() == ("" if key in NO_SUFFIX_UNITS else _unit_of(key)), key
        assert unit(key) == suffix.strip(), key
    assert label("swing_time_ms") == ("swing time ms", " ms")
    assert label("toe_clearance_cm")[1] == " cm" and label("ankle_speed_deg_s")[1] == " °/s"
    # the timing of peak extension is a time, and its name says so
    assert label("hip_extension_timing_ms")[0].startswith("time from toe-off")
