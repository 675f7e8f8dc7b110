"""Exceptions and warnings raised by runform.

Every error a user can cause derives from :class:`RunformError` and carries a
message that says what happened *and what to do*. Degraded but usable input gives a
:class:`RunformWarning` (and an entry in the clip's quality record) instead.
"""

from __future__ import annotations

import os
import sys
import warnings


class RunformError(Exception):
    """Base class of every error runform raises on purpose."""


class InputError(RunformError, ValueError):
    """An argument or input file is not usable as given (wrong type, range, format)."""


class VideoError(RunformError):
    """A video file cannot be opened or decoded."""


class PoseError(RunformError):
    """Pose extraction found no usable person (none, too few frames, wrong view)."""


class TooShortError(RunformError):
    """The clip is too short for the requested analysis (e.g. fewer than two strides)."""


class CacheError(RunformError):
    """A cache file is damaged or foreign. Handled internally: the result is recomputed."""


class DataError(RunformError):
    """A sample data file cannot be found, fetched or verified."""


class RunformWarning(UserWarning):
    """Degraded but usable input: low visibility, far leg unreliable, low frame rate..."""


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def warn(message: str) -> None:
    """Issue a :class:`RunformWarning` attributed to the user's code.

    The warning's location is the first caller outside the runform package, whatever the
    depth of the call inside it, so the user sees the line of *their* code that led to it.
    """
    level, frame = 2, sys._getframe(1)
    while (
        frame is not None
        and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _PACKAGE_DIR
    ):
        level += 1
        frame = frame.f_back
    warnings.warn(message, RunformWarning, stacklevel=level)
