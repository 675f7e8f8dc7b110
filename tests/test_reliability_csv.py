"""Fuzzing of the keypoints-CSV reader and of the numeric core with hypothesis.

Contract: :func:`runform.read_keypoints_csv` returns a valid :class:`Clip` or raises
:class:`InputError`, whatever the file holds; the numeric functions of
:mod:`runform.clean` and :mod:`runform.kinematics` accept NaN, inf, empty and constant
input without an unexpected exception and never turn finite input into inf.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from runform import Clip, InputError, read_keypoints_csv
from runform.clean import fill_gaps, filter_signal, residual_analysis
from runform.kinematics import sagittal_angles
from runform.landmarks import NAMES

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

COLUMNS = [
    "left_heel_x",
    "left_heel_y",
    "left_heel_visibility",
    "right_knee_x",
    "right_knee_y",
    "left_foot_index_x",
    "left_foot_index_y",
    "time",
    "time_s",
    " Left_Heel_X ",
    "nose_x",
    "junk",
    "",
    "left_heel_z",
    "x",
    "_y",
]
CELLS = [
    "",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1e400",
    "abc",
    "0",
    "1",
    "-5",
    "3.5",
    "1e12",
    "12,5",
    '"7"',
    "0x1A",
    "True",
    " 4 ",
    "1e-300",
    "99999999999999999999999",
]


def check_clip(clip: Clip) -> None:
    """Invariants every clip must hold."""
    assert isinstance(clip, Clip)
    n = clip.n_frames
    assert clip.xy.shape == (n, 33, 2) and clip.visibility.shape == (n, 33)
    assert not np.isinf(clip.xy).any()
    assert np.isfinite(clip.visibility).all()
    assert ((clip.visibility >= 0) & (clip.visibility <= 1)).all()
    assert np.isfinite(clip.time).all() and np.all(np.diff(clip.time) > 0)
    assert math.isfinite(clip.fps) and clip.fps > 0
    assert clip.width >= 1 and clip.height >= 1


def read_or_input_error(path, **kw):
    try:
        clip = read_keypoints_csv(path, **kw)
    except InputError as exc:
        assert str(exc)  # a message, never empty
        return None
    check_clip(clip)
    return clip


@FUZZ
@given(
    header=st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=7),
    rows=st.lists(
        st.lists(
            st.one_of(st.sampled_from(CELLS), st.floats(allow_nan=True).map(repr)),
            min_size=0,
            max_size=8,
        ),
        max_size=8,
    ),
    fps=st.sampled_from(
        [None, 30, 30.0, 0, -1, float("nan"), float("inf"), 1e9, np.float64(50.0), True, "30"]
    ),
    sep=st.sampled_from([",", ";"]),
)
def test_csv_structured_fuzz(tmp_path, header, rows, fps, sep):
    path = tmp_path / "k.csv"
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read_or_input_error(path, fps=fps)


@FUZZ
@given(text=st.text(max_size=400))
def test_csv_random_text(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    read_or_input_error(path, fps=30)


@FUZZ
@given(data=st.binary(max_size=400))
def test_csv_random_bytes(tmp_path, data):
    path = tmp_path / "b.csv"
    path.write_bytes(b"left_heel_x,left_heel_y\n" + data)
    read_or_input_error(path, fps=30)


# ----------------------------------------------------------- exact outcomes
def write(tmp_path, text, name="k.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "kw", "says"),
    [
        ("", {"fps": 30}, "empty"),
        ("time,junk\n0,1\n", {}, "no landmark columns"),
        ("left_heel_x,left_heel_y\n", {"fps": 30}, "no rows"),
        ("left_heel_x,left_heel_y\nabc,\nnan,inf\n", {"fps": 30}, "no numeric positions"),
        ("left_heel_x\n1\n", {"fps": 30}, "left_heel_y is missing"),
        ("left_heel_x,left_heel_y\n1,2\n", {}, "fps=..."),
        ("time,left_heel_x,left_heel_y\n0,1,2\n", {}, "single row"),
        ("time,left_heel_x,left_heel_y\n0,1,2\n0,1,2\n", {}, "strictly increasing"),
        ("time,left_heel_x,left_heel_y\n0,1,2\n,1,2\n", {}, "strictly increasing"),
        ("time,left_heel_x,left_heel_y\n0,1,2\n33,1,2\n66,1,2\n", {}, "milliseconds"),
        ("left_heel_x,left_heel_y\n1,2\n3,4\n", {"fps": 0}, "frames per second"),
        ("left_heel_x,left_heel_y\n1,2\n3,4\n", {"fps": float("nan")}, "frames per second"),
        ("left_heel_x,left_heel_y\n1,2\n3,1e12\n", {"fps": 30}, "pixels"),
        ("left_heel_x,LEFT_HEEL_X,left_heel_y\n1,2,3\n", {"fps": 30}, "more than once"),
    ],
)
def test_csv_errors_say_what_to_do(tmp_path, text, kw, says):
    with pytest.raises(InputError, match=says):
        read_keypoints_csv(write(tmp_path, text), **kw)


def test_csv_binary_and_missing_and_folder(tmp_path):
    img = tmp_path / "photo.csv"
    img.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary file"):
        read_keypoints_csv(img, fps=30)
    with pytest.raises(InputError, match="not found"):
        read_keypoints_csv(tmp_path / "nope.csv", fps=30)
    with pytest.raises(InputError, match="folder"):
        read_keypoints_csv(tmp_path, fps=30)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("left_heel_x,left_heel_y\n1,2\n\xe9\xe9,3\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_keypoints_csv(latin, fps=30)


def test_csv_real_world_quirks_are_read(tmp_path):
    """Excel's byte-order mark, capitals and spaces in names, ';' with decimal commas."""
    bom = tmp_path / "excel.csv"
    bom.write_bytes(
        "\ufeffTime , Left_Heel_X,left_heel_y\n0,1,2\n0.02,1.5,2\n0.04,inf,2\n".encode()
    )
    clip = read_keypoints_csv(bom)
    check_clip(clip)
    assert clip.fps == pytest.approx(50)
    assert np.isnan(clip.point("left_heel")[2]).all()  # inf is an unknown position
    eu = write(tmp_path, "time;left_heel_x;left_heel_y\n0;1,5;2\n0,1;2,5;3\n", "eu.csv")
    clip = read_keypoints_csv(eu)
    assert clip.fps == pytest.approx(10)
    assert clip.point("left_heel")[:, 0] == pytest.approx([1.5, 2.5])


# ----------------------------------------------------------- numeric core
signals = hnp.arrays(
    float,
    st.integers(0, 80),
    elements=st.one_of(st.floats(-1e6, 1e6), st.sampled_from([np.nan, np.inf, -np.inf])),
)
constant = st.builds(lambda v, n: np.full(n, v), st.floats(-1e6, 1e6), st.integers(0, 80))


@FUZZ
@given(y=st.one_of(signals, constant), fps=st.sampled_from([25.0, 30.0, 120.0, 240.0]))
def test_filter_signal_never_raises_or_invents_inf(y, fps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = filter_signal(y, fps, 6.0)
    assert out.shape == y.shape
    assert not (np.isinf(out) & ~np.isinf(y)).any()


@pytest.mark.parametrize(
    ("fps", "cutoff"),
    [(30, 0), (30, 15), (30, -1), (30, float("nan")), (0, 6), (-30, 6), (float("nan"), 6)],
)
def test_filter_signal_bad_settings_raise_input_error(fps, cutoff):
    with pytest.raises(InputError):
        filter_signal(np.arange(50.0), fps, cutoff)


@FUZZ
@given(y=st.one_of(signals, constant), fps=st.sampled_from([25.0, 30.0, 120.0]))
def test_residual_analysis_never_raises(y, fps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cut, res, suggested = residual_analysis(y, fps)
    assert len(cut) == len(res)
    assert not np.isinf(res).any()
    assert math.isnan(suggested) or cut[0] <= suggested <= cut[-1]


@FUZZ
@given(
    data=hnp.arrays(
        float,
        st.tuples(st.integers(0, 30), st.just(33), st.just(2)),
        elements=st.one_of(st.floats(-5000, 5000), st.sampled_from([np.nan, np.inf, -np.inf])),
    ),
    gap=st.sampled_from([0.0, 0.05, 0.12, 1.0]),
)
def test_fill_gaps_via_clip_never_raises_or_invents_inf(data, gap):
    n = data.shape[0]
    clip = Clip(
        xy=data,
        visibility=np.ones((n, 33)),
        time=np.arange(n) / 30.0,
        fps=30.0,
        width=640,
        height=480,
    )
    assert not np.isinf(clip.xy).any()  # the container turns inf into "unknown"
    out = fill_gaps(clip, gap)
    assert out.xy.shape == data.shape
    assert not np.isinf(out.xy).any()
    known = np.isfinite(clip.xy)
    assert np.array_equal(out.xy[known], clip.xy[known])  # filling never moves known points


@FUZZ
@given(
    data=hnp.arrays(
        float,
        st.tuples(st.integers(0, 20), st.just(33), st.just(2)),
        elements=st.one_of(st.floats(-5000, 5000), st.sampled_from([np.nan, np.inf, -np.inf])),
    ),
    offset=st.floats(-30, 30),
)
def test_sagittal_angles_never_raise_or_return_inf(data, offset):
    pts = {name: data[:, i] for i, name in enumerate(NAMES)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = sagittal_angles(pts, ankle_offset_deg=offset, foot_offset_deg=offset)
    for name, v in out.items():
        assert v.shape == (data.shape[0],), name
        assert not np.isinf(v).any(), name
        assert (np.isnan(v) | (np.abs(v) <= 180.0 + 1e-9)).all(), name


def test_constant_and_empty_signals():
    assert filter_signal(np.array([]), 30, 6).shape == (0,)
    flat = filter_signal(np.full(100, 3.0), 30, 6)
    assert flat == pytest.approx(np.full(100, 3.0))
    _, _, suggested = residual_analysis(np.full(200, 2.0), 30)
    assert math.isnan(suggested)
    out = sagittal_angles({name: np.zeros((0, 2)) for name in NAMES})
    assert all(v.shape == (0,) for v in out.values())


def test_csv_under_a_path_with_spaces_and_non_ascii(tmp_path):
    folder = tmp_path / "Läufe 2024 – été" / "跑步"
    folder.mkdir(parents=True)
    clip = read_or_input_error(
        write(folder, "time,left_heel_x,left_heel_y\n0,1,2\n0.5,2,3\n", "Montag ñ.csv")
    )
    assert clip is not None and clip.fps == pytest.approx(2)
