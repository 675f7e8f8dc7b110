"""Every cited threshold, ratio and norm runform uses, defined once, with its source.

Modules import these names; nothing else in the package writes these numbers. Where a
value is a convention of this project rather than a published figure, the docstring
says so.

Angles are degrees, times milliseconds or seconds as named, lengths metres.

The values live in four modules, by kind: :mod:`~runform.reference.measurement`
(foot-strike classes, timing rule, cleaning, capture checks, 2D angle error),
:mod:`~runform.reference.body` (anthropometry, squat model),
:mod:`~runform.reference.norms` (published values of runners and ankle tests) and
:mod:`~runform.reference.thresholds` (the findings engine's cut-offs). Import every name
from ``runform.reference``.
"""

from __future__ import annotations

from .body import (
    FRY2003_SQUAT_TORQUE_NM,
    LEG_PER_STATURE,
    WINTER_HEIGHT_RATIOS,
    WINTER_SEGMENT_COM,
    WINTER_SEGMENT_MASS,
)
from .measurement import (
    ANGLE_ERROR_DEG,
    BLUR_LAPLACIAN_VAR,
    CONTACT_TIME_VIDEO_ERROR_MS,
    DARK_GREY,
    DUAL_PASS_CORRECTION,
    FEET_OVERLAP_FOOT_LENGTHS,
    FFS_BELOW_DEG,
    GAP_FILL_S,
    HIP_WIDTH_PER_STATURE,
    MIN_RUNNER_FRACTION,
    OBLIQUE_INFO_DEG,
    OBLIQUE_WARN_DEG,
    OSCILLATION_ERROR_PCT,
    PER_STEP_TIMING_FPS,
    RFS_ABOVE_DEG,
    ROLL_INFO_DEG,
    ROLL_WARN_DEG,
    STRIKE_ANGLE_TYPICAL_DEG,
    THIGH_SPEED_VIDEO_ERROR_PCT,
    UNCERTAIN_BAND_DEG,
    VISIBILITY_THRESHOLD,
    contact_time_error_text,
    default_cutoff_hz,
    oscillation_error_text,
    thigh_speed_error_text,
)
from .norms import (
    BOUNCE_VO2_ML_KG_MIN,
    CONTACT_TIME_BY_STRIKE_MS,
    CONTACT_TIME_BY_STRIKE_SD_MS,
    DORSIFLEXION_BY_TEST_DEG,
    EQUINUS_NWB_BELOW_DEG,
    KNEE_TO_WALL_MDC,
    NORMS,
    Norm,
    norm,
)
from .thresholds import (
    MIN_FINDING_STEPS,
    THRESHOLDS,
    Threshold,
)

__all__ = [
    "ANGLE_ERROR_DEG",
    "BLUR_LAPLACIAN_VAR",
    "BOUNCE_VO2_ML_KG_MIN",
    "CONTACT_TIME_BY_STRIKE_MS",
    "CONTACT_TIME_BY_STRIKE_SD_MS",
    "CONTACT_TIME_VIDEO_ERROR_MS",
    "DARK_GREY",
    "DORSIFLEXION_BY_TEST_DEG",
    "DUAL_PASS_CORRECTION",
    "EQUINUS_NWB_BELOW_DEG",
    "FEET_OVERLAP_FOOT_LENGTHS",
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
    "OSCILLATION_ERROR_PCT",
    "PER_STEP_TIMING_FPS",
    "RFS_ABOVE_DEG",
    "ROLL_INFO_DEG",
    "ROLL_WARN_DEG",
    "STRIKE_ANGLE_TYPICAL_DEG",
    "THIGH_SPEED_VIDEO_ERROR_PCT",
    "THRESHOLDS",
    "UNCERTAIN_BAND_DEG",
    "VISIBILITY_THRESHOLD",
    "WINTER_HEIGHT_RATIOS",
    "WINTER_SEGMENT_COM",
    "WINTER_SEGMENT_MASS",
    "Norm",
    "Threshold",
    "contact_time_error_text",
    "default_cutoff_hz",
    "norm",
    "oscillation_error_text",
    "thigh_speed_error_text",
]
