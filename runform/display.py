"""Drawing only: skeleton overlays, angle arcs and time-series images.

Everything here draws; nothing analyses. Frames are OpenCV BGR ``uint8`` arrays and
landmark positions are image pixels (x right, y **down**) of the *full-size* video,
multiplied by a ``scale`` to land on a downscaled frame (:class:`runform.FrameCache`).

Conventions shown to the user (DESIGN.md):

- the leg nearer the camera is drawn bold, the far leg faded: its foot landmarks are
  the unreliable ones in side view;
- points whose visibility is below a threshold get a red ring;
- angle arcs at the ankle, knee and hip of a leg show the quantity runform computes
  there (science.md §1): ankle dorsiflexion (foot heel→toe against the perpendicular
  to the shank), knee flexion (shank against the thigh's extension) and the thigh
  angle to vertical (the coach's "hip extension" when negative).

Time-series plots are matplotlib figures rendered *once* to an image
(:class:`CursorPlot`); a moving cursor is then drawn on a copy with OpenCV, which
takes about a millisecond instead of a full matplotlib redraw.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError
from .landmarks import EDGES, INDEX

__all__ = [
    "ANGLE_LABELS", "CURSOR_BGR", "LOW_VIS_BGR", "SIDE_BGR", "SIDE_RGB", "Arc", "CursorPlot",
    "angle_figure", "compare_figure", "draw_angle_arcs", "draw_goniometer",
    "draw_skeleton", "encode_jpeg", "encode_png", "figure_png", "filter_figure",
    "joint_arcs", "render_skeleton_video", "three_point_angle",
]

#: Leg colours, BGR for OpenCV (left blue, right orange-red).
SIDE_BGR: dict[str, tuple[int, int, int]] = {"left": (235, 140, 30), "right": (40, 90, 235)}
#: The same colours as matplotlib RGB in [0, 1].
SIDE_RGB: dict[str, tuple[float, float, float]] = {
    s: (c[2] / 255, c[1] / 255, c[0] / 255) for s, c in SIDE_BGR.items()
}
#: Trunk, arms and shoulder/hip lines.
BODY_BGR = (235, 235, 235)
#: Ring around a low-visibility point.
LOW_VIS_BGR = (40, 40, 230)
#: Arcs and their labels.
ARC_BGR = (60, 230, 250)
#: The cursor of a :class:`CursorPlot`.
CURSOR_BGR = (30, 30, 30)

#: Short labels drawn beside the arcs, by angle name.
ANGLE_LABELS = {"ankle_dorsiflexion": "DF", "knee_flexion": "knee", "thigh_angle": "thigh"}
#: Joint of each arc and the angle it shows.
ARC_ANGLE = {"ankle": "ankle_dorsiflexion", "knee": "knee_flexion", "hip": "thigh_angle"}

_DRAWN = sorted({INDEX[a] for e in EDGES for a in e} | {INDEX["nose"]})


# ---------------------------------------------------------------- encoding
def encode_jpeg(img: np.ndarray, quality: int = 85) -> bytes:
    """JPEG bytes of a BGR image (what an ``ipywidgets.Image`` displays)."""
    import cv2

    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise InputError("Cannot encode this image as JPEG (is it an empty array?).")
    return buf.tobytes()


def encode_png(img: np.ndarray, compression: int = 1) -> bytes:
    """PNG bytes of a BGR image; low compression, because speed matters more here."""
    import cv2

    ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, int(compression)])
    if not ok:
        raise InputError("Cannot encode this image as PNG (is it an empty array?).")
    return buf.tobytes()


def figure_png(fig, dpi: float | None = None) -> bytes:
    """PNG bytes of a matplotlib figure (Agg, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


# ---------------------------------------------------------------- skeleton
def _thickness(img: np.ndarray) -> int:
    """Bold line width for a frame of this size (3 px for a 360-px side)."""
    return max(2, round(min(img.shape[:2]) / 120))


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(np.rint(p[0])), int(np.rint(p[1]))


def _edge_group(a: str, b: str, near_side: str | None) -> str:
    """'near', 'far' or 'body' for a skeleton edge."""
    sides = {n.split("_")[0] for n in (a, b)}
    legs = any(j in a or j in b for j in ("knee", "ankle", "heel", "foot_index"))
    if len(sides) != 1 or not legs or sides.pop() not in ("left", "right"):
        return "body"
    side = a.split("_")[0]
    if near_side is None or side == near_side:
        return "near"
    return "far"


def _draw_edges(img, pts, ok, edges, color_of, thick) -> None:
    import cv2

    for a, b in edges:
        ia, ib = INDEX[a], INDEX[b]
        if ok[ia] and ok[ib]:
            cv2.line(img, _pt(pts[ia]), _pt(pts[ib]), color_of(a), thick, cv2.LINE_AA)


def _roi(pts: np.ndarray, shape, pad: int) -> tuple[slice, slice] | None:
    """Bounding box of points (with padding) clipped to the image, as slices."""
    good = np.isfinite(pts).all(axis=1)
    if not good.any():
        return None
    lo = np.floor(pts[good].min(axis=0)).astype(int) - pad
    hi = np.ceil(pts[good].max(axis=0)).astype(int) + pad
    x0, y0 = max(lo[0], 0), max(lo[1], 0)
    x1, y1 = min(hi[0], shape[1]), min(hi[1], shape[0])
    if x1 <= x0 or y1 <= y0:
        return None
    return slice(y0, y1), slice(x0, x1)


def draw_skeleton(
    img: np.ndarray,
    xy: np.ndarray,
    visibility: np.ndarray | None = None,
    *,
    scale: float = 1.0,
    near_side: str | None = None,
    vis_threshold: float = 0.5,
    far_alpha: float = 0.4,
) -> np.ndarray:
    """Draw a BlazePose skeleton on a frame, in place.

    Parameters
    ----------
    img : ndarray, shape (h, w, 3), uint8
        BGR frame (possibly downscaled).
    xy : ndarray, shape (33, 2)
        Landmarks of this frame in full-size image pixels (NaN where unknown).
    visibility : ndarray, shape (33,), optional
        Detector confidence; points below ``vis_threshold`` get a red ring.
    scale : float
        Factor from full-size pixels to ``img`` pixels (:attr:`FrameCache.scale`).
    near_side : {"left", "right"} or None
        Leg drawn bold; the other leg is blended in at ``far_alpha``. None draws
        both legs bold.
    vis_threshold : float
        Visibility below which a point is marked unreliable.
    far_alpha : float
        Opacity of the far leg, 0–1.

    Returns
    -------
    ndarray
        ``img``, drawn on.
    """
    import cv2

    pts = np.asarray(xy, float) * scale
    ok = np.isfinite(pts).all(axis=1)
    thick = _thickness(img)
    groups = {g: [e for e in EDGES if _edge_group(*e, near_side) == g]
              for g in ("near", "far", "body")}

    def color(name: str) -> tuple[int, int, int]:
        return SIDE_BGR.get(name.split("_")[0], BODY_BGR)

    far = [INDEX[n] for e in groups["far"] for n in e]
    roi = _roi(pts[far], img.shape, 3 * thick) if far else None
    if roi is not None:
        layer = img[roi].copy()
        off = np.array([roi[1].start, roi[0].start])
        _draw_edges(layer, pts - off, ok, groups["far"], color, max(1, thick - 1))
        cv2.addWeighted(layer, far_alpha, img[roi], 1 - far_alpha, 0, dst=img[roi])
    _draw_edges(img, pts, ok, groups["body"], lambda _n: BODY_BGR, max(1, thick - 1))
    _draw_edges(img, pts, ok, groups["near"], color, thick)
    far_set = set(far)
    for i in _DRAWN:
        if not ok[i]:
            continue
        r = thick if i not in far_set else max(1, thick - 1)
        cv2.circle(img, _pt(pts[i]), r, (255, 255, 255), -1, cv2.LINE_AA)
        if visibility is not None and visibility[i] < vis_threshold:
            cv2.circle(img, _pt(pts[i]), r + 3 + thick, LOW_VIS_BGR, max(1, thick - 1),
                       cv2.LINE_AA)
    return img


# -------------------------------------------------------------------- arcs
@dataclass(frozen=True)
class Arc:
    """An angle arc in image pixels (y down).

    ``start_deg`` is the direction of the reference line and ``sweep_deg`` the signed
    turn to the segment, both in OpenCV's convention (degrees from +x, clockwise on
    screen because y points down).
    """

    joint: str
    center: tuple[float, float]
    start_deg: float
    sweep_deg: float
    radius: float

    def point_at(self, fraction: float, radius: float | None = None) -> tuple[float, float]:
        """Pixel position at ``fraction`` of the sweep, at ``radius`` (default: the arc's)."""
        a = math.radians(self.start_deg + fraction * self.sweep_deg)
        r = self.radius if radius is None else radius
        return self.center[0] + r * math.cos(a), self.center[1] + r * math.sin(a)


def _direction(v: np.ndarray) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


def _wrap(deg: float) -> float:
    return (deg + 180.0) % 360.0 - 180.0


def joint_arcs(xy: np.ndarray, side: str, *, scale: float = 1.0) -> dict[str, Arc]:
    """Arcs of one leg's ankle, knee and hip (those whose points are known).

    Parameters
    ----------
    xy : ndarray, shape (33, 2)
        Landmarks of one frame, full-size pixels.
    side : {"left", "right"}
        The leg.
    scale : float
        Factor to the drawn image.

    Returns
    -------
    dict of str to Arc
        Keys among ``"ankle"``, ``"knee"``, ``"hip"``. The unsigned sweep equals the
        magnitude of the angle runform computes there (ankle dorsiflexion, knee
        flexion, thigh angle to vertical), because image mirroring and the y flip only
        change signs.
    """
    p = {j: np.asarray(xy[INDEX[f"{side}_{j}"]], float) * scale
         for j in ("hip", "knee", "ankle", "heel", "foot_index")}
    out: dict[str, Arc] = {}
    have = {j: bool(np.isfinite(v).all()) for j, v in p.items()}
    if have["hip"] and have["knee"]:
        thigh = p["knee"] - p["hip"]
        r = float(np.clip(0.3 * np.linalg.norm(thigh), 8, 60))
        out["hip"] = Arc("hip", tuple(p["hip"]), 90.0, _wrap(_direction(thigh) - 90.0), r)
        if have["ankle"]:
            shank = p["ankle"] - p["knee"]
            start = _direction(thigh)
            out["knee"] = Arc("knee", tuple(p["knee"]), start,
                              _wrap(_direction(shank) - start), r)
    if have["knee"] and have["ankle"] and have["heel"] and have["foot_index"]:
        up = p["knee"] - p["ankle"]
        foot = p["foot_index"] - p["heel"]
        perp = np.array([-up[1], up[0]])
        if perp @ foot < 0:
            perp = -perp
        start = _direction(perp)
        r = float(np.clip(0.6 * np.linalg.norm(foot), 8, 50))
        out["ankle"] = Arc("ankle", tuple(p["ankle"]), start, _wrap(_direction(foot) - start), r)
    return out


def _put_label(img: np.ndarray, text: str, org: tuple[float, float], color, *,
               degree: bool = True, font_scale: float | None = None) -> None:
    """Outlined text centred on ``org``, with a drawn degree sign (Hershey has none)."""
    import cv2

    fs = font_scale or max(0.35, min(img.shape[:2]) / 800)
    th = max(1, round(fs * 2))
    (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, fs, th)
    x, y = int(org[0] - w / 2), int(org[1] + h / 2)
    for c, t in (((0, 0, 0), th + 2), (color, th)):
        cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, fs, c, t, cv2.LINE_AA)
        if degree:
            cv2.circle(img, (x + w + max(2, th + 1), y - h + 1), max(2, th), c,
                       max(1, t - th + 1), cv2.LINE_AA)


def draw_angle_arcs(
    img: np.ndarray,
    xy: np.ndarray,
    values: Mapping[str, float],
    *,
    side: str,
    scale: float = 1.0,
    joints: Iterable[str] = ("ankle", "knee", "hip"),
) -> dict[str, Arc]:
    """Draw angle arcs with their values at the ankle, knee and hip of one leg.

    Parameters
    ----------
    img : ndarray
        BGR frame, drawn on in place.
    xy : ndarray, shape (33, 2)
        Landmarks of this frame, full-size pixels.
    values : mapping of str to float
        Angle values in degrees keyed by angle name (``"ankle_dorsiflexion"``,
        ``"knee_flexion"``, ``"thigh_angle"``): the numbers runform computed, printed
        beside the arcs. NaN values are drawn without a label.
    side : {"left", "right"}
        The leg.
    scale : float
        Factor from full-size pixels to ``img``.
    joints : iterable of str
        Which of ``"ankle"``, ``"knee"``, ``"hip"`` to draw.

    Returns
    -------
    dict of str to Arc
        The arcs drawn (for tests and click targets).
    """
    import cv2

    arcs = {j: a for j, a in joint_arcs(xy, side, scale=scale).items() if j in set(joints)}
    thick = max(1, _thickness(img) - 1)
    for joint, arc in arcs.items():
        c = _pt(arc.center)
        ref = (arc.point_at(0.0, arc.radius * 0.5), arc.point_at(0.0, arc.radius * 1.6))
        cv2.line(img, _pt(ref[0]), _pt(ref[1]), ARC_BGR, 1, cv2.LINE_AA)
        cv2.ellipse(img, c, (round(arc.radius), round(arc.radius)), 0, arc.start_deg,
                    arc.start_deg + arc.sweep_deg, ARC_BGR, thick, cv2.LINE_AA)
        value = values.get(ARC_ANGLE[joint], float("nan"))
        if value is not None and np.isfinite(value):
            label = f"{ANGLE_LABELS[ARC_ANGLE[joint]]} {value:.0f}"
            _put_label(img, label, arc.point_at(0.5, arc.radius + 10 + 4 * len(label)),
                       ARC_BGR)
    return arcs


# -------------------------------------------------------------- goniometer
def three_point_angle(a: Sequence[float], b: Sequence[float], c: Sequence[float]) -> float:
    """Angle ABC at vertex ``b`` in degrees, 0–180 (NaN if an arm has zero length)."""
    u = np.asarray(a, float) - np.asarray(b, float)
    v = np.asarray(c, float) - np.asarray(b, float)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0 or not (np.isfinite(nu) and np.isfinite(nv)):
        return float("nan")
    cos = float(np.clip(u @ v / (nu * nv), -1.0, 1.0))
    return math.degrees(math.acos(cos))


def draw_goniometer(img: np.ndarray, points: Sequence[Sequence[float]], *,
                    scale: float = 1.0, active: int | None = None) -> float:
    """Draw a hand goniometer: arms B→A and B→C and the arc at B, in place.

    Parameters
    ----------
    img : ndarray
        BGR frame.
    points : sequence of three (x, y)
        A, B (vertex), C in full-size pixels.
    scale : float
        Factor to ``img``.
    active : int, optional
        Index of the point to highlight (the one the next click moves).

    Returns
    -------
    float
        The angle ABC in degrees.
    """
    import cv2

    a, b, c = (np.asarray(p, float) * scale for p in points)
    thick = _thickness(img)
    for end in (a, c):
        cv2.line(img, _pt(b), _pt(end), (0, 255, 255), thick, cv2.LINE_AA)
    angle = three_point_angle(a, b, c)
    if np.isfinite(angle):
        r = 0.35 * min(np.linalg.norm(a - b), np.linalg.norm(c - b))
        start = _direction(a - b)
        sweep = _wrap(_direction(c - b) - start)
        cv2.ellipse(img, _pt(b), (max(4, round(r)), max(4, round(r))), 0, start,
                    start + sweep, (0, 255, 255), max(1, thick - 1), cv2.LINE_AA)
        mid = math.radians(start + sweep / 2)
        _put_label(img, f"{angle:.1f}", (b[0] + (r + 28) * math.cos(mid),
                                         b[1] + (r + 28) * math.sin(mid)), (0, 255, 255))
    for k, p in enumerate((a, b, c)):
        color = (0, 0, 255) if k == active else (0, 200, 255)
        cv2.circle(img, _pt(p), thick + 3, color, -1, cv2.LINE_AA)
        _put_label(img, "ABC"[k], (p[0] + 12, p[1] - 12), color, degree=False)
    return angle


# ----------------------------------------------------------- cursor plots
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
        return np.hstack([bg[:, :self._left], bg[:, a:a + self._inner], bg[:, self._right:]])

    def draw(self, x: float, ys: Sequence[float | None] = ()) -> np.ndarray:
        """A BGR copy of the plot with the cursor at ``x`` and dots at ``ys`` per axis."""
        import cv2

        img = self._base()
        px = int(np.rint(self.x_to_px(x)))
        cv2.line(img, (px, self.top), (px, self.bottom), CURSOR_BGR, 1)
        for k, y in enumerate(ys):
            if y is not None and np.isfinite(y) and k < len(self._ymaps):
                cv2.circle(img, (px, int(np.rint(self.y_to_px(k, y)))), 4, CURSOR_BGR, -1,
                           cv2.LINE_AA)
        return img

    def render(self, x: float, ys: Sequence[float | None] = ()) -> bytes:
        """JPEG bytes of :meth:`draw`."""
        return encode_jpeg(self.draw(x, ys), self.quality)


#: Margins of the time-series figures in pixels: left, right, top, bottom.
PLOT_MARGINS_PX = (58, 12, 8, 38)


def _new_figure(size_px: tuple[int, int], n_axes: int, dpi: float = 100.0):
    """A figure of stacked axes sharing x, with margins fixed in pixels."""
    from matplotlib.figure import Figure

    w, h = size_px
    left, right, top, bottom = PLOT_MARGINS_PX
    fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi)
    axes = fig.subplots(n_axes, 1, sharex=True, squeeze=False)[:, 0]
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h,
                        bottom=bottom / h, hspace=0.12)
    return fig, list(axes)


def _events_rows(events) -> list[dict]:
    if events is None or len(events) == 0:
        return []
    return events.to_dict("records")


def angle_figure(
    time: np.ndarray,
    table,
    names: Sequence[str],
    *,
    near_side: str | None = None,
    events=None,
    size_px: tuple[int, int] = (600, 400),
    dpi: float = 100.0,
    xlim: tuple[float, float] | None = None,
):
    """Stacked angle traces against time, with stance phases and gait events.

    Parameters
    ----------
    time : ndarray
        Times in seconds (x axis).
    table : pandas.DataFrame
        Angles as :meth:`runform.Clip.angles` returns them.
    names : sequence of str
        Angle names without side, e.g. ``"knee_flexion"`` (or ``"trunk_lean"``); one
        axis each. The near leg is drawn bold, the far leg thin and faded.
    near_side : {"left", "right"} or None
        None draws both legs alike.
    events : pandas.DataFrame, optional
        Gait events (``foot``, ``ic_s``, ``to_s``, ``near``): stance phases are shaded
        in the foot's colour, initial contacts drawn solid, toe-offs dashed.
    size_px : (int, int)
        Figure size in pixels.
    xlim : (float, float), optional
        Time range of the axes (default: all of ``time``).

    Returns
    -------
    fig, axes
        The matplotlib figure (no pyplot state) and its axes, top to bottom.
    """
    if not names:
        raise InputError("angle_figure needs at least one angle name, e.g. 'knee_flexion'.")
    fig, axes = _new_figure(size_px, len(names), dpi)
    lo, hi = (float(time[0]), float(time[-1])) if xlim is None else map(float, xlim)
    rows = [r for r in _events_rows(events) if r["to_s"] >= lo and r["ic_s"] <= hi]
    sides = ("left", "right") if near_side is None else (
        near_side, "right" if near_side == "left" else "left")
    for ax, name in zip(axes, names, strict=True):
        _shade_events(ax, rows, near_side)
        if f"{name}_deg" in table:
            ax.plot(time, table[f"{name}_deg"], color="0.2", lw=1.5)
        for k, side in enumerate(sides):
            col = f"{side}_{name}_deg"
            if col in table:
                far = near_side is not None and k == 1
                tag = "" if near_side is None else (" (far)" if far else " (near)")
                ax.plot(time, table[col], color=SIDE_RGB[side], lw=0.9 if far else 1.8,
                        alpha=0.45 if far else 1.0, label=side + tag)
        ax.set_ylabel(f"{ANGLE_LABELS.get(name, name.replace('_', ' '))} (°)", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, lw=0.5)
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(fontsize=7, loc="upper right", framealpha=0.8, ncol=2,
                       title="shaded: stance · solid: IC · dashed: TO" if rows else None,
                       title_fontsize=6)
    axes[0].set_xlim(lo, hi)
    axes[-1].set_xlabel("time (s)", fontsize=8)
    return fig, axes


def _shade_events(ax, rows: list[dict], near_side: str | None) -> None:
    for r in rows:
        color = SIDE_RGB.get(r.get("foot"), (0.5, 0.5, 0.5))
        near = bool(r.get("near", near_side is None or r.get("foot") == near_side))
        ax.axvspan(r["ic_s"], r["to_s"], color=color, alpha=0.14 if near else 0.06, lw=0)
        ax.axvline(r["ic_s"], color=color, lw=0.9, alpha=0.9 if near else 0.4)
        ax.axvline(r["to_s"], color=color, lw=0.9, ls="--", alpha=0.9 if near else 0.4)


def compare_figure(
    percent: np.ndarray,
    curves: Sequence[Mapping[str, np.ndarray]],
    names: Sequence[str],
    *,
    labels: Sequence[str] = ("A", "B"),
    toe_off: Sequence[float] = (),
    size_px: tuple[int, int] = (600, 400),
    dpi: float = 100.0,
):
    """Angle curves of several gait cycles overlaid against % of the cycle.

    Parameters
    ----------
    percent : ndarray
        The x axis, 0–100 % of the gait cycle (initial contact to the next one).
    curves : sequence of mapping
        One mapping per cycle from angle name to values at ``percent``.
    names : sequence of str
        Angles, one axis each.
    labels : sequence of str
        Legend label per cycle.
    toe_off : sequence of float
        Toe-off of each cycle in % (dashed line in the cycle's colour).

    Returns
    -------
    fig, axes
    """
    colors = [(0.12, 0.47, 0.71), (0.85, 0.33, 0.10), (0.2, 0.6, 0.2), (0.5, 0.3, 0.6)]
    fig, axes = _new_figure(size_px, len(names), dpi)
    for ax, name in zip(axes, names, strict=True):
        for k, curve in enumerate(curves):
            c = colors[k % len(colors)]
            ax.plot(percent, curve.get(name, np.full(len(percent), np.nan)), color=c, lw=1.8,
                    label=labels[k] if k < len(labels) else None)
            if k < len(toe_off) and np.isfinite(toe_off[k]):
                ax.axvline(toe_off[k], color=c, ls="--", lw=0.9)
        ax.set_ylabel(f"{ANGLE_LABELS.get(name, name.replace('_', ' '))} (°)", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, lw=0.5)
    axes[0].legend(fontsize=7, loc="upper right")
    axes[0].set_xlim(float(percent[0]), float(percent[-1]))
    axes[-1].set_xlabel("% of gait cycle (initial contact → next initial contact; -- toe-off)",
                        fontsize=8)
    return fig, axes


def filter_figure(
    time: np.ndarray,
    raw_point: np.ndarray,
    filtered_point: np.ndarray,
    raw_angle: np.ndarray,
    filtered_angle: np.ndarray,
    cutoffs: np.ndarray,
    residuals: np.ndarray,
    *,
    cutoff_hz: float,
    suggested_hz: float,
    point_label: str,
    angle_label: str,
    size_px: tuple[int, int] = (720, 560),
    dpi: float = 100.0,
    xlim: tuple[float, float] | None = None,
):
    """Raw vs filtered traces of a landmark and an angle, and the residual curve.

    ``xlim`` limits the time axis of the two trace panels (default: all).

    Returns
    -------
    fig
        Three stacked panels: landmark coordinate (px), angle (°) with its peaks
        marked, and Winter's residual RMS against cutoff with the chosen and
        suggested cutoffs.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size_px[0] / dpi, size_px[1] / dpi), dpi=dpi)
    ax1, ax2, ax3 = fig.subplots(3, 1)
    fig.subplots_adjust(left=0.1, right=0.97, top=0.96, bottom=0.08, hspace=0.55)
    for ax, raw, filt, lab in ((ax1, raw_point, filtered_point, point_label),
                               (ax2, raw_angle, filtered_angle, angle_label)):
        ax.plot(time, raw, color="0.6", lw=0.9, marker=".", ms=2.5, label="raw")
        ax.plot(time, filt, color="C3", lw=1.6, label=f"filtered {cutoff_hz:.1f} Hz")
        ax.set_ylabel(lab, fontsize=8)
        ax.set_xlabel("time (s)", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3, lw=0.5)
        ax.legend(fontsize=7, loc="upper right")
    for trace, c, dx in ((raw_angle, "0.4", -34), (filtered_angle, "C3", 6)):
        if np.isfinite(trace).any():
            k = int(np.nanargmax(trace))
            ax2.plot(time[k], trace[k], "v", color=c, ms=7)
            ax2.annotate(f"{trace[k]:.1f}°", (time[k], trace[k]), textcoords="offset points",
                         xytext=(dx, 4), fontsize=7, color=c)
    if xlim is not None:
        for ax in (ax1, ax2):
            ax.set_xlim(*xlim)
            _fit_y(ax, time, (raw_point, filtered_point) if ax is ax1 else
                   (raw_angle, filtered_angle), xlim)
    ax3.plot(cutoffs, residuals, color="0.2", lw=1.5, marker=".", ms=3)
    ax3.axvline(cutoff_hz, color="C3", lw=1.2, label=f"chosen {cutoff_hz:.1f} Hz")
    if np.isfinite(suggested_hz):
        ax3.axvline(suggested_hz, color="C2", ls="--", lw=1.2,
                    label=f"residual analysis {suggested_hz:.1f} Hz")
    ax3.set_xlabel("cutoff (Hz)", fontsize=8)
    ax3.set_ylabel("RMS residual (px)", fontsize=8)
    ax3.tick_params(labelsize=7)
    ax3.grid(alpha=0.3, lw=0.5)
    ax3.legend(fontsize=7, loc="upper right")
    return fig


def _fit_y(ax, time, traces, xlim) -> None:
    """Y limits fitted to the traces inside the x range (5 % padding)."""
    inside = (time >= xlim[0]) & (time <= xlim[1])
    vals = np.concatenate([np.asarray(t)[inside] for t in traces])
    vals = vals[np.isfinite(vals)]
    if len(vals):
        lo, hi = float(vals.min()), float(vals.max())
        pad = 0.08 * (hi - lo) or 1.0
        ax.set_ylim(lo - pad, hi + pad)


# ------------------------------------------------------------ demo video
def render_skeleton_video(
    xy: np.ndarray,
    path: str | Path,
    fps: float,
    size: tuple[int, int],
    *,
    codec: str = "mp4v",
    texture: float = 6.0,
    seed: int = 0,
) -> Path:
    """Write a video of a grey mannequin moving along landmark trajectories.

    Used for demos, tests and benchmarks that need a video matching a known clip
    without MediaPipe: the limbs are drawn as thick grey bars, so an overlay drawn
    on top of the decoded frames must follow them. Each frame also shows its
    number in the corner.

    Parameters
    ----------
    xy : ndarray, shape (n_frames, 33, 2)
        Landmarks, image pixels.
    path : str or Path
        Output file (``.mp4`` for ``mp4v``, ``.avi`` for ``MJPG``).
    fps : float
        Frame rate written to the container.
    size : (int, int)
        Width and height in pixels.
    texture : float
        Standard deviation of a fixed noise texture on the background, grey levels
        (so compressed frame sizes resemble a real scene's).
    seed : int
        Seed of the texture.
    """
    import cv2

    w, h = int(size[0]), int(size[1])
    path = Path(path)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*codec), float(fps), (w, h))
    if not writer.isOpened():
        raise InputError(f"OpenCV cannot write {path.name} with codec {codec!r}.")
    rng = np.random.default_rng(seed)
    grad = np.linspace(70, 150, h, dtype=np.float32)[:, None, None]
    bg = np.clip(grad + rng.normal(0, texture, (h, w, 1)).astype(np.float32), 0, 255)
    bg = np.repeat(bg, 3, axis=2).astype(np.uint8)
    bg[int(h * 0.9):] = (60, 60, 60)
    limb = max(3, round(min(w, h) / 45))
    try:
        for i, pts in enumerate(np.asarray(xy, float)):
            img = bg.copy()
            for a, b in EDGES:
                pa, pb = pts[INDEX[a]], pts[INDEX[b]]
                if np.isfinite(pa).all() and np.isfinite(pb).all():
                    shade = 200 if a.startswith(("left", "right")) else 170
                    cv2.line(img, _pt(pa), _pt(pb), (shade, shade, shade), limb, cv2.LINE_AA)
            if np.isfinite(pts[INDEX["nose"]]).all():
                cv2.circle(img, _pt(pts[INDEX["nose"]]), 2 * limb, (190, 190, 190), -1)
            cv2.putText(img, f"#{i}", (8, 8 + round(h / 14)), cv2.FONT_HERSHEY_SIMPLEX,
                        h / 400, (255, 255, 255), max(1, round(h / 250)), cv2.LINE_AA)
            writer.write(img)
    finally:
        writer.release()
    return path
