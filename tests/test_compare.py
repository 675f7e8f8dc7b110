"""Before/after comparison: intervals, the side a change went, and what the clips differ in."""

from __future__ import annotations

import pytest

from runform.compare import Run, caveats, compare, format_value
from runform.reference import NORMS
from runform.report_compare import caveats_html, compare_table_html


def _run(name, fps=60.0, near="left", treadmill=True, cutoff=8.0, **metrics):
    data = {"clip": {"fps": fps, "near_side": near, "treadmill": treadmill, "cutoff_hz": cutoff}}
    for key, (value, half) in metrics.items():
        data[key] = {"value": value, "ci95": [value - half, value + half], "n_steps": 8}
    return Run(name, data, None, None)


def _rows(a, b):
    return {r["key"]: r for r in compare(a, b)}


def test_a_change_is_one_whose_interval_excludes_zero():
    a = _run("a", contact_time_ms=(250.0, 6.0), shank_angle_ic_deg=(8.0, 1.0))
    b = _run("b", contact_time_ms=(258.0, 6.0), shank_angle_ic_deg=(14.0, 1.0))
    rows = _rows(a, b)
    ct, shank = rows["contact_time_ms"], rows["shank_angle_ic_deg"]
    assert ct["diff"] == pytest.approx(8.0)
    assert ct["diff_hi"] - ct["diff"] == pytest.approx(6.0 * 2**0.5)  # quadrature
    assert not ct["changed"] and ct["toward"] == ""  # 8 < 8.49
    assert shank["changed"] and shank["toward"] == "away from the target"  # an "above" cue
    assert shank["unit"] == "°" and ct["unit"] == "ms"


def test_a_norm_is_a_mean_to_move_closer_to_not_a_target():
    mean = NORMS["contact_time_ms"].mean
    a = _run("a", contact_time_ms=(mean - 40.0, 5.0))
    b = _run("b", contact_time_ms=(mean - 10.0, 5.0))
    assert _rows(a, b)["contact_time_ms"]["toward"] == "closer to the published mean"
    assert _rows(b, a)["contact_time_ms"]["toward"] == "further from the published mean"


def test_different_frame_rates_are_named_and_the_timing_rows_marked():
    a = _run("a", fps=60.0, contact_time_ms=(259.0, 9.0), shank_angle_ic_deg=(7.0, 1.0))
    b = _run("b", fps=60.0, contact_time_ms=(286.0, 12.0), shank_angle_ic_deg=(7.5, 1.0))
    b = Run("b", {**b.data, "clip": {**b.data["clip"], "fps": 30.0}}, None, None)
    notes = caveats(a, b)
    assert len(notes) == 1 and "60 and 30 fps" in notes[0]  # same cutoff: one note
    rows = _rows(a, b)
    assert rows["contact_time_ms"]["caveat"] == "frame rates differ"
    assert rows["shank_angle_ic_deg"]["caveat"] == ""  # an angle is not a timing
    html = caveats_html(notes) + compare_table_html(list(rows.values()))
    assert "different frame rates" in html and "may not be the runner" in html
    assert caveats(a, _run("c", fps=59.94)) == []  # NTSC 59.94 is 60 fps


def test_different_filter_cutoffs_mark_the_angle_rows():
    """A 30 fps clip is smoothed at 6 Hz, a 60 fps one at 8 Hz: peaks and contact angles
    move with the filter, so the angle rows are marked too (not cadence)."""
    a, b = (
        _run(
            name, fps=fps, cutoff=hz, knee_flexion_peak_stance_deg=(knee, 2.0), cadence_spm=(c, 3.0)
        )
        for name, fps, hz, knee, c in (("a", 60.0, 8.0, 49.4, 170.0), ("b", 30.0, 6.0, 42.2, 170.3))
    )
    notes = caveats(a, b)
    assert len(notes) == 2 and "8 and 6 Hz" in notes[1]
    rows = _rows(a, b)
    assert rows["knee_flexion_peak_stance_deg"]["caveat"] == "filter cutoffs differ"
    assert rows["cadence_spm"]["caveat"] == ""


def test_a_distance_in_cm_shares_the_target_of_the_same_distance_in_leg_lengths():
    a = _run("a", vertical_oscillation_leg=(0.11, 0.01), vertical_oscillation_cm=(9.5, 0.8))
    b = _run("b", vertical_oscillation_leg=(0.08, 0.01), vertical_oscillation_cm=(6.9, 0.8))
    b.data["duty_factor"] = a.data["duty_factor"] = {"value": 0.37, "ci95": [0.36, 0.38]}
    rows = _rows(a, b)
    leg, cm = rows["vertical_oscillation_leg"], rows["vertical_oscillation_cm"]
    assert cm["toward"] == leg["toward"] == "towards the target"
    assert rows["duty_factor"]["unit"] == "ratio"


def test_a_different_leg_or_surface_is_named():
    notes = caveats(_run("a"), _run("b", near="right", treadmill=False))
    assert any("leg nearer the camera differs" in n for n in notes)
    assert any("treadmill" in n for n in notes)


@pytest.mark.parametrize(
    ("value", "scale", "signed", "text"),
    [
        (259.4, 286.0, False, "259"),
        (27.7, 286.0, True, "+28"),
        (15.31, 15.3, False, "15.3"),
        (0.0231, 0.41, True, "+0.02"),
        (0.41, 0.41, False, "0.41"),
        (-0.04, 6.2, True, "+0.0"),
        (0.0123, 0.05, False, "0.012"),
        (float("nan"), 1.0, False, "–"),
    ],
)
def test_values_have_the_decimals_their_size_needs(value, scale, signed, text):
    assert format_value(value, scale, signed) == text
