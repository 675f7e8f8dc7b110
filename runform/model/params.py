"""Parameters of the simulated runner in coaching terms, and segment lengths."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from ..errors import InputError

#: Typical foot-strike angle (deg, toe up +) per strike type (Nishiguchi et al. 2025,
#: J Sports Sci Med 24:747).
STRIKE_ANGLE_DEG = {"rearfoot": 18.0, "midfoot": 3.0, "forefoot": -8.0}
#: Altman & Davis (2012, Gait Posture 35:298) boundaries (deg): > 8.0 rearfoot, < -1.6 forefoot.
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
        Steps per minute (both feet counted). Default 170
        (Lieberman et al. 2015, J Exp Biol 218:3406).
    stature_m : float
        Body height in metres; every segment length is a Winter ratio of it.
    contact_time_s : float or None
        Ground contact (stance) time of one foot in seconds; must be shorter than a
        step (``60 / cadence_spm``) so that there is a flight phase. The duty factor
        is ``contact_time_s / stride time`` (:attr:`duty_factor`). None (default): the
        time the hips need, at ``speed_mps``, to travel from the contact position
        (``overstride_cm``) to a toe-off with the thigh ``hip_extension_deg`` behind
        vertical and the knee flexed :data:`KNEE_FLEXION_TO_DEG` (about 0.25 s at
        3.3 m/s; shorter when faster, as measured: Malisoux et al. 2023). See
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
        None: the typical value of the strike type (RFS +18, MFS +3, FFS −8; Nishiguchi
        et al. 2025, J Sports Sci Med 24:747, §2). Must agree with ``foot_strike`` by the
        Altman & Davis boundaries (> 8° rearfoot, < −1.6° forefoot).
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
                f"foot_strike must be one of {sorted(STRIKE_ANGLE_DEG)}, not {self.foot_strike!r}."
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
        """Contact time as a fraction of the stride time (about 0.4; Malisoux et al. 2023)."""
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
