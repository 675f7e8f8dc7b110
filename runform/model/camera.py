"""A side-on pinhole camera for the simulated runner."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..errors import InputError
from .params import segment_lengths


@dataclasses.dataclass(frozen=True)
class Camera:
    """A side-on pinhole camera (optical axis horizontal, perpendicular to travel).

    Attributes
    ----------
    facing : {"left", "right"}
        Image direction the runner faces. "left": the camera stands on the runner's
        left, so the left side is the near side (as in most phone clips); "right":
        on the runner's right.
    distance_m : float
        Distance of the camera from the runner's mid-sagittal plane, m.
    height_m : float or None
        Camera height, m; None puts it at standing hip height.
    focal_px : float
        Focal length in pixels (principal point at the image centre).
    image_size : tuple of int
        (width, height) in pixels.
    follow : bool
        True: the camera moves along with the hips (a tracking shot; the runner
        stays in place in the image). False: fixed; the runner crosses the frame
        overground.
    x_m : float or None
        Position of a fixed camera along the direction of travel, m; None: the middle
        of the hips' path in the clip.
    """

    facing: str = "left"
    distance_m: float = 4.0
    height_m: float | None = None
    focal_px: float = 700.0
    image_size: tuple[int, int] = (640, 480)
    follow: bool = True
    x_m: float | None = None

    def __post_init__(self) -> None:
        if self.facing not in ("left", "right"):
            raise InputError(f"Camera.facing must be 'left' or 'right', not {self.facing!r}.")
        if not self.distance_m > 0.5:
            raise InputError("Camera.distance_m must be more than 0.5 m.")
        object.__setattr__(self, "image_size", tuple(int(v) for v in self.image_size))

    @property
    def near_side(self) -> str:
        """The runner's side nearer the camera."""
        return self.facing

    @property
    def y_m(self) -> float:
        """Lateral position of the camera (m, runner's left +)."""
        return self.distance_m if self.facing == "left" else -self.distance_m

    @property
    def z_m(self) -> float:
        """Height of the camera's optical centre (m); 0.92 m if ``height_m`` is None."""
        return 0.92 if self.height_m is None else float(self.height_m)

    def at_hip_height(self, stature_m: float) -> Camera:
        """This camera, at the standing hip height of a runner if ``height_m`` is None."""
        if self.height_m is not None:
            return self
        return dataclasses.replace(self, height_m=segment_lengths(stature_m)["hip_height"])

    def project(self, points: np.ndarray, camera_x: np.ndarray) -> np.ndarray:
        """Project world points (n, 3) in metres to pixels (n, 2), x right, y down."""
        points = np.asarray(points, dtype=float)
        depth = np.abs(self.y_m - points[:, 1])
        right = -1.0 if self.facing == "left" else 1.0
        w, h = self.image_size
        u = 0.5 * w + self.focal_px * right * (points[:, 0] - camera_x) / depth
        v = 0.5 * h - self.focal_px * (points[:, 2] - self.z_m) / depth
        return np.stack([u, v], axis=-1)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly description, with the derived near side and camera height."""
        out = dataclasses.asdict(self)
        out["image_size"] = list(self.image_size)
        out.update(near_side=self.near_side, y_m=self.y_m, z_m=self.z_m)
        return out
