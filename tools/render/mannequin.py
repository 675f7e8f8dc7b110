"""A MuJoCo mannequin driven by :class:`runform.model.RunnerMotion` (development tool).

The body is built from tapered capsules and ellipsoids on mocap bodies, one per
segment (pelvis, trunk, head, upper arms, forearms, hands, thighs, shanks, feet). Each
frame the segment poses are computed from the model's joint centres and written to
``data.mocap_pos`` / ``data.mocap_quat``; ``mj_forward`` then moves the geoms and the
camera rig. Nothing is simulated: MuJoCo is only the renderer.

Details that matter for pose detectors (MediaPipe failed on a plain capsule robot, with
the legs swapped in a third of the frames): a human head with a face profile (nose,
ears, hair), limbs that taper, skin tone, a shirt and shorts, white socks and shoes
with a light sole, a shadow-casting light, a textured floor and a plain wall.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np

SKIN = "0.87 0.67 0.54 1"
SHIRT = "0.16 0.36 0.72 1"
SHORTS = "0.14 0.14 0.17 1"
SOCK = "0.95 0.95 0.95 1"
SHOE = "0.80 0.22 0.16 1"
SOLE = "0.93 0.92 0.88 1"
HAIR = "0.22 0.15 0.10 1"

SIDES = ("left", "right")


def _geom(kind: str, rgba: str, **attrs: str) -> str:
    extra = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    return f'<geom type="{kind}" rgba="{rgba}" contype="0" conaffinity="0" {extra}/>'


def _fmt(*values: float) -> str:
    return " ".join(f"{v:.4f}" for v in values)


def _limb(
    length: float,
    r_top: float,
    r_bottom: float,
    rgba: str,
    bulk: float = 1.1,
    bulk_at: float = 0.35,
    back: float = 0.0,
) -> list[str]:
    """A tapered limb hanging down the body's -z axis from the origin: a capsule whose
    radius shrinks from ``r_top`` to ``r_bottom`` (two capsules) and a muscle ellipsoid."""
    mid = 0.5 * (r_top + r_bottom)
    return [
        _geom("capsule", rgba, fromto=_fmt(0, 0, 0, 0, 0, -0.5 * length), size=_fmt(r_top)),
        _geom(
            "capsule", rgba, fromto=_fmt(0, 0, -0.5 * length, 0, 0, -length), size=_fmt(r_bottom)
        ),
        _geom(
            "ellipsoid",
            rgba,
            pos=_fmt(-back, 0, -bulk_at * length),
            size=_fmt(bulk * mid, bulk * mid * 0.95, 0.36 * length),
        ),
    ]


def _body(name: str, geoms: list[str]) -> str:
    return f'<body name="{name}" mocap="true">' + "".join(geoms) + "</body>"


def segment_geoms(seg: dict[str, float], stature_m: float) -> dict[str, list[str]]:
    """Geoms of every segment body, in the segment frame (see :func:`segment_poses`)."""
    s = stature_m / 1.75
    thigh, shank, foot = seg["thigh"], seg["shank"], seg["foot"]
    ah, af = seg["ankle_height"], seg["ankle_from_heel"]
    trunk = seg["trunk"]
    out: dict[str, list[str]] = {}
    out["pelvis"] = [
        _geom(
            "ellipsoid", SHORTS, pos=_fmt(0, 0, 0.03 * s), size=_fmt(0.12 * s, 0.165 * s, 0.12 * s)
        ),
    ]
    out["trunk"] = [
        _geom(
            "ellipsoid",
            SHIRT,
            pos=_fmt(-0.005 * s, 0, 0.35 * trunk),
            size=_fmt(0.095 * s, 0.15 * s, 0.27 * trunk),
        ),
        _geom(
            "ellipsoid",
            SHIRT,
            pos=_fmt(0.01 * s, 0, 0.72 * trunk),
            size=_fmt(0.12 * s, 0.175 * s, 0.27 * trunk),
        ),
        _geom(
            "capsule",
            SKIN,
            fromto=_fmt(0, 0, 0.9 * trunk, 0.01 * s, 0, trunk + 0.08 * s),
            size=_fmt(0.05 * s),
        ),
    ]
    out["head"] = [
        _geom("ellipsoid", SKIN, size=_fmt(0.098 * s, 0.08 * s, 0.115 * s)),
        _geom(
            "ellipsoid",
            SKIN,
            pos=_fmt(0.07 * s, 0, -0.07 * s),
            size=_fmt(0.045 * s, 0.05 * s, 0.04 * s),
        ),  # jaw and chin
        _geom(
            "ellipsoid",
            SKIN,
            pos=_fmt(0.103 * s, 0, -0.005 * s),
            size=_fmt(0.022 * s, 0.014 * s, 0.028 * s),
        ),  # nose
        _geom(
            "ellipsoid",
            SKIN,
            pos=_fmt(-0.005 * s, 0.079 * s, 0),
            size=_fmt(0.02 * s, 0.012 * s, 0.03 * s),
        ),  # ears
        _geom(
            "ellipsoid",
            SKIN,
            pos=_fmt(-0.005 * s, -0.079 * s, 0),
            size=_fmt(0.02 * s, 0.012 * s, 0.03 * s),
        ),
        _geom(
            "ellipsoid",
            HAIR,
            pos=_fmt(-0.018 * s, 0, 0.03 * s),
            size=_fmt(0.098 * s, 0.084 * s, 0.1 * s),
        ),  # hair cap, back and top
        _geom(
            "sphere",
            "0.1 0.1 0.1 1",
            pos=_fmt(0.088 * s, 0.032 * s, 0.028 * s),
            size=_fmt(0.009 * s),
        ),  # eyes
        _geom(
            "sphere",
            "0.1 0.1 0.1 1",
            pos=_fmt(0.088 * s, -0.032 * s, 0.028 * s),
            size=_fmt(0.009 * s),
        ),
    ]
    for side in SIDES:
        out[f"{side}_thigh"] = [
            *_limb(thigh, 0.085 * s, 0.055 * s, SKIN, bulk=1.05, bulk_at=0.4),
            _geom(
                "ellipsoid",
                SHORTS,
                pos=_fmt(0, 0, -0.2 * thigh),
                size=_fmt(0.095 * s, 0.09 * s, 0.26 * thigh),
            ),
        ]
        out[f"{side}_shank"] = [
            *_limb(shank, 0.05 * s, 0.035 * s, SKIN, bulk=1.2, bulk_at=0.3, back=0.015 * s),
            _geom(
                "capsule", SOCK, fromto=_fmt(0, 0, -0.8 * shank, 0, 0, -shank), size=_fmt(0.04 * s)
            ),
        ]
        out[f"{side}_foot"] = [
            _geom(
                "box",
                SOLE,
                pos=_fmt(0.5 * foot, 0, 0.011 * s),
                size=_fmt(0.5 * foot, 0.043 * s, 0.011 * s),
            ),
            _geom(
                "ellipsoid",
                SHOE,
                pos=_fmt(0.52 * foot, 0, 0.035 * s),
                size=_fmt(0.5 * foot, 0.045 * s, 0.035 * s),
            ),
            _geom(
                "ellipsoid",
                SHOE,
                pos=_fmt(af, 0, ah * 0.8),
                size=_fmt(0.065 * s, 0.045 * s, 0.05 * s),
            ),
            _geom(
                "capsule", SOCK, fromto=_fmt(af, 0, ah, af, 0, ah + 0.05 * s), size=_fmt(0.038 * s)
            ),
        ]
        out[f"{side}_upper_arm"] = [
            *_limb(seg["upper_arm"], 0.05 * s, 0.037 * s, SKIN, bulk=1.05),
            _geom(
                "capsule",
                SHIRT,
                fromto=_fmt(0, 0, 0, 0, 0, -0.35 * seg["upper_arm"]),
                size=_fmt(0.056 * s),
            ),
        ]
        out[f"{side}_forearm"] = _limb(seg["forearm"], 0.035 * s, 0.026 * s, SKIN, bulk=1.05)
        out[f"{side}_hand"] = [
            _geom(
                "ellipsoid",
                SKIN,
                pos=_fmt(0, 0, -0.045 * s),
                size=_fmt(0.03 * s, 0.022 * s, 0.05 * s),
            ),
        ]
    return out


def build_xml(motion, camera, *, image_size: tuple[int, int]) -> str:
    """MJCF of the scene: floor, wall behind the runner, light, mannequin, camera rig."""
    seg = motion.segments
    geoms = segment_geoms(seg, motion.params.stature_m)
    width, height = image_size
    fovy = math.degrees(2.0 * math.atan(0.5 * height / camera.focal_px))
    cam_y = camera.y_m
    wall_y = -math.copysign(1.6, cam_y)
    xyaxes = "-1 0 0 0 0 1" if camera.facing == "left" else "1 0 0 0 0 1"
    bodies = "".join(_body(name, g) for name, g in geoms.items())
    return f"""
<mujoco model="runform_mannequin">
  <statistic extent="2" center="0 0 1"/>
  <visual>
    <global offwidth="{width}" offheight="{height}"/>
    <quality shadowsize="4096" offsamples="4"/>
    <headlight ambient="0.3 0.3 0.3" diffuse="0.3 0.3 0.3" specular="0.05 0.05 0.05"/>
    <map znear="0.01" zfar="50"/>
  </visual>
  <asset>
    <texture name="floor" type="2d" builtin="checker" width="256" height="256"
             rgb1="0.62 0.60 0.56" rgb2="0.50 0.48 0.45" mark="edge" markrgb="0.4 0.38 0.36"/>
    <material name="floor" texture="floor" texrepeat="0.8 0.8" texuniform="true"
              reflectance="0"/>
    <material name="wall" rgba="0.86 0.87 0.85 1"/>
  </asset>
  <worldbody>
    <light name="fill" directional="true" castshadow="false" pos="0 0 6" dir="0 0 -1"
           diffuse="0.25 0.25 0.25" specular="0 0 0"/>
    <geom name="floor" type="plane" size="60 6 0.1" material="floor" contype="0"
          conaffinity="0"/>
    <geom name="wall" type="plane" pos="0 {wall_y:.3f} 2.5" size="60 2.5 0.25" material="wall"
          zaxis="0 {math.copysign(1, cam_y):.0f} 0" contype="0" conaffinity="0"/>
    <body name="camera_rig" mocap="true">
      <light name="key" mode="fixed" castshadow="true" pos="1.5 {0.7 * cam_y:.3f} 5.0"
             dir="-0.3 {-0.6 * cam_y / abs(cam_y):.3f} -1" cutoff="80" exponent="1"
             diffuse="0.7 0.7 0.7" specular="0.15 0.15 0.15"/>
      <camera name="side" pos="0 {cam_y:.4f} {camera.z_m:.4f}" xyaxes="{xyaxes}"
              fovy="{fovy:.6f}"/>
    </body>
    {bodies}
  </worldbody>
</mujoco>
"""


def _frame(x_axis_hint: np.ndarray, z_axis: np.ndarray, y_hint: np.ndarray) -> np.ndarray:
    """Rotation matrix (3x3, columns = body axes) with z along ``z_axis``, y near ``y_hint``."""
    z = z_axis / np.linalg.norm(z_axis)
    y = y_hint - np.dot(y_hint, z) * z
    y /= np.linalg.norm(y)
    x = np.cross(y, z)
    del x_axis_hint
    return np.column_stack([x, y, z])


def _quat(rot: np.ndarray) -> np.ndarray:
    q = np.empty(4)
    mujoco.mju_mat2Quat(q, np.ascontiguousarray(rot).ravel())
    return q


def segment_poses(joints: dict[str, np.ndarray], i: int) -> dict[str, tuple]:
    """(position, quaternion) of every segment body at frame ``i``.

    Limb frames: origin at the proximal joint, +z from the distal joint towards it,
    +y lateral (runner's left), +x forward. Foot frame: origin at the heel, +x along
    heel → toe, +z up from the sole. Trunk: origin at the hip midpoint, +z towards the
    shoulder midpoint. Head: upright at the head centre, facing +x.
    """

    def p(name: str) -> np.ndarray:
        return joints[name][i]

    lateral = np.array([0.0, 1.0, 0.0])
    out = {}
    trunk_axis = p("mid_shoulder") - p("mid_hip")
    rot = _frame(None, trunk_axis, lateral)
    out["pelvis"] = (p("mid_hip"), _quat(rot))
    out["trunk"] = (p("mid_hip"), _quat(rot))
    out["head"] = (p("head"), np.array([1.0, 0.0, 0.0, 0.0]))
    pairs = {
        "thigh": ("hip", "knee"),
        "shank": ("knee", "ankle"),
        "upper_arm": ("shoulder", "elbow"),
        "forearm": ("elbow", "wrist"),
    }
    for side in SIDES:
        for segname, (a, b) in pairs.items():
            top, bottom = p(f"{side}_{a}"), p(f"{side}_{b}")
            out[f"{side}_{segname}"] = (top, _quat(_frame(None, top - bottom, lateral)))
        elbow, wrist = p(f"{side}_elbow"), p(f"{side}_wrist")
        out[f"{side}_hand"] = (wrist, _quat(_frame(None, elbow - wrist, lateral)))
        heel, toe = p(f"{side}_heel"), p(f"{side}_foot_index")
        along = (toe - heel) / np.linalg.norm(toe - heel)
        up = np.cross(along, lateral)
        out[f"{side}_foot"] = (heel, _quat(np.column_stack([along, lateral, up])))
    return out
