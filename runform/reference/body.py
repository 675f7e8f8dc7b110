"""The body in numbers: landmark heights and segment masses by stature (Winter 2009),
and the squat-torque figures of Fry et al. 2003.

Lengths are fractions of stature, masses fractions of body mass, torques N·m. Part of
:mod:`runform.reference`; import these names from there.
"""

from __future__ import annotations

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
