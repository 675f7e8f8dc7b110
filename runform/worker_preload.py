"""Imported by the pose workers' fork server: what every worker needs, loaded once.

The fork server (:mod:`runform.parallel`) imports this module before it forks the
first worker, so each worker starts with OpenCV, MediaPipe and runform's chunk code
already loaded. MediaPipe is imported without loading ``matplotlib.pyplot``
(:func:`runform.mediapipe_graph.import_mediapipe_for_workers`): no worker draws.
"""

from __future__ import annotations

import cv2  # noqa: F401

from . import capture, chunking, video  # noqa: F401
from .mediapipe_graph import import_mediapipe_for_workers

import_mediapipe_for_workers()
