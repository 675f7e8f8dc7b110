"""Gait events and foot strike against force plates: every Fukuchi 2017 trial we have.

Acceptance on data the event rules were not tuned on (issue 10): the three rearfoot
runners RBDS08, RBDS011 and RBDS016 at 2.5, 3.5 and 4.5 m/s, and the forefoot runner
RBDS001 at 2.5 and 3.5 m/s, projected to a side view and resampled to 30, 60 and 120 fps
(``tests/support/fukuchi.py``). The IC arrest rule was developed looking at RBDS08
and RBDS001 only; RBDS011 and RBDS016 were first run after it was written, so their rows
are the held-out check (no constant was fitted to any runner). The heel-onset fit's two
constants were chosen by leave-one-runner-out over all four runners
(bench/results/ic_onset_loro.md). ``foot_index`` is either the
metatarsal-head markers ("mt", which rise before TO) or a toe tip that leaves the belt at
force TO ("toe"): a video model's toe landmark lies between the two.

Each limit states what is measured (``python -m bench.events``) and the margin over it.
The measured misses of the issue's limits are listed (:data:`CT_MISSES`,
:data:`EVENT_MISSES`) and reported as xfail with the value found; any other trial that
misses fails, and a listed one that starts to pass shows as a pass.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import runform as rf

try:
    from tests.support import fukuchi as fr
except ImportError:  # run from inside tests/
    from support import fukuchi as fr

FPS = (30, 60, 120)
TRIALS = [(r, s) for r in fr.ALL_RUNNERS for s in fr.RUNNER_SPEEDS if r != "RBDS001" or s != "45"]
MATCH_S = 0.1
#: Measured misses of the issue's limits (bench/events.py), as (runner, speed, fps, toe):
#: strict xfails, so a fix shows as XPASS (and fails until it is taken off the list).
#: Mean contact time off by a frame or more (ms, detected − force). "mt" at 2.5 m/s on RBDS08
#: and RBDS016: TO 23–25 ms early (the metatarsal heads rise smoothly while the toes still
#: push; no release to time, and the knee peaks ~20 ms before TO there too).
CT_MISSES = {
    ("RBDS016", "25", 30, "mt"): -42.4,
    ("RBDS016", "25", 60, "mt"): -26.4,
    ("RBDS016", "25", 120, "mt"): -22.5,
    ("RBDS08", "25", 60, "mt"): -24.4,
    ("RBDS08", "25", 120, "mt"): -24.7,
}
#: Fewer than 90 % of ICs or TOs within one frame: (% IC, % TO) within a frame. Causes:
#: TO of the "mt" landmark 23–25 ms early at 2.5 m/s (RBDS08, RBDS016; see CT_MISSES) and
#: 3 ms early with a tail at 3.5 m/s (RBDS08, 120 fps: 89 %); IC and TO of RBDS011's MT
#: markers at 2.5 m/s 120 fps (85 %, 82 %: IC +1.0 ± 5.5 ms; heel landings arrested by
#: less than MIN_ARREST_ACC are timed by the forefoot slap, +9 to +15 ms); IC of RBDS001's
#: synthetic toe tip at 120 fps (65 %, 84 %: the tip, extended along a plantarflexed foot,
#: reaches the floor ~6 ms before the force passes its threshold).
EVENT_MISSES = {
    ("RBDS001", "25", 120, "toe"): (70, 94),
    ("RBDS001", "35", 120, "toe"): (84, 100),
    ("RBDS011", "25", 120, "mt"): (85, 82),
    ("RBDS016", "25", 60, "mt"): (93, 0),
    ("RBDS016", "25", 120, "mt"): (98, 0),
    ("RBDS08", "25", 60, "mt"): (100, 24),
    ("RBDS08", "25", 120, "mt"): (100, 0),
    ("RBDS08", "35", 120, "mt"): (100, 89),
}


#: Regression bound of the mean contact time per (fps, foot_index option), ms: the worst
#: |detected − force| measured over the trials that meet the one-frame claim (bench/events.py:
#: 30 fps 19.7 / 32.3, 60 fps 8.8 / 9.0, 120 fps 5.8 / 6.6 ms for mt / toe) plus 2 ms,
#: capped at one frame (issue 10's claim). 2 ms is about twice the standard error of a
#: trial's mean (per-contact SD 5–12 ms over 75–95 contacts: 0.6–1.4 ms), while a
#: one-frame shift of every TO moves the mean by 8–33 ms, so it fails.
CT_LIMIT_MS = {
    (30, "mt"): 21.7,
    (30, "toe"): 33.3,  # capped at one frame (33.3 ms) by the test
    (60, "mt"): 10.8,
    (60, "toe"): 11.0,
    (120, "mt"): 7.8,
    (120, "toe"): 8.6,  # capped at one frame (8.33 ms) by the test
}


def _cases(misses: dict, fpss=FPS) -> list:
    """(runner, speed, fps, toe) parameters; the listed misses as strict xfails."""
    out = []
    for runner, speed in TRIALS:
        for fps in fpss:
            for toe in ("mt", "toe"):
                key = (runner, speed, fps, toe)
                marks = (
                    [pytest.mark.xfail(strict=True, reason=f"known miss, measured {misses[key]}")]
                    if key in misses
                    else []
                )
                out.append(pytest.param(*key, marks=marks, id="-".join(map(str, key))))
    return out


def _need(runner: str, speed: str) -> None:
    if not fr.available(runner, speed):
        pytest.skip(
            f"Fukuchi 2017 {runner} {speed} not found under {fr.REARFOOT_DATA.parent} "
            "(set RUNFORM_DATA_DIR or put ../shared/data beside the repository)"
        )


@functools.cache
def _numbers(runner: str, speed: str, fps: int, toe: str) -> dict:
    """What the tests read from one analysis (kept small, so every trial can be cached)."""
    res = rf.analyze(fr.runner_clip(runner, speed, fps, toe))
    cal = rf.analyze(fr.runner_clip(runner, speed, fps, toe, calibrated=True))
    ic, to, missed, spurious = _matched(res.events, fr.runner_force_events(runner, speed))
    m = res.metrics
    return {
        "cadence": m["cadence_spm"].value,
        "ct": m["contact_time_ms"].value,
        "ic": ic,
        "to": to,
        "missed": missed,
        "spurious": spurious,
        "strike": m["foot_strike"],
        "strike_cal": cal.metrics["foot_strike"],
    }


def _matched(events, truth):
    """IC and TO errors (s) of complete detected contacts; force contacts missed; spurious."""
    ev = events[events.complete]
    truth = truth[(truth.ic_s > ev.ic_s.min() - MATCH_S) & (truth.to_s < ev.to_s.max() + MATCH_S)]
    ic, to, used = [], [], set()
    for r in ev.itertuples():
        f = truth[truth.foot == r.foot]
        j = int(np.argmin(np.abs(f.ic_s.to_numpy() - r.ic_s)))
        if abs(f.ic_s.iloc[j] - r.ic_s) < MATCH_S and f.index[j] not in used:
            used.add(f.index[j])
            ic.append(r.ic_s - f.ic_s.iloc[j])
            to.append(r.to_s - f.to_s.iloc[j])
    return np.array(ic), np.array(to), len(truth) - len(used), len(ev) - len(used)


def _truth(runner, speed):
    _need(runner, speed)
    return fr.runner_truth_summary(runner, speed)


@pytest.mark.parametrize("toe", ["mt", "toe"])
@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("runner,speed", TRIALS)
def test_cadence_and_contacts(runner, speed, fps, toe):
    """Cadence within 0.5 steps/min of the force plates (issue 10), every contact found.

    Measured: within 0.15 steps/min everywhere; no force contact missed and at most one
    spurious detection per trial (bench/events.py). The bound is the measured 0.15 spm
    plus 0.1 (a 0.5 ms change of the mean stride of 640–760 ms), inside the issue's 0.5.
    """
    truth = _truth(runner, speed)
    n = _numbers(runner, speed, fps, toe)
    assert abs(n["cadence"] - truth["cadence_spm"]) < 0.25
    missed, spurious = n["missed"], n["spurious"]
    assert missed == 0 and spurious <= 1, (missed, spurious)


@pytest.mark.parametrize("runner,speed,fps,toe", _cases(CT_MISSES))
def test_mean_contact_time(runner, speed, fps, toe):
    """Mean contact time (clip metric) within one frame period of force (issue 10), and no
    further from force than measured plus 2 ms (:data:`CT_LIMIT_MS`, a regression bound).

    The trials of :data:`CT_MISSES` miss the one-frame claim (strict xfail: a fix shows).
    """
    truth = _truth(runner, speed)
    err = _numbers(runner, speed, fps, toe)["ct"] - 1000 * truth["contact_time_s"]
    limit = min(CT_LIMIT_MS[fps, toe], 1000.0 / fps)
    assert abs(err) < limit, f"{err:+.1f} ms (limit {limit:.1f})"


@pytest.mark.parametrize("runner,speed,fps,toe", _cases(EVENT_MISSES, (60, 120)))
def test_events_within_one_frame(runner, speed, fps, toe):
    """≥ 90 % of ICs and of TOs within one frame of force at 60 and 120 fps (issue 10).

    The trials of :data:`EVENT_MISSES` miss it (strict xfail; measured shares given there).
    """
    _truth(runner, speed)
    n = _numbers(runner, speed, fps, toe)
    ic, to = n["ic"], n["to"]
    frame = 1.0 / fps
    assert len(ic) >= 40
    ic_in = float(np.mean(np.abs(ic) <= frame))
    to_in = float(np.mean(np.abs(to) <= frame))
    assert ic_in >= 0.9, f"IC {ic_in:.0%} within a frame, {1000 * ic.mean():+.1f} ms mean"
    assert to_in >= 0.9, f"TO {to_in:.0%} within a frame, {1000 * to.mean():+.1f} ms mean"


@pytest.mark.parametrize("toe", ["mt", "toe"])
@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("runner,speed", TRIALS)
def test_strike_class(runner, speed, fps, toe):
    """Right with the static trial as calibration; never wrong without it (uncertain allowed).

    RBDS001 is labelled forefoot, but its foot angle at force IC relative to standing is
    −1.8° (2.5 m/s) and +0.2° (3.5 m/s): on the Altman & Davis midfoot/forefoot border,
    so for it "not rearfoot" is the right class and "uncertain" the honest one.
    """
    _truth(runner, speed)
    ok = fr.right_classes(runner)
    n = _numbers(runner, speed, fps, toe)
    cal, raw = n["strike_cal"], n["strike"]
    assert cal.reference == "standing" and raw.reference == "ground"
    assert cal.type in ok, cal
    assert raw.type in ok | {"uncertain"}, raw
