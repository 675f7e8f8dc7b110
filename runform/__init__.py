"""runform: teach running form with video.

A side-view video of a runner becomes pose landmarks (MediaPipe BlazePose, offline),
then cleaned trajectories, sagittal angles, gait events and the metrics coaches use::

    import runform as rf

    clip = rf.extract_pose("run.mp4")          # landmarks, cached on disk
    clip = clip.clean().oriented()             # mask, fill, swap repair, low-pass
    table = clip.angles()                      # degrees, one column per angle and side

``import runform`` loads neither MediaPipe nor anything from the network.
"""

from .analysis import Analysis, analyze
from .clip import Clip, read_keypoints_csv
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
from .video import FrameCache, Video, open_video

__version__ = "0.1.0"

__all__ = [
    "Analysis", "CacheError", "Clip", "DataError", "FrameCache", "InputError", "PoseError",
    "RunformError", "RunformWarning", "TooShortError", "Video", "VideoError",
    "__version__", "analyze", "extract_pose", "open_video", "read_keypoints_csv",
]


def extract_pose(video, **kwargs):
    """Run BlazePose over a video: see :func:`runform.pose.extract_pose`."""
    from .pose import extract_pose as _extract

    return _extract(video, **kwargs)
