"""Regression guard for bench/accuracy.py: the whole pipeline on the rendered samples.

These are **regression** tests, not accuracy claims: the event rules and the cleaning
were developed while looking at these renders, so a pass here says "no worse than
when measured", not "this accurate on new runners" (the acceptance claims live in the
force-plate tests on runners the method was not tuned on). Each bound is the measured
value plus a stated margin, per clip (a good average cannot hide one bad clip), with
events scored one by one (a clip's mean signed error can be ~0 while its events are
a frame off each way), missed and spurious events counted, and frames without an
angle counted.

Measured with MediaPipe 0.10.21 on the ten samples (near leg; renders with the landing
arrested at a constant deceleration over 8 ms for a heel strike and 23-30 ms for a flat or
toe landing, as measured on the Fukuchi markers, and the three coached strides), after
masking landmarks outside the image (bench/results/accuracy_land6.txt):

- angle |error| per clip, worst clip: knee 3.7° (forefoot_treadmill), ankle 5.4°
  (overground_crossing, stride_push), thigh 2.5°, hip 3.3°, shank 2.4°, foot 6.2°, with the
  heel and toe bridged where the feet overlap (:func:`runform.clean.bridge_feet_overlap`;
  without it, on these renders: ankle 5.8°, foot 6.7°);
- per event: |IC| mean 0.92 frames pooled, worst clip mean 1.50 (overstride_treadmill),
  worst event 2.38 (overstride_treadmill); 0.90 / 1.31 / 2.26 on the renders before
  (landing arrested over 12 ms, deceleration peaking at IC); 1.05 / 1.40 / 3.02 on main
  8dacdfc (bench/results/accuracy_ic6.txt); |TO| 0.54 pooled, worst clip 1.14
  (overground_crossing), worst event 1.85 (the TO bounds are
  kept from an earlier 0.66 / 1.22 / 4.94: TO is being reworked separately); one IC missed
  (overground_crossing's first: the foot lands before MediaPipe finds it entering the
  frame, and runform no longer reads a stance wobble 4.8 frames later as its IC); two
  spurious TOs at the clip start (midfoot_30fps 1.1 frames, stride_reaching 3.5 frames
  after the first frame: the end of a contact cut by the clip's start);
- contact time per contact: worst clip mean |error| 55 ms, worst contact 109 ms;
- cadence worst clip -9.7 spm (overground_crossing: 2 matched ICs in 2.2 s, whose
  errors of -1.6 and +1.1 frames no longer cancel), 1.26 on the others; strike class
  right on 2 clips, "uncertain" on 8, never wrong; foot-strike angle worst clip +4.5°
  (overstride_treadmill).

The seven older clips read IC 1.11 frames pooled (worst event 2.64) before the landing
changed; the event rules are being reworked (issue 10), so the IC, TO, contact and strike
bounds here are regressions, with strict xfails for the targets.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[1] / "bench" / "accuracy.py"
#: Targets of issue 10 item 7 for every clip, near leg, mean |error| in degrees.
KNEE_TARGET_DEG, ANKLE_TARGET_DEG = 3.0, 6.0


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> str:
    """One pose cache for this module's fixtures (MediaPipe runs once per sample)."""
    return os.environ.get("RUNFORM_TEST_CACHE") or str(tmp_path_factory.mktemp("acc-cache"))


@pytest.fixture(scope="module")
def results(cache_dir):
    mp = pytest.MonkeyPatch()
    mp.setenv("RUNFORM_CACHE_DIR", cache_dir)
    spec = importlib.util.spec_from_file_location("bench_accuracy", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    res = [bench.evaluate(name) for name in bench.data.names("bundled")]
    mp.undo()
    return bench, res


def _near(r, key, which="angles"):
    return r[which][f"{r['near']}_{key}"]


def test_every_clip_oriented_correctly(results):
    _, res = results
    assert len(res) >= 10
    assert all(r["direction_ok"] and r["near_side_ok"] for r in res)


# margins: +0.2° over the worst clip measured (about a tenth of the per-clip spread)
@pytest.mark.parametrize(
    "angle,limit",
    [
        ("thigh_angle", 2.7),
        ("knee_flexion", 4.0),
        ("hip_flexion", 3.5),
        ("shank_angle", 3.0),
        ("ankle_dorsiflexion", 5.6),
        ("foot_angle", 6.4),
    ],
)
def test_near_leg_angle_error_every_clip(results, angle, limit):
    _, res = results
    worst = {r["name"]: round(_near(r, angle)[0], 2) for r in res}
    assert max(worst.values()) <= limit, worst


@pytest.mark.parametrize("angle", ["knee_flexion", "ankle_dorsiflexion", "shank_angle"])
def test_cleaning_beats_raw_landmarks_every_clip(results, angle):
    """Cleaning must earn its place: closer to the truth than raw MediaPipe, per clip."""
    _, res = results
    for r in res:
        assert _near(r, angle)[0] < _near(r, angle, "angles_raw")[0], r["name"]


@pytest.mark.xfail(
    strict=True,
    reason="issue 10 item 7: near knee is 3.04-3.67 deg on 6 of 10 clips: a landmark "
    "bias (flexion read 2-7 deg low at 60-100 deg, as much in the raw landmarks as after "
    "the low-pass), not noise; segment-length consistency, other cutoffs, Winter's "
    "residual analysis and bridging the knee crossings leave the worst clip at 3.58 deg or "
    "worse (bench/angles_geometry.py)",
)
def test_knee_target_every_clip(results):
    _, res = results
    assert max(_near(r, "knee_flexion")[0] for r in res) <= KNEE_TARGET_DEG


def test_ankle_target_every_clip(results):
    """Issue 10 item 7: near ankle <= 6.0 deg on every clip.

    Was a strict xfail (6.14 deg on midfoot_30fps). Measured worst clip 5.4° (overground_crossing
    and stride_push), with the heel and toe bridged where the feet overlap
    (:func:`runform.clean.bridge_feet_overlap`; 5.8° on rearfoot_treadmill without it).
    """
    _, res = results
    assert max(_near(r, "ankle_dorsiflexion")[0] for r in res) <= ANKLE_TARGET_DEG


def test_angles_missing_only_where_the_runner_is_out_of_view(results):
    bench, res = results
    for r in res:
        truth = bench.data.load_truth(r["name"])
        j2d = truth["joints_2d_px"]
        out = np.zeros(int(truth["n_frames"]), bool)
        for j in ("hip", "knee", "ankle", "heel", "foot_index"):
            p = np.asarray(j2d[f"{r['near']}_{j}"], float)
            out |= (
                (p[:, 0] < 0)
                | (p[:, 0] > truth["width"])
                | (p[:, 1] < 0)
                | (p[:, 1] > truth["height"])
            )
        for a in ("knee_flexion", "ankle_dorsiflexion", "thigh_angle"):
            # one frame either side of the border: a landmark is regressed from pixels
            assert _near(r, a)[2] <= out.sum() + 2, (r["name"], a, out.sum())


@pytest.mark.parametrize(
    "landmark,limit",
    [("hip", 3.5), ("knee", 3.0), ("ankle", 6.5), ("heel", 7.5), ("foot_index", 7.0)],
)
def test_landmark_error(results, landmark, limit):
    """Raw MediaPipe landmark median error (% leg), +0.5 % over measured (model drift)."""
    bench, res = results
    assert bench.overall(res)["landmark_median_pct"][landmark] < limit


def test_events_missed_only_unseen_and_spurious_only_at_the_clip_start(results):
    """Every event of a foot runform saw is found; nothing invented mid-clip.

    The one miss (overground_crossing's first IC) falls where MediaPipe had not yet
    found the runner entering the frame; the one spurious event is described above.
    """
    _, res = results
    for r in res:
        seen = r["seen"]
        for kind in ("ic_s", "to_s"):
            ev = r["events"][kind]
            n = len(ev["errors"]) + ev["missed"] + ev["missed_out_of_view"]
            assert n == ev["n_true"], r["name"]
            for t in ev["missed_s"]:  # the foot was not seen within ±2 frames
                k = round(t * r["fps"])
                assert not seen[max(k - 2, 0) : k + 3].all(), (r["name"], kind, t)
            for t in ev["spurious_s"]:  # only a contact cut by the clip's start
                assert t < 4.0 / r["fps"], (r["name"], kind, t)  # measured <= 3.5 frames
    assert sum(r["events"][k]["missed"] for r in res for k in ("ic_s", "to_s")) <= 1


# margins: +0.15 frame on per-clip means, +0.25 frame on the worst event, +0.1 pooled
# (measured IC 1.50 / 2.38 / 0.92, loosened from 1.46 / 2.51 / 1.0 for the land6
# re-render; TO bounds from an earlier 1.22 / 4.94 / 0.66 frames)
@pytest.mark.parametrize(
    "kind,clip_mean,event_max,pooled", [("ic_s", 1.65, 2.63, 1.02), ("to_s", 1.4, 5.2, 0.75)]
)
def test_event_timing_per_event(results, kind, clip_mean, event_max, pooled):
    bench, res = results
    for r in res:
        s = bench.event_summary(r["events"][kind])
        assert s["n"] >= 2, r["name"]
        assert s["mean_abs"] < clip_mean and s["max_abs"] < event_max, (r["name"], s)
    o = bench.overall(res)
    assert o[f"{kind[:2]}_abs_frames"] < pooled


@pytest.mark.xfail(
    strict=True,
    reason="issue 10 item 4: near-foot IC within one frame on every render; after the "
    "measured landing arrest (land6) per-clip mean |IC| 0.31-1.50 frames, worst event "
    "2.38; every IC within a frame only on stride_reaching. On exact model keypoints "
    "the toe/flat landings no longer read early (forefoot -1.12 -> -0.57, stride_sooner "
    "-0.72 -> -0.18, stride_push -0.46 -> 0.00 frames), but MediaPipe's landmarks still "
    "read them ~1 frame early and scatter heel strikes by +-1.5 frames",
)
def test_ic_within_one_frame_every_clip(results):
    bench, res = results
    assert all(bench.event_summary(r["events"]["ic_s"])["max_abs"] <= 1.0 for r in res)


@pytest.fixture(scope="module")
def video_sd(cache_dir):
    """bench/video_event_sd.py's per-event errors and SDs (pose term off) per sample."""
    import sys

    sys.path.insert(0, str(BENCH.parents[1]))
    from bench import video_event_sd

    mp = pytest.MonkeyPatch()
    mp.setenv("RUNFORM_CACHE_DIR", cache_dir)
    per = {name: video_event_sd.clip_events(name) for name in video_event_sd.SAMPLES}
    mp.undo()
    return video_event_sd, per


@pytest.mark.parametrize("kind", ["ic", "to"])
def test_event_sds_cover_the_errors_on_clips_they_were_not_set_on(video_sd, kind):
    """The per-event SD (with POSE_MODEL_SD_MS) fits the renders' errors, held out.

    Leave one clip out: the pose model's term solved on the other nine, the RMS of
    error / SD on the tenth; pooled over the ten held-out clips' events, 1.03 for IC and 0.73 for TO
    (whose SDs need no term). Without the term the IC SDs were 1.8 times too narrow.
    With the shipped constant, at least 90 % of the errors are within two SDs.
    """
    from runform.event_uncertainty import POSE_MODEL_SD_MS

    bench, per = video_sd
    names = [n for n in per if len(per[n][kind])]
    zs, n = [], []
    for name in names:
        term = bench.solve_term(np.concatenate([per[m][kind] for m in names if m != name]))
        zs.append(bench.rms_z(per[name][kind], term))
        n.append(len(per[name][kind]))
    held_out = float(np.sqrt(np.average(np.square(zs), weights=n)))
    assert 0.5 <= held_out <= 1.2, (kind, held_out, zs)
    e, sd, v = np.concatenate([per[m][kind] for m in names]).T
    full = np.hypot(sd, POSE_MODEL_SD_MS[kind] / np.maximum(v, 0.1))
    assert np.mean(np.abs(e) <= 2 * full) >= 0.9
    if kind == "ic":  # the term is needed: the SDs without it are too narrow
        assert bench.rms_z(np.column_stack([e, sd, v]), 0.0) > 1.4


def test_contact_time_per_contact(results):
    """Per contact: worst clip mean +5 ms, worst contact +6 ms over measured (55 / 109 ms)."""
    _, res = results
    for r in res:
        ct = np.abs(r["events"]["contact_ms"])
        assert len(ct) >= 2, r["name"]
        assert ct.mean() < 60 and ct.max() < 115, (r["name"], ct.round(0))


def test_clip_contact_time_within_the_stated_video_error(results):
    """The clip-mean contact time error stays within what the report states, and the
    statement is not wider than measured (each end reached within 3 ms)."""
    from runform.reference import CONTACT_TIME_VIDEO_ERROR_MS, contact_time_error_text

    _, res = results
    lo, hi = CONTACT_TIME_VIDEO_ERROR_MS
    err = np.array([r["contact_error_ms"] for r in res])
    assert np.isfinite(err).all()
    assert ((err >= lo) & (err <= hi)).all(), err.round(1)
    assert err.min() <= lo + 3 and err.max() >= hi - 3, err.round(1)
    assert contact_time_error_text() == f"{-lo:g} ms short to {hi:g} ms long"


def test_peak_thigh_speed_within_the_stated_video_error(results):
    """The peak forward thigh speed reads high on video by what its note says, no wider."""
    from runform.reference import THIGH_SPEED_VIDEO_ERROR_PCT

    _, res = results
    lo, hi = THIGH_SPEED_VIDEO_ERROR_PCT
    err = np.array([r["thigh_speed_error_pct"] for r in res])
    assert ((err >= lo) & (err <= hi)).all(), err.round(1)
    assert err.min() <= lo + 3 and err.max() >= hi - 3, err.round(1)


def test_cadence_and_strike_every_clip(results):
    """Cadence: per clip 1.26 spm measured at worst, so 3.0; pooled 0.59, so 1.0.

    overground_crossing has one near-foot stride in view (2.2 s), so its cadence is
    withheld (``metrics.MIN_CADENCE_STRIDES``; read from that one stride it was −9.7 spm).
    """
    bench, res = results
    assert bench.overall(res)["cadence_abs_spm"] < 1.0
    for r in res:
        if r["name"] == "overground_crossing":
            assert np.isnan(r["cadence_error_spm"]), r["cadence_error_spm"]
            continue
        assert abs(r["cadence_error_spm"]) < 3.0, (r["name"], r["cadence_error_spm"])
    assert all(np.isfinite(r["fsa_error_deg"]) for r in res)
    # the class is the true one or an honest "uncertain", never another class
    got = {r["name"]: (r["strike_type"], r["true_strike"]) for r in res}
    assert all(t in (want, "uncertain") for t, want in got.values()), got
    clear = [n for n, (t, want) in got.items() if t == want]
    assert len(clear) >= 2, got  # measured: ankle_active, overstride_treadmill


def test_foot_strike_angle_within_7_5_deg_every_clip(results):
    """Foot-strike angle against the ground line (no standing trial on the renders).

    Measured per clip (bench/accuracy.py, ten re-rendered clips): ankle_active -2.1,
    ankle_passive -2.8, forefoot +3.0, midfoot_30fps +4.7, overground -5.2, overstride
    +5.6, rearfoot -2.9, stride_push +2.1, stride_reaching +2.6, stride_sooner +1.3 deg;
    the bound (7.5) was set at an earlier worst clip (-6.1) + 1.4 deg and is kept.
    """
    _, res = results
    assert all(abs(r["fsa_error_deg"]) < 7.5 for r in res)
