"""Checks of the Fukuchi 2017 (RBDS001) loader in ``tests/support/fukuchi.py``.

These run only when the shared data folder ``../shared/data/fukuchi2017_rbds001`` exists.
"""

from __future__ import annotations

import numpy as np
import pytest

try:
    from tests.support import fukuchi
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from support import fukuchi

pytestmark = pytest.mark.skipif(
    not fukuchi.available(),
    reason=f"Fukuchi 2017 RBDS001 data not found at {fukuchi.DATA} (../shared is absent)",
)


def test_markers_shapes_units_axes():
    time, m = fukuchi.load_markers("25")
    assert time.shape == (4500,)
    assert np.allclose(np.diff(time), 1 / 150)
    assert len(m) == 32
    assert all(a.shape == (4500, 3) for a in m.values())
    # metres: pelvis width ~0.2 m, heel markers a few cm above the belt (Y = 0, Y up)
    width = np.nanmedian(np.linalg.norm(m["R.ASIS"] - m["L.ASIS"], axis=1))
    assert 0.15 < width < 0.30
    assert 0.02 < np.nanmin(m["R.Heel.Bottom"][:, 1]) < 0.06
    assert np.nanmedian(m["R.ASIS"][:, 1]) > 0.8
    # runner faces +X; Z points to the runner's right
    assert np.nanmedian(m["R.ASIS"][:, 0] - m["R.PSIS"][:, 0]) > 0.1
    assert np.nanmedian(m["R.ASIS"][:, 2] - m["L.ASIS"][:, 2]) > 0.15
    # the source's right MT1/MT5 label swap is corrected: MT5 is lateral on both feet
    assert np.median(m["R.MT5"][:, 2] - m["R.MT1"][:, 2]) > 0.05
    assert np.median(m["L.MT1"][:, 2] - m["L.MT5"][:, 2]) > 0.05
    # missing markers are NaN (L.ASIS drops out in one frame), never zeros
    assert np.isnan(m["L.ASIS"]).any(axis=1).sum() == 1
    assert not any((a == 0).all(axis=1).any() for a in m.values())


def test_rigid_reconstruction_keeps_segment_lengths():
    jc = fukuchi.joint_centres("25")
    quality = fukuchi.fit_quality("25")
    for side in ("left", "right"):
        for a, b, sd_max in (
            ("knee", "ankle", 0.004),  # shank
            ("hip", "knee", 0.008),  # thigh: pelvis and thigh clusters, soft tissue
            ("heel", "foot_index", 0.004),  # foot markers
        ):
            length = np.linalg.norm(jc[f"{side}_{a}"] - jc[f"{side}_{b}"], axis=1)
            assert np.isfinite(length).all()
            assert np.std(length) < sd_max, (side, a, b, np.std(length))
        assert np.median(quality[f"{side}_shank_rms_m"]) < 0.002
        assert np.median(quality[f"{side}_thigh_rms_m"]) < 0.003
    assert np.median(quality["pelvis_rms_m"]) < 0.008


def test_foot_reaches_belt_at_force_ic():
    _, pts = fukuchi.sagittal("25")
    events = fukuchi.force_events("25")
    assert len(events) == 77
    assert set(events["foot"]) == {"left", "right"}
    for row in events.itertuples():
        other = "left" if row.foot == "right" else "right"
        i0, i1 = row.ic_frame, round(row.to_s * 150)
        heel, toe = pts[f"{row.foot}_heel"][:, 1], pts[f"{row.foot}_foot_index"][:, 1]

        def above_stance_min(i, heel=heel, toe=toe, i0=i0, i1=i1):
            return min(heel[i] - heel[i0:i1].min(), toe[i] - toe[i0:i1].min())

        # force onset catches the foot in its last ~20 mm of descent (shoe compression);
        # 5 frames (33 ms) later it is on its stance minimum; 8 frames before, in the air
        assert above_stance_min(i0) < 0.030
        assert above_stance_min(i0 + 5) < 0.008
        assert above_stance_min(i0 - 8) > 0.020
        low = min(heel[i0], toe[i0])
        assert low < min(pts[f"{other}_heel"][i0, 1], pts[f"{other}_foot_index"][i0, 1])


@pytest.mark.parametrize("fps, n", [(150, 4500), (120, 3600), (60, 1800), (30, 900)])
def test_resampled_clip_frames(fps, n):
    clip = fukuchi.to_clip("25", fps=fps)
    assert clip.n_frames == n
    assert np.allclose(clip.time, np.arange(n) / fps)
    assert (clip.direction, clip.near_side, clip.treadmill) == ("right", "right", True)
    legs = clip.point("right_knee")
    assert np.isfinite(legs).all()
    assert (legs > 0).all() and (legs[:, 0] < clip.width).all() and (legs[:, 1] < clip.height).all()
    assert np.isnan(clip.point("left_shoulder")).all()
    if fps == 30:
        full = fukuchi.to_clip("25", fps=150)
        assert np.allclose(clip.xy[:, 25:33], full.xy[::5, 25:33])


def test_truth_summary_and_reference_angles():
    truth = fukuchi.truth_summary("25")
    assert truth["cadence_spm"] == pytest.approx(156.8, abs=0.2)
    assert truth["contact_time_s"] == pytest.approx(0.288, abs=0.001)
    assert truth["step_time_s"] == pytest.approx(0.383, abs=0.001)
    assert truth["foot_angle_ic_right_deg"] == pytest.approx(-1.8, abs=0.1)
    ref = fukuchi.reference_angles("25")
    assert ref.shape == (101, 7)
    assert ref["knee_right"].min() > 5 and ref["knee_right"].max() > 80  # + flexion
    assert ref["ankle_right"].iloc[0] < 0  # plantarflexed at IC (non-rearfoot strike)


def test_c3d_trial_35():
    pytest.importorskip("ezc3d", reason="ezc3d is needed for the 3.5 m/s C3D trial")
    clip = fukuchi.to_clip("35", fps=60)
    assert clip.n_frames == 1800
    assert np.isfinite(clip.xy[:, 23:33]).all()
    assert fukuchi.truth_summary("35")["cadence_spm"] == pytest.approx(171.2, abs=0.2)
