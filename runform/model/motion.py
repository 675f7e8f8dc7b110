"""The simulated runner's motion: :func:`simulate` and :class:`RunnerMotion`."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..errors import InputError
from .camera import Camera
from .gait import _Gait
from .params import ANGLES, LEG_JOINTS, RunnerParams
from .planar import SIDES, _down, sagittal_angles


@dataclasses.dataclass(frozen=True, eq=False)
class RunnerMotion:
    """Joint-centre trajectories and true angles of a simulated runner.

    Attributes
    ----------
    time : ndarray, shape (n,)
        Frame times in seconds from 0.
    fps : float
        Frame rate, frames per second.
    joints : dict of str to ndarray, shape (n, 3)
        Joint centres in metres (X forward, Y to the runner's left, Z up; ground at
        Z = 0) keyed by BlazePose names (``left_heel``, ``right_foot_index``, ``nose``...)
        plus ``head`` (centre of the head) and ``mid_hip``/``mid_shoulder``.
    angles : dict of str to ndarray, shape (n,)
        True sagittal angles in degrees, keys as :meth:`truth_table` columns without
        ``_deg`` (``left_knee_flexion``, ``trunk_lean``...), computed from the joint
        centres with the formulas of :mod:`runform.model.planar`.
    contact : dict of str to ndarray of bool, shape (n,)
        True while the ``left``/``right`` foot is on the ground (IC ≤ t < TO).
    ic_s, to_s : dict of str to ndarray
        Exact initial-contact and toe-off times (s) of each foot within the clip.
    params : RunnerParams
        The parameters, with automatic values filled in (:meth:`RunnerParams.resolved`).
    treadmill : bool
        True: hips stay at X = 0 and the ground moves backwards at belt speed.
    segments : dict of str to float
        Segment lengths (m), see :func:`segment_lengths`.
    sink : dict of str to ndarray, shape (n,)
        Per foot, how far (m, <= 0) the stance foot's ground contact lies below the
        ground plane: heel pad and midsole compressing after IC (0 at IC and in swing,
        a few mm in stance, released by TO). The contact point's height equals it.
    """

    time: np.ndarray
    fps: float
    joints: dict[str, np.ndarray]
    angles: dict[str, np.ndarray]
    contact: dict[str, np.ndarray]
    ic_s: dict[str, np.ndarray]
    to_s: dict[str, np.ndarray]
    params: RunnerParams
    treadmill: bool
    segments: dict[str, float]
    sink: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)

    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return self.time.size

    def contact_point_height(self, side: str) -> np.ndarray:
        """Height (m) of the lowest point of the ``side`` foot (heel or toe)."""
        heel = self.joints[f"{side}_heel"][:, 2]
        toe = self.joints[f"{side}_foot_index"][:, 2]
        return np.minimum(heel, toe)

    def truth_table(self):
        """True angles as a pandas DataFrame.

        Columns: ``time_s``, ``<side>_<angle>_deg`` for each side and each name of
        :data:`ANGLES`, and ``trunk_lean_deg``; plus ``<side>_contact`` flags.
        """
        import pandas as pd

        cols: dict[str, np.ndarray] = {"time_s": self.time}
        for side in SIDES:
            for name in ANGLES:
                cols[f"{side}_{name}_deg"] = self.angles[f"{side}_{name}"]
        cols["trunk_lean_deg"] = self.angles["trunk_lean"]
        for side in SIDES:
            cols[f"{side}_contact"] = self.contact[side]
        return pd.DataFrame(cols)

    def project(self, camera: Camera) -> dict[str, np.ndarray]:
        """Pixel positions (x right, y down) of every joint through ``camera``."""
        camera = camera.at_hip_height(self.params.stature_m)
        return {name: camera.project(p, self.camera_x(camera)) for name, p in self.joints.items()}

    def camera_x(self, camera: Camera) -> np.ndarray:
        """Camera position along X (m) per frame: following the hips, or fixed."""
        hips_x = self.joints["mid_hip"][:, 0]
        if camera.follow:
            return hips_x.copy()
        x = 0.5 * (hips_x[0] + hips_x[-1]) if camera.x_m is None else camera.x_m
        return np.full(self.n_frames, float(x))

    def to_clip(self, camera: Camera | None = None):
        """Project through a pinhole ``camera`` into a :class:`runform.clip.Clip`.

        The clip has the BlazePose landmarks of :data:`runform.landmarks.NAMES`
        (visibility 1), ``direction`` = the image direction the runner faces,
        ``near_side`` = the side facing the camera, and ``treadmill`` True when the
        runner stays in place in the image (treadmill, or a following camera).
        """
        from ..clip import Clip
        from ..landmarks import INDEX

        camera = (Camera() if camera is None else camera).at_hip_height(self.params.stature_m)
        px = self.project(camera)
        landmarks = {k: v for k, v in px.items() if k in INDEX}
        return Clip.from_arrays(
            landmarks,
            self.fps,
            width=camera.image_size[0],
            height=camera.image_size[1],
            time=self.time,
            direction=camera.facing,
            near_side=camera.near_side,
            treadmill=bool(self.treadmill or camera.follow),
            provenance={
                "source": "runform.model",
                "params": self.params.to_dict(),
                "camera": camera.to_dict(),
            },
        )


def simulate(
    params: RunnerParams | None = None,
    fps: float = 60.0,
    duration_s: float = 4.0,
    *,
    treadmill: bool = True,
    first_contact_s: float = 0.1,
) -> RunnerMotion:
    """Simulate a runner: joint centres, true angles and exact events.

    Parameters
    ----------
    params : RunnerParams, optional
        Gait parameters; default ``RunnerParams()``.
    fps : float
        Frame rate (frames per second) of the sampled motion.
    duration_s : float
        Length of the clip in seconds (``round(duration_s * fps)`` frames).
    treadmill : bool
        True: the hips stay at X = 0 and contact points move backwards at
        ``speed_mps``. False (overground): contact points are fixed in the world and the
        hips move forward at ``speed_mps``, starting at X = 0.
    first_contact_s : float
        Time (s) of the first right-foot initial contact; the left foot lands half a
        stride later (and earlier).

    Returns
    -------
    RunnerMotion
    """
    params = (RunnerParams() if params is None else params).resolved()
    if not (math.isfinite(fps) and fps > 0 and math.isfinite(duration_s) and duration_s > 0):
        raise InputError("fps and duration_s must be positive numbers.")
    n = max(round(duration_s * fps), 1)
    time = np.arange(n) / float(fps)
    gait = _Gait(params)
    params = gait.p  # the automatic contact time filled in
    ic0 = {"right": float(first_contact_s), "left": float(first_contact_s) + gait.Ts}
    sigma = time - ic0["right"]
    hip_x = np.zeros(n) if treadmill else params.speed_mps * time
    seg = gait.seg
    joints: dict[str, np.ndarray] = {}
    contact, sink = {}, {}
    all_ics = _contacts(ic0, gait, time[-1])
    for side in SIDES:
        leg = gait.leg(time, all_ics[side], sigma)
        y = seg["hip_half_width"] * (1.0 if side == "left" else -1.0)
        for name in LEG_JOINTS:
            xz = leg[name]
            joints[f"{side}_{name}"] = np.column_stack([xz[:, 0] + hip_x, np.full(n, y), xz[:, 1]])
        contact[side] = leg["contact"]
        sink[side] = leg["sink"]
    joints["mid_hip"] = 0.5 * (joints["left_hip"] + joints["right_hip"])
    _add_upper_body(joints, time, gait, ic0)
    ic_s, to_s = _events(ic0, gait, n / float(fps))
    return RunnerMotion(
        time=time,
        fps=float(fps),
        joints=joints,
        angles=sagittal_angles(joints),
        contact=contact,
        ic_s=ic_s,
        to_s=to_s,
        params=params,
        treadmill=bool(treadmill),
        segments=dict(seg),
        sink=sink,
    )


def _contacts(ic0: dict[str, float], gait: _Gait, t_last: float) -> dict[str, np.ndarray]:
    """IC times (s) of each foot from one stride before 0 to one stride after ``t_last``."""
    out = {}
    for side, t0 in ic0.items():
        k = np.arange(math.floor(-t0 / gait.T) - 1, math.ceil((t_last - t0) / gait.T) + 2)
        out[side] = t0 + k * gait.T
    return out


def _events(ic0: dict[str, float], gait: _Gait, t_end: float):
    ic_s, to_s = {}, {}
    for side, ics in _contacts(ic0, gait, t_end).items():
        tos = ics + gait.Tc
        ic_s[side] = ics[(ics >= 0) & (ics < t_end)]
        to_s[side] = tos[(tos >= 0) & (tos < t_end)]
    return ic_s, to_s


def _add_upper_body(
    joints: dict[str, np.ndarray], time: np.ndarray, gait: _Gait, ic0: dict[str, float]
) -> None:
    """Shoulders, arms and head from the hips, trunk lean and the leg phase."""
    p, seg = gait.p, gait.seg
    lean = math.radians(p.trunk_lean_deg)
    up = np.array([math.sin(lean), 0.0, math.cos(lean)])
    mid_sh = joints["mid_hip"] + seg["trunk"] * up
    joints["mid_shoulder"] = mid_sh
    for side in SIDES:
        sign = 1.0 if side == "left" else -1.0
        shoulder = mid_sh + np.array([0.0, sign * seg["shoulder_half_width"], 0.0])
        # The arm swings against the leg of the same side: back when that foot lands.
        phase = 2 * np.pi * (time - ic0[side]) / gait.T
        upper = math.radians(-8.0) - math.radians(p.arm_swing_deg) * np.cos(phase - 0.3)
        elbow_flex = math.radians(p.elbow_flexion_deg) + math.radians(10.0) * np.cos(phase)
        fore = upper + elbow_flex
        elbow = shoulder + seg["upper_arm"] * _xz3(_down(upper), sign * 0.01)
        wrist = elbow + seg["forearm"] * _xz3(_down(fore), -sign * 0.25)
        hand = _xz3(_down(fore), 0.0)
        joints[f"{side}_shoulder"] = shoulder
        joints[f"{side}_elbow"] = elbow
        joints[f"{side}_wrist"] = wrist
        joints[f"{side}_index"] = wrist + 0.6 * seg["hand"] * hand
        joints[f"{side}_pinky"] = wrist + 0.5 * seg["hand"] * hand + [0, -sign * 0.01, -0.01]
        joints[f"{side}_thumb"] = wrist + 0.35 * seg["hand"] * hand + [0, -sign * 0.02, 0.02]
    head = mid_sh + seg["neck_to_head"] * np.array([math.sin(0.5 * lean), 0, math.cos(0.5 * lean)])
    joints["head"] = head
    h = p.stature_m / 1.75
    face = {
        "nose": (0.105, 0.0, -0.01),
        "left_eye_inner": (0.09, 0.017, 0.025),
        "right_eye_inner": (0.09, -0.017, 0.025),
        "left_eye": (0.085, 0.032, 0.025),
        "right_eye": (0.085, -0.032, 0.025),
        "left_eye_outer": (0.075, 0.047, 0.025),
        "right_eye_outer": (0.075, -0.047, 0.025),
        "left_ear": (-0.005, 0.075, 0.0),
        "right_ear": (-0.005, -0.075, 0.0),
        "mouth_left": (0.09, 0.025, -0.05),
        "mouth_right": (0.09, -0.025, -0.05),
    }
    for name, offset in face.items():
        joints[name] = head + h * np.asarray(offset)


def _xz3(xz: np.ndarray, dy: float) -> np.ndarray:
    """Planar (x, z) unit vectors to 3D, with a small lateral component ``dy``."""
    v = np.column_stack([xz[:, 0], np.full(len(xz), dy), xz[:, 1]])
    return v / np.linalg.norm(v, axis=1, keepdims=True)
