"""Uploaded files are written only inside the working folder, under a safe name; the
clinic app answers bad input with runform's message (no traceback)."""

from __future__ import annotations

import datetime

import pytest

from runform.errors import InputError
from runform.uploads import safe_name, save_upload


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/passwd.mp4", "passwd.mp4"),
        ("..\\\\..\\\\Windows\\\\run.MOV", "run.mov"),
        ("C:\\\\Users\\\\Zoë\\\\Mein Lauf (Zoë) 1.MOV", "Mein_Lauf_Zoe_1.mov"),
        ("/abs/path/clip.mp4", "clip.mp4"),
        (".hidden.mp4", "hidden.mp4"),
        ("...", "upload"),
        ("", "upload"),
        ("x" * 300 + ".mp4", "x" * 80 + ".mp4"),
        ("run;rm -rf ~.mp4", "run_rm_-rf.mp4"),
    ],
)
def test_safe_name(name, safe):
    assert safe_name(name) == safe


def test_save_upload_stays_in_the_working_folder(tmp_path):
    work = tmp_path / "work"
    p = save_upload("../../../escape.mp4", b"abc", work)
    assert p == (work / "uploads" / "escape.mp4").resolve() and p.read_bytes() == b"abc"
    assert not (tmp_path / "escape.mp4").exists()
    assert save_upload("escape.mp4", b"abc", work) == p  # same file again: same path
    other = save_upload("escape.mp4", b"different", work)
    assert other.name == "escape-2.mp4" and p.read_bytes() == b"abc"  # never overwritten
    assert sorted(f.name for f in (work / "uploads").iterdir()) == ["escape-2.mp4", "escape.mp4"]


def test_save_upload_refuses_what_is_not_a_video(tmp_path):
    with pytest.raises(InputError, match="not a video file"):
        save_upload("notes.txt", b"abc", tmp_path)
    with pytest.raises(InputError, match="is empty"):
        save_upload("clip.mp4", b"", tmp_path)
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


def test_clinic_app_shows_runform_messages(tmp_path):
    pytest.importorskip("ipywidgets")
    from runform.widgets.clinic import ClinicApp

    app = ClinicApp(workdir=tmp_path)
    assert app.analyse_path(tmp_path / "missing.mp4") is None
    assert "Video not found" in app.status.value and "Traceback" not in app.status.value
    (tmp_path / "fake.mp4").write_text("not a video")
    assert app.analyse_path(tmp_path / "fake.mp4") is None
    assert "is a text file, not a video" in app.status.value
    assert "read_keypoints_csv" not in app.status.value  # Python syntax: not the app's words
    assert "path box" in app.status.value
    assert app.compare("a", "b") is None
    assert "analyse two different clips first" in app.comparison.children[0].value
    app.height.value = 20  # a height in the wrong unit (not cm)
    assert app.analyse_sample("rearfoot_treadmill") is None
    assert "stature in cm" in app.status.value


def test_clinic_app_keeps_no_copy_of_an_unusable_upload(tmp_path):
    pytest.importorskip("ipywidgets")
    from runform.widgets.clinic import ClinicApp

    app = ClinicApp(workdir=tmp_path)
    file = dict(name="holiday.mp4", type="video/mp4", size=11, content=memoryview(b"not a video"))
    app.upload.value = ({**file, "last_modified": datetime.datetime.now(datetime.timezone.utc)},)
    assert app.analyse_upload() is None
    assert "holiday.mp4 is a text file, not a video" in app.status.value
    assert not any((tmp_path / "uploads").iterdir())  # the failed upload was removed
