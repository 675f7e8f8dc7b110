"""A parametric sagittal-plane runner with exact ground truth.

The model turns a few numbers a coach understands (speed, cadence, stature, trunk
lean, hip extension, knee flexion in swing, foot-strike type and angle, overstride,
ankle strategy, contact time) into 3D joint-centre trajectories of a runner, the true
sagittal angles of ``science.md`` §1, and exact initial-contact (IC) and toe-off (TO)
times. It is used by the debate notebook (a slider changes the ankle strategy) and as
ground truth for tests; :meth:`RunnerMotion.to_clip` projects it through a pinhole
camera into a :class:`runform.clip.Clip` with BlazePose landmark names.

World frame (metres): X forward (direction of travel), Y to the runner's **left**,
Z up; the ground is the plane Z = 0. On a treadmill the hips stay at X = 0 and every
contact point moves backwards at belt speed; overground the contact point is fixed in
the world and the hips move forward at ``speed_mps``.

How a stride is built (per leg, each leg half a cycle after the other):

* **Stance** (IC to TO, ``contact_time_s`` long). The foot is a rigid sole line from
  heel to toe (``foot_index``). A rearfoot strike (positive foot angle) lands on the
  heel and rolls about it to flat; a forefoot strike (negative angle) lands on the toe
  and the heel drops; the heel then rises about the toe until TO. The pivot never
  slides relative to the ground, so the contact point is at height exactly 0. The
  knee flexion follows a smooth curve through ``knee_flexion_ic_deg`` at IC (heel
  ``overstride_cm`` ahead of the hip), ``knee_flexion_stance_deg`` at mid-stance and
  the value at TO that puts the thigh ``hip_extension_deg`` behind vertical; the hip
  height is whatever makes the leg reach the foot with that knee flexion (two-link
  geometry), so the stance leg never stretches beyond thigh + shank.
* **Flight.** The hip height is a cubic from its toe-off height and velocity to the
  next contact's (continuous velocity).
* **Swing** (TO to the next IC). Thigh angle, knee flexion and ankle dorsiflexion are
  cubic splines through the stance values at TO and IC and through the swing peaks
  (``thigh_flexion_swing_deg``, ``knee_flexion_swing_deg``). Toe-off is a push-off:
  the ankle dorsiflexes as the toe leaves the ground, with just enough extra early-swing
  dorsiflexion that the toe is 2 cm up within 12 ms and keeps rising (no toe dragging
  or hovering after TO).
* **Landing.** The ground stops the landing part (heel for a rearfoot or midfoot
  strike, toe for a forefoot strike) at its fastest descent, as on force plates:
  over the last 40-200 ms of swing its height follows a cubic from the swing leg's own
  height and velocity to the ground at IC, arriving at about 1.2 m/s (0.6-1.4 m/s;
  faster only when the hips drop too fast for a slower landing, as for an overstrider's
  straight knee), descending monotonically near the ground, never faster than at IC
  and speeding up over the final approach. The foot turns to the strike angle in the
  first half of that time and keeps it (a forefoot striker may point the toes a
  little in between); hip → knee → ankle inverse kinematics puts the leg there, so
  joint angular velocities change abruptly at IC, as at a real impact, while the
  contact point is exactly on the ground from IC on. Parameter combinations whose
  swing foot would scrape the ground raise :class:`~runform.errors.InputError` with
  advice (the model never lets a foot go through the floor).

Segment lengths are Winter's anthropometric ratios of stature (Winter, *Biomechanics
and Motor Control of Human Movement*, 4th ed., table 4.1). The trunk lean is constant;
the head stays upright. Each leg moves in its own plane parallel to the sagittal plane
(constant lateral offset), so its angles survive a side-on pinhole projection exactly.

All angles follow ``science.md`` §1 after normalising the runner to face +X (degrees
in every public output):

=====================  ==============================================================
``thigh_angle``        knee ahead of hip +; thigh behind vertical (coaches' "hip
                       extension") is negative
``shank_angle``        ankle ahead of knee +
``knee_flexion``       thigh minus shank angle; 0 straight, flexion +
``hip_flexion``        thigh angle + trunk lean (hip relative to the trunk line)
``foot_angle``         heel→toe line to the ground, toe up +
``ankle_dorsiflexion`` foot angle − shank angle; 0 with the foot perpendicular to the
                       shank, dorsiflexion +
``trunk_lean``         shoulder midpoint ahead of hip midpoint +
=====================  ==============================================================

Examples
--------
>>> from runform.model import RunnerParams, simulate, Camera
>>> motion = simulate(RunnerParams(foot_strike="forefoot"), fps=60, duration_s=4)
>>> clip = motion.to_clip(Camera(facing="right"))
>>> table = motion.truth_table()
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from scipy.interpolate import CubicHermiteSpline, CubicSpline

from .errors import InputError

__all__ = [
    "ANGLES",
    "STRIKE_ANGLE_DEG",
    "Camera",
    "RunnerMotion",
    "RunnerParams",
    "sagittal_angles",
    "segment_lengths",
    "simulate",
]


#: Typical foot-strike angle (deg, toe up +) per strike type: science.md §2, JSSM 2024.
STRIKE_ANGLE_DEG = {"rearfoot": 18.0, "midfoot": 3.0, "forefoot": -8.0}
#: Altman & Davis (2012) boundaries (deg): > 8.0 rearfoot, < -1.6 forefoot (science.md §2).
_RFS_ABOVE, _FFS_BELOW = 8.0, -1.6

#: Angle names of each leg in :meth:`RunnerMotion.truth_table` (``<side>_<name>_deg``).
ANGLES = (
    "ankle_dorsiflexion",
    "knee_flexion",
    "thigh_angle",
    "hip_flexion",
    "shank_angle",
    "foot_angle",
)
SIDES = ("left", "right")
#: Joint centres of a leg and an arm (BlazePose names without the side prefix).
LEG_JOINTS = ("hip", "knee", "ankle", "heel", "foot_index")
ARM_JOINTS = ("shoulder", "elbow", "wrist", "pinky", "index", "thumb")


# --------------------------------------------------------------------------- params
@dataclasses.dataclass(frozen=True)
class RunnerParams:
    """Parameters of the simulated runner, in coaching terms.

    Attributes
    ----------
    speed_mps : float
        Running speed in m/s (belt speed on a treadmill). Default 3.3 (about 12 km/h).
    cadence_spm : float
        Steps per minute (both feet counted). Default 170 (science.md §4).
    stature_m : float
        Body height in metres; every segment length is a Winter ratio of it.
    contact_time_s : float or None
        Ground contact (stance) time of one foot in seconds; must be shorter than a
        step (``60 / cadence_spm``) so that there is a flight phase. The duty factor
        is ``contact_time_s / stride time`` (:attr:`duty_factor`). None (default): the
        time the hips need, at ``speed_mps``, to travel from the contact position
        (``overstride_cm``) to a toe-off with the thigh ``hip_extension_deg`` behind
        vertical and the knee flexed :data:`KNEE_FLEXION_TO_DEG` (about 0.25 s at
        3.3 m/s; shorter when faster, as measured, science.md §4). See
        :meth:`resolved`.
    trunk_lean_deg : float
        Forward lean of the shoulder-midpoint → hip-midpoint line from vertical, in
        degrees, forward +. Default 7 (Teng & Powers 2014: 7.3 ± 3.6°).
    hip_extension_deg : float
        How far the thigh is behind vertical at toe-off, in degrees (positive number;
        the thigh angle at TO is its negative). What coaches call hip extension.
    thigh_flexion_swing_deg : float
        Peak thigh angle in front of vertical in late swing, degrees; the thigh then
        retracts ("pawback") to its angle at contact. Raised to 3° above the contact
        value if smaller.
    knee_flexion_ic_deg : float
        Knee flexion at initial contact, degrees (Heiderscheit 2011: 17.8 ± 4.0°). A long
        reach (large ``overstride_cm``) needs a straighter knee, as overstriders land.
    knee_flexion_stance_deg : float
        Knee flexion at mid-stance (45 % of contact), degrees; close to the stance
        peak (Heiderscheit 2011: 46 ± 4.5°).
    knee_flexion_swing_deg : float
        Peak knee flexion in swing, degrees.
    foot_strike : {"rearfoot", "midfoot", "forefoot"}
        Strike type; it sets the default foot-strike angle and which end of the foot
        touches first.
    foot_strike_angle_deg : float or None
        Foot (heel → toe) angle to the ground at initial contact, toe up +, degrees.
        None: the typical value of the strike type (RFS +18, MFS +3, FFS −8; science.md
        §2). Must agree with ``foot_strike`` by the Altman & Davis boundaries
        (> 8° rearfoot, < −1.6° forefoot).
    toe_off_foot_angle_deg : float
        Foot angle to the ground at toe-off, degrees (negative: heel up).
    overstride_cm : float
        Horizontal distance of the heel ahead of the hip joint at initial contact, cm.
        About 20 cm is ordinary; 40 cm and more is reaching out with the lower leg.
    ankle_strategy : {"passive", "active"}
        "passive" leaves the ankle alone in swing; "active" pulls the toes up
        (dorsiflexes by ``active_dorsiflexion_deg``) in late swing. Both land at the
        same ``foot_strike_angle_deg``: the strategies differ only in the late-swing
        ankle angle (the last 45 % of swing).
    active_dorsiflexion_deg : float
        Extra dorsiflexion of the active strategy in late swing, degrees.
    arm_swing_deg : float
        Amplitude of the upper-arm swing about its mean, degrees.
    elbow_flexion_deg : float
        Mean elbow flexion, degrees.
    """

    speed_mps: float = 3.3
    cadence_spm: float = 170.0
    stature_m: float = 1.75
    contact_time_s: float | None = None
    trunk_lean_deg: float = 7.0
    hip_extension_deg: float = 20.0
    thigh_flexion_swing_deg: float = 35.0
    knee_flexion_ic_deg: float = 18.0
    knee_flexion_stance_deg: float = 44.0
    knee_flexion_swing_deg: float = 95.0
    foot_strike: str = "rearfoot"
    foot_strike_angle_deg: float | None = None
    toe_off_foot_angle_deg: float = -50.0
    overstride_cm: float = 20.0
    ankle_strategy: str = "passive"
    active_dorsiflexion_deg: float = 12.0
    arm_swing_deg: float = 30.0
    elbow_flexion_deg: float = 85.0

    def __post_init__(self) -> None:
        _check_positive(self, ("speed_mps", "cadence_spm", "stature_m"))
        if self.contact_time_s is not None:
            _check_positive(self, ("contact_time_s",))
            _check_flight(self.contact_time_s, self)
        if self.foot_strike not in STRIKE_ANGLE_DEG:
            raise InputError(
                f"foot_strike must be one of {sorted(STRIKE_ANGLE_DEG)}, "
                f"not {self.foot_strike!r}."
            )
        if self.ankle_strategy not in ("passive", "active"):
            raise InputError(
                f"ankle_strategy must be 'passive' or 'active', not {self.ankle_strategy!r}."
            )
        angle = self.strike_angle_deg
        if not -25.0 <= angle <= 35.0:
            raise InputError(
                f"foot_strike_angle_deg={angle}° is outside the modelled range -25..35°."
            )
        expected = _strike_class(angle)
        if expected != self.foot_strike:
            raise InputError(
                f"foot_strike_angle_deg={angle}° is a {expected} strike by the Altman & "
                f"Davis boundaries (> 8° rearfoot, < -1.6° forefoot), not {self.foot_strike}."
                " Change one of the two, or leave the angle as None."
            )

    @property
    def strike_angle_deg(self) -> float:
        """Foot-strike angle in degrees actually used (toe up +)."""
        if self.foot_strike_angle_deg is None:
            return STRIKE_ANGLE_DEG.get(self.foot_strike, 0.0)
        return float(self.foot_strike_angle_deg)

    @property
    def step_time_s(self) -> float:
        """Duration of one step (contact of one foot to contact of the other), s."""
        return 60.0 / self.cadence_spm

    @property
    def stride_time_s(self) -> float:
        """Duration of one stride (two steps), s."""
        return 2.0 * self.step_time_s

    @property
    def contact_s(self) -> float:
        """Contact time in seconds: ``contact_time_s`` or its automatic value."""
        if self.contact_time_s is not None:
            return float(self.contact_time_s)
        return _auto_contact_time(self)

    @property
    def duty_factor(self) -> float:
        """Contact time as a fraction of the stride time (science.md §4: about 0.4)."""
        return self.contact_s / self.stride_time_s

    def resolved(self) -> RunnerParams:
        """These parameters with the automatic contact time filled in."""
        if self.contact_time_s is not None:
            return self
        return dataclasses.replace(self, contact_time_s=round(self.contact_s, 6))

    @property
    def step_length_m(self) -> float:
        """Distance travelled per step, m."""
        return self.speed_mps * self.step_time_s

    def replace(self, **changes: Any) -> RunnerParams:
        """A copy with some parameters changed."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Parameters as a JSON-friendly dict (plus the derived strike angle)."""
        out = dataclasses.asdict(self)
        out["strike_angle_deg_used"] = self.strike_angle_deg
        return out


def _check_positive(params: RunnerParams, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(params, name)
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise InputError(f"{name} must be a positive number, got {value!r}.")


#: Knee flexion at toe-off (deg) assumed when the contact time is automatic.
KNEE_FLEXION_TO_DEG = 22.0


def _check_flight(contact_time_s: float, p: RunnerParams) -> None:
    if contact_time_s >= p.step_time_s:
        raise InputError(
            f"contact time {contact_time_s:.3f} s is not shorter than a step "
            f"({p.step_time_s:.3f} s at {p.cadence_spm} spm): a runner needs a flight "
            "phase. Shorten the contact time, raise the speed or lower the cadence."
        )


def _auto_contact_time(p: RunnerParams) -> float:
    """Contact time (s) that makes contact and toe-off geometry consistent.

    The toe is ``overstride_cm`` + foot length ahead of the hip at contact (once the foot
    is flat) and, at toe-off, where a leg with the thigh ``hip_extension_deg`` behind
    vertical, the knee flexed :data:`KNEE_FLEXION_TO_DEG` and the foot at
    ``toe_off_foot_angle_deg`` puts it. The hips cover the distance at ``speed_mps``.
    """
    seg = segment_lengths(p.stature_m)
    phi_t = -math.radians(p.hip_extension_deg)
    phi_s = phi_t - math.radians(KNEE_FLEXION_TO_DEG)
    ankle_x = seg["thigh"] * math.sin(phi_t) + seg["shank"] * math.sin(phi_s)
    toe_to_ankle = np.array([seg["ankle_from_heel"] - seg["foot"], seg["ankle_height"]])
    a_to = math.radians(p.toe_off_foot_angle_deg)
    rx = math.cos(a_to) * toe_to_ankle[0] - math.sin(a_to) * toe_to_ankle[1]
    toe_x_to = ankle_x - rx
    toe_x_ic = _flat_heel_at_contact(p, seg) + seg["foot"]
    contact = (toe_x_ic - toe_x_to) / p.speed_mps
    if contact <= 0:
        raise InputError("overstride_cm is too small for this hip extension: raise it.")
    _check_flight(contact, p)
    return contact


def _flat_heel_at_contact(p: RunnerParams, seg: dict[str, float]) -> float:
    """x (m, ahead of the hip) where the heel lies once the contact foot is flat."""
    heel_x_ic = p.overstride_cm / 100.0
    a0 = math.radians(p.strike_angle_deg)
    if a0 < 0:  # forefoot: the toe lands; the flat heel ends up a foot length behind it
        return heel_x_ic + seg["foot"] * math.cos(a0) - seg["foot"]
    return heel_x_ic


def _strike_class(angle_deg: float) -> str:
    if angle_deg > _RFS_ABOVE:
        return "rearfoot"
    if angle_deg < _FFS_BELOW:
        return "forefoot"
    return "midfoot"


def segment_lengths(stature_m: float) -> dict[str, float]:
    """Segment lengths and landmark heights in metres from Winter's stature ratios.

    Returns thigh (hip → knee), shank (knee → ankle), foot (heel → toe), ankle height
    and set-back from the heel, hip and shoulder heights standing, trunk (hip →
    shoulder), upper arm, forearm, hand, and the lateral half-widths of hips and
    shoulders.
    """
    h = float(stature_m)
    foot = 0.152 * h
    return {
        "thigh": (0.530 - 0.285) * h,
        "shank": (0.285 - 0.039) * h,
        "foot": foot,
        "ankle_height": 0.039 * h,
        "ankle_from_heel": 0.25 * foot,
        "hip_height": 0.530 * h,
        "shoulder_height": 0.818 * h,
        "trunk": (0.818 - 0.530) * h,
        "upper_arm": 0.186 * h,
        "forearm": 0.146 * h,
        "hand": 0.108 * h,
        "neck_to_head": 0.118 * h,
        "hip_half_width": 0.191 * h / 4.0,
        "shoulder_half_width": 0.259 * h / 2.0 * 0.8,
    }


# ------------------------------------------------------------------ planar helpers
def _down(angle: np.ndarray) -> np.ndarray:
    """Unit vectors (x, z) pointing down, rotated forward by ``angle`` (rad)."""
    return np.stack([np.sin(angle), -np.cos(angle)], axis=-1)


def _rot(vec: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate 2D (x, z) vectors counter-clockwise (toe up) by ``angle`` (rad)."""
    c, s = np.cos(angle), np.sin(angle)
    x, z = vec[..., 0], vec[..., 1]
    return np.stack([c * x - s * z, s * x + c * z], axis=-1)


def _phi(v: np.ndarray) -> np.ndarray:
    """science.md §1 ``phi``: angle (rad) of a downward vector from vertical, distal ahead +."""
    return np.arctan2(v[..., 0], -v[..., 1])


def _ang(v: np.ndarray) -> np.ndarray:
    """science.md §1 ``ang``: angle (rad) of a vector counter-clockwise from +x."""
    return np.arctan2(v[..., 1], v[..., 0])


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


# -------------------------------------------------------------------- the gait
class _Gait:
    """Planar kinematics of one leg relative to the hip, treadmill frame (hip at x=0)."""

    #: Swing fractions of peak knee flexion, of the knee's mid-extension and its minimum.
    KNEE_KNOTS = (0.45, 0.72, 0.94)
    #: Knee extension (deg) below the contact value just before contact.
    KNEE_DIP_DEG = 5.0
    #: Swing fraction of peak thigh flexion (then retraction until contact).
    THIGH_PEAK_AT = 0.8
    #: Swing fractions where the active strategy's extra dorsiflexion rises and falls.
    ACTIVE_WINDOW = (0.55, 0.7, 0.78, 0.9)
    #: Knee extension rate at toe-off relative to the mean extension rate of late stance
    #: (push-off: the knee extends and the heel rises, so the hips rise into flight).
    KNEE_RATE_TO = 1.0
    #: Least height (m) of the swing foot's lowest point between 15 % and 75 % of swing.
    CLEARANCE_M = 0.005
    #: Downward speed (m/s) of the landing part when the ground stops it at IC: least,
    #: preferred and largest searched first (foot vertical speed at touchdown ~0.5-1.5
    #: m/s; Fukuchi force plates: the landing part is fastest within 4 ms of force onset).
    LANDING_SPEED_MPS = (0.6, 1.2, 1.4)
    #: Hard upper limit (m/s), used only when the hips fall so fast before contact that
    #: a slower landing cannot be reached (an overstrider's straight knee).
    LANDING_SPEED_MAX = 1.8
    #: Plantarflexion (deg) a forefoot striker may add in mid-window to reach the ground.
    TOE_POINT_DEG = (0.0, 6.0, 12.0, 18.0)
    #: Over the last LANDING_CHECK_S of swing, wherever the landing part is lower than
    #: LANDING_NEAR_M it only descends, and never faster than at IC.
    LANDING_CHECK_S = 0.12
    LANDING_NEAR_M = 0.06
    #: Least gain of downward speed of the landing part from 90-50 ms before IC to IC.
    LANDING_DIP_MPS = 0.3
    #: Fraction of the landing window in which the foot turns to its strike angle.
    LANDING_TURN = 0.5
    #: Push-off: the toe is TOE_OFF_RISE_M up TOE_OFF_RISE_S after TO and keeps rising
    #: until TOE_OFF_CLEAR_M; the lift acts over the first LIFT_WINDOW of swing.
    TOE_OFF_RISE_M = 0.02
    TOE_OFF_RISE_S = 0.012
    TOE_OFF_CLEAR_M = 0.06
    LIFT_WINDOW = 0.35

    def __init__(self, p: RunnerParams) -> None:
        p = p.resolved()
        self.p = p
        self.seg = segment_lengths(p.stature_m)
        self.T = p.stride_time_s
        self.Ts = p.step_time_s
        self.Tc = p.contact_time_s
        self.Tsw = self.T - self.Tc
        self.a0 = math.radians(p.strike_angle_deg)
        self.a_to = math.radians(p.toe_off_foot_angle_deg)
        self.t_roll = self.Tc * (0.06 + 0.01 * abs(p.strike_angle_deg)) if self.a0 else 0.0
        self.t_heel_off = self.Tc * 0.5
        if self.a_to >= 0:
            raise InputError("toe_off_foot_angle_deg must be negative (heel up at toe-off).")
        self._set_ground_reference()
        self._set_hip_height()
        self._set_swing()
        self._check_clearance()

    # ---- stance foot
    def _set_ground_reference(self) -> None:
        """x of the heel (treadmill frame) at IC if the foot were flat: ``g(tau)``."""
        self.g0 = _flat_heel_at_contact(self.p, self.seg)

    def foot_angle_stance(self, tau: np.ndarray) -> np.ndarray:
        """Foot angle (rad, toe up +) during stance, ``tau`` s after IC."""
        a = np.zeros_like(tau)
        if self.t_roll > 0:
            r = np.clip(tau / self.t_roll, 0.0, 1.0)
            a = np.where(tau < self.t_roll, self.a0 * (1.0 - r) ** 2, a)
        u = np.clip((tau - self.t_heel_off) / (self.Tc - self.t_heel_off), 0.0, 1.0)
        return np.where(tau > self.t_heel_off, self.a_to * u**2, a)

    def foot_stance(self, tau: np.ndarray) -> dict[str, np.ndarray]:
        """Heel, toe and ankle (x, z) in stance; the pivot sits exactly on z = 0."""
        lf = self.seg["foot"]
        a = self.foot_angle_stance(tau)
        g = self.g0 - self.p.speed_mps * tau
        zeros = np.zeros_like(tau)
        heel_pivot = np.stack([g, zeros], axis=-1)
        toe_pivot = np.stack([g + lf, zeros], axis=-1)
        along = np.stack([np.cos(a), np.sin(a)], axis=-1) * lf
        toe_first = (self.a0 < 0) & (tau < self.t_roll)
        on_toe = (tau > self.t_heel_off) | toe_first
        heel = np.where(on_toe[:, None], toe_pivot - along, heel_pivot)
        toe = np.where(on_toe[:, None], toe_pivot, heel_pivot + along)
        ankle = heel + _rot(self._ankle_in_foot(), a)
        return {"heel": heel, "foot_index": toe, "ankle": ankle, "foot_angle": a}

    def _ankle_in_foot(self) -> np.ndarray:
        return np.array([self.seg["ankle_from_heel"], self.seg["ankle_height"]])

    # ---- hip height
    def _leg_span(self, knee_flexion: np.ndarray) -> np.ndarray:
        """Hip-to-ankle distance (m) for a knee flexion (rad)."""
        lt, ls = self.seg["thigh"], self.seg["shank"]
        return np.sqrt(lt * lt + ls * ls + 2.0 * lt * ls * np.cos(knee_flexion))

    def _knee_flexion_at_toe_off(self, ankle: np.ndarray) -> float:
        """Knee flexion (rad) at TO that puts the thigh ``hip_extension_deg`` behind vertical."""
        lt, ls = self.seg["thigh"], self.seg["shank"]
        phi_t = -math.radians(self.p.hip_extension_deg)
        dx = ankle[0] - lt * math.sin(phi_t)
        flexion = phi_t - math.asin(dx / ls) if abs(dx) < ls else -1.0
        if flexion <= 0:
            raise InputError(
                f"With hip_extension_deg={self.p.hip_extension_deg} the leg cannot reach the "
                "toe-off foot position without over-straightening the knee: change "
                "hip_extension_deg, contact_time_s, speed_mps or overstride_cm."
            )
        return flexion

    def _set_hip_height(self) -> None:
        """Stance: knee flexion through IC, mid-stance and TO values sets the hip height.

        Flight: a cubic from the toe-off height and velocity to the contact ones.
        """
        p, tc, ts = self.p, self.Tc, self.Ts
        t_mid = 0.45 * tc
        to_ankle = self.foot_stance(np.array([tc]))["ankle"][0]
        k_to = self._knee_flexion_at_toe_off(to_ankle)
        k_ic, k_mid = math.radians(p.knee_flexion_ic_deg), math.radians(p.knee_flexion_stance_deg)
        if not (k_mid > k_ic and k_mid > k_to):
            raise InputError(
                f"knee_flexion_stance_deg={p.knee_flexion_stance_deg} must exceed the knee flexion "
                f"at contact ({p.knee_flexion_ic_deg}) and at toe-off ({math.degrees(k_to):.0f})."
            )
        # Flexing at contact, still at mid-stance, extending at toe-off (push-off).
        self.knee_stance = CubicHermiteSpline(
            [0.0, t_mid, tc], [k_ic, k_mid, k_to],
            [1.5 * (k_mid - k_ic) / t_mid, 0.0,
             -self.KNEE_RATE_TO * (k_mid - k_to) / (tc - t_mid)],
        )
        h = 1e-5
        z_ic, z_ic2 = self._hip_z_stance(np.array([0.0, h]))
        z_to0, z_to = self._hip_z_stance(np.array([tc - h, tc]))
        # Flight: up after toe-off, down before contact (no dip, no bounce).
        self._flight = CubicHermiteSpline(
            [tc, ts], [z_to, z_ic], [max((z_to - z_to0) / h, 0.0), min((z_ic2 - z_ic) / h, 0.0)]
        )
        grid = np.linspace(0.0, ts, 400)
        z = self.hip_z(grid)
        self.hip_levels = {"ic": float(z_ic), "to": float(z_to), "min": float(z.min()),
                           "max": float(z.max())}

    def _hip_z_stance(self, tau: np.ndarray) -> np.ndarray:
        ankle = self.foot_stance(tau)["ankle"]
        span = self._leg_span(self.knee_stance(tau))
        if np.any(np.abs(ankle[:, 0]) >= span):
            raise InputError(
                "The stance leg cannot reach the foot: lower speed_mps, contact_time_s or "
                "overstride_cm, or raise knee_flexion_ic_deg."
            )
        return ankle[:, 1] + np.sqrt(span**2 - ankle[:, 0] ** 2)

    def hip_z(self, sigma: np.ndarray) -> np.ndarray:
        """Hip height (m) ``sigma`` s after the last IC of either foot."""
        sigma = np.mod(np.atleast_1d(np.asarray(sigma, dtype=float)), self.Ts)
        stance = sigma < self.Tc
        z = np.empty_like(sigma)
        if stance.any():
            z[stance] = self._hip_z_stance(sigma[stance])
        if (~stance).any():
            z[~stance] = self._flight(sigma[~stance])
        return z

    # ---- stance leg
    def stance(self, tau: np.ndarray) -> dict[str, np.ndarray]:
        """Leg points (x, z) and angles (rad) in stance, ``tau`` s after IC."""
        lt, ls = self.seg["thigh"], self.seg["shank"]
        foot = self.foot_stance(tau)
        hip = np.stack([np.zeros_like(tau), self.hip_z(tau)], axis=-1)
        v = foot["ankle"] - hip
        d = np.hypot(v[:, 0], v[:, 1])
        if np.any(d > lt + ls - 1e-9):
            raise InputError(
                "The stance leg would have to be longer than thigh + shank: lower the speed, "
                "contact time, overstride or hip extension, or raise the knee flexion."
            )
        alpha = np.arccos(np.clip((lt * lt + d * d - ls * ls) / (2 * lt * d), -1, 1))
        phi_t = _phi(v) + alpha
        knee = hip + lt * _down(phi_t)
        phi_s = _phi(foot["ankle"] - knee)
        return {
            "hip": hip, "knee": knee, "ankle": foot["ankle"], "heel": foot["heel"],
            "foot_index": foot["foot_index"], "thigh": phi_t, "knee_flexion": phi_t - phi_s,
            "dorsiflexion": foot["foot_angle"] - phi_s,
        }

    # ---- swing leg
    def _stance_state(self, tau: float, h: float) -> dict[str, tuple[float, float]]:
        """Value and one-sided time derivative of the stance angles at ``tau``."""
        s = self.stance(np.array([tau, tau + h]))
        return {k: (float(s[k][0]), float((s[k][1] - s[k][0]) / h))
                for k in ("thigh", "knee_flexion", "dorsiflexion")}

    def _set_swing(self) -> None:
        p, tc, t_end, tsw = self.p, self.Tc, self.T, self.Tsw
        h = 1e-5
        at_to = self._stance_state(tc - h, h)
        at_to = {k: (v + d * h, d) for k, (v, d) in at_to.items()}
        at_ic = self._stance_state(0.0, h)
        thigh_peak = max(math.radians(p.thigh_flexion_swing_deg), at_ic["thigh"][0]
                         + math.radians(3.0))
        self.thigh = CubicHermiteSpline(
            [tc, tc + self.THIGH_PEAK_AT * tsw, t_end],
            [at_to["thigh"][0], thigh_peak, at_ic["thigh"][0]],
            [at_to["thigh"][1], 0.0, at_ic["thigh"][1]],
        )
        k_sw, k_ic = math.radians(p.knee_flexion_swing_deg), at_ic["knee_flexion"][0]
        s_peak, s_mid, s_min = self.KNEE_KNOTS
        self.knee = CubicSpline(
            tc + tsw * np.array([0.0, s_peak, s_mid, s_min, 1.0]),
            [at_to["knee_flexion"][0], k_sw, 0.3 * k_ic + 0.7 * k_sw,
             k_ic - math.radians(self.KNEE_DIP_DEG), k_ic],
            # The knee stops extending at toe-off and flexes into swing.
            bc_type=((1, max(at_to["knee_flexion"][1], 0.0)), (1, at_ic["knee_flexion"][1])),
        )
        # Foot angle held constant just before contact: d(dorsiflexion) = -d(shank angle).
        shank_rate = at_ic["thigh"][1] - at_ic["knee_flexion"][1]
        d_ic, d_mid = at_ic["dorsiflexion"][0], math.radians(2.0)
        d_to = at_to["dorsiflexion"][0]
        # The ankle starts to dorsiflex as the toe leaves the ground (lifts the toe).
        rate_to = max(at_to["dorsiflexion"][1], 1.5 * (d_mid - d_to) / (0.45 * tsw))
        self.ankle = CubicSpline(
            tc + tsw * np.array([0.0, 0.45, 0.8, 1.0]),
            [d_to, d_mid, max(d_ic, d_mid), d_ic],
            bc_type=((1, rate_to), (1, -shank_rate)),
        )
        self._lift = 0.0
        self._landing = None
        self._set_push_off()
        self._set_landing()

    # ---- swing: push-off and landing
    def _landing_offset(self) -> np.ndarray:
        """Landing point (heel, or toe for a forefoot strike) in the foot frame (m)."""
        return np.array([self.seg["foot"] if self.a0 < 0 else 0.0, 0.0])

    def _toe_off_lift(self, tau: np.ndarray) -> np.ndarray:
        """Extra dorsiflexion (rad) just after toe-off that lifts the toe off the ground."""
        if self._lift == 0.0:
            return np.zeros_like(tau)
        u = np.clip((tau - self.Tc) / (self.LIFT_WINDOW * self.Tsw), 0.0, 1.0)
        return self._lift * 6.75 * u * (1.0 - u) ** 2

    def _set_push_off(self) -> None:
        """Smallest extra early-swing dorsiflexion with which the toe leaves the ground
        promptly (:data:`TOE_OFF_RISE_M` within :data:`TOE_OFF_RISE_S`) and keeps rising
        until it is :data:`TOE_OFF_CLEAR_M` up (a push-off, not a toe dragging off)."""
        tau = self.Tc + np.linspace(0.0, self.LIFT_WINDOW * self.Tsw, 400)
        hip = self.hip_z(tau)
        for deg in np.arange(0.0, 40.5, 1.0):
            self._lift = math.radians(deg)
            z = self.swing(tau, hip)["foot_index"][:, 1]
            up = np.nonzero(z >= self.TOE_OFF_CLEAR_M)[0]
            early = z[tau - self.Tc <= self.TOE_OFF_RISE_S]
            if (up.size and early[-1] >= self.TOE_OFF_RISE_M
                    and np.all(np.diff(z[: up[0] + 1]) > 0)):
                return
        self._lift = math.radians(40.0)

    def _set_landing(self) -> None:
        """Late-swing approach of the landing part to the ground: the ground stops it.

        Before touchdown the swinging leg and the falling body drive the landing part
        (heel, or toe for a forefoot strike) downwards, faster and faster; the ground
        stops it at IC. Over the last ``tw`` seconds of swing its height follows a
        cubic from the unmodified swing leg's height and vertical velocity to 0 at IC
        with a downward speed ``v`` (about :data:`LANDING_SPEED_MPS`); near the ground
        (below :data:`LANDING_NEAR_M`) it only descends and never faster than at IC, and
        it gains :data:`LANDING_DIP_MPS` of downward speed over the final approach, as
        a foot stopped by the ground does. The foot turns to its strike angle in the
        first half of that time and then keeps it (heel and toe descend together); the
        leg follows by two-link inverse kinematics (hip → knee → ankle), so joint
        angular velocities change abruptly at IC, as at a real impact.
        """
        best = None
        h = 1e-5
        near = np.linspace(self.T - self.LANDING_CHECK_S, self.T, 241)
        z_fk = self._landing_fk(near)[:, 1]
        approach = (near[1:] >= self.T - 0.09) & (near[1:] <= self.T - 0.05)
        for tw in np.arange(0.04, 0.2001, 0.005):
            ts = self.T - tw
            if ts < self.Tc + 0.5 * self.Tsw:
                break
            pts, fa = self._landing_fk(np.array([ts, ts + h]), with_angle=True)
            z0, m0 = pts[0, 1], (pts[1, 1] - pts[0, 1]) / h
            if not (z0 > 0.0 and abs(fa[0] - self.a0) < math.radians(25.0)):
                continue
            for v in np.arange(self.LANDING_SPEED_MPS[0], self.LANDING_SPEED_MAX + 1e-9, 0.05):
                cand = {"ts": ts, "tw": tw, "z0": z0, "m0": m0, "v": v, "point": 0.0,
                        "fa0": fa[0], "dfa0": (fa[1] - fa[0]) / h}
                self._landing = cand
                z = np.where(near > ts, self._landing_height(near), z_fk)
                vz = np.diff(z) / np.diff(near)
                low = z[1:] < self.LANDING_NEAR_M
                if np.any(vz[low] > 0.0) or np.any(vz[low] < -v - 1e-6):
                    continue
                dip = v + vz[approach].min()
                score = (abs(v - self.LANDING_SPEED_MPS[1]) + abs(tw - 0.08)
                         + 3.0 * max(self.LANDING_DIP_MPS - dip, 0.0)
                         + 10.0 * max(v - self.LANDING_SPEED_MPS[2], 0.0))
                if best is not None and score >= best[0]:
                    continue
                for point in self.TOE_POINT_DEG if self.a0 < 0 else (0.0,):
                    self._landing = dict(cand, point=math.radians(point))
                    if self._landing_reachable():
                        best = (score, self._landing)
                        break
        self._landing = None if best is None else best[1]

    def _landing_fk(self, tau: np.ndarray, with_angle: bool = False):
        """(x, z) of the landing point on the unmodified swing leg (and foot angle)."""
        saved, self._landing = self._landing, None
        try:
            sw = self.swing(tau, self.hip_z(tau))
        finally:
            self._landing = saved
        fa = sw["foot_angle_passive"]
        pts = sw["ankle"] + _rot(self._landing_offset() - self._ankle_in_foot(), fa)
        return (pts, fa) if with_angle else pts

    def _landing_reachable(self) -> bool:
        tau = self._landing["ts"] + np.linspace(0.0, self._landing["tw"], 200)
        sw = self.swing(tau, self.hip_z(tau))
        return bool(np.all(np.isfinite(sw["knee_flexion"]))
                    and np.all(sw["knee_flexion"] > math.radians(1.0)))

    def _landing_height(self, tau: np.ndarray) -> np.ndarray:
        c = self._landing
        tw = c["tw"]
        u = (tau - c["ts"]) / tw
        h00, h10, h11 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u, u**3 - u**2
        return h00 * c["z0"] + h10 * tw * c["m0"] - h11 * tw * c["v"]

    def _landing_foot_angle(self, tau: np.ndarray) -> np.ndarray:
        """Passive foot angle (rad) in the landing window: to the strike angle, then held."""
        c = self._landing
        span = self.LANDING_TURN * c["tw"]
        u = np.clip((tau - c["ts"]) / span, 0.0, 1.0)
        h00, h10, h01 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u, -2 * u**3 + 3 * u**2
        fa = h00 * c["fa0"] + h10 * span * c["dfa0"] + h01 * self.a0
        r = (tau - c["ts"]) / c["tw"]
        return fa - c["point"] * 16.0 * r**2 * (1.0 - r) ** 2

    def _check_clearance(self) -> None:
        """Raise if the swing foot would touch or scrape the ground."""
        s = np.linspace(0.0, 1.0, 801)[1:-1]
        tau = self.Tc + s * self.Tsw
        sw = self.swing(tau, self.hip_z(tau))
        low = np.minimum(sw["heel"][:, 1], sw["foot_index"][:, 1])
        mid = (s >= 0.15) & (s <= 0.75)
        if np.any(low <= 0.0) or np.any(low[mid] < self.CLEARANCE_M):
            where = s[np.argmin(np.where(mid, low - self.CLEARANCE_M, low))]
            drop = self.hip_levels["to"] - self.hip_levels["ic"]
            advice = (
                f"the hips are {100 * drop:.0f} cm lower at contact than at toe-off: lower "
                "knee_flexion_ic_deg (reach with a straighter knee) or overstride_cm"
                if drop > 0.05 else
                "early swing: lower hip_extension_deg or raise speed_mps; late swing: raise "
                "thigh_flexion_swing_deg or knee_flexion_swing_deg"
            )
            raise InputError(
                f"The swing foot would scrape the ground at {where:.0%} of swing: {advice}."
            )

    def active_bump(self, tau: np.ndarray) -> np.ndarray:
        """Extra dorsiflexion (rad) of the active strategy; 0 outside the late swing."""
        if self.p.ankle_strategy != "active":
            return np.zeros_like(tau)
        s = (tau - self.Tc) / self.Tsw
        a, b, c, d = self.ACTIVE_WINDOW
        w = _smoothstep((s - a) / (b - a)) * (1.0 - _smoothstep((s - c) / (d - c)))
        w = np.where((s > a) & (s < d), w, 0.0)
        return math.radians(self.p.active_dorsiflexion_deg) * w

    def swing(self, tau: np.ndarray, hip_z: np.ndarray) -> dict[str, np.ndarray]:
        """Leg points (x, z) and angles (rad) in swing, ``tau`` s after the last IC.

        Thigh, knee and ankle splines, plus the push-off lift of the toe just after TO;
        in the last part of swing the landing point follows its descent profile
        (:meth:`_set_landing`) by inverse kinematics of hip → knee → ankle.
        """
        lt, ls = self.seg["thigh"], self.seg["shank"]
        tau = np.asarray(tau, dtype=float)
        phi_t = self.thigh(tau)
        phi_s = phi_t - self.knee(tau)
        # Foot angle of the passive strategy; the active one adds its bump on top.
        fa_passive = self.ankle(tau) + self._toe_off_lift(tau) + phi_s
        hip = np.stack([np.zeros_like(tau), hip_z], axis=-1)
        knee = hip + lt * _down(phi_t)
        ankle = knee + ls * _down(phi_s)
        if self._landing is not None:
            w = tau > self._landing["ts"]
            if w.any():
                fa_passive = fa_passive.copy()
                fa_passive[w] = self._landing_foot_angle(tau[w])
                rel = _rot(self._landing_offset() - self._ankle_in_foot(), fa_passive[w])
                point = ankle[w] + rel
                point[:, 1] = self._landing_height(tau[w])
                target = point - rel
                v = target - hip[w]
                d = np.hypot(v[:, 0], v[:, 1])
                cos_a = (lt * lt + d * d - ls * ls) / (2 * lt * d)
                alpha = np.arccos(np.where(np.abs(cos_a) <= 1.0, cos_a, np.nan))
                phi_t = phi_t.copy()
                phi_s = phi_s.copy()
                phi_t[w] = _phi(v) + alpha
                knee[w] = hip[w] + lt * _down(phi_t[w])
                phi_s[w] = _phi(target - knee[w])
                ankle[w] = knee[w] + ls * _down(phi_s[w])
        foot_angle = fa_passive + self.active_bump(tau)
        heel = ankle - _rot(self._ankle_in_foot(), foot_angle)
        along = np.stack([np.cos(foot_angle), np.sin(foot_angle)], axis=-1) * self.seg["foot"]
        return {"hip": hip, "knee": knee, "ankle": ankle, "heel": heel,
                "foot_index": heel + along, "thigh": phi_t, "knee_flexion": phi_t - phi_s,
                "dorsiflexion": foot_angle - phi_s, "foot_angle_passive": fa_passive}

    def leg(self, time: np.ndarray, ics: np.ndarray, sigma: np.ndarray) -> dict[str, np.ndarray]:
        """Leg points (x, z) at ``time`` (s) given this leg's IC times ``ics`` (s, sorted,
        covering the clip) and ``sigma``, the time since the last IC of either foot.

        A frame is in stance when ``ic <= t < ic + contact_time_s`` for one of ``ics``:
        the same arithmetic as the event lists, so flags and events always agree.
        """
        last = np.searchsorted(ics, time, side="right") - 1
        tau = time - ics[last]
        in_stance = time < ics[last] + self.Tc
        out = {k: np.empty((time.size, 2)) for k in LEG_JOINTS}
        if in_stance.any():
            st = self.stance(np.clip(tau[in_stance], 0.0, self.Tc))
            for k in LEG_JOINTS:
                out[k][in_stance] = st[k]
        if (~in_stance).any():
            tau_sw = np.clip(tau[~in_stance], self.Tc, self.T)
            sw = self.swing(tau_sw, self.hip_z(sigma[~in_stance]))
            for k in LEG_JOINTS:
                out[k][~in_stance] = sw[k]
        out["contact"] = in_stance
        return out


# ------------------------------------------------------------------- the motion
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
        centres with the formulas of science.md §1.
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
        return {name: camera.project(p, self.camera_x(camera))
                for name, p in self.joints.items()}

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
        from .clip import Clip
        from .landmarks import INDEX

        camera = (Camera() if camera is None else camera).at_hip_height(self.params.stature_m)
        px = self.project(camera)
        landmarks = {k: v for k, v in px.items() if k in INDEX}
        return Clip.from_arrays(
            landmarks, self.fps, width=camera.image_size[0], height=camera.image_size[1],
            time=self.time, direction=camera.facing, near_side=camera.near_side,
            treadmill=bool(self.treadmill or camera.follow),
            provenance={"source": "runform.model", "params": self.params.to_dict(),
                        "camera": camera.to_dict()},
        )


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


# ------------------------------------------------------------------ simulation
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
    contact = {}
    all_ics = _contacts(ic0, gait, time[-1])
    for side in SIDES:
        leg = gait.leg(time, all_ics[side], sigma)
        y = seg["hip_half_width"] * (1.0 if side == "left" else -1.0)
        for name in LEG_JOINTS:
            xz = leg[name]
            joints[f"{side}_{name}"] = np.column_stack([xz[:, 0] + hip_x, np.full(n, y), xz[:, 1]])
        contact[side] = leg["contact"]
    joints["mid_hip"] = 0.5 * (joints["left_hip"] + joints["right_hip"])
    _add_upper_body(joints, time, gait, ic0)
    ic_s, to_s = _events(ic0, gait, n / float(fps))
    return RunnerMotion(
        time=time, fps=float(fps), joints=joints, angles=sagittal_angles(joints),
        contact=contact, ic_s=ic_s, to_s=to_s, params=params, treadmill=bool(treadmill),
        segments=dict(seg),
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


def _add_upper_body(joints: dict[str, np.ndarray], time: np.ndarray, gait: _Gait,
                    ic0: dict[str, float]) -> None:
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
        "left_eye_inner": (0.09, 0.017, 0.025), "right_eye_inner": (0.09, -0.017, 0.025),
        "left_eye": (0.085, 0.032, 0.025), "right_eye": (0.085, -0.032, 0.025),
        "left_eye_outer": (0.075, 0.047, 0.025), "right_eye_outer": (0.075, -0.047, 0.025),
        "left_ear": (-0.005, 0.075, 0.0), "right_ear": (-0.005, -0.075, 0.0),
        "mouth_left": (0.09, 0.025, -0.05), "mouth_right": (0.09, -0.025, -0.05),
    }
    for name, offset in face.items():
        joints[name] = head + h * np.asarray(offset)


def _xz3(xz: np.ndarray, dy: float) -> np.ndarray:
    """Planar (x, z) unit vectors to 3D, with a small lateral component ``dy``."""
    v = np.column_stack([xz[:, 0], np.full(len(xz), dy), xz[:, 1]])
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def sagittal_angles(joints: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """science.md §1 angles (degrees) from 3D joint centres (X forward, Z up).

    Uses the sagittal (X, Z) coordinates; the runner faces +X, so no mirroring.
    """
    def xz(name: str) -> np.ndarray:
        return joints[name][:, [0, 2]]

    trunk = 0.5 * (xz("left_shoulder") + xz("right_shoulder")) - 0.5 * (
        xz("left_hip") + xz("right_hip"))
    lean = np.arctan2(trunk[:, 0], trunk[:, 1])
    out = {"trunk_lean": np.degrees(lean)}
    for side in SIDES:
        hip, knee, ankle = xz(f"{side}_hip"), xz(f"{side}_knee"), xz(f"{side}_ankle")
        foot = xz(f"{side}_foot_index") - xz(f"{side}_heel")
        phi_t, phi_s = _phi(knee - hip), _phi(ankle - knee)
        dorsi = np.pi / 2 - (_ang(knee - ankle) - _ang(foot))
        dorsi = (dorsi + np.pi) % (2 * np.pi) - np.pi
        values = {
            "thigh_angle": phi_t, "shank_angle": phi_s, "knee_flexion": phi_t - phi_s,
            "hip_flexion": phi_t + lean, "foot_angle": _ang(foot), "ankle_dorsiflexion": dorsi,
        }
        for name, v in values.items():
            out[f"{side}_{name}"] = np.degrees(v)
    return out
