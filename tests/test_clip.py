"""The clip container: construction from arrays and CSV, conversion, validation."""

from __future__ import annotations

import numpy as np
import pytest

import runform as rf
from runform import Clip, InputError, read_keypoints_csv
from runform.io import write_keypoints_csv
from runform.landmarks import INDEX, N_LANDMARKS


def small_clip(n=20):
    rng = np.random.default_rng(0)
    arrays = {
        name: rng.uniform(0, 500, (n, 2)) for name in ("left_heel", "right_foot_index", "left_hip")
    }
    return Clip.from_arrays(arrays, fps=25.0, width=640, height=480)


def test_from_arrays_places_landmarks_by_name():
    clip = small_clip()
    assert clip.xy.shape == (20, N_LANDMARKS, 2)
    assert np.isfinite(clip.xy[:, INDEX["left_heel"]]).all()
    assert np.isnan(clip.xy[:, INDEX["nose"]]).all()
    assert clip.visibility[0, INDEX["left_heel"]] == 1 and clip.visibility[0, 0] == 0
    np.testing.assert_allclose(clip.time, np.arange(20) / 25.0)
    assert clip.duration_s == pytest.approx(0.8)
    assert clip.frame_ms == pytest.approx(40.0)


def test_unknown_name_is_explained():
    with pytest.raises(InputError, match="BlazePose"):
        Clip.from_arrays({"left_toe": np.zeros((3, 2))}, fps=30)


def test_csv_round_trip(tmp_path):
    clip = small_clip()
    path = rf.io.write_keypoints_csv(clip, tmp_path / "kp.csv")
    back = read_keypoints_csv(path)
    assert back.fps == pytest.approx(25.0)
    np.testing.assert_allclose(back.xy, clip.xy, atol=1e-3, equal_nan=True)


def test_csv_without_time_needs_fps(tmp_path):
    p = tmp_path / "kp.csv"
    p.write_text("left_heel_x,left_heel_y\n1,2\n3,4\n5,6\n")
    with pytest.raises(InputError, match="frame rate"):
        read_keypoints_csv(p)
    clip = read_keypoints_csv(p, fps=30)
    assert clip.n_frames == 3 and clip.point("left_heel")[2, 1] == 6


def test_csv_without_landmarks_is_explained(tmp_path):
    p = tmp_path / "kp.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="left_heel_x"):
        read_keypoints_csv(p, fps=30)


def test_tidy_dataframe():
    df = small_clip(4).to_dataframe()
    assert len(df) == 4 * N_LANDMARKS
    assert list(df.columns) == ["frame", "time_s", "landmark", "x_px", "y_px", "visibility"]
    wide = small_clip(4).to_dataframe(wide=True)
    assert "left_heel_x" in wide and len(wide) == 4


def test_clip_is_immutable_and_validated():
    clip = small_clip()
    with pytest.raises(AttributeError):
        clip.fps = 10
    with pytest.raises(InputError):
        clip.replace(direction="up")
    with pytest.raises(InputError):
        clip.replace(time=np.zeros(20))


@pytest.mark.parametrize("fps", [30.0, 60.0, 120.0, 240.0])
@pytest.mark.parametrize("decimals", [3, 6])
def test_frame_rate_from_rounded_times(tmp_path, fps, decimals):
    """Times rounded to ms made 120 fps read as 125 fps (median of 8/9 ms intervals)."""
    n = 200
    t = np.round(np.arange(n) / fps, decimals)
    lines = ["time,left_heel_x,left_heel_y"] + [f"{v:.{decimals}f},1,2" for v in t]
    path = tmp_path / "k.csv"
    path.write_text("\n".join(lines) + "\n")
    # half a rounding step over n - 1 intervals
    tol = 0.5 * 10.0**-decimals / ((n - 1) / fps)
    assert read_keypoints_csv(path).fps == pytest.approx(fps, rel=tol)


def test_frame_rate_with_a_dropped_frame_uses_the_median_interval(tmp_path):
    t = np.delete(np.arange(100) / 50.0, 40)  # one frame missing
    lines = ["time,left_heel_x,left_heel_y"] + [f"{v:.6f},1,2" for v in t]
    path = tmp_path / "k.csv"
    path.write_text("\n".join(lines) + "\n")
    assert read_keypoints_csv(path).fps == pytest.approx(50.0, rel=1e-6)


def test_clip_csv_round_trip_keeps_the_frame_rate(tmp_path):
    from runform.model import Camera, simulate

    clip = simulate(fps=120.0, duration_s=1.0).to_clip(Camera())
    back = read_keypoints_csv(write_keypoints_csv(clip, tmp_path / "c.csv"))
    assert back.fps == pytest.approx(120.0, rel=1e-5)
    assert np.allclose(back.time, clip.time, atol=1e-6)
