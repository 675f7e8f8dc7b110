"""runform: teach running form with video.

A side-view video of a runner becomes pose landmarks (MediaPipe BlazePose, offline),
then cleaned trajectories, sagittal angles, gait events and the metrics coaches use::

    import runform as rf

    result = rf.analyze("run.mp4", height_cm=178)   # pose (cached) → ... → metrics
    result.metrics["cadence_spm"].value
    rf.io.save_analysis(result, "out/")

    clip = rf.extract_pose("run.mp4")          # or step by step
    clip = clip.clean().oriented()             # mask, fill, swaps, feet, low-pass, orient
    table = clip.angles()                      # degrees, one column per angle and side

Submodules (``rf.data``, ``rf.io``, ``rf.model``, ``rf.widgets``, ...) load on first
use. ``import runform`` loads neither MediaPipe nor anything from the network.
"""

from __future__ import annotations

import importlib

from ._version import __version__
from .analysis import Analysis, analyze
from .clip import Clip
from .errors import (
    CacheError,
    DataError,
    InputError,
    PoseError,
    RunformError,
    RunformWarning,
    TooShortError,
    VideoError,
)
from .io import read_keypoints_csv, save_analysis
from .video import Video, open_video

__all__ = [
    "Analysis",
    "CacheError",
    "Clip",
    "DataError",
    "InputError",
    "PoseError",
    "RunformError",
    "RunformWarning",
    "TooShortError",
    "Video",
    "VideoError",
    "__version__",
    "analyze",
    "extract_pose",
    "open_video",
    "read_keypoints_csv",
    "save_analysis",
]

#: Submodules reachable as attributes (``rf.data``) without an explicit import.
_SUBMODULES = {
    "analysis",
    "cache",
    "clean",
    "cli",
    "clip",
    "cycles",
    "data",
    "errors",
    "events",
    "geometry",
    "ground",
    "io",
    "kinematics",
    "landmarks",
    "metrics",
    "model",
    "orientation",
    "overlay",
    "plots",
    "pose",
    "quality",
    "reference",
    "skeleton_video",
    "video",
    "widgets",
}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'runform' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)


def extract_pose(video, **kwargs):
    """Run BlazePose over a video: see :func:`runform.pose.extract_pose`."""
    from .pose import extract_pose as _extract

    return _extract(video, **kwargs)
