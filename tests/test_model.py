"""Tests of the simulated runner (runform.model): physics, events, angles, projection."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from runform.clip import Clip
from runform.errors import InputError
from runform.model import ANGLES, Camera, RunnerParams, simulate

STRIKES = {
    "rearfoot": RunnerParams(),
    "midfoot": RunnerParams(foot_strike="midfoot"),
    "forefoot": RunnerParams(
        foot_strike="forefoot", contact_time_s=0.23, knee_flexion_ic_deg=22.0, overstride_cm=14.0
    ),
    "overstride": RunnerParams(
        overstride_cm=40.0,
        knee_flexion_ic_deg=8.0,
        hip_extension_deg=18.0,
        cadence_spm=158.0,
        toe_off_foot_angle_deg=-40.0,
        foot_strike_angle_deg=22.0,
    ),
    "slow": RunnerParams(speed_mps=2.75, cadence_spm=164.0),
    "fast_active": RunnerParams(
        speed_mps=4.0,
        cadence_spm=180.0,
        hip_extension_deg=22.0,
        thigh_flexion_swing_deg=45.0,
        knee_flexion_swing_deg=110.0,
        ankle_strategy="active",
    ),
}


#: Deepest compression of heel or forefoot pad and midsole under the stance foot (m): the
#: landing part arrives at <= 1.4 m/s and is stopped at a constant deceleration within
#: 30 ms (a flat landing; 8 ms for a heel), ``v * 0.030 / 2`` <= 21 mm.
SINK_MAX_M = 0.021
#: Time (s) for the ground to stop the landing part (under 1 % of its touchdown speed),
#: independent of the model's constants: a heel strike (strike angle >= +13 deg) within
#: 6-10 ms (Fukuchi 2017 heel markers, fitted 7-11 ms), a flat or toe landing (<= 0 deg)
#: within 25-35 ms (RBDS001's metatarsals: 30-33 ms, at rest 24-30 ms after force IC);
#: in between, between the two.
REST_HEEL_S = (0.006, 0.010)
REST_FLAT_S = (0.025, 0.035)


def _stance_frames(motion, side):
    """Boolean mask of frames inside a stance [IC, TO) from the event lists."""
    t = motion.time
    mask = np.zeros(t.size, bool)
    ics, tos = motion.ic_s[side], motion.to_s[side]
    starts = (
        np.concatenate([[-np.inf], ics]) if tos.size and (not ics.size or tos[0] < ics[0]) else ics
    )
    for start in starts:
        ends = tos[tos > start]
        end = ends[0] if ends.size else np.inf
        mask |= (t >= start) & (t < end)
    return mask


# ------------------------------------------------------------------ ground contact
@pytest.mark.parametrize("name", list(STRIKES))
@pytest.mark.parametrize("treadmill", [True, False])
def test_stance_foot_neither_sinks_nor_hovers(name, treadmill):
    motion = simulate(STRIKES[name], fps=240, duration_s=2.0, treadmill=treadmill)
    for side in ("left", "right"):
        low = motion.contact_point_height(side)
        stance = motion.contact[side]
        assert stance.any() and (~stance).any()
        sink = motion.sink[side]
        # the contact point is exactly where the compressed sole puts it: 0 to -SINK_MAX_M
        assert np.all(low[stance] == sink[stance]), "contact point must be on the ground"
        assert np.all((sink <= 0.0) & (sink >= -SINK_MAX_M)) and np.all(sink[~stance] == 0.0)
        assert np.all(low[~stance] > 0.0), "swing foot must clear the ground"
        for joint in ("heel", "foot_index", "ankle", "knee"):
            assert np.all(motion.joints[f"{side}_{joint}"][:, 2] >= -SINK_MAX_M)


@pytest.mark.parametrize("treadmill", [True, False])
def test_contact_point_fixed_overground_and_moving_with_the_belt(treadmill):
    params = RunnerParams()
    motion = simulate(params, fps=500, duration_s=1.5, treadmill=treadmill)
    belt = params.speed_mps if treadmill else 0.0
    for side in ("left", "right"):
        for ic, to in zip(motion.ic_s[side], motion.to_s[side], strict=False):
            if to < ic:
                continue
            frames = (motion.time >= ic) & (motion.time < to)
            for joint in ("heel", "foot_index"):
                p = motion.joints[f"{side}_{joint}"][frames]
                on_ground = p[:, 2] == motion.sink[side][frames]
                assert on_ground.sum() > 3
                x_world = p[on_ground, 0] + belt * motion.time[frames][on_ground]
                assert np.ptp(x_world) < 1e-9, f"{joint} slides on the ground"


def test_rearfoot_lands_on_heel_forefoot_on_toe_and_both_roll_to_the_toe():
    for name, first in (("rearfoot", "heel"), ("forefoot", "foot_index")):
        motion = simulate(STRIKES[name], fps=1000, duration_s=1.2)
        side = "right"
        ic, to = motion.ic_s[side][0], motion.to_s[side][0]
        i_ic = np.searchsorted(motion.time, ic)
        i_to = np.searchsorted(motion.time, to) - 1
        other = "foot_index" if first == "heel" else "heel"
        assert motion.joints[f"{side}_{first}"][i_ic, 2] == 0.0
        assert motion.joints[f"{side}_{other}"][i_ic, 2] > 0.0
        mid = (i_ic + i_to) // 2
        sink = motion.sink[side]
        assert motion.joints[f"{side}_heel"][mid, 2] == sink[mid]  # flat foot in mid-stance
        assert motion.joints[f"{side}_foot_index"][mid, 2] == sink[mid]
        assert motion.joints[f"{side}_foot_index"][i_to, 2] == sink[i_to]  # leaves from the toe
        assert sink[i_to] > -5e-5  # the compression is released by TO (< 0.05 mm left)
        assert motion.joints[f"{side}_heel"][i_to, 2] > 0.05


def _landing_part(params):
    return "heel" if params.strike_angle_deg >= 0 else "foot_index"


#: Sampling rate (frames/s) at which the landing is examined: 0.25 ms per frame.
DENSE_FPS = 4000.0


def _landings(motion, part):
    """(first frame at or after IC, the part's heights, its vertical velocity) per landing."""
    fps = motion.fps
    for side in ("left", "right"):
        z = motion.joints[f"{side}_{part}"][:, 2]
        vz = np.gradient(z, 1.0 / fps)
        for ic in motion.ic_s[side]:
            i0 = int(np.ceil(ic * fps - 1e-9))
            if i0 - round(0.12 * fps) < 1 or i0 + round(0.05 * fps) >= z.size:
                continue
            yield side, i0, z, vz


@pytest.mark.parametrize("name", list(STRIKES))
def test_landing_part_touches_down_at_speed_and_is_arrested_after_ic(name):
    """Touchdown at speed, then the ground arrests the foot at a constant deceleration:
    a heel within 6-10 ms, a flat or toe landing within 25-35 ms (Fukuchi 2017 markers
    against force IC, ``bench/landing_arrest.py``).

    Before IC the landing part descends monotonically, fastest at IC (within a frame at
    240 fps); at IC it is exactly on the ground (the truth IC is first touch) at 0.5-1.4
    m/s downwards; it then sinks (pad and midsole) by 1-21 mm, its speed falling linearly
    (constant deceleration, as the metatarsals' V-shaped velocity on the force plates)
    to under 1 % of its touchdown speed within the arrest time of its strike, and stays
    there. The previous model (deceleration peaking at IC, 12 ms for every strike) fails
    the constant deceleration and the flat landing's arrest time; an instantly stopped foot
    fails the arrest time and the sink; a foot brought to rest before IC fails the
    touchdown speed.
    """
    motion = simulate(STRIKES[name], fps=DENSE_FPS, duration_s=1.6)
    part = _landing_part(motion.params)
    strike = motion.params.strike_angle_deg
    if strike >= 13.0:
        rest_range = REST_HEEL_S
    elif strike <= 0.0:
        rest_range = REST_FLAT_S
    else:
        rest_range = (REST_HEEL_S[0], REST_FLAT_S[1])
    dt = 1.0 / DENSE_FPS
    window = round(0.05 * DENSE_FPS)
    checked = 0
    for side, i0, z, vz in _landings(motion, part):
        # first frame at or after IC: on the ground, at most one frame's sinking below it
        assert -1.5 * dt <= z[i0] <= 0.0 and np.all(z[i0 - round(0.06 * DENSE_FPS) : i0] > 0.0)
        before = vz[i0 - round(0.06 * DENSE_FPS) : i0]
        assert np.all(before < 0), "descends monotonically into IC"
        assert before.argmin() >= before.size - 1 - round(DENSE_FPS / 240), "fastest at IC"
        v_ic = -vz[i0 - 1]
        assert 0.5 <= v_ic <= 1.4, v_ic
        after = vz[i0 : i0 + window]
        rest = int(np.argmax(after > -0.01 * v_ic))  # heel 7.9 ms, flat 29.7 ms measured
        assert rest_range[0] <= rest * dt <= rest_range[1], (strike, rest * dt)
        assert np.all(np.diff(after[: rest + 1]) >= -1e-6), "slows down monotonically"
        acc = np.diff(after[2 : rest - 2]) / dt  # inside the arrest, off its two ends
        assert np.ptp(acc) <= 0.05 * np.mean(acc), "constant deceleration"
        depth = -z[i0 + rest : i0 + window].min()
        assert 0.001 <= depth <= SINK_MAX_M, depth
        assert np.allclose(
            motion.sink[side][i0 : i0 + window],
            motion.contact_point_height(side)[i0 : i0 + window],
        )
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("name", list(STRIKES))
def test_contact_truth_is_the_first_touch_and_nothing_goes_deeper_than_the_sole(name):
    """IC is the first instant the lowest foot point reaches the ground plane (z = 0); no
    foot point goes below the compressed sole (``sink``), none below ``-SINK_MAX_M``."""
    motion = simulate(STRIKES[name], fps=DENSE_FPS, duration_s=1.6)
    for side in ("left", "right"):
        low = motion.contact_point_height(side)
        for joint in ("heel", "foot_index", "ankle"):
            z = motion.joints[f"{side}_{joint}"][:, 2]
            assert np.all(z >= motion.sink[side] - 1e-12), (joint, "below the sole")
        first = np.flatnonzero(np.diff((low <= 0.0).astype(int)) == 1) + 1
        ics = np.ceil(motion.ic_s[side] * DENSE_FPS - 1e-9).astype(int)
        assert set(ics[(ics > 0) & (ics < low.size)]) == set(first), side


@pytest.mark.parametrize("name", list(STRIKES))
def test_toe_leaves_the_ground_promptly_at_toe_off(name):
    fps = 240.0
    motion = simulate(STRIKES[name], fps=fps, duration_s=2.0)
    checked = 0
    for side in ("left", "right"):
        toe = motion.joints[f"{side}_foot_index"][:, 2]
        for to in motion.to_s[side]:
            i0 = int(np.ceil(to * fps - 1e-9))  # first swing frame
            if i0 < 1 or i0 + round(0.15 * fps) >= toe.size:
                continue
            # on the (released) sole: within 0.05 mm of the ground plane just before TO
            assert toe[i0 - 1] == motion.sink[side][i0 - 1] and toe[i0 - 1] > -5e-5
            # rising at >= 0.3 m/s within the first two frames
            assert (toe[i0 + 1] - toe[i0 - 1]) * fps / 2 >= 0.3
            after = toe[i0 - 1 :]
            up = int(np.argmax(after >= 0.05))
            assert up > 0 and np.all(np.diff(after[: up + 1]) > 0), "no hovering after TO"
            checked += 1
    assert checked >= 2


# ------------------------------------------------------------------------ events
@pytest.mark.parametrize("name", list(STRIKES))
def test_events_contact_time_and_cadence_equal_the_parameters(name):
    motion = simulate(STRIKES[name], fps=60, duration_s=5.0)
    params = motion.params
    for side in ("left", "right"):
        ic, to = motion.ic_s[side], motion.to_s[side]
        assert ic.size >= 3
        pairs = [(a, b) for a in ic for b in to if a < b < a + params.step_time_s]
        assert len(pairs) >= 2
        np.testing.assert_allclose([b - a for a, b in pairs], params.contact_time_s, atol=1e-12)
        np.testing.assert_allclose(np.diff(ic), params.stride_time_s, atol=1e-12)
        assert np.array_equal(motion.contact[side], _stance_frames(motion, side))
    steps = np.sort(np.concatenate([motion.ic_s["left"], motion.ic_s["right"]]))
    np.testing.assert_allclose(60.0 / np.diff(steps), params.cadence_spm, rtol=1e-12)
    # Left lands exactly half a stride after right.
    offset = (motion.ic_s["left"][0] - motion.ic_s["right"][0]) % params.stride_time_s
    assert offset == pytest.approx(params.step_time_s, abs=1e-12)


def test_duty_factor_and_step_length():
    p = RunnerParams(speed_mps=3.0, cadence_spm=180.0, contact_time_s=0.25)
    assert p.stride_time_s == pytest.approx(2 / 3)
    assert p.duty_factor == pytest.approx(0.375)
    assert p.step_length_m == pytest.approx(1.0)
    assert p.resolved() is p


def test_automatic_contact_time_falls_with_speed():
    times = [RunnerParams(speed_mps=v).contact_s for v in (2.75, 3.3, 4.0)]
    assert times == sorted(times, reverse=True)
    assert 0.22 < times[1] < 0.28  # science.md §4: ~230-300 ms
    motion = simulate(RunnerParams(), fps=60, duration_s=2.0)
    assert motion.params.contact_time_s == pytest.approx(times[1], abs=1e-6)
    # the contact time the feet act out, from their positions (not the event lists,
    # which are contact_time_s apart by construction): at 1000 fps, every complete run
    # of frames with the lowest foot point on the ground lasts contact_time_s ± 1 frame
    fine = simulate(RunnerParams(), fps=1000, duration_s=2.0)
    on = fine.contact_point_height("right") <= 1e-9
    edges = np.flatnonzero(np.diff(on.astype(int)))
    runs = [(b - a) / 1000 for a, b in itertools.pairwise(edges) if on[a + 1]]
    assert len(runs) >= 2
    np.testing.assert_allclose(runs, motion.params.contact_time_s, atol=1.0 / 1000)


# ------------------------------------------------------------- angles at events
@pytest.mark.parametrize("name", list(STRIKES))
def test_angles_at_contact_and_toe_off_equal_the_parameters(name):
    params = STRIKES[name]
    params = params.replace(contact_time_s=round(params.contact_s, 2))
    # At 100 fps and first contact at 0.1 s, IC and TO fall exactly on frames.
    motion = simulate(params, fps=100, duration_s=2.0, first_contact_s=0.1)
    table = motion.truth_table()
    i_ic = round(motion.ic_s["right"][0] * 100)
    i_to = round(motion.to_s["right"][0] * 100)
    assert motion.time[i_ic] == pytest.approx(motion.ic_s["right"][0], abs=1e-12)
    row_ic, row_to = table.iloc[i_ic], table.iloc[i_to]
    assert row_ic["right_foot_angle_deg"] == pytest.approx(params.strike_angle_deg, abs=1e-9)
    assert row_ic["right_knee_flexion_deg"] == pytest.approx(params.knee_flexion_ic_deg, abs=1e-6)
    assert row_to["right_thigh_angle_deg"] == pytest.approx(-params.hip_extension_deg, abs=1e-6)
    assert row_to["right_foot_angle_deg"] == pytest.approx(params.toe_off_foot_angle_deg, abs=1e-9)
    heel = motion.joints["right_heel"][i_ic, 0] - motion.joints["right_hip"][i_ic, 0]
    assert heel * 100 == pytest.approx(params.overstride_cm, abs=1e-9)
    np.testing.assert_allclose(table["trunk_lean_deg"], params.trunk_lean_deg, atol=1e-9)
    # Definitions of science.md §1 hold between the columns.
    for side in ("left", "right"):
        c = {a: table[f"{side}_{a}_deg"].to_numpy() for a in ANGLES}
        np.testing.assert_allclose(
            c["knee_flexion"], c["thigh_angle"] - c["shank_angle"], atol=1e-9
        )
        np.testing.assert_allclose(
            c["hip_flexion"], c["thigh_angle"] + params.trunk_lean_deg, atol=1e-9
        )
        np.testing.assert_allclose(
            c["ankle_dorsiflexion"], c["foot_angle"] - c["shank_angle"], atol=1e-9
        )


def test_strike_types_order_shank_and_foot_angles():
    fsa = {}
    for name in ("rearfoot", "midfoot", "forefoot"):
        m = simulate(STRIKES[name], fps=100, duration_s=1.0, first_contact_s=0.1)
        fsa[name] = m.truth_table()["right_foot_angle_deg"].iloc[10]
    assert fsa["rearfoot"] > 8.0 > fsa["midfoot"] > -1.6 > fsa["forefoot"]


def test_plausible_ranges_for_the_default_runner():
    t = simulate(RunnerParams(), fps=200, duration_s=2.0).truth_table()
    assert 90 < t["right_knee_flexion_deg"].max() < 110
    assert t["right_knee_flexion_deg"].min() > 0
    assert 25 < t["right_ankle_dorsiflexion_deg"].max() < 40  # stance peak
    assert -25 < t["right_thigh_angle_deg"].min() < -18
    assert 30 < t["right_thigh_angle_deg"].max() < 40


def test_active_and_passive_differ_only_in_late_swing_ankle():
    passive = simulate(RunnerParams(), fps=240, duration_s=3.0)
    active = simulate(RunnerParams(ankle_strategy="active"), fps=240, duration_s=3.0)
    p, a = passive.truth_table(), active.truth_table()
    for col in p.columns:
        if not col.endswith(("ankle_dorsiflexion_deg", "foot_angle_deg")):
            assert np.array_equal(p[col].to_numpy(), a[col].to_numpy()), col
    params = passive.params
    swing_time = params.stride_time_s - params.contact_time_s
    for side in ("left", "right"):
        diff = a[f"{side}_ankle_dorsiflexion_deg"] - p[f"{side}_ankle_dorsiflexion_deg"]
        np.testing.assert_allclose(
            diff, a[f"{side}_foot_angle_deg"] - p[f"{side}_foot_angle_deg"], atol=1e-9
        )
        # Fraction of swing at every frame, from the exact events.
        since_to = np.full(p.shape[0], np.nan)
        first = passive.to_s[side][0]
        for to in first + params.stride_time_s * np.arange(-1, 6):
            dt = passive.time - to
            ok = (dt >= 0) & (dt < swing_time)
            since_to[ok] = dt[ok] / swing_time
        late = since_to > 0.55
        assert np.all(diff[~late] == 0.0), "only the late swing may differ"
        assert diff[late].max() == pytest.approx(params.active_dorsiflexion_deg, abs=0.5)
        assert diff[late].min() >= 0.0  # active = more dorsiflexion (toes up)


# ------------------------------------------------------------------- projection
def _angles_from_clip(clip: Clip) -> dict[str, np.ndarray]:
    """science.md §1, computed independently from the 2D landmarks of a clip."""

    def pt(name):
        xy = clip.point(name).copy()
        xy[:, 1] = -xy[:, 1]  # image y down -> Y up
        if clip.direction == "left":
            xy[:, 0] = -xy[:, 0]  # mirror so the runner faces +X
        return xy

    def phi(v):
        return np.degrees(np.arctan2(v[:, 0], -v[:, 1]))

    def ang(v):
        return np.degrees(np.arctan2(v[:, 1], v[:, 0]))

    k = 0.5 * (pt("left_shoulder") + pt("right_shoulder")) - 0.5 * (
        pt("left_hip") + pt("right_hip")
    )
    lean = np.degrees(np.arctan2(k[:, 0], k[:, 1]))
    out = {"trunk_lean": lean}
    for s in ("left", "right"):
        hip, knee, ankle = pt(f"{s}_hip"), pt(f"{s}_knee"), pt(f"{s}_ankle")
        foot = pt(f"{s}_foot_index") - pt(f"{s}_heel")
        t, sh = phi(knee - hip), phi(ankle - knee)
        df = 90.0 - (ang(knee - ankle) - ang(foot))
        out.update(
            {
                f"{s}_thigh_angle": t,
                f"{s}_shank_angle": sh,
                f"{s}_knee_flexion": t - sh,
                f"{s}_hip_flexion": t + lean,
                f"{s}_foot_angle": ang(foot),
                f"{s}_ankle_dorsiflexion": (df + 180.0) % 360.0 - 180.0,
            }
        )
    return out


@pytest.mark.parametrize("facing", ["left", "right"])
@pytest.mark.parametrize("treadmill,follow", [(True, True), (False, True), (False, False)])
def test_angles_from_projected_clip_equal_truth(facing, treadmill, follow):
    motion = simulate(
        RunnerParams(foot_strike="forefoot"), fps=60, duration_s=2.0, treadmill=treadmill
    )
    camera = Camera(
        facing=facing,
        follow=follow,
        distance_m=8.0 if not follow else 4.0,
        focal_px=400.0 if not follow else 700.0,
    )
    clip = motion.to_clip(camera)
    assert isinstance(clip, Clip)
    assert clip.direction == facing and clip.near_side == facing
    assert clip.treadmill is (treadmill or follow)
    got = _angles_from_clip(clip)
    table = motion.truth_table()
    for key, values in got.items():
        tol = 0.3 if "hip_flexion" in key or key == "trunk_lean" else 1e-6
        np.testing.assert_allclose(values, table[f"{key}_deg"], atol=tol, err_msg=key)


def test_mirroring_direction():
    motion = simulate(RunnerParams(), fps=60, duration_s=2.0, treadmill=False)
    for facing, sign in (("left", -1), ("right", 1)):
        clip = motion.to_clip(Camera(facing=facing, follow=False, distance_m=8.0, focal_px=400.0))
        hips = clip.point("left_hip")[:, 0]
        assert np.sign(hips[-1] - hips[0]) == sign, "runner crosses the frame the way it faces"
        stance = motion.contact["right"]
        toe_minus_heel = clip.point("right_foot_index")[:, 0] - clip.point("right_heel")[:, 0]
        assert np.all(np.sign(toe_minus_heel[stance]) == sign)
        # The near leg is the larger one in the image (closer to the camera).
        near, far = facing, "right" if facing == "left" else "left"

        def length(s, c=clip):
            return np.linalg.norm(c.point(f"{s}_hip") - c.point(f"{s}_knee"), axis=1)

        assert np.all(length(near) > length(far))


def test_camera_keeps_the_runner_in_frame():
    motion = simulate(RunnerParams(), fps=30, duration_s=4.0)
    clip = motion.to_clip(Camera())
    assert np.isfinite(clip.xy).all()
    assert clip.xy[..., 0].min() > 0 and clip.xy[..., 0].max() < clip.width
    assert clip.xy[..., 1].min() > 0 and clip.xy[..., 1].max() < clip.height
    assert clip.fps == 30 and clip.n_frames == 120


def test_determinism():
    a = simulate(RunnerParams(ankle_strategy="active"), fps=60, duration_s=3.0)
    b = simulate(RunnerParams(ankle_strategy="active"), fps=60, duration_s=3.0)
    for name in a.joints:
        assert np.array_equal(a.joints[name], b.joints[name])
    assert a.truth_table().equals(b.truth_table())
    assert np.array_equal(a.to_clip().xy, b.to_clip().xy)


# ----------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "kwargs",
    [
        {"foot_strike": "heel"},
        {"foot_strike_angle_deg": 50.0},
        {"foot_strike": "rearfoot", "foot_strike_angle_deg": -5.0},
        {"contact_time_s": 0.4},
        {"speed_mps": -1.0},
        {"ankle_strategy": "sometimes"},
    ],
)
def test_bad_parameters_raise_input_error(kwargs):
    with pytest.raises(InputError):
        RunnerParams(**kwargs)


def test_impossible_gait_raises_input_error_with_advice():
    with pytest.raises(InputError, match=r"hip_extension_deg|contact_time_s|swing"):
        simulate(RunnerParams(hip_extension_deg=45.0), fps=30, duration_s=1.0)
    with pytest.raises(InputError):
        Camera(facing="up")
