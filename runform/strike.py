"""Foot-strike angle and type: Altman & Davis (2012) classes with an honest uncertain band.

The angle is the heel-to-toe landmark line at the last frame before initial contact,
relative to the standing foot angle when a standing trial calibrates the clip, otherwise
to the foot's own flat (mid-stance) angle in that stance, with a wider uncertain band.
Altman AR, Davis IS (2012). A kinematic method for footstrike pattern detection in barefoot
and shod runners. Gait Posture 35:298–300.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .reference import FFS_BELOW_DEG, RFS_ABOVE_DEG, UNCERTAIN_BAND_DEG

if TYPE_CHECKING:
    from .metrics import Metric

__all__ = ["FLAT_FOOT_PHASE", "FLAT_FOOT_REFERENCE_DEG", "FootStrike", "classify_strike"]

#: Extra half-width of the uncertain band when no standing trial calibrates the foot
#: angle, degrees. The foot's own mid-stance angle (sole flat on the ground) then stands
#: in for the standing one; loaded, the heel pad, forefoot and midsole compress, so the
#: heel-to-toe landmark line differs from standing by up to ~2.3° (0.4–2.3° on the
#: Fukuchi 2017 runners RBDS001, 08, 011 and 016, both toe landmarks; Fukuchi RK,
#: Fukuchi CA, Duarte M 2017, PeerJ 5:e3298).
FLAT_FOOT_REFERENCE_DEG = 2.5
#: Part of the stance, as fractions of contact time, over which the foot is flat
#: (after the forefoot slap of a heel strike or the heel drop of a forefoot strike,
#: before heel rise).
FLAT_FOOT_PHASE = (0.3, 0.5)


@dataclass(frozen=True)
class FootStrike:
    """The clip's foot-strike type and the angle it rests on.

    Attributes
    ----------
    type : {"rearfoot", "midfoot", "forefoot", "uncertain", "unknown"}
        Altman & Davis (2012) class of the mean foot-strike angle; "uncertain" when the
        mean's 95 % CI comes within the uncertain band of a threshold.
    angle : Metric
        Foot-strike angle, degrees, toe up positive: relative to the standing foot
        angle when the clip has a standing calibration, otherwise to the foot's own
        mid-stance (flat-foot) angle in each stance.
    reference : {"standing", "mid-stance"}
        Which of the two.
    band_deg : float
        Half-width of the uncertain band used, degrees (wider without a standing trial).
    """

    type: str
    angle: Metric
    reference: str = "standing"
    band_deg: float = UNCERTAIN_BAND_DEG

    def to_dict(self) -> dict:
        """JSON-ready dict: ``type``, ``angle_deg``, reference, band and the angle's CI, n."""
        d = self.angle.to_dict()
        d.pop("value")
        return {
            "type": self.type,
            "angle_deg": self.angle.to_dict()["value"],
            "reference": self.reference,
            "uncertain_band_deg": self.band_deg,
            **d,
        }


def classify_strike(angle_deg: float, band_deg: float = UNCERTAIN_BAND_DEG) -> str:
    """Foot-strike type from the foot-strike angle (toe up positive, degrees).

    Altman & Davis 2012 (Gait Posture 35:298): > 8.0° rearfoot, −1.6° to 8.0° midfoot,
    < −1.6° forefoot; within ``band_deg`` (default ±2.5°, the 2D reading error) of a
    threshold the answer is "uncertain".
    """
    if not np.isfinite(angle_deg):
        return "unknown"
    if any(abs(angle_deg - thr) <= band_deg for thr in (RFS_ABOVE_DEG, FFS_BELOW_DEG)):
        return "uncertain"
    if angle_deg > RFS_ABOVE_DEG:
        return "rearfoot"
    return "forefoot" if angle_deg < FFS_BELOW_DEG else "midfoot"


def _clip_strike_type(fsa: Metric, band_deg: float = UNCERTAIN_BAND_DEG) -> str:
    """Strike type of the clip: "uncertain" when the mean's 95 % CI reaches a threshold band.

    A clip-level label must hold for the runner, not just for the sample of steps: if
    the confidence interval of the mean angle comes within :data:`UNCERTAIN_BAND_DEG` of
    a threshold, the steps do not settle which side of it the runner is on.
    """
    kind = classify_strike(fsa.value, band_deg)
    lo, hi = fsa.ci95
    if kind in ("unknown", "uncertain") or not (np.isfinite(lo) and np.isfinite(hi)):
        return kind
    for thr in (RFS_ABOVE_DEG, FFS_BELOW_DEG):
        if lo - band_deg <= thr <= hi + band_deg:
            return "uncertain"
    return kind


def _before(series: np.ndarray, t: np.ndarray, when: float) -> float:
    """Value at the last frame at or before ``when`` (NaN if unknown).

    The foot-strike angle is read here rather than interpolated at IC: before
    touchdown the foot angle changes slowly, after it the foot slaps flat within a few
    tens of ms, so any sample after contact is biased towards a flatter foot.
    """
    k = int(np.searchsorted(t, when + 1e-9)) - 1
    return float(series[k]) if 0 <= k < len(series) and np.isfinite(series[k]) else float("nan")


def _strike_band(standing: bool) -> float:
    """Uncertain band for a foot-strike angle, degrees (wider without a standing trial)."""
    return UNCERTAIN_BAND_DEG + (0.0 if standing else FLAT_FOOT_REFERENCE_DEG)


def _flat_foot(foot_angle: np.ndarray, t: np.ndarray, ic: float, to: float) -> float:
    """The foot's angle while flat on the ground in this stance (median, degrees).

    The reference for the foot-strike angle when there is no standing trial: the
    sole lies on the ground during :data:`FLAT_FOOT_PHASE` of the stance, so the
    heel-to-toe landmark line has its standing angle (within
    :data:`FLAT_FOOT_REFERENCE_DEG`) and the ground's tilt, which both cancel.
    """
    lo, hi = (ic + f * (to - ic) for f in FLAT_FOOT_PHASE)
    v = foot_angle[(t >= lo) & (t <= hi)]
    v = v[np.isfinite(v)]
    return float(np.median(v)) if len(v) else float("nan")
