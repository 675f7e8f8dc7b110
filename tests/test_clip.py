"""The clip container: construction from arrays and CSV, conversion, validation."""

from __future__ import annotations

import numpy as np
import pytest

import runform as rf
from runform import Clip, InputError, read_keypoints_csv
from runform.landmarks import INDEX, N_LANDMARKS


def small_clip(n=20):
    rng = np.random.default_rng(0)
    arrays = {name: rng.uniform(0, 500, (n, 2)) for name in ("left_heel", "right_foot_index",
                                                               "left_hip")}
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
