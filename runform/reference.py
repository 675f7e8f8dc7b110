"""Every cited threshold, ratio and norm runform uses, defined once, with its source.

Modules import these names; nothing else in the package writes these numbers. Where a
value is a convention of this project rather than a published figure, the docstring
says so.

Angles are degrees, times milliseconds or seconds as named, lengths metres.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ANGLE_ERROR_DEG",
    "BLUR_LAPLACIAN_VAR",
    "DARK_GREY",
    "DORSIFLEXION_BY_TEST_DEG",
    "DUAL_PASS_CORRECTION",
    "EQUINUS_NWB_BELOW_DEG",
    "FFS_BELOW_DEG",
    "FRY2003_SQUAT_TORQUE_NM",
    "GAP_FILL_S",
    "HIP_WIDTH_PER_STATURE",
    "KNEE_TO_WALL_MDC",
    "LEG_PER_STATURE",
    "MIN_FINDING_STEPS",
    "MIN_RUNNER_FRACTION",
    "NORMS",
    "OBLIQUE_INFO_DEG",
    "OBLIQUE_WARN_DEG",
    "PER_STEP_TIMING_FPS",
    "RFS_ABOVE_DEG",
    "ROLL_INFO_DEG",
    "ROLL_WARN_DEG",
    "STRIKE_ANGLE_TYPICAL_DEG",
    "THRESHOLDS",
    "UNCERTAIN_BAND_DEG",
    "VISIBILITY_THRESHOLD",
    "WINTER_HEIGHT_RATIOS",
    "WINTER_SEGMENT_COM",
    "WINTER_SEGMENT_MASS",
    "Norm",
    "Threshold",
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
WINTER_HEIGHT_RATIOS = {
    "hip": 0.530,
    "knee": 0.285,
    "ankle": 0.039,
    "shoulder": 0.818,
    "foot_length": 0.152,
}
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
NORMS: dict[str, Norm] = {
    n.name: n
    for n in (
        _N(
            "cadence_spm",
            171.0,
            8.0,
            "steps/min",
            "uninjured male recreational runners",
            "PMC6044588 (Table 2), cited in the runform docs",
        ),
        _N(
            "cadence_recreational_spm",
            164.0,
            None,
            "steps/min",
            "860 recreational runners at preferred speed (~9–10.5 km/h)",
            "Malisoux L et al. 2023, Orthop J Sports Med",
        ),
        _N(
            "contact_time_ms",
            283.0,
            None,
            "ms",
            "recreational men (women 299 ms)",
            "Malisoux L et al. 2023, Orthop J Sports Med",
        ),
        _N(
            "duty_factor",
            0.39,
            None,
            "",
            "recreational men (women 0.41)",
            "Malisoux L et al. 2023, Orthop J Sports Med",
        ),
        _N(
            "knee_flexion_ic_deg",
            17.8,
            4.0,
            "deg",
            "recreational runners, preferred step rate",
            "Heiderscheit BC et al. 2011, Med Sci Sports Exerc 43:296",
        ),
        _N(
            "knee_flexion_peak_stance_deg",
            46.3,
            4.5,
            "deg",
            "recreational runners, preferred step rate",
            "Heiderscheit BC et al. 2011, Med Sci Sports Exerc 43:296",
        ),
        _N(
            "trunk_lean_deg",
            7.3,
            3.6,
            "deg",
            "self-selected, 3.4 m/s",
            "Teng HL, Powers CM 2014, J Orthop Sports Phys Ther 44:785",
        ),
        _N(
            "dorsiflexion_peak_stance_deg",
            22.9,
            2.3,
            "deg",
            "23 runners, 3D markers, 2.5 m/s (per-runner medians)",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "dorsiflexion_ic_deg",
            3.9,
            6.5,
            "deg",
            "23 runners, 3D markers, 2.5 m/s",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "peak_hip_extension_pelvis_deg",
            13.3,
            4.8,
            "deg",
            "23 runners, 3D markers (hip vs pelvis; model-dependent)",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "knee_to_wall_cm",
            10.3,
            3.0,
            "cm",
            "50 healthy adults, weight-bearing lunge test",
            "Hall EA, Docherty CL 2017, J Sci Med Sport 20:618",
        ),
        _N(
            "knee_to_wall_lunge_deg",
            39.0,
            4.6,
            "deg",
            "50 healthy adults, inclinometer at the tibial tuberosity",
            "Hall EA, Docherty CL 2017, J Sci Med Sport 20:618",
        ),
        _N(
            "calatayud_knee_to_wall_cm",
            11.7,
            4.0,
            "cm",
            "healthy men (11.6–11.8 cm by side)",
            "Calatayud J et al. 2015, Int J Sports Phys Ther 10:197",
        ),
        _N(
            "peak_hip_extension_pelvis_ric_deg",
            15.6,
            5.7,
            "deg",
            "23 runners (second lab), 3D markers, hip vs pelvis",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "dorsiflexion_peak_stance_ric_deg",
            22.6,
            3.3,
            "deg",
            "23 runners (second lab), 3D markers, 2.5 m/s (per-runner medians)",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "strike_angle_rearfoot_deg",
            17.7,
            4.4,
            "deg",
            "rearfoot strikers, 10 km/h, barefoot",
            "J Sports Sci Med 2024 (jssm-24-747), Table 1",
        ),
        _N(
            "strike_angle_midfoot_deg",
            2.6,
            1.5,
            "deg",
            "midfoot strikers, 10 km/h, barefoot",
            "J Sports Sci Med 2024 (jssm-24-747), Table 1",
        ),
        _N(
            "strike_angle_forefoot_deg",
            -7.9,
            2.8,
            "deg",
            "forefoot strikers, 10 km/h, barefoot",
            "J Sports Sci Med 2024 (jssm-24-747), Table 1",
        ),
    )
}


def norm(name: str) -> Norm:
    """The :class:`Norm` called ``name`` (see :data:`NORMS` for the keys)."""
    try:
        return NORMS[name]
    except KeyError:
        raise KeyError(f"No norm {name!r}; known: {', '.join(sorted(NORMS))}.") from None


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
            "Shank angle at contact. No published cut-off exists (Souza RB 2016, Phys Med "
            "Rehabil Clin N Am 27:217); one reference runner lands at 6–8.5° (Fukuchi 2017 "
            "data, 2.5–3.5 m/s) and forefoot strikers land with more vertical shanks (Ahn AN et "
            "al. 2014, J Sport Health Sci 3:102). 15° = that runner's highest value plus ~6° of "
            "2D segment-angle error (Van Hooren B et al. 2023, Scand J Med Sci Sports 33:966).",
        ),
        _T(
            "overstride_leg",
            0.45,
            "leg lengths",
            "Heel ahead of the hip midpoint at contact, in leg lengths. Foot ahead of the hip "
            "goes with braking (Lieberman DE et al. 2015, J Exp Biol 218:3406); one reference "
            "runner's heel lands 11–16 cm (≈0.13–0.19 leg) ahead of the pelvis (Fukuchi 2017 "
            "data). 0.45 leg (≈39 cm at 1.78 m) is a project convention allowing for the offset "
            "between MediaPipe's hip landmarks and the pelvis.",
        ),
        _T(
            "hip_extension_min_deg",
            10.0,
            "deg",
            "Peak thigh angle behind vertical. One reference runner reaches 16° (2.5 m/s) to "
            "20° (3.5 m/s) at toe-off (Fukuchi 2017 data); 10° = the slow value minus ~6° of 2D "
            "error. Rises with speed (Clark KP et al. 2020, Biol Open 9:bio053546).",
        ),
        _T(
            "hip_extension_per_mps_deg",
            4.0,
            "deg per m/s",
            "How much the expected thigh extension rises with speed: 16° → 20° from 2.5 to "
            "3.5 m/s in one reference runner (Fukuchi 2017 data); used only when the runner's "
            "speed is given. One runner: an illustration, not a norm.",
        ),
        _T(
            "swing_thigh_min_deg",
            15.0,
            "deg",
            "Peak forward thigh angle in swing (knee drive). One reference runner's thigh is "
            "+17–24° ahead of vertical already at contact (Fukuchi 2017 data); below 15° the "
            "swing leg barely comes through. Project convention.",
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
            "Peak ankle dorsiflexion in the last 40 % of swing. Healthy runners land anywhere "
            "from 14° plantarflexion to 14° dorsiflexion (46 runners, 3D markers; Fukuchi 2017 "
            "data); a foot held above the top of that range before contact is pulled up "
            "actively. Project convention.",
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
            "(Teng & Powers 2014), rounded to vertical.",
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
            "(Malisoux 2023, no SD reported); a stride spending more than ~47 % of its time on "
            "the ground has little flight. Project convention.",
        ),
    )
}

#: Typical error of a 2D sagittal angle from video, degrees, by quantity: RMSE of
#: hip/knee/ankle 5.0–5.9 / 7.5–7.8 / 5.7–5.8° after offset removal (Van Hooren et al.
#: 2023, treadmill running); trunk and thigh are the most reliable (long segments),
#: foot-strike angle 2.5° typical error (Sports 2019 7(1):8). Used to grade confidence.
ANGLE_ERROR_DEG = {"shank": 5.0, "thigh": 4.0, "knee": 7.5, "ankle": 6.0, "trunk": 3.0, "foot": 2.5}
#: Fewest steps a finding rests on (project convention: below it one odd step decides).
MIN_FINDING_STEPS = 3

# ------------------------------------------------------------- capture checks
#: Hip width (between the greater trochanters) as a fraction of stature (Winter DA 2009,
#: Biomechanics and Motor Control of Human Movement, 4th ed., Fig. 4.1: 0.191 H). In a
#: view at angle θ from perpendicular the hips appear ``0.191 H · sin θ`` apart.
HIP_WIDTH_PER_STATURE = 0.191
#: Camera angle from perpendicular to the direction of travel above which sagittal
#: angles are reported as unreliable (warning) or worth knowing (info), degrees. Knee
#: angles from MediaPipe were −2.3 ± 6.4° off in a lateral 90° view and far worse in
#: other views (Cosoli 2026, MediaPipe squat); 20°/30° are project conventions.
OBLIQUE_INFO_DEG, OBLIQUE_WARN_DEG = 20.0, 30.0
#: Runner's height in the image below this fraction of the frame height: small feet,
#: few pixels per landmark (project convention).
MIN_RUNNER_FRACTION = 0.33
#: Ground-line tilt (camera roll), degrees, worth an info note / a warning (convention;
#: foot-strike angles are measured against the fitted ground line either way).
ROLL_INFO_DEG, ROLL_WARN_DEG = 3.0, 8.0
#: Mean grey level of the runner's box (0–255) below which the clip is too dark, and
#: variance of its Laplacian below which it is probably blurred (project conventions;
#: the Laplacian-variance focus measure: Pech-Pacheco JL et al. 2000, ICPR 3:314).
DARK_GREY, BLUR_LAPLACIAN_VAR = 50.0, 40.0


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
KNEE_TO_WALL_MDC = {
    "between_raters_cm": 1.6,
    "between_raters_deg": 4.6,
    "within_rater_cm": 1.9,
    "within_rater_deg": 4.7,
    "one_side_cm": 1.0,
    "side_to_side_cm": 1.5,
}

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
FRY2003_SQUAT_TORQUE_NM = {
    "unrestricted": {"knee": 150.0, "hip": 28.0},
    "restricted": {"knee": 117.0, "hip": 303.0},
}
