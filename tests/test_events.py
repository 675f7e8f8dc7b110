"""Gait events and metrics against exact truth: the simulated runner and force plates."""

from __future__ import annotations

import numpy as np
import pytest

import runform as rf
from runform.events import detect_events
from runform.metrics import classify_strike
from runform.model import Camera, RunnerParams, simulate

try:
    from tests.support import fukuchi
except ImportError:  # tests/ is not a package when run from inside it
    from support import fukuchi

needs_fukuchi = pytest.mark.skipif(not fukuchi.available(),
                                   reason="Fukuchi 2017 data not found in ../shared/data")


def matched_errors(ev, motion, side):
    truth_ic, truth_to = motion.ic_s[side], motion.to_s[side]
    e = ev[(ev.foot == side) & ev.complete]
    ic_err = [r.ic_s - truth_ic[np.argmin(np.abs(truth_ic - r.ic_s))] for r in e.itertuples()]
    to_err = [r.to_s - truth_to[np.argmin(np.abs(truth_to - r.to_s))] for r in e.itertuples()]
    return np.array(ic_err), np.array(to_err), len(e)


@pytest.mark.parametrize("strike", ["rearfoot", "forefoot"])
@pytest.mark.parametrize("facing", ["left", "right"])
@pytest.mark.parametrize("treadmill", [True, False])
def test_events_on_simulated_runner(strike, facing, treadmill):
    fps = 120.0
    motion = simulate(RunnerParams(foot_strike=strike), fps=fps, duration_s=3.0,
                      treadmill=treadmill)
    clip = motion.to_clip(Camera(facing=facing, follow=treadmill))
    ev = detect_events(clip.oriented())
    assert clip.oriented().direction == facing
    for side in ("left", "right"):
        _, _, n = matched_errors(ev, motion, side)
        ic = motion.ic_s[side]
        n_truth = np.sum((ic > 0.05) & (ic + motion.params.contact_time_s < 2.95))
        assert n_truth - 1 <= n <= n_truth + 1


@pytest.mark.xfail(strict=True, reason="known gap (issue 3 open): a foot that approaches "
                   "the ground slowly enters the contact band early, so IC fires ~60 ms "
                   "early on the simulated runner")
@pytest.mark.parametrize("strike", ["rearfoot", "forefoot"])
def test_event_timing_on_simulated_runner(strike):
    fps = 120.0
    motion = simulate(RunnerParams(foot_strike=strike), fps=fps, duration_s=3.0)
    ev = detect_events(motion.to_clip().oriented())
    for side in ("left", "right"):
        ic_err, to_err, _ = matched_errors(ev, motion, side)
        assert np.all(np.abs(ic_err) <= 1.5 / fps), ic_err
        assert np.all(np.abs(to_err) <= 1.5 / fps), to_err


def test_too_short_clip_is_explained():
    motion = simulate(RunnerParams(), fps=60, duration_s=0.5)
    with pytest.raises(rf.TooShortError, match="stride"):
        detect_events(motion.to_clip())


@pytest.mark.parametrize("angle,expect", [(18.0, "rearfoot"), (3.0, "midfoot"),
                                          (-8.0, "forefoot"), (7.0, "uncertain"),
                                          (-1.0, "uncertain"), (float("nan"), "unknown")])
def test_strike_classification(angle, expect):
    assert classify_strike(angle) == expect


@needs_fukuchi
@pytest.mark.parametrize("speed", ["25"])
@pytest.mark.parametrize("fps", [30, 60, 120])
def test_force_plate_cadence_and_strike(speed, fps):
    """Fukuchi et al. 2017 RBDS001 (forefoot/midfoot runner), force-plate events."""
    truth = fukuchi.truth_summary(speed)
    result = rf.analyze(fukuchi.to_clip(speed, fps=fps))
    assert abs(result.metrics["cadence_spm"]["value"] - truth["cadence_spm"]) < 0.5
    assert result.metrics["foot_strike"]["type"] != "rearfoot"
    # every force-plate contact found once
    assert len(result.events) == pytest.approx(truth["n_contacts"], abs=2)


@needs_fukuchi
@pytest.mark.parametrize("fps", [60, 120])
def test_force_plate_contact_time_regression(fps):
    """Mean contact time within 15 ms of the force plates at 60 and 120 fps.

    Measured: 2.5 m/s 277–278 ms vs 288 ms (−10 to −11 ms). The issue asks for one
    frame (8.3 ms at 120 fps), which is not met yet; this guards against regressions.
    """
    truth = fukuchi.truth_summary("25")
    ct = rf.analyze(fukuchi.to_clip("25", fps=fps)).metrics["contact_time_ms"]["value"]
    assert abs(ct - 1000 * truth["contact_time_s"]) < 15.0
