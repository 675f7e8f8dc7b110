"""Imported by the pose workers' fork server: what every worker needs, loaded once.

The fork server (:mod:`runform.parallel`) imports this module before it forks the
first worker, so each worker starts with OpenCV, MediaPipe and runform's chunk code
already loaded. MediaPipe is imported without loading ``matplotlib.pyplot``
(:func:`runform.mediapipe_graph.import_mediapipe_for_workers`): no worker draws.
"""

from __future__ import annotations

import signal

# Ctrl-C in a terminal reaches the whole process group; the fork server would ignore it
# only once these imports are done (and print a traceback if it came during them): the
# parent decides, and stops the workers and the fork server itself.
signal.signal(signal.SIGINT, signal.SIG_IGN)

import cv2  # noqa: E402, F401

from . import capture, chunking, video  # noqa: E402, F401
from .mediapipe_graph import import_mediapipe_for_workers  # noqa: E402

import_mediapipe_for_workers()
