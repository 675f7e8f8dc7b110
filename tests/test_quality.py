"""Capture-quality records: codes a program can read, messages and fixes a person can."""

from __future__ import annotations

import json

import pytest

from runform.quality import QualityCheck, as_check, check_clip


def test_a_record_round_trips_through_json():
    q = QualityCheck("feet_hidden", "warning", "The feet are hidden.", "Film the feet.")
    back = as_check(json.loads(json.dumps(q.to_dict())))
    assert back == q
    assert str(q) == "The feet are hidden. Film the feet."


def test_plain_messages_become_warnings_and_bad_severity_is_refused():
    assert as_check("something").code == "note"
    assert as_check("something").severity == "warning"
    with pytest.raises(ValueError, match="severity"):
        QualityCheck("x", "fatal", "m")


def test_clip_quality_holds_records_once():
    from runform.model import demo_clip

    clip, _ = demo_clip(n_frames=30)
    q = QualityCheck("timing_fps", "info", "30 fps.", "Film faster.")
    twice = clip.with_warning(q).with_warning(q)
    assert twice.quality == (q,)
    assert all(isinstance(c, QualityCheck) for c in check_clip(clip))
