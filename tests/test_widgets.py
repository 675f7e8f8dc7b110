"""Widgets driven headless: set sliders, read back frames, cursors, overlays and readouts.

A simulated runner (``runform.model.demo_clip``: known angles and exact events, with a
small mannequin video from ``runform.skeleton_video``) stands in for MediaPipe, so these
tests take seconds.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import ipywidgets  # noqa: F401  (a core dependency: fail, never skip, if it is missing)
import numpy as np
import pytest

import runform as rf
from runform import overlay as O
from runform import plots as PL
from runform import widgets as W
from runform.clean import clean
from runform.geometry import three_point_angle
from runform.landmarks import INDEX
from runform.model import RunnerParams, demo_clip, simulate
from runform.skeleton_video import render_skeleton_video
from runform.video import Video
from runform.widgets import FrameCache
from runform.widgets._base import AUTO_WINDOW_S
from runform.widgets._cursor import CursorPlot


@dataclass(frozen=True)
class Runner:
    clip: rf.Clip
    video: Path
    events: object


def make_runner(folder, n_frames=64, width=320, height=240, fps=30.0, **kw) -> Runner:
    clip, events = demo_clip(n_frames=n_frames, width=width, height=height, fps=fps, **kw)
    video = render_skeleton_video(clip.xy, Path(folder) / "runner.mp4", fps, (width, height))
    return Runner(clip, video, events)


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    return make_runner(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def cache(runner):
    return FrameCache(Video(runner.video))


@pytest.fixture()
def player(runner, cache):
    return W.FramePlayer(runner.clip, cache, events=runner.events)


def decode(data: bytes) -> np.ndarray:
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert img is not None, "widget image is not a decodable JPEG/PNG"
    return img


def readout_text(widget) -> str:
    return re.sub(r"<[^>]+>", "", widget.value)


# ------------------------------------------------------------------- demo data
def test_demo_angles_are_runforms_angles(runner):
    """The demo clip is the model projected side-on, so runform's angles equal the truth."""
    table = runner.clip.angles()
    truth = simulate(RunnerParams(), fps=30.0, duration_s=64 / 30.0).truth_table()
    for name in ("thigh_angle", "knee_flexion", "ankle_dorsiflexion", "shank_angle"):
        np.testing.assert_allclose(table[f"left_{name}_deg"], truth[f"left_{name}_deg"], atol=1e-6)
    assert list(runner.events.columns[:5]) == ["foot", "ic_frame", "to_frame", "ic_s", "to_s"]
    first = runner.events.iloc[0]
    assert first.foot == "right" and first.ic_frame == 3  # first contact at 0.1 s, 30 fps


def test_demo_video_matches_clip(runner):
    with Video(runner.video) as v:
        assert (v.info.width, v.info.height, len(v)) == (320, 240, runner.clip.n_frames)


# -------------------------------------------------------------- frame player
def test_slider_changes_frame_image_and_readout(player):
    first = player.image.value
    assert player.frame == 0 and "frame 0 /" in readout_text(player.readout)
    player.slider.value = 17
    assert player.frame == 17
    assert "frame 17 / 63" in readout_text(player.readout)
    assert "0.567 s" in readout_text(player.readout)
    assert player.image.value != first
    assert decode(player.image.value).shape == (240, 320, 3)


def test_cursor_follows_slider(player):
    xs = []
    for i in (0, 20, 40, 63):
        player.slider.value = i
        xs.append(player.cursor_px)
        assert player.cursor_px == pytest.approx(player._cursor.x_to_px(player.clip.time[i]))
        plot = decode(player.plot.value)
        col = int(np.rint(player.cursor_px))
        rows = slice(player._cursor.top + 5, player._cursor.bottom - 5)
        # the cursor column is dark over the whole height of the axes
        assert np.median(plot[rows, col].mean(axis=1)) < 80
    assert np.all(np.diff(xs) > 0)


def test_overlay_is_drawn_at_the_joints(player):
    player.show_arcs.value = False  # arcs and labels are checked below
    player.slider.value = 30
    pts = player.overlay_points()
    np.testing.assert_allclose(pts, player.clip.xy[30] * player.cache.scale)
    img = player.render_frame(30)
    raw = player.cache.frame(30)
    for joint in ("left_knee", "left_ankle", "left_hip"):
        x, y = np.rint(pts[INDEX[joint]]).astype(int)
        assert img[y, x].min() > 200, f"{joint}: no white joint dot"
    # middle of the near shank carries the near-leg colour (blue in BGR)
    mid = np.rint((pts[INDEX["left_knee"]] + pts[INDEX["left_ankle"]]) / 2).astype(int)
    b, _g, r = img[mid[1], mid[0]].astype(int)
    assert b > r + 100
    assert not np.array_equal(img, raw)
    # a low-visibility far toe gets a red ring, drawn around (not on) the point
    vis = player.clip.visibility[:, INDEX["right_foot_index"]]
    low, high = np.flatnonzero(vis < 0.5)[0], np.flatnonzero(vis >= 0.5)[0]
    for i, ringed in ((low, True), (high, False)):
        img = player.render_frame(i)
        ring = _ring_pixels(img, player.overlay_points(i)[INDEX["right_foot_index"]], 7)
        red = ((ring[:, 2] > 150) & (ring[:, 0] < 120)).mean()
        assert (red > 0.2) if ringed else (red < 0.1), (i, red)


def _ring_pixels(img, centre, radius):
    a = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    xs = np.clip(np.rint(centre[0] + radius * np.cos(a)).astype(int), 0, img.shape[1] - 1)
    ys = np.clip(np.rint(centre[1] + radius * np.sin(a)).astype(int), 0, img.shape[0] - 1)
    return img[ys, xs].astype(int)


def test_angle_labels_and_arcs_follow_the_frame(player):
    table = player.table
    seen = set()
    for i in (5, 12, 40):
        player.slider.value = i
        text = readout_text(player.readout)
        for name, label in O.ANGLE_LABELS.items():
            value = table[f"left_{name}_deg"].iloc[i]
            assert f"{label} {value:+.1f}°" in text
        arcs = player.arcs
        assert set(arcs) == {"ankle", "knee", "hip"}
        for joint, arc in arcs.items():
            value = table[f"left_{O.ARC_ANGLE[joint]}_deg"].iloc[i]
            assert abs(arc.sweep_deg) == pytest.approx(abs(value), abs=1e-6)
        seen.add(text)
    assert len(seen) == 3
    player.show_arcs.value = False
    assert player.arcs == {}


def test_step_and_event_jumps(player, runner):
    ev = runner.events
    player.slider.value = 3
    player.step(1)
    assert player.frame == 4
    player.step(-10)
    assert player.frame == 0
    player.jump_to("ic", 1)
    assert player.frame == ev.ic_frame[ev.ic_frame > 0].min()
    player.jump_to("to", 1)
    assert player.frame == ev.to_frame[ev.to_frame > ev.ic_frame[ev.ic_frame > 0].min()].min()
    player.slider.value = 63
    player.jump_to("ic", -1)
    assert player.frame == ev.ic_frame.max()
    assert "IC" in readout_text(player.readout)


def test_jump_near_leg_only(runner, cache):
    p = W.FramePlayer(runner.clip, cache, events=runner.events, jump="near")
    ev = runner.events
    left = ev[ev.foot == "left"].ic_frame.to_list()
    right = ev[ev.foot == "right"].ic_frame.to_list()
    assert right[0] < left[0]  # a right (far) IC comes first and must be skipped
    p.jump_to("ic", 1)
    assert p.frame == left[0]


def test_click_on_plot_moves_slider(player):
    target = player.clip.time[45]
    px = player._cursor.x_to_px(target)
    player.click_plot(px)
    assert player.frame == 45
    player._on_plot_event(
        {
            "type": "click",
            "dataX": player._cursor.x_to_px(player.clip.time[10]),
            "dataY": player._cursor.top + 10,
        }
    )
    assert player.frame == 10
    # a move without the button pressed does nothing; clicks outside the axes neither
    player._on_plot_event({"type": "mousemove", "buttons": 0, "dataX": px, "dataY": 50})
    player._on_plot_event({"type": "click", "dataX": 1, "dataY": 1})
    assert player.frame == 10


def test_playback_speed_sets_interval(player):
    player.speed.value = 0.25
    assert (player.play.step, player.play.interval) == (1, 133)
    player.speed.value = 1.0  # 33 ms is below the 40 ms floor: show every 2nd frame
    assert (player.play.step, player.play.interval) == (2, 67)


def test_plot_angles_can_be_changed(player):
    before = player.plot.value
    player.choose.value = ("knee_flexion",)
    assert len(player._cursor.axes) == 1 and player.plot.value != before


def test_without_events(runner, cache):
    p = W.FramePlayer(runner.clip, cache, events=False)
    assert p.events is None
    p.slider.value = 5
    assert "left (near): ?" in readout_text(p.readout)
    p.jump_to("ic", 1)
    assert p.frame == 5


def test_odd_clips_still_play(tmp_path):
    clip, events = demo_clip(n_frames=3, width=160, height=120)
    assert events.empty
    video = render_skeleton_video(clip.xy, tmp_path / "short.mp4", 30.0, (160, 120))
    p = W.FramePlayer(clip.replace(near_side=None), video, events=events)
    p.slider.value = 2
    assert "frame 2</b> / 2" in p.readout.value
    unknown = clip.replace(xy=np.full_like(clip.xy, np.nan))
    p = W.FramePlayer(unknown, video, events=False)
    p.slider.value = 1
    assert p.arcs == {} and "angles unknown" in readout_text(p.readout)
    with pytest.raises(Exception, match="speed must be"):
        W.FramePlayer(clip, video, events=False, speed=3.0)


def test_events_are_checked(runner, cache):
    with pytest.raises(Exception, match="lacks columns"):
        W.FramePlayer(runner.clip, cache, events=runner.events.drop(columns="to_s"))


def test_long_clip_plot_window_scrolls_with_cursor(tmp_path):
    clip, events = demo_clip(n_frames=600, width=160, height=120)
    video = render_skeleton_video(clip.xy, tmp_path / "long.mp4", 30.0, (160, 120))
    p = W.FramePlayer(clip, video, events=events)
    assert p.window.value == AUTO_WINDOW_S
    cp = p._cursor
    shown = cp.width
    assert cp.xlim[0] == 0 and cp.xlim[1] - cp.xlim[0] == pytest.approx(AUTO_WINDOW_S, rel=0.01)
    assert decode(p.plot.value).shape[1] == shown
    p.slider.value = 300  # 10 s: the window is centred on the cursor
    lo, hi = cp.xlim
    assert (lo + hi) / 2 == pytest.approx(10.0, abs=0.05)
    assert p.cursor_px == pytest.approx(cp.x_to_px(10.0))
    assert abs(p.cursor_px - (cp._left + cp._inner / 2)) <= 1.5
    assert decode(p.plot.value).shape[1] == shown
    p.click_plot(cp.x_to_px(12.0))
    assert p.frame == 360
    p.slider.value = 599  # the window stops at the end of the clip
    assert cp.xlim[1] == pytest.approx(clip.time[599], abs=0.05)
    p.window.value = 0.0  # whole clip
    assert p._cursor.xlim == pytest.approx((0, clip.time[599]))


def test_repaint_is_fast(player):
    times = []
    for i in list(range(64)) * 3:
        t0 = time.perf_counter()
        player.slider.value = i
        times.append(time.perf_counter() - t0)
    assert np.percentile(times, 95) < 0.05  # the benchmark checks 30 ms on a 720p clip


# ---------------------------------------------------------------- compare view
def test_compare_two_strides_aligned_at_ic(player, runner):
    view = W.CompareView(player, player, stride_a=0, stride_b=1)
    left = runner.events[runner.events.foot == "left"].ic_frame.to_list()
    assert view.frames == (left[0], left[1])
    view.slider.value = 100
    assert view.frames == (left[1], left[2])
    view.slider.value = 50
    assert view.frames == tuple(
        int(np.rint((a + b) / 2)) for a, b in ((left[0], left[1]), (left[1], left[2]))
    )
    # same runner, same gait: the curves agree (up to where 30 fps frames fall in each
    # cycle) and TO lands at the same %; half a cycle out of step they would not
    a, b = view._curves[0]["knee_flexion"], view._curves[1]["knee_flexion"]
    assert np.mean(np.abs(a - b)) < 2.5
    assert np.mean(np.abs(a - np.roll(b, 50))) > 20
    assert view.toe_off[0] == pytest.approx(view.toe_off[1], abs=5)
    assert "50 % of the gait cycle" in readout_text(view.readout)


def test_compare_two_clips(tmp_path, player, runner):
    other = make_runner(tmp_path, direction="right")
    view = W.CompareView(
        player,
        other.clip,
        video_b=other.video,
        events_b=other.events,
        labels=("facing left", "facing right"),
    )
    assert view.feet == ["left", "right"]
    left_ic = runner.events[runner.events.foot == "left"].ic_frame.to_list()
    right_ic = other.events[other.events.foot == "right"].ic_frame.to_list()
    assert view.frames == (left_ic[0], right_ic[0])
    first = [im.value for im in view.images]
    plot = view.plot.value
    view.slider.value = 30
    assert [im.value for im in view.images] != first and view.plot.value != plot
    # the plot cursor sits at 30 % on the shared x axis
    assert view._cursor.x_to_px(30) > view._cursor.x_to_px(0)


def test_compare_needs_events(runner, cache):
    p = W.FramePlayer(runner.clip, cache, events=False)
    with pytest.raises(Exception, match="no complete gait cycle"):
        W.CompareView(p, p)
    with pytest.raises(Exception, match="stride 9 does not exist"):
        W.CompareView(
            W.FramePlayer(runner.clip, cache, events=runner.events),
            W.FramePlayer(runner.clip, cache, events=runner.events),
            stride_b=9,
        )


# ------------------------------------------------------------------ goniometer
def test_goniometer_known_angle(runner, player):
    g = W.Goniometer(runner.clip, player, frame=12)
    g.set_points((100, 50), (100, 150), (200, 150))
    assert g.angle_deg == pytest.approx(90.0)
    assert g.hand_value == pytest.approx(90.0)  # knee flexion = 180 - ABC
    g.set_points(
        (0, 0), (100, 0), (100 + 100 * np.cos(np.radians(30)), 100 * np.sin(np.radians(30)))
    )
    assert g.angle_deg == pytest.approx(150.0)
    assert "ABC = 150.0°" in readout_text(g.readout)


def test_goniometer_snaps_to_landmarks_and_agrees(runner, player):
    g = W.Goniometer(runner.clip, player, frame=12)
    # the point sliders quantise positions, hence 0.01°
    assert g.hand_value == pytest.approx(g.runform_value, abs=0.01)
    text = readout_text(g.readout)
    assert f"runform (left): {g.runform_value:.1f}°" in text
    g.which.value = "hip_flexion"
    assert g.hand_value == pytest.approx(abs(g.runform_value), abs=0.01)
    g.which.value = "ankle_dorsiflexion"  # arm parallel to the sole: same definition
    assert g.hand_value == pytest.approx(g.runform_value, abs=0.01)
    g.set_points(g.points[0], g.points[1], runner.clip.xy[12, INDEX["left_foot_index"]])
    assert abs(g.hand_value - g.runform_value) > 5  # an arm to the toe tip reads differently
    before = g.image.value
    g.frame_slider.value = 30
    assert g.points[1] == pytest.approx(tuple(runner.clip.xy[30, INDEX["left_ankle"]]))
    assert g.image.value != before


def test_goniometer_clicks_place_points(runner, player):
    g = W.Goniometer(runner.clip, player, frame=0)
    s = g.cache.scale
    for xy in ((10, 20), (110, 20), (110, 120)):
        g.click(xy[0] * s, xy[1] * s)
    assert g.points == [(10, 20), (110, 20), (110, 120)]
    assert g.angle_deg == pytest.approx(90.0)
    assert g.active.value == "A"


# ------------------------------------------------------------- filter explorer
@pytest.fixture(scope="module")
def noisy():
    clip, _ = demo_clip(n_frames=120, width=640, height=480, noise_px=2.0, seed=3)
    return clean(clip, cutoff_hz=None).oriented()


def test_filter_explorer_changes_with_cutoff(noisy):
    fe = W.FilterExplorer(noisy)
    assert fe.cutoff == 6.0 and 1.0 < fe.suggested_hz < 12.0
    png6, peak6 = fe.image.value, fe.peak_filtered
    fe.slider.value = 2.0
    assert fe.image.value != png6
    assert fe.peak_filtered < peak6 < fe.peak_raw
    fe.slider.value = fe.slider.max
    assert fe.peak_filtered != pytest.approx(peak6, abs=0.1)
    text = readout_text(fe.readout)
    assert "peak left ankle dorsiflexion" in text and f"{fe.peak_raw:.1f}°" in text
    assert decode(fe.image.value).shape[1] == 720


def test_filter_explorer_point_and_angle(noisy):
    fe = W.FilterExplorer(noisy, point="heel", angle="knee_flexion")
    fe.point.value = "knee"
    fe.coordinate.value = "x"
    assert "knee flexion" in readout_text(fe.readout)
    fe.angle.value = "trunk_lean"
    assert "trunk lean" in readout_text(fe.readout)


# ---------------------------------------------------------------- display only
def test_three_point_angle():
    assert three_point_angle((1, 0), (0, 0), (0, 1)) == pytest.approx(90)
    assert three_point_angle((1, 0), (0, 0), (-1, 0)) == pytest.approx(180)
    assert np.isnan(three_point_angle((0, 0), (0, 0), (1, 0)))


def test_cursor_plot_round_trip():
    fig, axes = PL.compare_figure(
        np.arange(101.0), [{"knee_flexion": np.arange(101.0)}], ["knee_flexion"]
    )
    cp = CursorPlot(fig, axes)
    for x in (0.0, 37.5, 100.0):
        assert cp.px_to_x(cp.x_to_px(x)) == pytest.approx(x)
    assert cp.x_to_px(100) - cp.x_to_px(0) > 0.7 * cp.width
    # the trace y = x passes through the dot drawn at (50, 50)
    img = cp.draw(50.0, [50.0])
    y = int(np.rint(cp.y_to_px(0, 50.0)))
    assert img[y, int(np.rint(cp.x_to_px(50)))].max() < 60


def test_draw_skeleton_handles_missing_points():
    img = np.zeros((100, 100, 3), np.uint8)
    xy = np.full((33, 2), np.nan)
    O.draw_skeleton(img, xy, np.zeros(33), near_side="left")
    assert img.max() == 0


def test_filter_explorer_view_window(noisy):
    fe = W.FilterExplorer(noisy, view_s=1.0)
    lo, hi = fe.view.value
    assert hi - lo == pytest.approx(1.0, abs=0.11)
    peak_t = noisy.time[int(np.nanargmax(fe.raw_angles["left_ankle_dorsiflexion_deg"]))]
    assert lo - 0.1 <= peak_t <= hi + 0.1
    before = fe.image.value
    fe.view.value = (0.0, 3.0)
    assert fe.image.value != before


# ------------------------------------------------------------------- real clip
@pytest.mark.slow
def test_player_on_the_real_clip(real_clip_path):
    import warnings

    from runform.errors import RunformWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RunformWarning)
        result = rf.analyze(real_clip_path)
        p = W.FramePlayer(result)
    assert len(p.events) == len(result.events) > 10  # the analysis's own events
    assert p.cache.scale == pytest.approx(0.5)
    assert decode(p.image.value).shape == (640, 360, 3)
    p.jump_to("ic", 1)
    assert p.frame in set(p.events.ic_frame) and "IC" in readout_text(p.readout)
    for i in (50, 200, 359):
        p.slider.value = i
        pts = p.overlay_points()[[INDEX[f"left_{j}"] for j in ("hip", "knee", "ankle")]]
        assert np.all((pts >= 0) & (pts <= [360, 640]))
    assert set(p.arcs) == {"ankle", "knee", "hip"}
    view = W.CompareView(p, p, stride_a=0, stride_b=2)
    assert view.frames == (view.cycles[0][0], view.cycles[1][0])
