"""Every cited threshold, ratio and norm runform uses, defined once, with its source.

Modules import these names; nothing else in the package writes these numbers. Where a
value is a convention of this project rather than a published figure, the docstring
says so.

Angles are degrees, times milliseconds or seconds as named, lengths metres.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DORSIFLEXION_BY_TEST_DEG",
    "DUAL_PASS_CORRECTION",
    "EQUINUS_NWB_BELOW_DEG",
    "FFS_BELOW_DEG",
    "FRY2003_SQUAT_TORQUE_NM",
    "GAP_FILL_S",
    "KNEE_TO_WALL_MDC",
    "LEG_PER_STATURE",
    "NORMS",
    "PER_STEP_TIMING_FPS",
    "RFS_ABOVE_DEG",
    "STRIKE_ANGLE_TYPICAL_DEG",
    "UNCERTAIN_BAND_DEG",
    "VISIBILITY_THRESHOLD",
    "WINTER_HEIGHT_RATIOS",
    "WINTER_SEGMENT_COM",
    "WINTER_SEGMENT_MASS",
    "Norm",
    "default_cutoff_hz",
    "norm",
]

# ------------------------------------------------------------------ foot strike
#: Foot-strike angle (toe up +) above which a landing is rearfoot, degrees.
#: Altman AR, Davis IS (2012). A kinematic method for footstrike pattern detection in
#: barefoot and shod runners. Gait Posture 35:298–300.
RFS_ABOVE_DEG = 8.0
#: Foot-strike angle below which a landing is forefoot, degrees (Altman & Davis 2012).
FFS_BELOW_DEG = -1.6
#: Half-width of the "uncertain" band around each strike threshold, degrees: the typical
#: error of a foot-strike angle read from 2D video (typical error 2.5°, CV 17.6 %; the
#: 240 Hz outdoor-video reliability study in Sports 2019 7(1):8). Mo et al. 2021
#: (Res Sports Med) also show that cut-offs differ between studies (−0.8°/7.4° by ROC).
UNCERTAIN_BAND_DEG = 2.5
#: Typical foot-strike angle per strike type at 10 km/h, degrees (RFS 17.7 ± 4.4,
#: MFS 2.6 ± 1.5, FFS −7.9 ± 2.8; J Sports Sci Med 2024, jssm-24-747, Table 1), rounded.
STRIKE_ANGLE_TYPICAL_DEG = {"rearfoot": 18.0, "midfoot": 3.0, "forefoot": -8.0}

# ----------------------------------------------------------------- timing rule
#: Frame rate from which per-step contact and flight times are reported as reliable,
#: frames per second. Each event is quantised to ±½ frame, so a contact time is off by
#: up to ±1 frame (±8 ms at 120 fps against ~250 ms contacts); below it only means over
#: many steps are trustworthy. Lab studies of strike and contact use 120–240 fps
#: (Forrester & Townend 2015 Gait Posture 41:26; Goto et al. 2024 IJSPT 19:1386).
PER_STEP_TIMING_FPS = 120.0

# ------------------------------------------------------------------- cleaning
#: Landmarks below this detector visibility are treated as missing: MediaPipe's own
#: default detection/tracking confidence (Google AI Edge, Pose Landmarker guide).
VISIBILITY_THRESHOLD = 0.5
#: Longest gap filled by interpolation, seconds (Stenum J, Rossi C, Roemmich RT 2021,
#: PLoS Comput Biol 17:e1008935: gaps up to 120 ms filled linearly).
GAP_FILL_S = 0.12
#: Cutoff correction of a dual-pass (zero-lag) Butterworth filter: the cutoff of each
#: pass is divided by 0.802 so the combined −3 dB point stays where asked (Winter DA,
#: Biomechanics and Motor Control of Human Movement, 4th ed. 2009, §3.4.4).
DUAL_PASS_CORRECTION = 0.802


def default_cutoff_hz(fps: float) -> float:
    """Default low-pass cutoff for angles by frame rate, Hz.

    6 Hz up to 45 fps, 8 Hz up to 100 fps, 10 Hz above. 6 Hz is the
    default of Sports2D/Pose2Sim (4th-order zero-phase Butterworth; Pagnon et al. 2022,
    J Open Source Softw 7:4362); the higher values at higher frame rates are this
    project's convention (per-frame pose jitter does not fall with frame rate, so the
    cutoff rises only modestly). Confirm on a clip with Winter's residual analysis
    (:func:`runform.clean.residual_analysis`).
    """
    fps = float(fps)
    return 6.0 if fps <= 45 else 8.0 if fps <= 100 else 10.0


# --------------------------------------------------------------- anthropometry
#: Landmark heights as fractions of stature (Winter DA 2009, Biomechanics and Motor
#: Control of Human Movement, 4th ed., Table 4.1 / Fig. 4.1): greater trochanter (hip)
#: 0.530, knee 0.285, ankle 0.039, shoulder 0.818; foot length 0.152.
WINTER_HEIGHT_RATIOS = {"hip": 0.530, "knee": 0.285, "ankle": 0.039, "shoulder": 0.818,
                        "foot_length": 0.152}
#: Leg length (thigh + shank: hip → knee → ankle) as a fraction of stature (Winter 2009):
#: (0.530 − 0.285) + (0.285 − 0.039) = 0.491.
LEG_PER_STATURE = WINTER_HEIGHT_RATIOS["hip"] - WINTER_HEIGHT_RATIOS["ankle"]


# ----------------------------------------------------------------------- norms
@dataclass(frozen=True)
class Norm:
    """A published reference value.

    Attributes
    ----------
    name : str
        Key in :data:`NORMS`.
    mean : float
        Mean (or the single reported value).
    sd : float or None
        Standard deviation between runners, when reported.
    unit : str
        Unit of ``mean`` and ``sd``.
    population : str
        Who was measured and how (3D markers, speed...).
    source : str
        Author, year, journal.
    """

    name: str
    mean: float
    sd: float | None
    unit: str
    population: str
    source: str

    @property
    def band(self) -> tuple[float, float] | None:
        """``mean ± sd`` (None when no SD is reported)."""
        return None if self.sd is None else (self.mean - self.sd, self.mean + self.sd)


_N = Norm
NORMS: dict[str, Norm] = {n.name: n for n in (
    _N("cadence_spm", 171.0, 8.0, "steps/min", "uninjured male recreational runners",
       "PMC6044588 (Table 2), cited in the runform docs"),
    _N("cadence_recreational_spm", 164.0, None, "steps/min",
       "860 recreational runners at preferred speed (~9–10.5 km/h)",
       "Malisoux L et al. 2023, Orthop J Sports Med"),
    _N("contact_time_ms", 283.0, None, "ms", "recreational men (women 299 ms)",
       "Malisoux L et al. 2023, Orthop J Sports Med"),
    _N("duty_factor", 0.39, None, "", "recreational men (women 0.41)",
       "Malisoux L et al. 2023, Orthop J Sports Med"),
    _N("knee_flexion_ic_deg", 17.8, 4.0, "deg", "recreational runners, preferred step rate",
       "Heiderscheit BC et al. 2011, Med Sci Sports Exerc 43:296"),
    _N("knee_flexion_peak_stance_deg", 46.3, 4.5, "deg",
       "recreational runners, preferred step rate",
       "Heiderscheit BC et al. 2011, Med Sci Sports Exerc 43:296"),
    _N("trunk_lean_deg", 7.3, 3.6, "deg", "self-selected, 3.4 m/s",
       "Teng HL, Powers CM 2014, J Orthop Sports Phys Ther 44:785"),
    _N("dorsiflexion_peak_stance_deg", 22.9, 2.3, "deg",
       "23 runners, 3D markers, 2.5 m/s (per-runner medians)",
       "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)"),
    _N("dorsiflexion_ic_deg", 3.9, 6.5, "deg", "23 runners, 3D markers, 2.5 m/s",
       "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)"),
    _N("peak_hip_extension_pelvis_deg", 13.3, 4.8, "deg",
       "23 runners, 3D markers (hip vs pelvis; model-dependent)",
       "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)"),
    _N("knee_to_wall_cm", 10.3, 3.0, "cm", "50 healthy adults, weight-bearing lunge test",
       "Hall EA, Docherty CL 2017, J Sci Med Sport 20:618"),
    _N("knee_to_wall_lunge_deg", 39.0, 4.6, "deg",
       "50 healthy adults, inclinometer at the tibial tuberosity",
       "Hall EA, Docherty CL 2017, J Sci Med Sport 20:618"),
    _N("calatayud_knee_to_wall_cm", 11.7, 4.0, "cm", "healthy men (11.6–11.8 cm by side)",
       "Calatayud J et al. 2015, Int J Sports Phys Ther 10:197"),
    _N("peak_hip_extension_pelvis_ric_deg", 15.6, 5.7, "deg",
       "23 runners (second lab), 3D markers, hip vs pelvis",
       "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)"),
    _N("dorsiflexion_peak_stance_ric_deg", 22.6, 3.3, "deg",
       "23 runners (second lab), 3D markers, 2.5 m/s (per-runner medians)",
       "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)"),
    _N("strike_angle_rearfoot_deg", 17.7, 4.4, "deg", "rearfoot strikers, 10 km/h, barefoot",
       "J Sports Sci Med 2024 (jssm-24-747), Table 1"),
    _N("strike_angle_midfoot_deg", 2.6, 1.5, "deg", "midfoot strikers, 10 km/h, barefoot",
       "J Sports Sci Med 2024 (jssm-24-747), Table 1"),
    _N("strike_angle_forefoot_deg", -7.9, 2.8, "deg", "forefoot strikers, 10 km/h, barefoot",
       "J Sports Sci Med 2024 (jssm-24-747), Table 1"),
)}


def norm(name: str) -> Norm:
    """The :class:`Norm` called ``name`` (see :data:`NORMS` for the keys)."""
    try:
        return NORMS[name]
    except KeyError:
        raise KeyError(f"No norm {name!r}; known: {', '.join(sorted(NORMS))}.") from None


# ------------------------------------------------------------- dorsiflexion ROM
#: Dorsiflexion range by test condition in healthy adults, degrees (Baumbach SF et al.
#: 2014, BMC Musculoskelet Disord 15:246): non-weight-bearing (NWB) with the knee straight
#: and bent, weight-bearing (WB) with the knee straight, and the weight-bearing lunge
#: (knee about 75° flexed). A number of degrees means nothing until its test is named.
DORSIFLEXION_BY_TEST_DEG = {
    "NWB, knee straight": 4.0,
    "NWB, knee bent": 20.0,
    "WB, knee straight": 25.0,
    "WB lunge (knee to wall)": 39.0,
}
#: Classic equinus cut-off: less than 10° of non-weight-bearing dorsiflexion with the
#: knee straight (Young R et al. 2013, J Foot Ankle Res 6:46).
EQUINUS_NWB_BELOW_DEG = 10.0
#: Smallest real change of the knee-to-wall (weight-bearing lunge) test. Powden CJ,
#: Hoch JM, Hoch MC 2015 (Man Ther 20:524, systematic review): between raters 4.6° or
#: 1.6 cm, within a rater 4.7° or 1.9 cm. Chisholm MD et al. 2012 (Physiother Can
#: 64:347): 1.0 cm on one side, 1.5 cm for a side-to-side difference.
KNEE_TO_WALL_MDC = {"between_raters_cm": 1.6, "between_raters_deg": 4.6,
                    "within_rater_cm": 1.9, "within_rater_deg": 4.7,
                    "one_side_cm": 1.0, "side_to_side_cm": 1.5}

# ------------------------------------------------------------------ squat model
#: Segment masses as fractions of body mass (Winter DA 2009, Biomechanics and Motor
#: Control of Human Movement, 4th ed., Table 4.1): foot, leg (shank), thigh, and HAT
#: (head, arms and trunk), per segment (one leg).
WINTER_SEGMENT_MASS = {"foot": 0.0145, "shank": 0.0465, "thigh": 0.100, "hat": 0.678}
#: Centre of mass of each segment as a fraction of its length from the proximal end
#: (Winter 2009, Table 4.1): shank from the knee, thigh from the hip, HAT from the
#: greater trochanter towards the shoulder (glenohumeral joint).
WINTER_SEGMENT_COM = {"shank": 0.433, "thigh": 0.433, "hat": 0.626}
#: Parallel back squat, peak joint torques with the knees free to travel forward and with
#: forward knee travel blocked, N·m (Fry AC, Smith JC, Schilling BK 2003, J Strength Cond
#: Res 17:629): the torque shifts from the knee to the hip.
FRY2003_SQUAT_TORQUE_NM = {"unrestricted": {"knee": 150.0, "hip": 28.0},
                           "restricted": {"knee": 117.0, "hip": 303.0}}
