"""Measure an angle by hand on a frame and compare it with runform's value."""

from __future__ import annotations

import html

import numpy as np

from .. import overlay as _o
from ..errors import InputError
from ..geometry import three_point_angle
from ..kinematics import GONIOMETER
from ..landmarks import INDEX
from ._base import (
    _clicks,
    _column,
    _Displayable,
    _frame_cache,
    _image_widget,
    _inputs,
)
from .player import FramePlayer


class Goniometer(_Displayable):
    """Measure an angle by hand on a frame and compare it with runform's value.

    Place points A, B (the vertex) and C with the sliders, or by clicking on the
    frame (with ipyevents: each click places the selected point and selects the next).
    "Snap to landmarks" puts them on the pose landmarks of the chosen joint.

    Parameters
    ----------
    clip : Analysis or Clip
        The result of :func:`runform.analyze`, or an oriented clip.
    video : str, Path, Video, FrameCache or FramePlayer, optional
        The video (default: the analysed file; a player's frame cache is reused).
    angles : pandas.DataFrame, optional
        Angle table (default ``clip.angles()``).
    frame : int
        First frame shown.
    angle : {"knee_flexion", "hip_flexion", "ankle_dorsiflexion"}
        What is being measured.
    side : {"left", "right"}, optional
        Leg (default: the near side).

    Attributes
    ----------
    points : list of three (x, y)
        A, B, C in full-size image pixels.
    angle_deg : float
        The angle ABC in degrees.
    hand_value : float
        ABC converted to the chosen angle's convention.
    runform_value : float
        runform's value of that angle at the frame.
    """

    def __init__(
        self,
        clip,
        video=None,
        angles=None,
        *,
        frame: int = 0,
        angle: str = "knee_flexion",
        side: str | None = None,
        max_side: int = 640,
    ):
        import ipywidgets as w

        if angle not in GONIOMETER:
            raise InputError(f"angle must be one of {sorted(GONIOMETER)}, not {angle!r}.")
        if isinstance(video, FramePlayer):
            self.cache, angles = video.cache, angles if angles is not None else video.table
            clip, _, angles, _ = _inputs(clip, video.cache, angles, None, "Goniometer")
        else:
            clip, video, angles, _ = _inputs(clip, video, angles, None, "Goniometer")
            self.cache = _frame_cache(video, max_side, 150.0)
        self.clip = clip
        self.table = angles
        self.side = side or clip.near_side or "left"
        self.n_frames = min(len(self.cache), clip.n_frames)
        self._controls(frame, angle)
        self._hold = False
        self._wire()
        self.widget = w.HBox(
            [
                self.image,
                w.VBox(
                    [
                        self.frame_slider,
                        self.which,
                        self.active,
                        *self._slider_rows(),
                        self.snap,
                        self.readout,
                    ]
                ),
            ]
        )
        self.snap_to_landmarks()

    def _controls(self, frame: int, angle: str) -> None:
        """Frame slider, angle choice, point toggle, A/B/C sliders, snap button, image."""
        import ipywidgets as w

        self.frame_slider = w.IntSlider(
            int(np.clip(frame, 0, self.n_frames - 1)),
            0,
            self.n_frames - 1,
            description="frame",
            continuous_update=False,
        )
        self.which = w.Dropdown(options=list(GONIOMETER), value=angle, description="angle")
        self.active = w.ToggleButtons(
            options=["A", "B", "C"],
            value="A",
            description="click sets",
            style={"button_width": "40px"},
        )
        self.xy_sliders = [
            self._coord_slider(f"{p}{ax}", self.clip.width if ax == "x" else self.clip.height)
            for p in "ABC"
            for ax in "xy"
        ]
        self.snap = w.Button(description="snap to landmarks")
        self.image = _image_widget(b"", "jpeg", self.cache.frame(0).shape[1], "runform-frame")
        self.readout = w.HTML()
        self.readout.add_class("runform-readout")

    @staticmethod
    def _coord_slider(name: str, top: int):
        import ipywidgets as w

        # step 0.1: the browser rounds values to the step, so whole pixels would cost ~0.5°
        return w.FloatSlider(
            0.0,
            min=0.0,
            max=float(top),
            step=0.1,
            description=name,
            continuous_update=True,
            readout_format=".1f",
            layout=w.Layout(width="300px"),
        )

    def _slider_rows(self) -> list:
        import ipywidgets as w

        s = self.xy_sliders
        return [w.HBox([s[0], s[1]]), w.HBox([s[2], s[3]]), w.HBox([s[4], s[5]])]

    def _wire(self) -> None:
        self.frame_slider.observe(lambda _c: self.snap_to_landmarks(), "value")
        self.which.observe(lambda _c: self.snap_to_landmarks(), "value")
        self.active.observe(lambda _c: self.redraw(), "value")
        for s in self.xy_sliders:
            s.observe(lambda _c: self.redraw(), "value")
        self.snap.on_click(lambda _b: self.snap_to_landmarks())
        self._click = _clicks(self.image, self._on_image_event)

    # ---------------------------------------------------------- points
    @property
    def frame(self) -> int:
        """The frame shown."""
        return int(self.frame_slider.value)

    @property
    def points(self) -> list[tuple[float, float]]:
        """A, B, C in full-size image pixels."""
        v = [s.value for s in self.xy_sliders]
        return [(v[0], v[1]), (v[2], v[3]), (v[4], v[5])]

    def set_points(self, a, b, c) -> None:
        """Place A, B (vertex) and C, in full-size image pixels, and repaint once."""
        self._hold = True
        try:
            for s, v in zip(self.xy_sliders, [*a, *b, *c], strict=True):
                s.value = float(np.clip(v, s.min, s.max))
        finally:
            self._hold = False
        self.redraw()

    def landmark_points(self) -> list[tuple[float, float]] | None:
        """The landmarks of the chosen angle at this frame, or None if one is unknown."""
        names, _, _ = GONIOMETER[self.which.value]
        pts = []
        for j in names:
            if j == "shoulder":  # runform's trunk line starts at the shoulder midpoint
                with np.errstate(invalid="ignore"):
                    p = np.nanmean(
                        [
                            self.clip.xy[self.frame, INDEX[f"{s}_shoulder"]]
                            for s in ("left", "right")
                        ],
                        axis=0,
                    )
            elif j == "sole":  # goniometer arm from the ankle, parallel to heel→toe
                xy = self.clip.xy[self.frame]
                p = (
                    xy[INDEX[f"{self.side}_ankle"]]
                    + xy[INDEX[f"{self.side}_foot_index"]]
                    - xy[INDEX[f"{self.side}_heel"]]
                )
            else:
                p = self.clip.xy[self.frame, INDEX[f"{self.side}_{j}"]]
            if not np.isfinite(p).all():
                return None
            pts.append((float(p[0]), float(p[1])))
        return pts

    def snap_to_landmarks(self) -> None:
        """Put A, B, C on the pose landmarks of the chosen angle (if known)."""
        pts = self.landmark_points()
        if pts is None:
            self.redraw()
        else:
            self.set_points(*pts)

    def click(self, x: float, y: float) -> None:
        """Place the selected point at displayed-frame pixel (x, y); select the next."""
        k = "ABC".index(self.active.value)
        s = self.cache.scale
        self._hold = True
        try:
            self.xy_sliders[2 * k].value = float(np.clip(x / s, 0, self.clip.width))
            self.xy_sliders[2 * k + 1].value = float(np.clip(y / s, 0, self.clip.height))
        finally:
            self._hold = False
        self.active.value = "ABC"[(k + 1) % 3]
        self.redraw()

    def _on_image_event(self, event: dict) -> None:
        if "dataX" in event:
            self.click(event["dataX"], event["dataY"])

    # ---------------------------------------------------------- values
    @property
    def angle_deg(self) -> float:
        """The angle ABC in degrees (0–180)."""
        return three_point_angle(*self.points)

    @property
    def hand_value(self) -> float:
        """ABC converted to the convention of the chosen angle, degrees."""
        return float(GONIOMETER[self.which.value][2](self.angle_deg))

    @property
    def runform_value(self) -> float:
        """runform's value of the chosen angle at this frame, degrees."""
        return float(_column(self.table, self.which.value, self.side)[self.frame])

    def redraw(self) -> None:
        """Repaint the frame with the goniometer and update the readout."""
        if self._hold:
            return
        img = self.cache.frame(self.frame)
        _o.draw_skeleton(
            img,
            self.clip.xy[self.frame],
            self.clip.visibility[self.frame],
            scale=self.cache.scale,
            near_side=self.clip.near_side,
        )
        _o.draw_goniometer(
            img, self.points, scale=self.cache.scale, active="ABC".index(self.active.value)
        )
        self.image.value = _o.encode_jpeg(img, 85)
        self.readout.value = self._readout()

    def _readout(self) -> str:
        name = self.which.value
        _, rule, _ = GONIOMETER[name]
        hand, auto = self.hand_value, self.runform_value
        diff = f"{hand - auto:+.1f}°" if np.isfinite(hand) and np.isfinite(auto) else "–"
        return (
            f"<div style='font-family:monospace;font-size:13px'>frame {self.frame} · "
            f"ABC = {self.angle_deg:.1f}°<br>{html.escape(name.replace('_', ' '))} "
            f"by hand = {html.escape(rule)} = <b>{hand:.1f}°</b><br>"
            f"runform ({html.escape(self.side)}): <b>{auto:.1f}°</b> · difference {diff}"
            "</div>"
        )


# --------------------------------------------------------- filter explorer
