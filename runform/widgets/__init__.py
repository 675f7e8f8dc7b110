"""Interactive widgets for teaching: frame player, compare view, goniometer, filter explorer.

This module only wires ipywidgets to runform: every number comes from the analysis
modules (:meth:`Clip.angles`, :mod:`runform.clean`, gait events) and every pixel from
:mod:`runform.overlay` and :mod:`runform.plots`. Display a widget by leaving it as
the last expression of a cell, or with ``IPython.display.display(widget)``; ``widget.widget`` is the
ipywidgets box itself.

Speed. A slider step decodes one JPEG from a downscaled :class:`FrameCache`, draws the
overlay with OpenCV on the small frame, encodes it again and moves a cursor on a plot
rendered once : a few milliseconds per step
(``bench/widget_latency.py``). Clicking a plot or a frame needs the optional
``ipyevents`` package (``pip install runform[widgets]``); without it everything else
works and sliders do the job.

Gait events: pass a DataFrame with one row per contact (``foot``, ``ic_frame``,
``to_frame``, ``ic_s``, ``to_s``, ``near``); by default :func:`runform.events.detect_events`
is used when available, else the widgets run without events.
"""

from __future__ import annotations

from ._base import DEFAULT_PLOT_ANGLES, has_click_support
from .compare import CompareView
from .filters import FilterExplorer
from .frames import FrameCache
from .goniometer import Goniometer
from .player import FramePlayer

__all__ = [
    "DEFAULT_PLOT_ANGLES",
    "CompareView",
    "FilterExplorer",
    "FrameCache",
    "FramePlayer",
    "Goniometer",
    "has_click_support",
]
