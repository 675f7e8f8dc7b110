"""BlazePose landmark names, indices and the skeleton used throughout runform.

The 33 landmarks follow MediaPipe's pose landmark list (Bazarevsky et al. 2020,
"BlazePose: On-device Real-time Body Pose tracking", arXiv:2006.10204): shoulders
11/12, hips 23/24, knees 25/26, ankles 27/28, heels 29/30 and foot_index (toe tip)
31/32, left before right.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
N_LANDMARKS = len(NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}

SIDES = ("left", "right")

#: Joints of one leg, proximal to distal (without the side prefix).
LEG = ("hip", "knee", "ankle", "heel", "foot_index")
#: Joints of one arm, proximal to distal.
ARM = ("shoulder", "elbow", "wrist", "pinky", "index", "thumb")


def idx(side: str, joint: str) -> int:
    """Index of ``<side>_<joint>`` in :data:`NAMES`."""
    return INDEX[f"{side}_{joint}"]


def mirror_index() -> list[int]:
    """Permutation that exchanges every left landmark with its right twin."""
    out = []
    for name in NAMES:
        if name.startswith("left_"):
            out.append(INDEX["right_" + name[5:]])
        elif name.startswith("right_"):
            out.append(INDEX["left_" + name[6:]])
        else:
            out.append(INDEX[name])
    return out


#: Skeleton edges drawn by the display module, as (name, name) pairs.
EDGES: tuple[tuple[str, str], ...] = tuple(
    [(f"{s}_shoulder", f"{s}_elbow") for s in SIDES]
    + [(f"{s}_elbow", f"{s}_wrist") for s in SIDES]
    + [(f"{s}_shoulder", f"{s}_hip") for s in SIDES]
    + [(f"{s}_hip", f"{s}_knee") for s in SIDES]
    + [(f"{s}_knee", f"{s}_ankle") for s in SIDES]
    + [(f"{s}_ankle", f"{s}_heel") for s in SIDES]
    + [(f"{s}_heel", f"{s}_foot_index") for s in SIDES]
    + [(f"{s}_ankle", f"{s}_foot_index") for s in SIDES]
    + [("left_shoulder", "right_shoulder"), ("left_hip", "right_hip")]
)
