"""Coaching thresholds: the cut-offs the findings engine compares a measure with.

Each :class:`Threshold` says what published figure it rests on and whether it is a
project convention. Part of :mod:`runform.reference`; import these names from there.
"""

from __future__ import annotations

from dataclasses import dataclass


# ------------------------------------------------------- coaching thresholds
@dataclass(frozen=True)
class Threshold:
    """A cut-off the findings engine (:mod:`runform.findings`) compares a measure with.

    Attributes
    ----------
    name : str
        Key in :data:`THRESHOLDS` (what ``findings.json`` refers to).
    value : float
        The cut-off, in ``unit``.
    unit : str
        Unit of the value.
    basis : str
        Where it comes from: the published figure it rests on and how it is derived.
    convention : bool
        True when the cut-off is a coaching or project convention built around a
        published value, not itself a validated threshold. No row of the seed's
        problem → cause → cue table has been validated, so most are.
    """

    name: str
    value: float
    unit: str
    basis: str
    convention: bool = True


_T = Threshold
THRESHOLDS: dict[str, Threshold] = {
    t.name: t
    for t in (
        _T(
            "shank_reach_deg",
            15.0,
            "deg",
            "Shank angle at contact. No published cut-off exists (Souza RB 2016, Phys Med Rehabil "
            "Clin N Am 27:217); one reference runner lands at 6–8.5° (Fukuchi RK et al. 2017 data, "
            "PeerJ 5:e3298; 2.5–3.5 m/s) and forefoot strikers land with more vertical shanks (Ahn "
            "AN et al. 2014, J Sport Health Sci 3:102). 15° = that runner's highest value plus ~6° "
            "of 2D segment-angle error (Van Hooren B et al. 2023, Scand J Med Sci Sports 33:966).",
        ),
        _T(
            "overstride_leg",
            0.45,
            "leg lengths",
            "Heel ahead of the hip midpoint at contact, in leg lengths. Foot ahead of the hip goes "
            "with braking (Lieberman DE et al. 2015, J Exp Biol 218:3406); one reference runner's "
            "heel lands 11–16 cm (≈0.13–0.19 leg) ahead of the pelvis (Fukuchi RK et al. 2017 "
            "data, PeerJ 5:e3298). 0.45 leg (≈39 cm at 1.78 m) is a project convention allowing "
            "for the offset between MediaPipe's hip landmarks and the pelvis.",
        ),
        _T(
            "hip_extension_min_deg",
            10.0,
            "deg",
            "Peak thigh angle behind vertical. One reference runner reaches 16° (2.5 m/s) to 20° "
            "(3.5 m/s) at toe-off (Fukuchi RK et al. 2017 data, PeerJ 5:e3298); 10° = the slow "
            "value minus ~6° of 2D error. Rises with speed (Clark KP et al. 2020, Biol Open "
            "9:bio053546).",
        ),
        _T(
            "hip_extension_per_mps_deg",
            4.0,
            "deg per m/s",
            "How much the expected thigh extension rises with speed: 16° → 20° from 2.5 to 3.5 m/s "
            "in one reference runner (Fukuchi RK et al. 2017 data, PeerJ 5:e3298); used only when "
            "the runner's speed is given. One runner: an illustration, not a norm.",
        ),
        _T(
            "swing_thigh_min_deg",
            15.0,
            "deg",
            "Peak forward thigh angle in swing (knee drive). One reference runner's thigh is "
            "+17–24° ahead of vertical already at contact (Fukuchi RK et al. 2017 data, PeerJ "
            "5:e3298); below 15° the swing leg barely comes through. Project convention.",
        ),
        _T(
            "swing_thigh_max_deg",
            45.0,
            "deg",
            "Peak forward thigh angle in swing. Distance runners rarely exceed ~40° (thigh at "
            "contact 17–24° plus late-swing retraction); 45° is a project convention for a "
            "knee lifted sprint-style.",
        ),
        _T(
            "back_kick_knee_deg",
            120.0,
            "deg",
            "Peak knee flexion in swing (heel towards the buttock). Distance-running swing "
            "flexion is ~90–110° and rises towards sprinting; 120° is a coaching convention "
            "(not validated).",
        ),
        _T(
            "pawback_deg",
            15.0,
            "deg",
            "Thigh retraction before contact: peak forward thigh angle minus thigh angle at "
            "contact. Some retraction is normal and stabilising (Seyfarth A et al. 2003, J Exp "
            "Biol 206:2547); no evidence that cueing it helps distance runners. 15° is a "
            "project convention.",
        ),
        _T(
            "swing_dorsiflexion_deg",
            15.0,
            "deg",
            "Peak ankle dorsiflexion in the last 40 % of swing. Healthy runners land anywhere from "
            "14° plantarflexion to 14° dorsiflexion (46 runners, 3D markers; Fukuchi RK et al. "
            "2017 data, PeerJ 5:e3298); a foot held above the top of that range before contact is "
            "pulled up actively. Project convention.",
        ),
        _T(
            "trunk_lean_max_deg",
            14.5,
            "deg",
            "Forward trunk lean: mean + 2 SD of 7.3 ± 3.6° (Teng HL, Powers CM 2014, J Orthop "
            "Sports Phys Ther 44:785). The 2-SD band is a convention.",
        ),
        _T(
            "trunk_lean_min_deg",
            0.0,
            "deg",
            "Trunk behind vertical (leaning back): below the 7.3 ± 3.6° norm by 2 SD "
            "(Teng HL, Powers CM 2014, J Orthop Sports Phys Ther 44:785), rounded to vertical.",
        ),
        _T(
            "bounce_leg",
            0.14,
            "leg lengths",
            "Vertical oscillation of the hips. Recreational men 80 mm, women 73 mm (Malisoux L "
            "et al. 2023, Orthop J Sports Med) ≈ 0.09 leg; exaggerated bounce costs energy "
            "(Tseh W et al. 2008, J Sports Sci Med 7:91). 1.5 × norm is a convention.",
        ),
        _T(
            "flat_duty_factor",
            0.47,
            "",
            "Contact time / stride time. Recreational runners 0.39 (men) to 0.41 (women) "
            "(Malisoux L et al. 2023, Orthop J Sports Med, no SD reported); a stride spending "
            "more than ~47 % of its time on the ground has little flight. Project convention.",
        ),
    )
}
#: Fewest steps a finding rests on (project convention: below it one odd step decides).
MIN_FINDING_STEPS = 3
