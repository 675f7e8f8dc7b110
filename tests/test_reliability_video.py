"""Reliability on real files: unreadable input, too little, awkward but valid videos.

Every case writes a real file of its kind (tests/support/corpus.py) and checks the exact
outcome: the error type and that its message says what to do, or the warnings collected
in ``clip.quality``, or the metadata and frames :class:`runform.Video` returns.
Cases that need a person use the real treadmill clip from ``../shared`` (or its stored
frames) and skip with a reason when neither exists.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import runform as rf
from runform import (
    InputError,
    PoseError,
    RunformWarning,
    TooShortError,
    Video,
    VideoError,
    cli,  # a core module: a broken import must fail, not skip
)
from runform.landmarks import INDEX
from runform.probe import _metadata_number, probe_file
from runform.video import is_variable_rate
from runform.widgets.frames import FrameCache

try:
    from tests.support import corpus as C
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    from support import corpus as C

ROOT = Path(__file__).resolve().parents[1]
needs_person = pytest.mark.skipif(C.person_source() is None, reason=C.NO_PERSON_REASON)
N = 30  # frames per generated person clip: MediaPipe runs ~0.7 s on each


@pytest.fixture
def empty_cache(tmp_path_factory, monkeypatch):
    """An empty cache folder of the test's own, for tests that inspect the folder: with
    ``RUNFORM_TEST_CACHE`` set, the shared folder holds other tests' entries."""
    monkeypatch.setenv("RUNFORM_CACHE_DIR", str(tmp_path_factory.mktemp("own-cache")))


def pose(path, **kw):
    """extract_pose with warnings recorded; returns (clip, warning messages)."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        clip = rf.extract_pose(path, progress=False, **kw)
    return clip, [str(w.message) for w in rec if issubclass(w.category, RunformWarning)]


def has(quality, fragment: str) -> bool:
    return any(fragment in str(q) for q in quality)


# --------------------------------------------------------------- unreadable
UNREADABLE = [
    # (maker, error type, fragments the message must contain)
    (C.zero_byte, VideoError, ["empty (0 bytes)", "copy the file again"]),
    (C.truncated_mp4, VideoError, ["cut off", "Copy or export it again"]),
    (C.text_as_mp4, VideoError, ["text file", "picked the video file"]),
    (C.image_as_mp4, VideoError, ["still picture (PNG)", "record a few seconds"]),
    (C.audio_only, VideoError, ["only a sound track", "Pick the video file"]),
    (C.folder, VideoError, ["is a folder", "path of a video"]),
    (C.missing, VideoError, ["not found", "Check the path"]),
]


@pytest.mark.usefixtures("empty_cache")
@pytest.mark.parametrize(
    ("make", "exc", "says"), UNREADABLE, ids=[m.__name__ for m, _, _ in UNREADABLE]
)
def test_unreadable_input_gives_a_clear_error(tmp_path, make, exc, says):
    path = make(tmp_path)
    for call in (Video, lambda p: rf.extract_pose(p, progress=False)):
        with pytest.raises(exc) as info:
            call(path)
        for fragment in says:
            assert fragment in str(info.value)
        assert info.value.__cause__ is None or isinstance(info.value.__cause__, OSError)
    # the cache holds nothing for inputs that never decoded
    cache = Path(os.environ["RUNFORM_CACHE_DIR"])
    assert not cache.exists() or not list(cache.glob("*.npz"))


MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


@settings(max_examples=200, deadline=None)
@given(
    body=st.binary(max_size=300),
    nest=st.lists(
        st.sampled_from(
            [
                b"moov",
                b"trak",
                b"mdia",
                b"meta",
                b"udta",
                b"hdlr",
                b"keys",
                b"ilst",
                b"data",
                b"\x00\x00\x00\x01",
            ]
        ),
        max_size=6,
    ),
)
def test_probe_never_raises_on_forged_containers(tmp_path_factory, body, nest):
    for kind in reversed(nest):
        body = box(kind, body)
    path = tmp_path_factory.mktemp("probe") / "forged.mp4"
    path.write_bytes(MP4_HEAD + body)
    probe = probe_file(path)
    assert probe.kind == "mp4"
    assert probe.capture_fps is None or 0 < probe.capture_fps <= 10000


def test_probe_survives_deep_nesting(tmp_path):
    body = b""
    for _ in range(5000):
        body = box(b"moov", body)
    path = tmp_path / "deep.mp4"
    path.write_bytes(MP4_HEAD + body)
    assert probe_file(path).kind == "mp4"
    with pytest.raises(VideoError):
        Video(path)


@settings(max_examples=15, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=2000),
    head=st.sampled_from([b"", MP4_HEAD, b"\x1aE\xdf\xa3", b"RIFF\x00\x00\x00\x00AVI "]),
)
def test_random_bytes_named_mp4_give_video_error(tmp_path_factory, data, head):
    path = tmp_path_factory.mktemp("rand") / "random.mp4"
    path.write_bytes(head + data)
    with pytest.raises(VideoError):
        Video(path)


def test_truncated_but_indexed_file_decodes_its_first_frames(tmp_path):
    path = C.truncated_mp4(tmp_path, faststart=True)
    with pytest.warns(RunformWarning, match="cut off"):
        vid = Video(path)
    assert vid.probe.truncated
    assert has(vid.info.notes, "cut off")
    decoded = sum(1 for _ in vid.frames())
    assert 0 < decoded < len(vid) == 60
    assert len(vid.timestamps()) == decoded
    with pytest.raises(VideoError, match="cannot be decoded"):
        vid.frame(len(vid) - 1)


@pytest.mark.parametrize(
    ("name", "codec", "args"),
    [
        (
            "iphone-hevc.mov",
            "HEVC (H.265)",
            (
                "-c:v",
                "libx265",
                "-pix_fmt",
                "yuv420p10le",
                "-tag:v",
                "hvc1",
                "-x265-params",
                "log-level=none",
            ),
        ),
        ("android-av1.mp4", "AV1", ("-c:v", "libaom-av1", "-cpu-used", "8", "-pix_fmt", "yuv420p")),
    ],
)
def test_phone_codecs_decode_or_say_which_codec(tmp_path, name, codec, args):
    """iPhones record HEVC, some Android phones AV1: read them, or name the codec and say
    how to convert (OpenCV 4.11's bundled FFmpeg reads HEVC but not AV1)."""
    path = C.write_video(tmp_path / name, C.pattern_frames(6, (320, 240)), 30.0, out_args=args)
    try:
        with Video(path) as vid:
            assert len(list(vid.frames())) == 6
    except VideoError as exc:
        assert f"holds {codec} video" in str(exc) and "Convert it to H.264" in str(exc)
        assert codec != "HEVC (H.265)", "iPhone clips must decode"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading; "
    "test_no_read_permission_emulated covers the message",
)
def test_no_read_permission(tmp_path):
    path = C.unreadable(tmp_path)
    with pytest.raises(VideoError, match="No permission to read"):
        Video(path)


def test_no_read_permission_emulated(tmp_path, monkeypatch):
    path = C.plain_video(tmp_path / "locked.mp4")
    real = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, *a, **k: False if str(p) == str(path) else real(p, mode, *a, **k),
    )
    with pytest.raises(VideoError, match=r"No permission to read .*change its permissions"):
        Video(path)


def test_spaces_and_non_ascii_in_the_path_work(tmp_path):
    path = C.awkward_name(tmp_path)
    with Video(path) as vid:
        assert (vid.info.width, vid.info.height, len(vid)) == (160, 120, 30)
        assert vid.frame(29).shape == (120, 160, 3)
        assert len(list(vid.frames())) == 30
        assert len(FrameCache(vid)) == 30
    with pytest.raises(PoseError, match="No person was detected"):  # decoded, just empty
        rf.extract_pose(path, progress=False)


@needs_person
def test_spaces_and_non_ascii_with_a_runner(tmp_path):
    folder = tmp_path / "Läufe 2024 – été" / "跑步 clip"
    folder.mkdir(parents=True)
    clip, _ = pose(C.person_video(folder / "Montag morgen ñ.mp4", N))
    assert clip.n_frames == N and clip.provenance["detection_rate"] > 0.9
    assert Path(clip.provenance["cache_file"]).is_file()


# ------------------------------------------------------------------ too little
def test_one_frame_video(tmp_path):
    path = C.one_frame(tmp_path)
    with Video(path) as vid:
        assert len(vid) == 1 and len(vid.timestamps()) == 1
    with pytest.raises(TooShortError, match=r"single frame.*Record a few seconds"):
        rf.extract_pose(path, progress=False)


def test_no_person_ever_detected(tmp_path):
    path = C.plain_video(tmp_path / "empty-track.mp4", n_frames=20, size=(320, 240))
    with pytest.raises(PoseError) as info:
        rf.extract_pose(path, progress=False)
    msg = str(info.value)
    assert "No person was detected in any of the 20 frames" in msg
    assert "from the side" in msg and "roi=" in msg


@needs_person
def test_person_in_only_a_few_frames(tmp_path):
    path = C.person_video(
        tmp_path / "few.mp4", N, transform=lambda i, f: f if 10 <= i < 14 else C.blank_like(f)
    )
    clip, warned = pose(path)
    assert clip.n_frames == N
    n_det = int(np.isfinite(clip.xy[:, :, 0]).any(axis=1).sum())
    assert 1 <= n_det <= 6
    msg = f"The runner was detected in only {n_det} of {N} frames"
    assert has(clip.quality, msg) and has(warned, msg)
    assert np.isnan(clip.xy[:8]).all()  # frames without a person are NaN, not zeros


@needs_person
def test_runner_entering_and_leaving(tmp_path):
    import cv2

    def enter(i, f):  # slides in from the left over 10 frames, leaves the last 6 empty
        h, w = f.shape[:2]
        if i >= N - 6:
            return C.blank_like(f)
        dx = int(min(0, (i - 10) / 10 * w * 0.9))
        return cv2.warpAffine(
            f, np.float32([[1, 0, dx], [0, 1, 0]]), (w, h), borderValue=(128, 128, 128)
        )

    clip, _ = pose(C.person_video(tmp_path / "enter.mp4", N, transform=enter))
    det = np.isfinite(clip.xy[:, :, 0]).any(axis=1)
    assert not det[-6:].any() and det[12 : N - 6].all()
    missing = int((~det).sum())
    assert has(clip.quality, f"No runner was found in {missing} of {N} frames")
    assert has(clip.quality, "entering or leaving the frame")
    assert has(clip.quality, "the last 6")


@needs_person
def test_feet_cut_off(tmp_path):
    path = C.person_video(
        tmp_path / "feet.mp4",
        N,
        transform=lambda i, f: np.ascontiguousarray(f[: int(f.shape[0] * 0.8) // 2 * 2]),
    )
    clip, warned = pose(path)
    assert has(clip.quality, "The feet are out of frame or hidden in")
    assert has(warned, "Film with the whole body, feet included, in frame")


# ------------------------------------------------------- awkward but valid
@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The upright person clip and its pose (computed once for the module)."""
    if C.person_source() is None:
        pytest.skip(C.NO_PERSON_REASON)
    d = tmp_path_factory.mktemp("reference")
    path = C.person_video(d / "upright.mp4", N)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunformWarning)
        clip = rf.extract_pose(path, progress=False, cache=False)
    return path, clip


@pytest.mark.parametrize("rotation", [90, 270, 180])
def test_rotated_phone_clip_frames_are_upright(tmp_path, rotation):
    upright, phone = C.rotated_phone_clip(tmp_path, n=6, rotation=rotation)
    with Video(upright) as ref, Video(phone) as vid:
        assert vid.info.rotation == rotation
        assert (vid.info.width, vid.info.height) == (ref.info.width, ref.info.height)
        assert vid.info.height > vid.info.width  # portrait, as the phone showed it
        for i in (0, 3):
            diff = np.abs(vid.frame(i).astype(int) - ref.frame(i)).mean()
            assert diff < 4, f"frame {i} differs from upright by {diff:.1f} grey levels"
        for (_, _, a), (_, _, b) in zip(vid.frames(), ref.frames(), strict=True):
            assert np.abs(a.astype(int) - b).mean() < 4
        small = FrameCache(vid, max_side=320).frame(2)
        assert small.shape[0] > small.shape[1]


@needs_person
def test_pose_on_rotated_phone_clip_finds_the_runner_upright(tmp_path, reference):
    _, ref = reference
    _, phone = C.rotated_phone_clip(tmp_path, n=N, rotation=90)
    clip, _ = pose(phone)
    assert (clip.width, clip.height) == (ref.width, ref.height)
    assert clip.provenance["rotation"] == 90
    nose, hip, ankle = (
        np.nanmedian(clip.xy[:, INDEX[n], 1]) for n in ("nose", "left_hip", "left_ankle")
    )
    assert nose < hip < ankle  # head up, feet down (y points down)
    err = np.nanmedian(np.linalg.norm(clip.xy - ref.xy, axis=2))
    assert err < 0.02 * clip.height


@needs_person
def test_sideways_clip_without_rotation_metadata_is_caught(tmp_path):
    """DESIGN.md pitfall: MediaPipe still "finds" a sideways runner; the result check
    says so."""
    path = C.sideways_without_metadata(tmp_path, N)
    with Video(path) as vid:
        assert vid.info.rotation == 0 and vid.info.width > vid.info.height
    clip, warned = pose(path)
    assert has(clip.quality, "The runner looks sideways")
    assert has(warned, "Turn it upright")


def test_variable_frame_rate_uses_real_timestamps(tmp_path):
    path = C.vfr_video(tmp_path / "vfr.mp4", n=40, split=20)
    with Video(path) as vid:
        t = vid.timestamps()
        times = np.array([ti for _, ti, _ in vid.frames()])
    assert len(t) == 40 and is_variable_rate(t)
    d = np.diff(t) * 1000
    assert d[:19] == pytest.approx(33.33, abs=1.5) and d[20:] == pytest.approx(16.67, abs=1.5)
    assert times == pytest.approx(t, abs=2e-3)
    assert t[-1] == pytest.approx(20 / 30 + 19 / 60, abs=2e-3)


@needs_person
def test_variable_frame_rate_pose_clip_keeps_real_times(tmp_path):
    path = C.vfr_video(tmp_path / "vfr-person.mp4", C.person_frames(N), split=15)
    clip, warned = pose(path)
    d = np.diff(clip.time) * 1000
    assert d[:14] == pytest.approx(33.33, abs=1.5) and d[15:] == pytest.approx(16.67, abs=1.5)
    assert clip.provenance["variable_frame_rate"] is True
    assert has(clip.quality, "Variable frame rate") and has(warned, "Variable frame rate")


def test_high_speed_240fps_file(tmp_path):
    path = C.write_video(tmp_path / "hs.mp4", C.pattern_frames(48), 240.0)
    with Video(path) as vid:
        assert vid.fps == vid.info.container_fps == pytest.approx(240)
        assert vid.info.capture_fps_source == "container"
        assert np.diff(vid.timestamps()) == pytest.approx(1 / 240, abs=1e-4)


def test_slow_motion_with_android_capture_rate_metadata(tmp_path):
    path = C.slow_motion(tmp_path / "slomo.mp4", n=48, container_fps=30, capture_fps=240)
    assert probe_file(path).capture_fps == 240
    with pytest.warns(RunformWarning, match="Slow-motion file: captured at 240 fps"):
        vid = Video(path)
    with vid:
        assert vid.fps == 240 and vid.info.container_fps == pytest.approx(30)
        assert vid.info.capture_fps_source == "metadata"
        assert vid.info.duration_s == pytest.approx(48 / 240)
        times = np.array([t for _, t, _ in vid.frames()])
        assert np.diff(times) == pytest.approx(1 / 240, abs=1e-4)
        assert np.diff(vid.timestamps()) == pytest.approx(1 / 240, abs=1e-4)
    # the user's word wins over the metadata
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with Video(path, capture_fps=120) as vid:
            assert vid.fps == 120 and vid.info.capture_fps_source == "user"


def test_normal_android_clip_metadata_is_not_slow_motion(tmp_path):
    path = C.slow_motion(tmp_path / "normal.mp4", n=10, container_fps=30, capture_fps=30.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with Video(path) as vid:
            assert vid.fps == pytest.approx(30) and vid.info.capture_fps_source == "container"


def test_slow_motion_without_metadata_needs_capture_fps(tmp_path):
    path = C.slow_motion(tmp_path / "exported.mp4", n=24, capture_fps=None)
    with Video(path) as vid:  # nothing in the file says it was slow motion
        assert vid.fps == pytest.approx(30) and vid.info.capture_fps_source == "container"
    with Video(path, capture_fps=240) as vid:
        assert vid.fps == 240 and vid.info.duration_s == pytest.approx(0.1)
        assert [round(t, 5) for _, t, _ in vid.frames(stop=3)] == [
            0,
            1 / 240,
            2 / 240,
        ] or np.allclose([t for _, t, _ in vid.frames(stop=3)], [0, 1 / 240, 2 / 240])
    for bad in (0, -30, float("nan"), float("inf"), "240"):
        with pytest.raises(InputError, match="capture_fps"):
            Video(path, capture_fps=bad)


def test_android_float_metadata_is_read():
    assert _metadata_number(23, np.float32(239.76).byteswap().tobytes()) == pytest.approx(
        239.76, rel=1e-6
    )
    assert _metadata_number(1, b"120") == 120
    assert _metadata_number(1, b"fast") is None
    assert _metadata_number(23, b"\x7f\x80\x00\x00") is None  # inf


@needs_person
def test_slow_motion_pose_clip_timing(tmp_path):
    path = C.slow_motion(
        tmp_path / "slomo-person.mp4", frames=C.person_frames(N), container_fps=30, capture_fps=240
    )
    clip, _ = pose(path)
    assert clip.fps == 240 and clip.frame_ms == pytest.approx(1000 / 240)
    assert clip.time == pytest.approx(np.arange(N) / 240)
    assert has(clip.quality, "Slow-motion file")
    assert not has(clip.quality, "contact and flight times are resolved only")


@needs_person
def test_low_frame_rate_is_flagged_for_timing(reference):
    _, clip = reference
    assert has(clip.quality, "At 30 fps one frame lasts 33 ms")


@pytest.mark.parametrize("size", [(3840, 2160), (160, 120)])
def test_4k_and_tiny_frames_open(tmp_path, size):
    path = C.plain_video(tmp_path / "v.mp4", n_frames=8, size=size)
    with Video(path) as vid:
        assert (vid.info.width, vid.info.height) == size
        assert vid.frame(7).shape == (size[1], size[0], 3)
        cache = FrameCache(vid, max_side=640)
        assert max(cache.frame(3).shape[:2]) <= 640


@needs_person
def test_pose_on_4k_frames(tmp_path, reference):
    import cv2

    _, ref = reference
    path = C.person_video(
        tmp_path / "4k.mp4",
        20,
        transform=lambda i, f: cv2.resize(
            f, (f.shape[1] * 3, f.shape[0] * 3), interpolation=cv2.INTER_LINEAR
        ),
    )
    clip, _ = pose(path)
    assert clip.width == 3 * ref.width and clip.height == 3 * ref.height
    assert clip.provenance["detection_rate"] == 1.0
    err = np.nanmedian(np.linalg.norm(clip.xy / 3 - ref.xy[:20], axis=2))
    assert err < 0.02 * ref.height


@needs_person
def test_pose_on_160x120_frames(tmp_path):
    import cv2

    def small(i, f):
        h, w = f.shape[:2]
        g = cv2.resize(f, (round(w * 120 / h) // 2 * 2, 120), interpolation=cv2.INTER_AREA)
        out = np.full((120, 160, 3), 128, np.uint8)
        x0 = (160 - g.shape[1]) // 2
        out[:, x0 : x0 + g.shape[1]] = g
        return out

    clip, _ = pose(C.person_video(tmp_path / "tiny.mp4", N, transform=small))
    assert (clip.width, clip.height) == (160, 120)
    # a 120-pixel-tall runner is still found in most frames; missing ones are reported
    assert clip.provenance["detection_rate"] > 0.5
    assert np.nanmax(clip.xy[:, :, 1]) < 130


@needs_person
def test_right_to_left_runner_flips_direction_not_angles(tmp_path, reference):
    import cv2

    _, ref = reference
    flipped, _ = pose(
        C.person_video(tmp_path / "flip.mp4", N, transform=lambda i, f: cv2.flip(f, 1))
    )
    a = ref.clean().oriented()
    b = flipped.clean().oriented()
    assert {a.direction, b.direction} == {"left", "right"}
    assert a.near_side != b.near_side  # the mirror image shows the other side
    ta, tb = a.angles(), b.angles()
    near, mirror = a.near_side, b.near_side
    for angle in ("knee_flexion", "thigh_angle", "hip_flexion", "shank_angle"):
        da = ta[f"{near}_{angle}_deg"] - tb[f"{mirror}_{angle}_deg"]
        assert np.nanmedian(np.abs(da)) < 5, angle
    assert np.nanmedian(np.abs(ta["trunk_lean_deg"] - tb["trunk_lean_deg"])) < 3


@needs_person
def test_panning_camera(tmp_path, reference):
    """A camera that pans moves the whole picture: angles are unaffected, but image motion
    is read as travel. Documented limitation: a pan as fast as running looks like an
    overground runner moving with the pan, so the direction must then be given."""
    import cv2

    _, ref = reference

    def pan(i, f):  # the picture moves 12 px per frame (~1 leg length per second) right
        h, w = f.shape[:2]
        return cv2.warpAffine(
            f, np.float32([[1, 0, 12 * i - 170], [0, 1, 0]]), (w, h), borderMode=cv2.BORDER_REFLECT
        )

    clip, _ = pose(C.person_video(tmp_path / "pan.mp4", N, transform=pan))
    a, b = ref.clean().oriented(), clip.clean().oriented()
    assert a.direction == "left" and a.treadmill
    assert b.direction == "right" and not b.treadmill  # fooled by the pan
    fixed = clip.clean().oriented(direction="left", treadmill=True)
    ta, tb = a.angles(), fixed.angles()
    # MediaPipe's temporal smoothing sees a moving picture: a few degrees more spread
    for angle in ("left_knee_flexion_deg", "left_thigh_angle_deg", "trunk_lean_deg"):
        assert np.nanmedian(np.abs(ta[angle] - tb[angle])) < 8, angle


@needs_person
def test_two_people_warned_without_roi_and_picked_with_roi(tmp_path):
    import cv2

    path = C.person_video(
        tmp_path / "two.mp4", N, transform=lambda i, f: np.hstack([f, cv2.flip(f, 1)])
    )
    clip, warned = pose(path)
    assert has(warned, "Another person may be in the frame")
    assert has(clip.quality, "Pass roi=(x0, y0, x1, y1) around the runner")
    assert "other_person" in {q.code for q in clip.quality}
    w = clip.width // 2
    right, _ = pose(path, roi=(w, 0, 2 * w, clip.height))
    assert np.nanmin(right.xy[:, :, 0]) >= w
    assert not has(right.quality, "Another person")
    assert list(right.provenance["other_people_found"]) == [0, 0]


@needs_person
def test_one_person_is_not_reported_as_two(reference):
    _, clip = reference
    found, checked = clip.provenance["other_people_found"]
    assert checked >= 2 and found == 0
    assert not has(clip.quality, "Another person")


# ---------------------------------------------------------------- command line
CLI_CASES = [
    (C.zero_byte, "empty (0 bytes)"),
    (C.text_as_mp4, "text file"),
    (C.missing, "not found"),
    (C.one_frame, "single frame"),
]


@pytest.mark.parametrize(("make", "says"), CLI_CASES, ids=[m.__name__ for m, _ in CLI_CASES])
def test_cli_reports_bad_input_without_traceback(tmp_path, capsys, make, says):
    code = cli.main(["analyze", str(make(tmp_path)), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("runform: error: ") and says in err
    assert "Traceback" not in err


def test_cli_subprocess_no_traceback(tmp_path):
    path = C.image_as_mp4(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run(
        [sys.executable, "-m", "runform", "analyze", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert res.returncode == 2, res.stderr
    assert "runform: error: photo.mp4 is a still picture (PNG)" in res.stderr
    assert "Traceback" not in res.stderr


# ------------------------------------------------------- quality notes, exactly
@pytest.fixture
def sim_clip():
    from runform.model import simulate

    clip = simulate(fps=120, duration_s=1.0).to_clip()
    return clip.replace(depth=None)


def test_quality_notes_clean_input_says_nothing(sim_clip):
    from runform.quality import check_clip

    assert check_clip(sim_clip) == []  # 120 fps: even single contacts can be timed


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        ("low_visibility", "low_visibility", "Low landmark confidence (median visibility 0.30"),
        ("far_leg", "far_foot", "The right foot is much less visible than the left foot"),
        ("sideways", "sideways", "The runner looks sideways"),
        ("upside_down", "upside_down", "The runner looks upside down"),
        ("off_edge", "body_cut_off", "Part of the body is outside the frame in 100%"),
        ("no_feet", "feet_hidden", "The feet are out of frame or hidden in 100%"),
        ("fps30", "timing_fps", "At 30 fps one frame lasts 33 ms"),
        (
            "gaps",
            "frames_without_runner",
            "No runner was found in 10 of 120 frames (the first 10 frames",
        ),
        ("few", "low_detection", "The runner was detected in only 20 of 120 frames"),
    ],
)
def test_quality_notes_each_problem(sim_clip, change, code, says):
    from runform.quality import check_clip

    c = sim_clip
    xy, vis = c.xy.copy(), c.visibility.copy()
    h = c.height
    if change == "low_visibility":
        vis[:] = 0.3
    elif change == "far_leg":
        for j in ("ankle", "heel", "foot_index"):
            vis[:, INDEX[f"right_{j}"]] = 0.5
    elif change == "sideways":
        xy = np.stack([h - xy[..., 1], xy[..., 0]], axis=-1)
    elif change == "upside_down":
        xy[..., 1] = h - xy[..., 1]
    elif change == "off_edge":
        xy[..., 0] += c.width
    elif change == "no_feet":
        for s in ("left", "right"):
            for j in ("ankle", "heel", "foot_index"):
                vis[:, INDEX[f"{s}_{j}"]] = 0.1
    elif change == "gaps":
        xy[:10] = np.nan
    elif change == "few":
        xy[20:] = np.nan
    c = c.replace(
        xy=xy,
        visibility=vis,
        fps=30.0 if change == "fps30" else c.fps,
        time=c.time * (4 if change == "fps30" else 1),
    )
    notes = check_clip(c)
    assert has(notes, says), notes
    assert code in {n.code for n in notes}
    assert all(n.fix for n in notes), "every check says what to change when filming again"
    assert len(notes) <= 3


def test_bad_arguments_are_input_errors(tmp_path):
    path = C.plain_video(tmp_path / "v.mp4", n_frames=4)
    for bad in (0, -3, 2.5, True, "10"):
        with pytest.raises(InputError, match="max_frames"):
            rf.extract_pose(path, max_frames=bad, progress=False)
    for roi in ((0, 0, 10, 10), (1, 2, 3), "left"):
        with pytest.raises(InputError, match=r"roi|region of interest"):
            rf.extract_pose(path, roi=roi, progress=False)
    with pytest.raises(InputError, match="between 0 and 1"):
        rf.extract_pose(path, min_detection_confidence=2, progress=False)
    with Video(path) as vid, pytest.raises(InputError, match="opened Video"):
        rf.extract_pose(vid, capture_fps=240, progress=False)
