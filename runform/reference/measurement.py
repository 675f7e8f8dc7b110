"""How runform measures: foot-strike classes, the timing rule, cleaning defaults,
capture checks and the typical error of a 2D angle.

Angles are degrees, times seconds as named. Part of :mod:`runform.reference`; import
these names from there.
"""

from __future__ import annotations

# ------------------------------------------------------------------ foot strike
#: Foot-strike angle (toe up +) above which a landing is rearfoot, degrees.
#: Altman AR, Davis IS (2012). A kinematic method for footstrike pattern detection in
#: barefoot and shod runners. Gait Posture 35:298–300.
RFS_ABOVE_DEG = 8.0
#: Foot-strike angle below which a landing is forefoot, degrees (Altman & Davis 2012).
FFS_BELOW_DEG = -1.6
#: Half-width of the "uncertain" band around each strike threshold, degrees: the typical
#: error of a foot-strike angle read from 2D video (typical error 2.5°, CV 17.6 %, 240 Hz
#: outdoor video: Murray L, Beaven CM, Hébert-Losier K 2019, Reliability of overground
#: running measures from 2D video analyses in a field environment, Sports 7(1):8).
#: Mo S, Huang M, Ng L, Cheung RTH 2021 (Res Sports Med, online; in print 2023) also show
#: that cut-offs differ between studies (−0.8°/7.4° by ROC).
UNCERTAIN_BAND_DEG = 2.5
#: Typical foot-strike angle per strike type at 10 km/h, degrees (RFS 17.7 ± 4.4,
#: MFS 2.6 ± 1.5, FFS −7.9 ± 2.8, barefoot; Nishiguchi H, Takabayashi T, Kikumoto T,
#: Kubo M 2025, J Sports Sci Med 24:747–754, Table 1), rounded.
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
#: Two feet whose centres (mean of ankle, heel and toe) are closer in the image than this
#: many foot lengths (the clip's median heel→toe landmark distance) overlap in a side
#: view: the far foot passes behind the near one, and a pose model given one blob of two
#: feet drags each foot's heel and toe towards the other (Young et al. 2023, Sensors
#: 23:696: the occluded foot is the worst tracked; Stenum et al. 2021 fixed such frames by
#: hand). One foot length is the physical scale of the overlap, not a fitted value: on the
#: ten rendered samples, leave-one-clip-out over 0.5/0.75/1.0/1.25/1.5 (criterion: mean
#: near-leg knee + ankle error of the other nine clips) picked 1.0 in every fold
#: (bench/angles_geometry.py; bench/results/accuracy_angles6.txt).
FEET_OVERLAP_FOOT_LENGTHS = 1.0
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


#: Typical error of a 2D sagittal angle from video, degrees, by quantity: RMSE of
#: hip/knee/ankle 5.0–5.9 / 7.5–7.8 / 5.7–5.8° after offset removal (Van Hooren B et al.
#: 2023, Scand J Med Sci Sports 33:966, treadmill running); trunk and thigh are the most
#: reliable (long segments), foot-strike angle 2.5° typical error (Murray L et al. 2019,
#: Sports 7(1):8). Used to grade confidence.
ANGLE_ERROR_DEG = {"shank": 5.0, "thigh": 4.0, "knee": 7.5, "ankle": 6.0, "trunk": 3.0, "foot": 2.5}
#: How far runform's vertical oscillation (the hip midpoint's rise and fall within each
#: step) read from the truth on the ten rendered samples, percent (low, high): from 16 %
#: low (ankle_active) to 13 % high (stride_push), on the renders of session 6 (measured
#: landing arrest). Measured by this project
#: (``tests/test_oscillation.py`` checks it): MediaPipe's hip is not the joint centre, and
#: the hips only stand in for the centre of mass.
OSCILLATION_ERROR_PCT = (-16, 13)


#: How far runform's mean contact time from video read from the truth on the ten rendered
#: samples, ms (shortest, longest clip mean): from 16 ms short (overground_crossing) to
#: 37 ms long (midfoot_30fps), +17 ms on average. MediaPipe's foot landmarks reach the
#: ground early (initial contact 11.5 ms early on average) and leave it late (toe-off
#: +7.7 ms), so most clips read long (bench/accuracy.py, session 7; tests/test_accuracy.py
#: checks it). Measured by this project on rendered runners; not a correction: a person in
#: clothes may read differently.
CONTACT_TIME_VIDEO_ERROR_MS = (-16, 37)


#: How far the peak forward thigh speed in swing read from the truth on the ten rendered
#: samples, percent (lowest, highest clip mean): 3 % high (midfoot_30fps, 6 Hz filter) to
#: 45 % high (60 fps clips, 8 Hz), +32 % on average. MediaPipe's hip and knee wobble as the
#: knees pass each other in mid-swing, just where the thigh is fastest, and a peak of a
#: derivative picks the wobble up. Measured by this project (tests/test_accuracy.py checks
#: it); on marker data the same rule reads the peak within 2 % of a 15 Hz filter's.
THIGH_SPEED_VIDEO_ERROR_PCT = (2, 46)


def contact_time_error_text() -> str:
    """:data:`CONTACT_TIME_VIDEO_ERROR_MS` in words: ``"16 ms short to 37 ms long"``."""
    short, long = CONTACT_TIME_VIDEO_ERROR_MS
    return f"{-short:g} ms short to {long:g} ms long"


def thigh_speed_error_text() -> str:
    """:data:`THIGH_SPEED_VIDEO_ERROR_PCT` in words: ``"2 % to 46 % high"``."""
    low, high = THIGH_SPEED_VIDEO_ERROR_PCT
    return f"{low:g} % to {high:g} % high"


def oscillation_error_text() -> str:
    """:data:`OSCILLATION_ERROR_PCT` in words: ``"16 % low to 13 % high"``."""
    low, high = OSCILLATION_ERROR_PCT
    return f"{-low:g} % low to {high:g} % high"


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
