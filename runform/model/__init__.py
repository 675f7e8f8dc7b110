"""A parametric sagittal-plane runner with exact ground truth.

The model turns a few numbers a coach understands (speed, cadence, stature, trunk
lean, hip extension, knee flexion in swing, foot-strike type and angle, overstride,
ankle strategy, contact time) into 3D joint-centre trajectories of a runner, the true
sagittal angles of ``docs/conventions.md``, and exact initial-contact (IC) and toe-off (TO)
times. It is used by the debate notebook (a slider changes the ankle strategy) and as
ground truth for tests; :meth:`RunnerMotion.to_clip` projects it through a pinhole
camera into a :class:`runform.clip.Clip` with BlazePose landmark names.

World frame (metres): X forward (direction of travel), Y to the runner's **left**,
Z up; the ground is the plane Z = 0. On a treadmill the hips stay at X = 0 and every
contact point moves backwards at belt speed; overground the contact point is fixed in
the world and the hips move forward at ``speed_mps``.

How a stride is built (per leg, each leg half a cycle after the other):

* **Stance** (IC to TO, ``contact_time_s`` long). The foot is a rigid sole line from
  heel to toe (``foot_index``). A rearfoot strike (positive foot angle) lands on the
  heel and rolls about it to flat (starting from rest); a forefoot strike (negative
  angle) lands on the toe and the heel drops; the heel then rises about the toe until
  TO. The pivot never slides relative to the ground; its height is the sole's
  compression (0 at IC, a few mm below the ground plane in stance, 0 again at TO). The
  knee flexion follows a smooth curve through ``knee_flexion_ic_deg`` at IC (heel
  ``overstride_cm`` ahead of the hip), ``knee_flexion_stance_deg`` at mid-stance and
  the value at TO that puts the thigh ``hip_extension_deg`` behind vertical; the hip
  height is whatever makes the leg reach the foot with that knee flexion (two-link
  geometry), so the stance leg never stretches beyond thigh + shank.
* **Flight.** The hip height is a cubic from its toe-off height and velocity to the
  next contact's (continuous velocity).
* **Swing** (TO to the next IC). Thigh angle, knee flexion and ankle dorsiflexion are
  cubic splines through the stance values at TO and IC and through the swing peaks
  (``thigh_flexion_swing_deg``, ``knee_flexion_swing_deg``). Toe-off is a push-off:
  the ankle dorsiflexes as the toe leaves the ground, with just enough extra early-swing
  dorsiflexion that the toe is 2 cm up within 12 ms and keeps rising (no toe dragging
  or hovering after TO).
* **Landing.** The swinging leg and the falling body drive the landing part (heel for a
  rearfoot or midfoot strike, toe for a forefoot strike) downwards, faster and faster:
  over the last 40-200 ms of swing its height follows a cubic from the swing leg's own
  height and velocity to the ground, descending monotonically and fastest at IC, when it
  touches the ground plane (z = 0, the truth IC: first touch) at about 1.2 m/s (0.8 for
  the forefoot clip; Fukuchi 2017 heel markers: 0.35-0.8 m/s at force IC). The ground
  then arrests it at a constant deceleration (:attr:`RunnerMotion.sink`) over 8 ms for a
  heel strike and 30 ms for a flat or toe landing (linear in the strike angle from 0 to
  +13 deg), as the Fukuchi 2017 markers measured against force IC (heel: 7-11 ms;
  RBDS001's flat-landing metatarsals: 30-33 ms, at rest ~26 ms after force onset): heel
  pad or forefoot and midsole compress by ``v A / 2`` (3-7 mm under a heel, 10-18 mm
  under a flat foot, 1-4 px in the renders); the compression is released over the
  push-off.
  The foot turns to the strike angle in the first half of the approach and keeps it;
  hip → knee → ankle inverse kinematics puts the leg there (the knee never extends past
  its late-swing minimum). Parameter combinations whose swing foot would scrape the
  ground raise :class:`~runform.errors.InputError` with advice.

Segment lengths are Winter's anthropometric ratios of stature (Winter, *Biomechanics
and Motor Control of Human Movement*, 4th ed., table 4.1). The trunk lean is constant;
the head stays upright. Each leg moves in its own plane parallel to the sagittal plane
(constant lateral offset), so its angles survive a side-on pinhole projection exactly.

All angles follow ``docs/conventions.md`` after normalising the runner to face +X (degrees
in every public output):

=====================  ==============================================================
``thigh_angle``        knee ahead of hip +; thigh behind vertical (coaches' "hip
                       extension") is negative
``shank_angle``        ankle ahead of knee +
``knee_flexion``       thigh minus shank angle; 0 straight, flexion +
``hip_flexion``        thigh angle + trunk lean (hip relative to the trunk line)
``foot_angle``         heel→toe line to the ground, toe up +
``ankle_dorsiflexion`` foot angle − shank angle; 0 with the foot perpendicular to the
                       shank, dorsiflexion +
``trunk_lean``         shoulder midpoint ahead of hip midpoint +
=====================  ==============================================================

Examples
--------
>>> from runform.model import RunnerParams, simulate, Camera
>>> motion = simulate(RunnerParams(foot_strike="forefoot"), fps=60, duration_s=4)
>>> clip = motion.to_clip(Camera(facing="right"))
>>> table = motion.truth_table()
"""

from .camera import Camera
from .demo import demo_clip, events_table
from .motion import RunnerMotion, simulate
from .params import ANGLES, STRIKE_ANGLE_DEG, RunnerParams, segment_lengths
from .planar import sagittal_angles

__all__ = [
    "ANGLES",
    "STRIKE_ANGLE_DEG",
    "Camera",
    "RunnerMotion",
    "RunnerParams",
    "demo_clip",
    "events_table",
    "sagittal_angles",
    "segment_lengths",
    "simulate",
]
