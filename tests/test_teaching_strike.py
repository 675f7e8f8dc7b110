"""Teaching modules of notebooks 03 and 04 against known truth.

Known truth comes from three places: the simulated runner (exact angles, contacts and
parameters; filmed by a perfect virtual camera, so the landmarks are the joints), the
rendered samples' truth files, and exact arithmetic (frame quantisation, claim rules).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import runform as rf
from runform import answers, data
from runform.claims import Claim, claim_verdict
from runform.model import Camera, simulate
from runform.reference import CONTACT_TIME_BY_STRIKE_MS
from runform.teaching import ankle_strategy, contact_time, footstrike

CAMERA = Camera(facing="right", distance_m=4.0, focal_px=700.0, image_size=(640, 480), follow=True)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def strides():
    """The three coached strides: params, motion, analysis of a perfect-camera clip."""
    out = {}
    for name in footstrike.COACHED_STRIDES:
        p = footstrike.coached_params(name)
        motion = simulate(p, fps=60, duration_s=4.0)
        out[name] = (p, motion, rf.analyze(motion.to_clip(CAMERA), height_cm=175))
    return out


# ------------------------------------------------------------------ foot strike
def test_foot_line_reads_the_true_foot_angle_on_perfect_landmarks(strides):
    # the heel and toe landmarks are the model's joints: the line's angle is the truth
    for _p, motion, result in strides.values():
        tt = motion.truth_table()
        frames = footstrike.strike_frames(result)
        assert len(frames) >= 4
        for _, row in frames.iterrows():
            line = footstrike.foot_line(result, int(row["frame"]), row["foot_strike_angle_deg"])
            true = tt[f"{result.clip.near_side}_foot_angle_deg"].iloc[int(row["frame"])]
            assert line["foot_deg"] == pytest.approx(true, abs=0.05)
            # the drawn reference line is the one the strike angle is measured from
            assert line["foot_deg"] - line["reference_deg"] == pytest.approx(
                row["foot_strike_angle_deg"], abs=1e-9
            )


def test_strike_frames_sit_at_the_true_contact_within_the_known_ic_error(strides):
    # runform's IC on the simulated runner is known to be about a frame off (README);
    # the strike frame must be the true last frame before contact within 2 frames
    _p, motion, result = strides["stride_sooner"]
    side = result.clip.near_side
    true = np.ceil(motion.ic_s[side] * motion.fps - 1e-9) - 1
    for f in footstrike.strike_frames(result)["frame"]:
        assert np.min(np.abs(true - f)) <= 2


def test_typical_step_is_the_step_nearest_the_clip_mean():
    s = data.load("rearfoot_treadmill")
    r = rf.analyze(s.clip, height_cm=s.height_cm)
    step = footstrike.typical_step(r)
    frames = footstrike.strike_frames(r)
    mean = r.metrics["foot_strike"].angle.value
    gap = abs(step["foot_strike_angle_deg"] - mean)
    assert gap == pytest.approx(np.min(np.abs(frames["foot_strike_angle_deg"] - mean)))


def test_stride_measures_match_the_model(strides):
    for name, (p, motion, result) in strides.items():
        got = footstrike.stride_measures(result, p.speed_mps)
        truth = footstrike.model_truth(p)
        assert set(got) == set(footstrike.STRIDE_MEASURES) == set(truth)
        # timing: cadence from many steps within 1 step/min; step length = v × step time
        assert got["cadence_spm"][0] == pytest.approx(p.cadence_spm, abs=1.0)
        assert got["step_length_m"][0] == pytest.approx(p.step_length_m, abs=0.01)
        # perfect heel/toe landmarks, contact read up to a frame early while the foot is
        # still turning: measured 0.3–0.75° off, so 1°
        assert got["foot_strike_angle_deg"][0] == pytest.approx(p.strike_angle_deg, abs=1.0)
        # hip rise and fall: pixels → cm through the estimated leg length; measured
        # 0.1–0.6 cm short on these clips, so 1 cm
        assert got["vertical_oscillation_cm"][0] == pytest.approx(
            truth["vertical_oscillation_cm"][0], abs=1.0
        )
        # runform's IC is known to land early on the simulated runner (it reads the onset of
        # the landing arrest: 18 ms before the smooth-arrest model, 28–52 ms after it),
        # while the shank still swings back; at its own IC the shank must be the truth
        # (the 0.6–1.5° measured difference is the low-pass filter), so 2.5°
        side = result.clip.near_side
        early, n = footstrike.ic_offset_ms(result, motion.ic_s[side])
        assert n >= 4 and -4 * result.clip.frame_ms <= early <= 0.5 * result.clip.frame_ms
        tt = motion.truth_table()
        ics = footstrike.strike_frames(result)["ic_s"].to_numpy()
        at_ic = np.interp(ics, tt["time_s"], tt[f"{side}_shank_angle_deg"]).mean()
        assert got["shank_angle_ic_deg"][0] == pytest.approx(at_ic, abs=2.5), name


def test_the_cues_change_what_the_seed_says_they_change(strides):
    m = {k: footstrike.stride_measures(r, p.speed_mps) for k, (p, _, r) in strides.items()}
    reach, sooner, push = m["stride_reaching"], m["stride_sooner"], m["stride_push"]
    # cue 1 → 2: under the body, midfoot, shorter and quicker steps
    assert sooner["shank_angle_ic_deg"][0] < reach["shank_angle_ic_deg"][0] - 10
    assert sooner["overstride_cm"][0] < reach["overstride_cm"][0] - 10
    assert sooner["step_length_m"][0] < reach["step_length_m"][0] - 0.05
    assert sooner["cadence_spm"][0] > reach["cadence_spm"][0] + 10
    # cue 2 → 3: the step length back, still under the body, more bounce
    assert push["step_length_m"][0] == pytest.approx(reach["step_length_m"][0], abs=0.02)
    assert push["overstride_cm"][0] < reach["overstride_cm"][0] - 10
    assert push["vertical_oscillation_cm"][0] > sooner["vertical_oscillation_cm"][0] + 2
    pair = answers.largest_change(
        m,
        "shank_angle_ic_deg",
        [("stride_reaching", "stride_sooner"), ("stride_sooner", "stride_push")],
    )
    assert pair == ("stride_reaching", "stride_sooner")


def test_change_table_sets_each_read_change_beside_the_true_one():
    measured = {
        "a": {"shank_angle_ic_deg": (21.8, 0.4, 5), "overstride_cm": (40.2, 0.9, 5)},
        "b": {"shank_angle_ic_deg": (8.0, 1.4, 5), "overstride_cm": (26.6, 2.6, 5)},
        "c": {"shank_angle_ic_deg": (5.7, 0.8, 5), "overstride_cm": (25.3, 1.2, 5)},
    }
    exact = {
        "a": {"shank_angle_ic_deg": (20.8, 0.4, 6), "overstride_cm": (32.0, 0.0, 6)},
        "b": {"shank_angle_ic_deg": (2.5, 0.0, 6), "overstride_cm": (12.0, 0.0, 6)},
        "c": {"shank_angle_ic_deg": (3.1, 0.1, 6), "overstride_cm": (12.0, 0.0, 6)},
    }
    t = footstrike.change_table(
        measured, exact, [("a", "b"), ("b", "c")], keys=("shank_angle_ic_deg", "overstride_cm")
    )
    shank = t.loc["shank angle at contact (°)"]
    assert shank[("a → b", "runform")] == -13.8 and shank[("a → b", "true")] == -18.3
    assert shank[("a → b", "runform/true (%)")] == 75  # the direction holds, 3/4 of the size
    assert shank[("b → c", "runform/true (%)")] == -383  # a small change read the wrong way
    assert math.isnan(
        t.loc["heel ahead of the hips at contact (cm)"][("b → c", "runform/true (%)")]
    )


def test_coached_strides_are_what_the_samples_were_rendered_with():
    """One definition: the registry records the parameters each stride was rendered with."""
    import dataclasses

    from runform import data

    for name, params in footstrike.COACHED_STRIDES.items():
        rendered = dict(data.sample(name).params["runner"])
        rendered.pop("strike_angle_deg_used", None)
        assert rendered == dataclasses.asdict(params), name
        assert footstrike.coached_params(name) == params


# ------------------------------------------------------------ contact time vs fps
def test_a_whole_number_of_frames_is_measured_exactly():
    fps = 60.0
    phase = np.linspace(0.01, 0.99, 50)
    got = contact_time.measured_contact_ms(np.full(50, 250.0), phase, fps)  # 15 frames
    np.testing.assert_allclose(got, 250.0, atol=1e-9)


def test_quantisation_is_unbiased_with_the_frame_phase_sd():
    rng = np.random.default_rng(1)
    n = 200_000
    for fps in (30.0, 120.0):
        got = contact_time.measured_contact_ms(np.full(n, 241.7), rng.random(n), fps)
        # SE of the mean = sd/√n ≈ 0.03 ms at 30 fps: 0.2 ms is > 6 SE
        assert got.mean() == pytest.approx(241.7, abs=0.2)
        # two values only (k or k + 1 frames): SD = frame·√(f(1 − f)); sampling error of
        # an SD from 2e5 draws is ~0.2 %, so 2 %
        assert got.std() == pytest.approx(contact_time.per_step_sd_ms(fps, 241.7), rel=0.02)
        assert np.ptp(got) <= 1000 / fps + 1e-9
    # over contact times spread across a frame, the RMS is frame / √6
    contacts = 240.0 + 33.3 * rng.random(n)
    got = contact_time.measured_contact_ms(contacts, rng.random(n), 30.0) - contacts
    assert np.sqrt(np.mean(got**2)) == pytest.approx(contact_time.per_step_sd_ms(30.0), rel=0.02)


def test_measured_difference_against_the_literature_value():
    true = CONTACT_TIME_BY_STRIKE_MS["rearfoot"] - CONTACT_TIME_BY_STRIKE_MS["midfoot"]
    assert contact_time.true_difference_ms() == true == 14.0
    one = contact_time.measured_difference(30, 1)
    # one step each at 30 fps: only 0, 1 or 2 frames of difference can come out
    assert set(np.round(one["values_ms"] / (1000 / 30)).astype(int)) <= {0, 1, 2}
    assert 0.3 < one["p_claim"] < 0.5 and one["p_wrong_sign"] > 0.5
    many = contact_time.measured_difference(240, 10)
    lo, hi = many["ci95_ms"]
    assert many["mean_ms"] == pytest.approx(true, abs=0.3)
    assert true - 2 < lo < true < hi < true + 2 and many["p_claim"] == 0.0
    with pytest.raises(ValueError):
        contact_time.measured_difference(0, 1)


# -------------------------------------------------------------- ankle strategy
def test_strategy_params_add_the_held_share_to_the_landing():
    p = ankle_strategy.strategy_params(12, 0.5, relaxed_strike_deg=3.0)
    assert (p.strike_angle_deg, p.foot_strike, p.ankle_strategy) == (9.0, "rearfoot", "active")
    assert p.active_dorsiflexion_deg == 12
    passive = ankle_strategy.strategy_params(0, 1.0, relaxed_strike_deg=-5.0)
    assert (passive.foot_strike, passive.ankle_strategy) == ("forefoot", "passive")
    with pytest.raises(ValueError):
        ankle_strategy.strategy_params(10, 1.5)


def test_measure_motion_is_the_model_truth():
    for toes_up, kept in ((0, 0.5), (12, 0.0), (12, 1.0)):
        p = ankle_strategy.strategy_params(toes_up, kept)
        m = ankle_strategy.measure_motion(simulate(p, fps=50, duration_s=1.8))
        assert m["foot_strike_angle_deg"][0] == pytest.approx(p.strike_angle_deg, abs=0.01)
        assert m["contact_time_ms"][0] == pytest.approx(1000 * p.contact_s, abs=0.01)
        assert m["overstride_cm"][0] == p.overstride_cm
    passive = ankle_strategy.measure_motion(
        simulate(ankle_strategy.strategy_params(0, 0), fps=50, duration_s=1.8)
    )
    active = ankle_strategy.measure_motion(
        simulate(ankle_strategy.strategy_params(12, 0), fps=50, duration_s=1.8)
    )
    # 12° of extra pull, released by contact: late swing +12° (50 fps sampling of a
    # peak: within 1.5°), same landing
    delta = active["swing_dorsiflexion_peak_deg"][0] - passive["swing_dorsiflexion_peak_deg"][0]
    assert delta == pytest.approx(12.0, abs=1.5)
    assert active["foot_strike_angle_deg"][0] == pytest.approx(
        passive["foot_strike_angle_deg"][0], abs=0.01
    )
    assert answers.model_strike_angle(15, 0.6, 3) == pytest.approx(12.0, abs=0.01)


def test_the_rendered_pair_differs_in_swing_not_at_landing():
    got = {}
    for k in ("passive", "active"):
        s = data.load(f"ankle_{k}")
        got[k] = ankle_strategy.measure(rf.analyze(s.clip, height_cm=s.height_cm), s.height_cm)
    # truth: +12° of late-swing dorsiflexion, same landing; the ankle from video is good
    # to ~6° (Van Hooren et al. 2023), so each difference within 6° of its truth
    swing, _ = answers.change(got, "swing_dorsiflexion_peak_deg", "passive", "active")
    strike, real = answers.change(got, "foot_strike_angle_deg", "passive", "active")
    assert swing == pytest.approx(12.0, abs=6.0)
    assert strike == pytest.approx(0.0, abs=6.0)
    assert claim_verdict("does not change", 0.0, strike, real) == "supports"


def test_simulate_strategy_runs_the_pipeline_on_the_runner():
    p = ankle_strategy.strategy_params(20, 1.0)
    motion, result, measured = ankle_strategy.simulate_strategy(p, fps=50.0)
    assert measured["foot_strike_angle_deg"][0] == pytest.approx(23.0, abs=1.0)
    assert measured["foot_strike_type"] == "rearfoot"
    assert result.clip.fps == 50.0 and motion.params == p.resolved()


# ---------------------------------------------------------------------- claims
@pytest.mark.parametrize(
    ("direction", "after", "verdict"),
    [
        ("raises", 15.0, "supports"),
        ("lowers", 15.0, "contradicts"),
        ("raises", 11.0, "cannot tell"),
        ("does not change", 11.0, "supports"),
        ("does not change", 5.0, "contradicts"),
        ("lowers", 5.0, "supports"),
    ],
)
def test_claim_verdict(direction, after, verdict):
    assert claim_verdict(direction, 10.0, after, 2.0) == verdict


def test_claim_verdict_refuses_nonsense():
    with pytest.raises(ValueError):
        claim_verdict("improves", 1, 2, 1)
    with pytest.raises(ValueError):
        claim_verdict("raises", 1, 2, 0)


def test_claim_exercise_checks_the_cited_measurement():
    q = Claim(
        "?",
        {"strike": (3.0, 15.0, 2.5, "°"), "contact": (240.0, 241.0, 5.0, "ms")},
        change="toes up",
    )
    fb = q.check(("strike", "lowers", "Toes up lands flatter."))
    assert not fb.correct and fb.message.startswith("Contradicted")
    fb = q.check(("contact", "raises", "Toes up lengthens contact."))
    assert not fb.correct and "within the uncertainty" in fb.message
    assert not q.check(("speed", "raises")).correct
    assert not q.check("strike").correct
    fb = q.check(("strike", "raises", "Toes up held to contact lands steeper."))
    assert fb.correct and q.solved and q.claim_text.startswith("Toes up held")
    assert q.measure.value == "strike" and q.direction.value == "raises"
    with pytest.raises(ValueError):
        Claim("?", {"x": (1.0, 2.0, 0.0, "°")}, change="c")


def test_answers_for_the_notebooks():
    assert answers.strike_class(6.5) == "uncertain"
    assert answers.strike_class(12.0) == "rearfoot" and answers.strike_class(-6) == "forefoot"
    assert answers.frames_in(14.0, 30) == pytest.approx(0.42)
    m = {"a": {"x": (1.0, 0.3, 5)}, "b": {"x": (2.0, 0.4, 5)}}
    assert answers.change(m, "x", "a", "b") == pytest.approx((1.0, 0.5))
    assert math.isfinite(
        answers.overstride_cm(rf.analyze(data.load("overstride_treadmill").clip, height_cm=175))[0]
    )


def test_foot_angle_cases_agree_with_a_plain_atan2():
    s = data.load("rearfoot_treadmill")
    cases = answers.foot_angle_cases(rf.analyze(s.clip, height_cm=s.height_cm))
    assert len(cases) == 4
    for (heel, toe, direction), expected in cases:
        fwd = (toe[0] - heel[0]) * (1 if direction == "right" else -1)
        assert math.degrees(math.atan2(heel[1] - toe[1], fwd)) == pytest.approx(expected)
