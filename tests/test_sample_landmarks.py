"""Shipped sample landmarks, data.load(), and samples that survive a wheel install.

The landmark files ``data/samples/<name>.pose.npz`` must be what ``extract_pose`` gives
for the video now: MediaPipe tracks causally (frame k depends only on frames 0..k), so
the first frames of every clip are compared with a short ``extract_pose`` run, and one
whole clip (with its quality notes) in full. After re-rendering the samples, run
``python -m tools.make_sample_landmarks``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

import runform as rf
from runform import data
from runform.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = data.names("bundled")
REGENERATE = "run 'python -m tools.make_sample_landmarks'"
N_HEAD = 40


def _extract(name, **kwargs):
    """A fresh single pass, as the shipped landmarks are (tools/make_sample_landmarks.py):
    the default splits a long clip over the cores, which moves landmarks after a seam."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rf.extract_pose(data.path(name), cache=False, progress=False, n_jobs=1, **kwargs)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_clip_ships_current_landmarks(name):
    file = data.landmarks_path(name)
    assert file.is_file(), f"{file.name} missing: {REGENERATE}"
    assert file.stat().st_size < 200_000
    with np.load(file, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
    assert meta["video_sha256"] == data.sample(name).sha256["video"], (
        f"{file.name} was made from another render of the video: {REGENERATE}"
    )
    clip = data.landmarks(name)
    params = data.sample(name).params
    assert clip.n_frames == round(params["fps"] * params["duration_s"])
    assert clip.provenance["source"] == str(data.path(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_shipped_landmarks_match_extract_pose(name):
    shipped = data.landmarks(name)
    fresh = _extract(name, max_frames=N_HEAD)
    head = slice(0, N_HEAD)
    np.testing.assert_array_equal(np.isnan(fresh.xy), np.isnan(shipped.xy[head]))
    np.testing.assert_allclose(fresh.xy, shipped.xy[head], atol=1e-3, equal_nan=True)
    np.testing.assert_allclose(fresh.visibility, shipped.visibility[head], atol=1e-5)
    np.testing.assert_allclose(fresh.depth, shipped.depth[head], atol=1e-4, equal_nan=True)
    np.testing.assert_allclose(fresh.time, shipped.time[head])
    assert (fresh.fps, fresh.width, fresh.height) == (shipped.fps, shipped.width, shipped.height)


@pytest.mark.slow
def test_one_whole_clip_matches_extract_pose_with_its_quality_checks():
    name = "midfoot_30fps"
    shipped, fresh = data.landmarks(name), _extract(name)
    np.testing.assert_allclose(fresh.xy, shipped.xy, atol=1e-3, equal_nan=True)
    assert shipped.quality == fresh.quality
    assert [q.code for q in shipped.quality] == ["timing_fps"]  # 30 fps: timing limited


def test_load_gives_clip_video_and_truth_without_mediapipe(monkeypatch):
    import runform.pose

    def no_model(*args, **kwargs):
        raise AssertionError("MediaPipe ran for a bundled sample")

    monkeypatch.setattr(runform.pose, "extract_pose", no_model)
    s = data.load()
    assert s.name == data.DEFAULT == "rearfoot_treadmill"
    assert s.video == data.path(s.name) and s.video.is_file()
    assert s.truth["n_frames"] == s.clip.n_frames == 300
    assert s.height_cm == pytest.approx(175.0)
    result = rf.analyze(s.clip, height_cm=s.height_cm)
    assert result.clip.direction == s.truth["direction"]
    assert result.clip.near_side == s.truth["near_side"]
    # cadence from the shipped landmarks within 2 spm of the simulated runner's 170
    assert result.metrics["cadence_spm"].value == pytest.approx(170.0, abs=2.0)


def test_stale_landmarks_fall_back_to_mediapipe_with_one_line(monkeypatch, capsys):
    monkeypatch.setattr(
        data,
        "landmarks",
        lambda name: (_ for _ in ()).throw(
            DataError("midfoot_30fps.pose.npz was made from another version.")
        ),
    )
    monkeypatch.setattr(data, "_extract", lambda video, progress: "mediapipe-clip")
    got = data.load("midfoot_30fps")
    assert got.clip == "mediapipe-clip"
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "another version" in out[0] and "MediaPipe" in out[0]


def test_real_clip_offline_falls_back_in_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv(data.ENV_DIR, raising=False)
    monkeypatch.setenv(data.ENV_OFFLINE, "1")
    monkeypatch.setenv(data.ENV_CACHE, str(tmp_path))
    got = data.load("male_side_treadmill")
    assert got.name == data.DEFAULT
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert "male_side_treadmill" in out[0] and data.ENV_DIR in out[0]
    assert data.DEFAULT in out[0]
    with pytest.raises(DataError, match="not available offline"):
        data.load("male_side_treadmill", fallback=None)


@pytest.mark.slow
@pytest.mark.skipif(
    not (ROOT.parent / "shared/data/male_side_treadmill/male_side.mp4").is_file(),
    reason="real clip mirror (../shared/data) absent",
)
def test_real_clip_from_the_mirror(monkeypatch):
    monkeypatch.setenv(data.ENV_DIR, str(ROOT.parent / "shared" / "data"))
    got = data.load("male_side_treadmill", fallback=None)
    assert got.name == "male_side_treadmill" and got.clip.fps == pytest.approx(30.0)
    assert got.truth["clip"] == "male_side.mp4"


@pytest.mark.slow
def test_non_editable_wheel_carries_every_sample(tmp_path):
    """``pip install .`` (a wheel, not editable) can load every bundled sample by name."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(wheels)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("runform-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in BUNDLED:
        for suffix in (".mp4", ".truth.json", ".pose.npz"):
            assert f"runform/samples/{name}{suffix}" in names
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        f"import runform, runform.data as d; assert runform.__file__.startswith("
        f"{str(site)!r}), runform.__file__; print(len([d.load(n).clip.n_frames for n "
        "in d.names('bundled')]))"
    )
    env = {
        "PYTHONPATH": str(site),
        "RUNFORM_OFFLINE": "1",
        "PATH": "/usr/bin:/bin",
        "RUNFORM_CACHE_DIR": str(tmp_path / "cache"),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == str(len(BUNDLED))
