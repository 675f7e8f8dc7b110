"""Quality records only a video extraction can produce: decoding, frame timing, other people.

:func:`runform.pose.extract_pose` adds them, with :func:`runform.quality.check_clip`'s
checks of the landmarks, to the clip's quality record.
"""

from __future__ import annotations

import numpy as np

from .quality import QualityCheck, check_clip

__all__ = ["video_checks"]


def video_checks(vid, clip, settings: dict, vfr: bool, others) -> tuple[list, list]:
    """``(notes, new)``: checks already warned about when the video was opened, and new ones.

    Parameters
    ----------
    vid : Video
        The opened video.
    clip : Clip
        The extracted landmarks (frame times, frame count).
    settings : dict
        Pose settings (``max_frames``).
    vfr : bool
        Whether real (variable) frame timestamps are used.
    others : sequence of int or None
        Frames where another person was found and frames checked.
    """
    n, time = clip.n_frames, clip.time
    notes = [QualityCheck("video", "warning", n) for n in vid.info.notes]  # warned on open
    expected = min(len(vid), settings.get("max_frames") or len(vid))
    if n < expected - 1 and n < 0.95 * expected and not vid.probe.truncated:
        notes.append(
            QualityCheck(
                "frames_missing",
                "warning",
                f"Only {n} of the {expected} frames that {vid.path.name} announces could be "
                "decoded; the rest of the clip is missing.",
                "Export the video again and retry.",
            )
        )
    new = []
    if vfr:
        d = np.diff(time)
        new.append(
            QualityCheck(
                "variable_frame_rate",
                "info",
                f"Variable frame rate: frame intervals range from {1000 * d.min():.0f} to "
                f"{1000 * d.max():.0f} ms; real timestamps are used (median rate "
                f"{1 / np.median(d):.1f} fps).",
                "Lock the frame rate in the camera app if it can.",
            )
        )
    new += check_clip(clip)
    if others is not None and others[0] > 0:
        new.append(
            QualityCheck(
                "other_person",
                "warning",
                f"Another person may be in the frame (found in {int(others[0])} of "
                f"{int(others[1])} frames checked outside the tracked runner). The pose model "
                "follows one person only.",
                "Pass roi=(x0, y0, x1, y1) around the runner to make sure it follows the right "
                "one, or film with nobody else in view.",
            )
        )
    return notes, new
