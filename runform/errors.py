"""Exceptions and warnings raised by runform.

Every error a user can cause derives from :class:`RunformError` and carries a
message that says what happened *and what to do*. Degraded but usable input gives a
:class:`RunformWarning` (and an entry in the clip's quality record) instead.
"""

from __future__ import annotations


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
