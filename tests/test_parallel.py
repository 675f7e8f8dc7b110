"""Pose over several worker processes: layout, worker count, seams, determinism, crashes,
Ctrl-C, the one-process fallback, quiet MediaPipe logs, and the work done while decoding.

Chunked vs single-pass tolerances. A fresh tracker at a chunk start re-detects the
runner and restarts its smoothing; every chunk after the first therefore starts
``WARMUP_FRAMES`` (30) frames early and drops them. BlazePose's tracking is
path-dependent, so after a seam landmarks still differ from a single pass by about the
model's own noise, near the seam and later alike. Measured with 30 warm-up frames on
the balanced two-chunk layout (hips, knees and ankles; ``bench/chunk_accuracy.py``):
midfoot_30fps (leg 131 px), at most 3.6% of leg length within 10 frames of the seam and
a median of 0.41% after it; the real clip (leg 279 px), 3.0% and 0.51%; over all seven
samples the worst seam frame is 15% (a leg swap one run has and the other not, which
cleaning repairs) and the worst median 0.41%. Hence: frames before the first seam are
bit-identical; at the seam hips, knees and ankles stay within 8% of leg length on the
two clips tested here; the median difference after the seam is under 1% of leg length.

What users see. Every metric of a chunked run stays within the single pass's own 95%
CI half-width: measured on the seven samples and the real clip (cadence, contact time,
peak stance knee flexion, foot-strike angle), the largest difference is 0.85 of the
half-width (ankle_active's foot-strike angle), 0.38 on midfoot_30fps (cadence, +0.94
of 2.45 steps/min) and 0.40 on the real clip (peak knee flexion, -1.09 of 2.70 deg); the
strike class is the same on all eight. Against the truth, pooled over the samples, the
errors of chunked and single runs are equal within their spread (see pose.py).
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

import runform as rf
from runform import capture, chunking, parallel, pool, pose, workers
from runform.landmarks import INDEX

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "midfoot_30fps.mp4"  # 150 frames: chunks of 90 and 60
SEAM_AT = 90  # 30 + (150 - 30) / 2: each worker runs the model on 90 frames
JOINTS = [INDEX[f"{s}_{j}"] for s in ("left", "right") for j in ("hip", "knee", "ankle")]
#: At a seam (first SEAM frames of a chunk), hips, knees and ankles stay within this
#: fraction of leg length of the single pass (measured at most 3.6%, see above).
SEAM_TOL = 0.08
SEAM = 10
#: Median difference over every frame after the first seam, same joints: 1% of leg.
MEDIAN_TOL = 0.01


def quiet_extract(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rf.extract_pose(path, progress=False, **kw)


def assert_seam_agrees(one, two, seam: int) -> None:
    np.testing.assert_array_equal(two.xy[:seam], one.xy[:seam])  # before the seam: same
    d = np.linalg.norm(two.xy[seam:, JOINTS] - one.xy[seam:, JOINTS], axis=2)
    leg = leg_px(one)
    assert np.isfinite(d).mean() > 0.95
    at_seam = np.nanmax(d[:SEAM], axis=0)
    assert at_seam.max() < SEAM_TOL * leg, at_seam.max() / leg
    assert np.nanmedian(d) < MEDIAN_TOL * leg, np.nanmedian(d) / leg


def leg_px(clip) -> float:
    return float(
        np.nanmedian(
            np.linalg.norm(clip.xy[:, INDEX["left_hip"]] - clip.xy[:, INDEX["left_ankle"]], axis=1)
        )
    )


# ------------------------------------------------------------------ layout and counts
@pytest.mark.parametrize(
    "n, k, expected",
    [
        (150, 2, [0, 75]),
        (360, 2, [0, 180]),
        (361, 3, [0, 120, 241]),
        (119, 2, [0]),
        (120, 2, [0, 60]),
        (40, 8, [0]),
        (600, 64, list(range(0, 600, 60))),
    ],
)
def test_plan_chunks_is_contiguous_balanced_and_never_too_short(n, k, expected):
    starts = chunking.plan_chunks(n, k)
    assert starts == expected
    lengths = np.diff([*starts, n])
    assert lengths.min() >= min(n, chunking.MIN_CHUNK_FRAMES)
    assert lengths.max() - lengths.min() <= 1


@pytest.mark.parametrize(
    "n, k, warmup, expected",
    [
        (150, 2, 30, [0, 90]),
        (360, 2, 30, [0, 195]),
        (360, 3, 30, [0, 140, 250]),
        (130, 2, 30, [0, 70]),
        (119, 2, 30, [0]),
    ],
)
def test_plan_chunks_gives_every_worker_the_same_number_of_frames(n, k, warmup, expected):
    """The first chunk has no warm-up, so it keeps ``warmup`` frames more; the warm-up
    shrinks when it would leave a chunk shorter than the minimum (130 frames: 10)."""
    starts = chunking.plan_chunks(n, k, warmup=warmup)
    assert starts == expected
    if len(starts) == 1:
        return
    kept = np.diff([*starts, n])
    used = min(warmup, n - len(starts) * chunking.MIN_CHUNK_FRAMES)
    work = kept + np.r_[0, np.full(len(kept) - 1, used)]  # frames each worker runs
    assert work.max() - work.min() <= 1 and kept.min() >= chunking.MIN_CHUNK_FRAMES


def test_explicit_n_jobs_is_honoured_and_auto_follows_affinity_quota_memory(monkeypatch):
    assert parallel.usable_workers(3) == 3
    monkeypatch.setattr(workers, "_cgroup_cpus", lambda: None)
    monkeypatch.setattr(workers, "_available_mb", lambda: 1e6)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert parallel.usable_workers() == 4 and parallel.usable_workers(-1) == 4
    monkeypatch.setattr(workers, "_cgroup_cpus", lambda: 2.5)
    assert parallel.usable_workers(None) == 2
    monkeypatch.setattr(workers, "_available_mb", lambda: 2.2 * workers.WORKER_MB)
    assert parallel.usable_workers() == 1
    for bad in (2.5, "2", True, -3):
        with pytest.raises(rf.InputError, match="n_jobs must be a whole number"):
            parallel.usable_workers(bad)


@pytest.mark.parametrize(
    "files, cpus",
    [
        ({"cpu.max": "150000 100000\n"}, 1.5),
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 2.0),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({}, None),
    ],
)
def test_cgroup_quota_is_read_v1_and_v2(tmp_path, files, cpus):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert workers._cgroup_cpus(str(tmp_path)) == cpus


def test_cache_key_holds_the_layout_only_when_the_clip_is_split(tmp_path):
    short = tmp_path / "short.mp4"
    try:
        from tests.support import corpus as C
    except ImportError:
        from support import corpus as C
    C.plain_video(short, n_frames=30, fps=30)
    assert pose.cached_path(short, n_jobs=1) == pose.cached_path(short, n_jobs=4)
    one, two = pose.cached_path(SAMPLE, n_jobs=1), pose.cached_path(SAMPLE, n_jobs=2)
    assert one != two and pose.cached_path(SAMPLE, n_jobs=2) == two
    # the default is one worker per usable core, and its key says so
    assert pose.cached_path(SAMPLE) == pose.cached_path(SAMPLE, n_jobs=workers.usable_workers())
    assert inspect.signature(pose.extract_pose).parameters["n_jobs"].default is None


def test_native_stderr_is_silenced_and_the_real_stderr_kept(capfd):
    with parallel.quiet_native_stderr() as stream:
        os.write(2, b"W0000 glog line from C++\n")
        stream.write("progress bar\n")
    os.write(2, b"after\n")
    err = capfd.readouterr().err
    assert "glog" not in err and "progress bar" in err and "after" in err


def test_prefetch_imports_in_the_background_and_swallows_failures():
    sys.modules.pop("colorsys", None)
    thread = parallel.prefetch(["runform_no_such_module", "colorsys"])
    thread.join(10)
    assert not thread.is_alive() and "colorsys" in sys.modules


def test_frame_access_decodes_forward_instead_of_seeking(monkeypatch):
    """Video.frame steps forward by decoding (cheaper than a seek, which decodes from a
    keyframe): the frames are those of a sequential read, with no seek call."""
    from runform.video import Video

    wanted = (3, 10, 11, 39, 120, 5)
    with Video(SAMPLE) as vid:
        seq = {i: f for i, _, f in vid.frames(stop=121) if i in wanted}
        seeks = []
        monkeypatch.setattr(vid, "_cap", _Spy(vid._cap, seeks, vid._cap.set))
        for i in wanted:
            np.testing.assert_array_equal(vid.frame(i), seq[i])
        assert seeks == [120, 5]  # a jump of 81 frames and a step back seek


class _Spy:
    """A VideoCapture whose ``set`` calls (seeks) are recorded."""

    def __init__(self, cap, seeks, real_set):
        self._cap, self._seeks, self._set = cap, seeks, real_set

    def set(self, prop, value):
        self._seeks.append(int(value))
        return self._set(prop, value)

    def __getattr__(self, name):
        return getattr(self._cap, name)


@pytest.mark.slow
def test_workers_import_mediapipe_without_pyplot():
    code = (
        "import sys; import runform.worker_preload; "
        "print('matplotlib.pyplot' in sys.modules); "
        "import mediapipe as mp; print(callable(mp.solutions.drawing_utils.plt.figure)); "
        "import matplotlib.pyplot as plt; print(type(plt).__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert out.stdout.split() == ["False", "True", "module"], out.stderr[-2000:]


def test_worker_errors_keep_runforms_types():
    err = pool._worker_error("VideoError", "clip.mp4 is cut off")
    assert type(err) is rf.VideoError and str(err) == "clip.mp4 is cut off"
    err = pool._worker_error("ZeroDivisionError", "division by zero")
    assert type(err) is rf.PoseError and "ZeroDivisionError: division by zero" in str(err)


def test_cli_rejects_zero_jobs(capsys):
    from runform.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["analyze", str(SAMPLE), "--out", "x", "--jobs", "0"])
    assert exc.value.code == 2 and "--jobs must be 1 or more" in capsys.readouterr().err


# ------------------------------------------------------------- MediaPipe on a sample
@pytest.fixture(scope="module")
def runs():
    """Single pass, two workers twice (determinism), landmarks and run records."""
    out = {"one": quiet_extract(SAMPLE, cache=False, n_jobs=1)}
    out["one_run"] = parallel.last_run()
    out["two"] = quiet_extract(SAMPLE, cache=False, n_jobs=2)
    out["two_run"] = parallel.last_run()
    out["again"] = quiet_extract(SAMPLE, cache=False, n_jobs=2)
    return out


@pytest.mark.slow
def test_worker_count_is_honoured(runs):
    assert runs["one_run"]["workers"] == 0 and runs["one_run"]["pids"] == [os.getpid()]
    two = runs["two_run"]
    assert two["workers"] == 2 and len(set(two["pids"])) == 2
    assert os.getpid() not in two["pids"] and two["fallback"] is None
    assert list(runs["two"].provenance["settings"]["chunks"]["starts"]) == [0, SEAM_AT]
    assert all(50 < mb < 2000 for mb in two["peak_rss_mb"])


@pytest.mark.slow
def test_chunked_landmarks_agree_with_a_single_pass(runs):
    one, two = runs["one"], runs["two"]
    assert two.n_frames == one.n_frames == 150
    np.testing.assert_array_equal(two.time, one.time)
    assert two.provenance["other_people_found"] == one.provenance["other_people_found"]
    assert_seam_agrees(one, two, SEAM_AT)


#: Metrics compared between chunked and single runs (``foot_strike``: its angle).
SHOWN = ("cadence_spm", "contact_time_ms", "knee_flexion_peak_stance_deg", "foot_strike")


def _metric(result, key):
    m = result.metrics[key]
    return getattr(m, "angle", m)


def assert_metrics_agree(one, two) -> None:
    """Each metric of the chunked run within the single pass's 95% CI half-width (the
    largest measured is 0.85 of it, see the module docstring); same strike class."""
    for key in SHOWN:
        a, b = _metric(one, key), _metric(two, key)
        half = 0.5 * (a.ci95[1] - a.ci95[0])
        assert abs(b.value - a.value) < half, (key, a.value, b.value, half)
    assert two.metrics["foot_strike"].type == one.metrics["foot_strike"].type


@pytest.mark.slow
def test_what_users_see_agrees_and_is_as_close_to_the_truth(runs):
    """On a rendered sample: metrics within their CI of the single pass, and no further
    from the truth than the single pass by more than half of that CI (measured:
    cadence 0.25 vs 0.69 steps/min from the truth's 170, contact time within 0.1 ms of
    the single pass's error)."""
    from runform import data

    truth = data.load_truth("midfoot_30fps")["params"]
    one, two = (rf.analyze(runs[k]) for k in ("one", "two"))
    assert_metrics_agree(one, two)
    for key, true in (
        ("cadence_spm", truth["cadence_spm"]),
        ("contact_time_ms", 1000 * truth["contact_time_s"]),
    ):
        a, b = _metric(one, key), _metric(two, key)
        half = 0.5 * (a.ci95[1] - a.ci95[0])
        assert abs(b.value - true) <= abs(a.value - true) + 0.5 * half, (key, a, b, true)


@pytest.mark.slow
def test_capture_checks_use_what_the_pose_pass_measured(runs, monkeypatch):
    """The light/sharpness statistics measured while decoding equal those measured by
    seeking the video afterwards, so the capture checks need not read it again."""
    from runform.video import open_video

    for clip in (runs["one"], runs["two"]):
        rec = clip.provenance["frame_stats"]
        frames = capture.frame_check_indices(clip.n_frames)
        assert list(rec["frames"]) == frames
        with open_video(SAMPLE) as vid:
            again = [capture.runner_box_stats(vid.frame(i), clip.xy[i]) for i in frames]
        assert [(g, s) for g, s in zip(rec["grey"], rec["sharpness"], strict=True)] == [
            (None, None) if v is None else v for v in again
        ]
    monkeypatch.setattr("runform.video.Video.frame", lambda *a: pytest.fail("seeked"))
    assert capture.frame_checks(SAMPLE, runs["two"]) == []


@pytest.mark.slow
def test_same_worker_count_gives_identical_results(runs, tmp_path):
    from runform import cache

    for k in ("xy", "visibility", "depth", "time"):
        np.testing.assert_array_equal(getattr(runs["two"], k), getattr(runs["again"], k))
    arrays = [
        {"xy": c.xy, "visibility": c.visibility, "depth": c.depth}
        for c in (runs["two"], runs["again"])
    ]
    assert cache._checksum(arrays[0]) == cache._checksum(arrays[1])


@pytest.mark.slow
def test_fallback_to_one_process_gives_the_same_landmarks(runs, monkeypatch):
    def no_processes():
        raise OSError("This platform lacks a functioning sem_open implementation")

    monkeypatch.setattr(parallel, "_context", no_processes)
    with pytest.warns(rf.RunformWarning, match="could not be started"):
        clip = rf.extract_pose(SAMPLE, cache=False, progress=False, n_jobs=2)
    run = parallel.last_run()
    assert run["workers"] == 0 and "sem_open" in run["fallback"]
    assert run["pids"] == [os.getpid(), os.getpid()]
    np.testing.assert_array_equal(clip.xy, runs["two"].xy)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_killed_worker_raises_and_leaves_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(tmp_path / "cache"))
    killed = []

    def kill_one():
        deadline = time.time() + 120
        while time.time() < deadline and not killed:
            kids = [
                p for p in multiprocessing.active_children() if p.name.startswith("runform-pose")
            ]
            if len(kids) == 2:
                time.sleep(1.0)  # let it get going (its chunk takes ~4 s)
                os.kill(kids[1].pid, signal.SIGKILL)
                killed.append([p.pid for p in kids])
            time.sleep(0.1)

    t = threading.Thread(target=kill_one, daemon=True)
    t.start()
    # a 300-frame clip: each worker runs ~180 frames, so it is still at work when killed
    # (the 150-frame sample's second chunk could end within the 2 s this test used to wait)
    with pytest.raises(rf.PoseError, match=r"worker stopped unexpectedly.*signal 9"):
        quiet_extract(ROOT / "data" / "samples" / "rearfoot_treadmill.mp4", n_jobs=2)
    t.join(5)
    assert killed, "no worker was seen"
    assert not list((tmp_path / "cache").glob("*.npz"))
    assert not any(_alive(pid) for pid in killed[0])  # no orphan left running


def _descendants(pid: int) -> list[int]:
    kids = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().split(")")[-1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_every_worker_and_caches_nothing(tmp_path):
    env = {**os.environ, "RUNFORM_CACHE_DIR": str(tmp_path / "cache"), "MPLBACKEND": "Agg"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runform",
            "analyze",
            str(SAMPLE),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline, seen = time.time() + 120, []
        while time.time() < deadline and proc.poll() is None:
            seen = [p for p in _descendants(proc.pid) if _alive(p)]
            if len(seen) >= 3:  # forkserver + two workers
                break
            time.sleep(0.2)
        assert len(seen) >= 3, "workers never started"
        time.sleep(2.0)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    time.sleep(1.0)
    assert not any(_alive(p) for p in seen)
    assert not list((tmp_path / "cache").glob("*.npz"))


@pytest.mark.slow
def test_cli_prints_no_mediapipe_log_lines(tmp_path):
    env = {**os.environ, "RUNFORM_CACHE_DIR": str(tmp_path / "cache"), "MPLBACKEND": "Agg"}
    for jobs in ("1", "default"):  # the default: one worker per usable core
        flag = [] if jobs == "default" else ["--jobs", jobs]
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "runform",
                "analyze",
                str(SAMPLE),
                "--out",
                str(tmp_path / jobs),
                *flag,
                "--no-cache",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert out.returncode == 0, out.stderr
        assert out.stderr == "", out.stderr  # no TensorFlow Lite / glog / absl lines
        assert "foot strike" in out.stdout


# --------------------------------------------------------------------- the real clip
@pytest.mark.slow
def test_chunked_landmarks_agree_on_the_real_clip(real_clip_path):
    one = quiet_extract(real_clip_path, cache=False, n_jobs=1)
    two = quiet_extract(real_clip_path, cache=False, n_jobs=2)
    assert list(two.provenance["settings"]["chunks"]["starts"]) == [0, 195]
    assert_seam_agrees(one, two, 195)
    assert_metrics_agree(rf.analyze(one), rf.analyze(two))


@pytest.mark.slow
def test_two_clips_share_one_pool_capped_at_two_graphs(runs):
    """Batch scheduling: 2 clips x 2 chunks over 2 workers, same landmarks as alone."""
    from runform.video import Video

    other = ROOT / "data" / "samples" / "overground_crossing.mp4"
    jobs = []
    for path in (SAMPLE, other):
        with Video(path) as vid:
            s = pose.PoseSettings()
            s.update(
                capture_fps=vid.fps,
                max_frames=None,
                mediapipe=pose._mediapipe_version(),
                **pose._chunk_settings(vid, None, 2),
            )
            jobs.append(chunking.clip_jobs(vid, s, None, None, s["chunks"]["starts"], []))
    assert [len(j) for j in jobs] == [2, 2]
    first, second = parallel.run_clips(jobs, 2, progress=False)
    run = parallel.last_run()
    assert run["workers"] == 2 and len(set(run["pids"])) == 2 and len(run["pids"]) == 4
    np.testing.assert_array_equal(first[0], runs["two"].xy)
    assert second[0].shape == (132, 33, 2) and np.isfinite(second[0][:, JOINTS]).any()
