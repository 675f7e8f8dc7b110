"""Events, step checks and uncertainty on the real treadmill clip (issue 10 items 5, 6).

Runner facing image-left, left side near the camera, 30 fps; cadence from pixels alone
168.9 ± 0.5 steps/min, contact-time band 180–320 ms (literature, not measured on the clip;
``../shared/data/male_side_treadmill/male_side.groundtruth.json``).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import runform as rf

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result(real_clip_path, tmp_path_factory):
    import os
    import warnings

    mp = pytest.MonkeyPatch()  # module scope runs before the per-test cache fixture
    mp.setenv(
        "RUNFORM_CACHE_DIR",
        os.environ.get("RUNFORM_TEST_CACHE") or str(tmp_path_factory.mktemp("real-events-cache")),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rf.RunformWarning)
        # a single pass: the steps asserted below are those of the single-pass landmarks
        # (a clip split over workers has slightly different ones after the seam)
        out = rf.analyze(real_clip_path, progress=False, n_jobs=1)
    mp.undo()
    return out


def test_cadence_and_contact_time(result):
    """Measured 168.4 spm (was 168.1 before the step checks) and 257 ms."""
    m = result.metrics
    assert abs(m["cadence_spm"].value - 168.9) < 1.5
    assert 180 <= m["contact_time_ms"].value <= 320
    assert 0.25 <= m["duty_factor"].value <= 0.48


def test_implausible_steps_are_flagged_and_excluded(result):
    """The 112 ms near-foot contact, the 546 ms far-foot contact and the two left contacts
    in a row (a missed right contact) of the previous release are each flagged."""
    s = result.steps
    short = s[(s.contact_ms < 150) & s.complete]
    assert len(short) and short.excluded.all()
    assert (s.loc[s.contact_ms > 450, "flag"].str.contains("contact_range")).all()
    assert (s.contact_ms > 450).any()
    feet = s.foot.to_numpy()
    repeated = np.flatnonzero(feet[1:] == feet[:-1])
    assert len(repeated) and s.flag.iloc[repeated].str.contains("alternation").all()
    # none of them reaches the clip-level contact time
    kept = s[s.near & s.complete & ~s.excluded]
    assert result.metrics["contact_time_ms"].n_steps == len(kept)
    assert result.metrics["step_summary"].n_excluded == int(s.excluded.sum())


def test_per_event_uncertainty_and_far_foot_note(result, tmp_path):
    """Far (right) foot: lower visibility and more jitter, so wider event SDs, and said so."""
    s = result.steps
    near, far = s[s.near], s[~s.near]
    frame_q = 1000.0 / 30 / np.sqrt(12.0)
    assert (s.ic_sd_ms >= frame_q - 1e-6).all() and (s.to_sd_ms >= frame_q - 1e-6).all()
    assert far.ic_sd_ms.median() > 1.5 * near.ic_sd_ms.median()
    summary = result.metrics["step_summary"]
    assert "far (right) foot" in summary.far_foot_note
    from runform.io import save_analysis

    out = save_analysis(result, tmp_path)
    saved = json.loads((out / "metrics.json").read_text())
    cols = {"ic_sd_ms", "to_sd_ms", "ic_method", "to_method", "flag", "excluded_reason"}
    assert cols <= set(saved["steps"][0])
    header = (out / "steps.csv").read_text().splitlines()[0].split(",")
    assert cols | {"contact_sd_ms"} <= set(header)
    # every event names a rule whose force-plate error is part of its SD
    from runform.event_uncertainty import METHOD_SD_MS

    for kind in ("ic", "to"):
        rule = s[f"{kind}_method"].map(METHOD_SD_MS[kind])
        assert rule.notna().all(), s[f"{kind}_method"].unique()
        assert (s[f"{kind}_sd_ms"] >= np.hypot(frame_q, rule) - 1e-6).all()
