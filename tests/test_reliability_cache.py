"""Reliability of the pose cache: damaged, foreign and hostile files, killed runs,
read-only and full folders.

Most tests replace the model by a fake (``pose._run_model``) so that they check only
the cache logic and run in milliseconds; the SIGKILL test runs the real model in a
child process and kills it.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

import runform as rf
from runform import CacheError, RunformWarning
from runform import cache as cache_mod
from runform import pose as pose_mod
from runform.landmarks import N_LANDMARKS

try:
    from tests.support import corpus as C
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from support import corpus as C

# the fake model's random landmarks draw quality warnings that are beside the point here
pytestmark = pytest.mark.filterwarnings("ignore::runform.errors.RunformWarning")

ROOT = Path(__file__).resolve().parents[1]
KEY = "a" * 64
OTHER = "b" * 64


@pytest.fixture
def empty_cache(tmp_path_factory, monkeypatch):
    """An empty cache folder of the test's own, for tests that inspect the folder: with
    ``RUNFORM_TEST_CACHE`` set, the shared folder holds other tests' entries."""
    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(tmp_path_factory.mktemp("own-cache")))


def arrays(n=12, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "xy": rng.uniform(0, 100, (n, N_LANDMARKS, 2)),
        "depth": rng.normal(size=(n, N_LANDMARKS)),
        "visibility": rng.uniform(size=(n, N_LANDMARKS)),
        "t_container": np.arange(n) / 30.0,
        "other_people": np.array([0, 3]),
    }


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "cache"


# ------------------------------------------------------------- load / save
def test_roundtrip(folder):
    a = arrays()
    path = cache_mod.save(KEY, a, {"source": "x.mp4"}, folder)
    assert path == cache_mod.path_for(KEY, folder) and path.is_file()
    got, meta = cache_mod.load(KEY, folder)
    assert meta == {"source": "x.mp4"}
    for k, v in a.items():
        np.testing.assert_array_equal(got[k], v)
    assert list(folder.glob(".tmp-*")) == []
    assert cache_mod.load(OTHER, folder) is None  # no entry: None, not an error


def flip(data: bytes, pos: int) -> bytes:
    b = bytearray(data)
    b[pos] ^= 0xFF
    return bytes(b)


def test_truncated_file_is_rejected(folder):
    path = cache_mod.save(KEY, arrays(), {}, folder)
    data = path.read_bytes()
    for keep in (0, 10, len(data) // 2, len(data) - 1):
        path.write_bytes(data[:keep])
        with pytest.raises(CacheError, match="damaged cache file"):
            cache_mod.load(KEY, folder)


def test_flipped_bytes_anywhere_are_rejected(folder):
    path = cache_mod.save(KEY, arrays(n=40), {}, folder)
    data = path.read_bytes()
    for pos in range(0, len(data), max(1, len(data) // 97)):
        path.write_bytes(flip(data, pos))
        try:
            cache_mod.load(KEY, folder)
        except CacheError:
            continue
        # a flip the zip format does not protect (e.g. in a name field it ignores) must
        # still give back exactly what was stored
        got, _ = cache_mod.load(KEY, folder)
        np.testing.assert_array_equal(got["xy"], arrays(n=40)["xy"])


def test_another_keys_file_is_rejected(folder):
    other = cache_mod.save(OTHER, arrays(seed=1), {}, folder)
    other.replace(cache_mod.path_for(KEY, folder))
    with pytest.raises(CacheError, match="belongs to another input or version"):
        cache_mod.load(KEY, folder)


def test_arrays_changed_under_a_valid_header_fail_the_checksum(folder):
    path = cache_mod.save(KEY, arrays(), {}, folder)
    with np.load(path) as z:
        stored = {k: z[k] for k in z.files}
    stored["xy"] = stored["xy"] + 1.0
    with open(path, "wb") as f:
        np.savez_compressed(f, **stored)
    with pytest.raises(CacheError, match="checksum"):
        cache_mod.load(KEY, folder)


class Boom:
    """Unpickling this runs a shell command: it must never happen."""

    def __init__(self, sentinel):
        self.sentinel = sentinel

    def __reduce__(self):
        return (os.system, (f"touch '{self.sentinel}'",))


def test_pickle_in_npz_is_never_executed_or_trusted(folder, tmp_path):
    sentinel = tmp_path / "pwned"
    folder.mkdir()
    header = {"format": cache_mod.FORMAT, "key": KEY, "checksum": "x", "meta": {}}
    payload = np.empty(1, dtype=object)
    payload[0] = Boom(sentinel)
    with open(cache_mod.path_for(KEY, folder), "wb") as f:
        np.savez(f, __header__=np.frombuffer(json.dumps(header).encode(), np.uint8), xy=payload)
    with pytest.raises(CacheError):
        cache_mod.load(KEY, folder)
    assert not sentinel.exists()
    # a raw pickle renamed .npz, too
    cache_mod.path_for(KEY, folder).write_bytes(pickle.dumps(Boom(sentinel)))
    with pytest.raises(CacheError):
        cache_mod.load(KEY, folder)
    assert not sentinel.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a zip at all",
        b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': "
        b"False, 'shape': (10000000000000,), }" + b" " * 60 + b"\n",
    ],
)
def test_foreign_files_are_rejected(folder, content):
    folder.mkdir()
    cache_mod.path_for(KEY, folder).write_bytes(content)
    with pytest.raises(CacheError):
        cache_mod.load(KEY, folder)


def test_header_that_is_not_json_is_rejected(folder):
    folder.mkdir()
    with open(cache_mod.path_for(KEY, folder), "wb") as f:
        np.savez(f, __header__=np.frombuffer(b"\xff\xfe[1, 2", np.uint8), xy=np.zeros(3))
    with pytest.raises(CacheError, match="no valid header"):
        cache_mod.load(KEY, folder)
    with open(cache_mod.path_for(KEY, folder), "wb") as f:
        np.savez(f, __header__=np.frombuffer(b"[1, 2]", np.uint8), xy=np.zeros(3))
    with pytest.raises(CacheError, match="no valid header"):
        cache_mod.load(KEY, folder)


# ------------------------------------------------ through extract_pose (fake model)
@pytest.fixture
def fake_model(monkeypatch, tmp_path):
    """Replace MediaPipe by a fake; returns the list of calls and a video to run on."""
    calls = []

    def run(video, settings, roi, max_frames, progress):
        calls.append(video.path)
        a = arrays(n=len(video))
        a["xy"][:, :, 0] *= 1.6  # inside a 160x120 frame
        a["xy"][:, :, 1] *= 1.2
        a["visibility"][:] = 0.95
        return a["xy"], a["depth"], a["visibility"], a["t_container"], a["other_people"]

    monkeypatch.setattr(pose_mod, "_run_model", run)
    video = C.plain_video(tmp_path / "clip.mp4", n_frames=12, fps=120)
    return calls, video


def entry(video):
    return pose_mod.cached_path(video)


@pytest.mark.usefixtures("empty_cache")
def test_cache_hit_skips_the_model(fake_model):
    calls, video = fake_model
    first = rf.extract_pose(video, progress=False)
    second = rf.extract_pose(video, progress=False)
    assert len(calls) == 1
    np.testing.assert_array_equal(first.xy, second.xy)
    assert second.provenance["cache_file"] == str(entry(video))
    assert second.quality == first.quality


@pytest.mark.usefixtures("empty_cache")
@pytest.mark.parametrize("damage", ["truncate", "flip", "swap", "pickle", "garbage"])
def test_damaged_entry_is_detected_and_rebuilt(fake_model, tmp_path, damage):
    calls, video = fake_model
    good = rf.extract_pose(video, progress=False)
    path = entry(video)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "flip":
        path.write_bytes(flip(data, len(data) // 2))
    elif damage == "swap":
        cache_mod.save(OTHER, arrays(seed=5), {}, path.parent).replace(path)
    elif damage == "pickle":
        payload = np.empty(1, dtype=object)
        payload[0] = Boom(tmp_path / "pwned")
        with open(path, "wb") as f:
            np.savez(f, xy=payload)
    else:
        path.write_bytes(os.urandom(len(data)))
    with pytest.warns(RunformWarning, match="Ignoring the pose cache .*recomputing"):
        again = rf.extract_pose(video, progress=False)
    assert len(calls) == 2
    np.testing.assert_array_equal(again.xy, good.xy)
    assert not (tmp_path / "pwned").exists()
    # rebuilt: the next run is a clean hit
    assert cache_mod.load(cache_key(video), path.parent) is not None
    rf.extract_pose(video, progress=False)
    assert len(calls) == 2


def cache_key(video):
    """The key extract_pose uses for ``video`` with default settings."""
    with rf.Video(video) as vid:
        s = pose_mod.PoseSettings()
        s.update(capture_fps=vid.fps, max_frames=None, mediapipe=pose_mod._mediapipe_version())
        return cache_mod.make_key(cache_mod.file_sha256(vid.path), s)


def test_unwritable_cache_folder_degrades_to_no_caching(fake_model, tmp_path, monkeypatch):
    calls, video = fake_model
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(RunformWarning, match="Could not write the pose cache.*RUNFORM_CACHE_DIR"):
        clip = rf.extract_pose(video, progress=False)
    assert clip.provenance["cache_file"] is None and clip.n_frames == 12
    with pytest.warns(RunformWarning, match="Could not write the pose cache"):
        rf.extract_pose(video, progress=False)
    assert len(calls) == 2  # nothing cached, nothing broken


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: a 0o555 folder is still writable; "
    "test_unwritable_cache_folder_degrades_to_no_caching emulates it",
)
def test_read_only_cache_folder(fake_model, tmp_path, monkeypatch):
    _, video = fake_model
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(ro))
    try:
        with pytest.warns(RunformWarning, match="Could not write the pose cache"):
            clip = rf.extract_pose(video, progress=False)
        assert clip.provenance["cache_file"] is None
    finally:
        ro.chmod(0o755)


@pytest.mark.usefixtures("empty_cache")
def test_full_disk_degrades_to_no_caching_and_leaves_no_partial_file(fake_model, monkeypatch):
    _, video = fake_model

    def full(f, **arrays):
        f.write(b"PK\x03\x04 partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cache_mod.np, "savez_compressed", full)
    with pytest.warns(RunformWarning, match="No space left on device"):
        clip = rf.extract_pose(video, progress=False)
    assert clip.provenance["cache_file"] is None
    folder = Path(os.environ["RUNFORM_CACHE_DIR"])
    assert list(folder.glob("*.npz")) == [] and list(folder.glob(".tmp-*")) == []


def test_stale_temporary_files_are_removed_recent_ones_kept(folder):
    folder.mkdir()
    stale, fresh = folder / ".tmp-dead.npz", folder / ".tmp-writing.npz"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 2 * cache_mod.STALE_TMP_S
    os.utime(stale, (old, old))
    cache_mod.save(KEY, arrays(), {}, folder)
    assert not stale.exists() and fresh.exists()


# ----------------------------------------------------------- killed runs
CHILD_MID_WRITE = """
import sys, time
import numpy as np
import runform.cache as cache
real = np.savez_compressed
def slow(f, **arrays):
    f.write(b"PK\\x03\\x04" + b"\\x00" * 1000)
    f.flush()
    print("WRITING", flush=True)
    time.sleep(60)
cache.np.savez_compressed = slow
cache.save("k" * 64, {"xy": np.zeros((3, 33, 2))}, {}, None)
"""

CHILD_MID_MODEL = """
import sys, time
import mediapipe as mp
import runform as rf
Pose = mp.solutions.pose.Pose
real = Pose.process
count = [0]
def process(self, image):
    count[0] += 1
    if count[0] == 5:
        print("RUNNING", flush=True)
    time.sleep(0.05)
    return real(self, image)
Pose.process = process
rf.extract_pose(sys.argv[1], progress=False)
"""


def run_and_kill(code, args, env, marker, timeout=120):
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        deadline = time.time() + timeout
        for line in proc.stdout:
            if marker in line or time.time() > deadline:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL


def test_killed_mid_write_leaves_no_final_file(tmp_path):
    folder = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUNFORM_CACHE_DIR": str(folder)}
    run_and_kill(CHILD_MID_WRITE, [], env, "WRITING")
    assert list(folder.glob("pose-*.npz")) == []
    leftovers = list(folder.glob(".tmp-*.npz"))
    assert len(leftovers) == 1  # the partial file never got the final name
    assert cache_mod.load("k" * 64, folder) is None
    old = time.time() - 2 * cache_mod.STALE_TMP_S
    os.utime(leftovers[0], (old, old))
    cache_mod.save("k" * 64, {"xy": np.zeros((3, 33, 2))}, {}, folder)
    assert cache_mod.load("k" * 64, folder) is not None
    assert not leftovers[0].exists()  # the next write swept it away


@pytest.mark.skipif(C.person_source() is None, reason=C.NO_PERSON_REASON)
def test_killed_mid_extraction_then_recomputed(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    video = C.person_video(tmp_path / "run.mp4", 40)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUNFORM_CACHE_DIR": str(folder)}
    run_and_kill(CHILD_MID_MODEL, [str(video)], env, "RUNNING")
    assert not folder.exists() or list(folder.glob("*.npz")) == []
    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(folder))
    with pytest.warns(RunformWarning):
        clip = rf.extract_pose(video, progress=False)
    assert clip.n_frames == 40 and clip.provenance["detection_rate"] > 0.9
    assert Path(clip.provenance["cache_file"]).is_file()
    with pytest.warns(RunformWarning):
        fresh = rf.extract_pose(video, progress=False, cache=False)
    np.testing.assert_allclose(clip.xy, fresh.xy)


def test_cache_file_is_a_plain_zip_of_npy(fake_model):
    """What is stored can be audited with any zip tool: arrays and a JSON header."""
    _, video = fake_model
    rf.extract_pose(video, progress=False)
    with zipfile.ZipFile(entry(video)) as z:
        names = sorted(z.namelist())
    assert names == sorted(f"{k}.npy" for k in [*arrays(), "__header__"])


def test_forged_entry_with_valid_checksum_but_wrong_shapes_is_recomputed(fake_model):
    """The checksum is not a secret: a forged entry can pass it, so shapes are checked."""
    calls, video = fake_model
    forged = arrays(n=12)
    forged["visibility"] = forged["visibility"][:5]
    cache_mod.save(cache_key(video), forged, {}, entry(video).parent)
    with pytest.warns(RunformWarning, match="malformed pose cache entry"):
        clip = rf.extract_pose(video, progress=False)
    assert len(calls) == 1 and clip.n_frames == 12


@pytest.mark.parametrize("times", ["nan", "decreasing", "zeros"])
def test_unusable_frame_times_fall_back_to_the_frame_grid(fake_model, monkeypatch, times):
    """Broken containers report NaN, repeated or backward timestamps: never an error."""
    _, video = fake_model
    real = pose_mod._run_model

    def broken(*args):
        xy, depth, vis, t, others = real(*args)
        t = {
            "nan": np.full_like(t, np.nan),
            "decreasing": t[::-1].copy(),
            "zeros": np.zeros_like(t),
        }[times]
        t[: len(t) // 2] = np.arange(len(t) // 2) / 7.0 if times == "decreasing" else t[0]
        return xy, depth, vis, t, others

    monkeypatch.setattr(pose_mod, "_run_model", broken)
    clip = rf.extract_pose(video, progress=False, cache=False)
    assert clip.time == pytest.approx(np.arange(12) / 120)
    assert clip.provenance["variable_frame_rate"] is False
