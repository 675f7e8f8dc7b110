"""Tests of the sample registry (runform.data): hashes, mirror, offline errors, files."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import absent, data_dir

from runform import data
from runform.errors import DataError

SHARED = data_dir()


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No mirror, an empty cache, and a network that must not be used."""
    monkeypatch.delenv(data.ENV_DIR, raising=False)
    monkeypatch.delenv(data.ENV_OFFLINE, raising=False)
    monkeypatch.setenv(data.ENV_CACHE, str(tmp_path / "cache"))
    import pooch

    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(pooch, "retrieve", no_network)
    return tmp_path


@pytest.fixture
def fake_remote(monkeypatch, tmp_path):
    """A remote sample whose single file we can create locally."""
    content = b"not really a video\n"
    digest = hashlib.sha256(content).hexdigest()
    entry = data.Sample(
        name="fake_remote",
        description="test",
        files={"video": "fake/clip.mp4"},
        sha256={"video": digest},
        kind="remote",
        urls={"video": "http://127.0.0.1:9/fake/clip.mp4"},
    )
    monkeypatch.setitem(data.REGISTRY, "fake_remote", entry)
    return content


def test_registry_has_the_real_clip_pinned():
    entry = data.sample("male_side_treadmill")
    assert entry.kind == "remote"
    assert entry.files["video"] == "male_side_treadmill/male_side.mp4"
    assert entry.sha256["video"] == (
        "84f2de8ccfc8ddaad7be42ad6c46c68226d3f6b0a13a986d57528e451afc0ce2"
    )
    assert entry.urls["video"] == (
        "https://raw.githubusercontent.com/zzzhushi/running-gait-analysis/"
        "4823029633fb26126a2ecebb12c0ce067ac24ddb/tests/data/male_side.mp4"
    )
    assert "MIT" in entry.license


def test_mirror_resolves_real_clip_without_network(isolated, monkeypatch):
    if not (SHARED / "male_side_treadmill/male_side.mp4").is_file():
        absent("shared data mirror not present")
    monkeypatch.setenv(data.ENV_DIR, str(SHARED))
    got = data.path("male_side_treadmill")
    assert got == SHARED / "male_side_treadmill" / "male_side.mp4"
    truth = data.load_truth("male_side_treadmill")
    assert truth["clip"] == "male_side.mp4"


def test_mirror_and_cache_lookup(isolated, monkeypatch, fake_remote):
    mirror = isolated / "mirror"
    (mirror / "fake").mkdir(parents=True)
    (mirror / "fake" / "clip.mp4").write_bytes(fake_remote)
    monkeypatch.setenv(data.ENV_DIR, str(mirror))
    assert data.path("fake_remote") == mirror / "fake" / "clip.mp4"
    # Without the mirror, a verified copy in the cache is used, still without network.
    monkeypatch.delenv(data.ENV_DIR)
    cached = isolated / "cache" / "fake" / "clip.mp4"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(fake_remote)
    assert data.path("fake_remote") == cached


def test_sha256_mismatch_is_a_data_error(isolated, monkeypatch, fake_remote):
    mirror = isolated / "mirror"
    (mirror / "fake").mkdir(parents=True)
    (mirror / "fake" / "clip.mp4").write_bytes(fake_remote + b"tampered")
    monkeypatch.setenv(data.ENV_DIR, str(mirror))
    with pytest.raises(DataError, match="sha256"):
        data.path("fake_remote")
    assert data.verify(
        mirror / "fake" / "clip.mp4", hashlib.sha256(fake_remote + b"tampered").hexdigest()
    )


def test_offline_failure_says_what_to_do(isolated, monkeypatch, fake_remote):
    monkeypatch.setenv(data.ENV_OFFLINE, "1")
    with pytest.raises(DataError, match=data.ENV_DIR):
        data.path("fake_remote")
    with pytest.raises(DataError, match=data.ENV_DIR):
        data.path("male_side_treadmill")


def test_download_failure_is_a_data_error(monkeypatch, tmp_path, fake_remote):
    monkeypatch.delenv(data.ENV_DIR, raising=False)
    monkeypatch.delenv(data.ENV_OFFLINE, raising=False)
    monkeypatch.setenv(data.ENV_CACHE, str(tmp_path))
    with pytest.raises(DataError, match="Could not download"):
        data.path("fake_remote")  # 127.0.0.1:9 refuses the connection at once


def test_unknown_names_and_roles():
    with pytest.raises(DataError, match="Available"):
        data.path("no_such_sample")
    with pytest.raises(DataError):
        data.path("male_side_treadmill", "pose")


def test_bundled_samples_exist_and_verify(isolated):
    bundled = data.names("bundled")
    assert len(bundled) >= 10
    for name in bundled:
        entry = data.sample(name)
        video, truth_file = data.path(name), data.path(name, "truth")
        assert video.suffix == ".mp4" and video.stat().st_size < 3_500_000
        assert data.verify(video, entry.sha256["video"])
        truth = json.loads(truth_file.read_text())
        assert truth["name"] == name
        for key in (
            "fps",
            "time_s",
            "camera",
            "params",
            "events",
            "angles_deg",
            "contact",
            "joints_3d_m",
            "joints_2d_px",
        ):
            assert key in truth, key
        n = len(truth["time_s"])
        assert n == truth["n_frames"]
        assert len(truth["joints_2d_px"]["left_heel"]) == n


def test_bundled_set_covers_the_brief():
    entries = [data.sample(n).params for n in data.names("bundled")]
    strikes = {e["runner"]["foot_strike"] for e in entries}
    assert {"rearfoot", "forefoot"} <= strikes
    assert any(e["runner"]["overstride_cm"] >= 35 for e in entries)
    assert {e["runner"]["ankle_strategy"] for e in entries} == {"active", "passive"}
    assert {e["camera"]["facing"] for e in entries} == {"left", "right"}
    assert {e["fps"] for e in entries} >= {30.0, 60.0}
    assert {e["treadmill"] for e in entries} == {True, False}


def test_coached_strides_change_what_the_cue_says():
    """The three strides of the coached runner (issue 13): same speed, and each cue moves
    the parameters it names: reaching = heel strike far ahead of the hip; sooner = under
    the body, midfoot, higher cadence (shorter steps); push = the step length of reaching
    back, covered in the air (shorter contact), still landing under the body."""
    reach, sooner, push = (
        data.sample(f"stride_{n}").params["runner"] for n in ("reaching", "sooner", "push")
    )
    assert reach["speed_mps"] == sooner["speed_mps"] == push["speed_mps"]
    assert reach["foot_strike"] == "rearfoot" and 8.0 < reach["strike_angle_deg_used"] <= 12.0
    assert {sooner["foot_strike"], push["foot_strike"]} == {"midfoot"}
    assert (
        reach["overstride_cm"] >= 30 and max(sooner["overstride_cm"], push["overstride_cm"]) <= 15
    )
    assert sooner["cadence_spm"] >= 1.08 * reach["cadence_spm"]
    step = {
        k: 60 * r["speed_mps"] / r["cadence_spm"]
        for k, r in (("reach", reach), ("sooner", sooner), ("push", push))
    }
    assert step["sooner"] < step["reach"] <= step["push"]
    assert push["contact_time_s"] < min(reach["contact_time_s"], sooner["contact_time_s"])


def test_import_does_not_touch_the_network():
    code = (
        "import socket\n"
        "def boom(*a, **k):\n    raise SystemExit('network at import')\n"
        "socket.socket.connect = boom\nsocket.create_connection = boom\n"
        "import runform.data, runform.model\n"
        "print(len(runform.data.names()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_bundled_truth_matches_the_current_model(isolated):
    """Samples go stale when runform.model changes: regenerate them if this fails."""
    import dataclasses

    import numpy as np

    from runform.model import Camera, RunnerParams, simulate

    cam_fields = {f.name for f in dataclasses.fields(Camera)}
    par_fields = {f.name for f in dataclasses.fields(RunnerParams)}
    for name in data.names("bundled"):
        entry = data.sample(name).params
        truth = data.load_truth(name)
        params = RunnerParams(**{k: v for k, v in entry["runner"].items() if k in par_fields})
        camera = Camera(**{k: v for k, v in entry["camera"].items() if k in cam_fields})
        motion = simulate(params, fps=entry["fps"], duration_s=entry["duration_s"], treadmill=False)
        px = motion.project(camera)
        for key, values in truth["joints_2d_px"].items():
            np.testing.assert_allclose(
                values,
                px[key],
                atol=2e-3,
                err_msg=f"{name} {key}: stale sample, run python -m tools.render.make_samples",
            )
        for side in ("left", "right"):
            np.testing.assert_allclose(truth["events"][side]["ic_s"], motion.ic_s[side], atol=1e-6)
