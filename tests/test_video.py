"""Video reading on generated clips whose every frame is known."""

from __future__ import annotations

import subprocess
import sys

import cv2
import numpy as np
import pytest

from runform import InputError, Video
from runform.widgets.frames import FrameCache


def write_numbered(path, n=48, size=(320, 240), fps=24.0):
    """A clip whose frame k shows a white bar at x = 5k (decodable position marker)."""
    w, h = size
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for k in range(n):
        img = np.zeros((h, w, 3), np.uint8)
        img[:, 5 * k : 5 * k + 4] = 255
        out.write(img)
    out.release()
    return path


def bar_position(frame) -> int:
    return int(np.argmax(frame[:, :, 1].mean(axis=0) > 128))


def test_metadata(tmp_path):
    with Video(write_numbered(tmp_path / "clip.mp4")) as v:
        assert (v.info.width, v.info.height) == (320, 240)
        assert v.info.fps == pytest.approx(24.0) and len(v) == 48
        assert v.info.rotation == 0 and v.info.duration_s == pytest.approx(2.0)
        np.testing.assert_allclose(v.timestamps(), np.arange(48) / 24.0)


def test_random_access_and_iterator_agree(tmp_path):
    with Video(write_numbered(tmp_path / "clip.mp4")) as v:
        for k in (0, 37, 5, 47, 6):
            assert bar_position(v.frame(k)) == pytest.approx(5 * k, abs=1)
        seen = [(i, t, bar_position(f)) for i, t, f in v.frames(start=10, stop=14)]
        assert [s[0] for s in seen] == [10, 11, 12, 13]
        assert [s[2] for s in seen] == pytest.approx([50, 55, 60, 65], abs=1)
        with pytest.raises(InputError):
            v.frame(48)


def test_capture_rate_rescales_time(tmp_path):
    """A 240 fps capture stored at 24 fps: timing follows the stated capture rate."""
    with Video(write_numbered(tmp_path / "slowmo.mp4"), capture_fps=240.0) as v:
        assert v.fps == 240.0 and v.info.container_fps == pytest.approx(24.0)
        assert v.info.duration_s == pytest.approx(0.2)


def test_frame_cache_within_budget(tmp_path):
    path = write_numbered(tmp_path / "big.mp4", n=40, size=(1280, 720))
    with Video(path) as v:
        cache = FrameCache(v, max_side=640, budget_mb=0.2)
        assert len(cache) == 40
        assert cache.nbytes <= 0.2e6 * 1.1
        small = cache.frame(20)
        assert max(small.shape[:2]) <= 640
        assert bar_position(small) / cache.scale == pytest.approx(100, abs=4)
        assert cache.jpeg(20)[:2] == b"\xff\xd8"  # JPEG, ready for a browser


def test_import_does_not_load_mediapipe_or_pandas():
    code = "import sys, runform; print('mediapipe' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
