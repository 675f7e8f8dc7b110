"""A matplotlib figure rendered once, with a cheap moving cursor (widget plumbing)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..overlay import CURSOR_BGR, encode_jpeg


class CursorPlot:
    """A matplotlib figure rendered once, with a cheap moving cursor.

    The figure is drawn with Agg to a BGR array; :meth:`render` copies it, draws a
    vertical cursor line and dots with OpenCV and encodes JPEG (about 2 ms for a
    600×600 plot; PNG would take 10–15 ms), so a slider can move the cursor without
    redrawing matplotlib.

    A figure wider than the screen can be shown through a *view*, a window of the
    x axis (:meth:`set_view`): the axes' columns in the window are cut out and put
    between the figure's left margin (y labels) and right margin, like a strip chart.
    Pixel coordinates of the methods below are those of the displayed image.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, fully drawn (its axes share the x axis).
    axes : sequence of Axes
        The axes the cursor spans, top to bottom; their x limits must be equal.
    quality : int
        JPEG quality of :meth:`render`.
    """

    def __init__(self, fig, axes: Sequence, quality: int = 90):
        import cv2
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        self.background = cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGR)
        self.full_height, self.full_width = self.background.shape[:2]
        self.axes = list(axes)
        self.quality = int(quality)
        (x0, _), (x1, _) = self.axes[0].transData.transform([(0.0, 0.0), (1.0, 0.0)])
        self._x0, self._dx = float(x0), float(x1 - x0)
        self._ymaps = []
        for ax in self.axes:
            (_, y0), (_, y1) = ax.transData.transform([(0.0, 0.0), (0.0, 1.0)])
            self._ymaps.append((float(y0), float(y1 - y0)))
        boxes = [ax.get_window_extent() for ax in self.axes]
        self.top = int(np.rint(self.full_height - max(b.y1 for b in boxes)))
        self.bottom = int(np.rint(self.full_height - min(b.y0 for b in boxes)))
        self._left = int(np.floor(min(b.x0 for b in boxes)))
        self._right = int(np.ceil(max(b.x1 for b in boxes)))
        self.full_xlim = tuple(float(v) for v in self.axes[0].get_xlim())
        self.view: tuple[float, float] | None = None
        self._offset = 0  # full-image column shown at display column self._left
        self._inner = self._right - self._left

    # ------------------------------------------------------------ geometry
    @property
    def xlim(self) -> tuple[float, float]:
        """The x range shown (the view, or the axes' limits)."""
        return self.view if self.view is not None else self.full_xlim

    @property
    def width(self) -> int:
        """Width of the displayed image in pixels."""
        return self.full_width - (self._right - self._left) + self._inner

    @property
    def height(self) -> int:
        """Height of the displayed image in pixels."""
        return self.full_height

    def set_view(self, lo: float | None, span: float | None = None) -> None:
        """Show ``span`` data units of x from ``lo`` (None: the whole figure).

        The span is fixed by the first call after construction; later calls only
        scroll (the cut is a whole number of pixel columns).
        """
        if lo is None:
            self.view, self._offset, self._inner = None, 0, self._right - self._left
            return
        if span is not None:
            self._inner = min(self._right - self._left, max(2, round(span * abs(self._dx))))
        start = int(np.rint(self._x0 + self._dx * float(lo))) - self._left
        self._offset = int(np.clip(start, 0, self._right - self._left - self._inner))
        a = self._left + self._offset
        b = a + self._inner
        self.view = ((a - self._x0) / self._dx, (b - self._x0) / self._dx)

    def x_to_px(self, x: float) -> float:
        """Displayed pixel column of data value ``x``."""
        full = self._x0 + self._dx * float(x)
        return full - self._offset if self.view is not None else full

    def px_to_x(self, px: float) -> float:
        """Data value at displayed pixel column ``px`` (inverse of :meth:`x_to_px`)."""
        full = float(px) + (self._offset if self.view is not None else 0)
        return (full - self._x0) / self._dx

    def y_to_px(self, axis: int, y: float) -> float:
        """Pixel row of data value ``y`` on axis number ``axis`` (0 = top)."""
        y0, dy = self._ymaps[axis]
        return self.full_height - (y0 + dy * float(y))

    def inside(self, px: float, py: float) -> bool:
        """True when a displayed pixel lies over the axes (x range and rows)."""
        lo, hi = self._left, self._left + self._inner
        return lo <= px <= hi and self.top - 5 <= py <= self.bottom + 20

    # ------------------------------------------------------------- drawing
    def _base(self) -> np.ndarray:
        if self.view is None:
            return self.background.copy()
        bg = self.background
        a = self._left + self._offset
        return np.hstack([bg[:, : self._left], bg[:, a : a + self._inner], bg[:, self._right :]])

    def draw(self, x: float, ys: Sequence[float | None] = ()) -> np.ndarray:
        """A BGR copy of the plot with the cursor at ``x`` and dots at ``ys`` per axis."""
        import cv2

        img = self._base()
        px = int(np.rint(self.x_to_px(x)))
        cv2.line(img, (px, self.top), (px, self.bottom), CURSOR_BGR, 1)
        for k, y in enumerate(ys):
            if y is not None and np.isfinite(y) and k < len(self._ymaps):
                cv2.circle(
                    img, (px, int(np.rint(self.y_to_px(k, y)))), 4, CURSOR_BGR, -1, cv2.LINE_AA
                )
        return img

    def render(self, x: float, ys: Sequence[float | None] = ()) -> bytes:
        """JPEG bytes of :meth:`draw`."""
        return encode_jpeg(self.draw(x, ys), self.quality)
