"""Foot-strike angle and type: Altman & Davis (2012) classes with an honest uncertain band.

The angle is the heel-to-toe landmark line at the last frame before initial contact,
measured against the ground line under that foot (:func:`runform.ground.ground_tilt_deg`,
so camera roll and an inclined belt cancel), minus the standing foot angle when a
standing trial calibrates the clip. Without one, the landmark line's own angle to the
sole is not known, so the uncertain band is wider (:data:`NO_STANDING_BAND_DEG`).

Why not the foot's own mid-stance angle as the "flat" reference? It is the sole lying on
the ground, but it is read through the landmarks *in stance*, and a video model's heel
and toe landmarks are biased there: on the rendered clips MediaPipe reads the flat foot
3–19° toe-down in mid-stance but within −4.6 to +2.5° of the truth at touchdown, so
that reference moved the rendered foot-strike angles +0.5 to +11.9° toe-up. The ground
line is fitted through the lowest positions of each landmark and only its *slope* is
used, so a landmark's height above the sole does not enter; what is left is the angle of
the landmark line to the sole.

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

__all__ = ["NO_STANDING_BAND_DEG", "FootStrike", "classify_strike", "strike_angle"]

#: Extra half-width of the uncertain band when no standing trial calibrates the foot
#: angle, degrees: the unknown angle between the heel-to-toe landmark line and the sole.
#: A pose model's heel and toe-tip keypoints both lie on the sole's outline, so the line
#: is parallel to the sole up to the shoe's heel-to-toe drop (0–12 mm over a 25–28 cm
#: shoe: 0–2.6°). Markers are worse: on the Fukuchi 2017 runners (RBDS001, 08, 011, 016;
#: Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298) the standing angle of the
#: heel-marker line is +2.5 to +4.8° to the metatarsal-head markers and −4.3 to −4.9° to
#: a toe tip on the sole, so with the 2D reading band (:data:`UNCERTAIN_BAND_DEG`) the
#: total half-width of 5° covers either.
NO_STANDING_BAND_DEG = 2.5


@dataclass(frozen=True)
class FootStrike:
    """The clip's foot-strike type and the angle it rests on.

    Attributes
    ----------
    type : {"rearfoot", "midfoot", "forefoot", "uncertain", "unknown"}
        Altman & Davis (2012) class of the mean foot-strike angle; "uncertain" when the
        mean's 95 % CI comes within the uncertain band of a threshold.
    angle : Metric
        Foot-strike angle, degrees, toe up positive: the landmark line against the
        ground line, minus the standing foot angle when the clip has a standing
        calibration.
    reference : {"standing", "ground"}
        Whether the standing foot angle was removed ("standing") or only the ground
        tilt ("ground": the landmark line's own angle to the sole is left in).
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
    return UNCERTAIN_BAND_DEG + (0.0 if standing else NO_STANDING_BAND_DEG)


def strike_angle(
    foot_angle: np.ndarray, t: np.ndarray, ic_s: float, ground_deg: float, standing: bool
) -> dict:
    """Foot-strike angle, type and reference of one contact.

    Parameters
    ----------
    foot_angle : ndarray
        Heel-to-toe landmark angle per frame, degrees, toe up positive, with the standing
        foot angle already removed when ``standing`` (:func:`runform.kinematics.angles`).
    t : ndarray
        Frame times, seconds.
    ic_s : float
        Initial contact, seconds.
    ground_deg : float
        Tilt of the ground line under this foot, degrees (rising forwards positive).
    standing : bool
        Whether a standing trial calibrated the foot angle (selects the band).

    Returns
    -------
    dict
        ``foot_strike_angle_deg``, ``foot_strike_type`` and ``foot_strike_reference``.
    """
    fsa = _before(foot_angle, t, ic_s) - ground_deg
    return {
        "foot_strike_angle_deg": fsa,
        "foot_strike_type": classify_strike(fsa, _strike_band(standing)),
        "foot_strike_reference": "standing" if standing else "ground",
    }
