"""The coached runner's three strides as simulated-runner parameters.

After the video of a coached runner in Magness's hip-extension post (*The Science of
Running*, 2010): one runner, one speed (3.5 m/s), so that only the cue changes.

* :data:`STRIDE_REACHING`: a flat stride with a slight heel strike from reaching out;
* :data:`STRIDE_SOONER`: "put the foot down sooner": lands under the body on the midfoot,
  a higher step rate and shorter steps;
* :data:`STRIDE_PUSH`: the first stride's step length again, by pushing and projecting
  (a shorter contact, more flight), still landing under the body.

Step length = speed / step rate (1.28 m at 164 spm, 1.17 m at 180 spm); vertical
oscillation and flight follow from the contact time. The rendered samples of the same
names (``tools/render/make_samples.py``) and notebook 03 both use these values.
"""

from __future__ import annotations

from .params import RunnerParams

__all__ = ["COACHED_STRIDES", "STRIDE_PUSH", "STRIDE_REACHING", "STRIDE_SOONER"]

STRIDE_REACHING = RunnerParams(
    speed_mps=3.5,
    cadence_spm=164.0,
    overstride_cm=32.0,
    knee_flexion_ic_deg=12.0,
    foot_strike_angle_deg=11.0,
    hip_extension_deg=16.0,
    toe_off_foot_angle_deg=-45.0,
    contact_time_s=0.26,
)
STRIDE_SOONER = RunnerParams(
    speed_mps=3.5,
    cadence_spm=180.0,
    overstride_cm=12.0,
    knee_flexion_ic_deg=20.0,
    knee_flexion_stance_deg=40.0,
    foot_strike="midfoot",
    foot_strike_angle_deg=3.0,
    hip_extension_deg=22.0,
    contact_time_s=0.22,
    thigh_flexion_swing_deg=38.0,
)
STRIDE_PUSH = RunnerParams(
    speed_mps=3.5,
    cadence_spm=164.0,
    overstride_cm=13.0,
    knee_flexion_ic_deg=20.0,
    foot_strike="midfoot",
    foot_strike_angle_deg=4.0,
    hip_extension_deg=24.0,
    contact_time_s=0.21,
)

#: Sample name → parameters.
COACHED_STRIDES = {
    "stride_reaching": STRIDE_REACHING,
    "stride_sooner": STRIDE_SOONER,
    "stride_push": STRIDE_PUSH,
}
