"""Repair of left/right leg swaps, a known failure of side-view pose models.

A side-view pose model sometimes gives the far leg's points the near leg's labels (or
swaps only the feet) for a few frames. Each frame may keep its labels, swap the legs or
swap the feet; the sequence of labellings that moves the leg points least from frame to
frame while keeping the thigh and shank lengths nearest the clip's medians is chosen by
dynamic programming over the whole clip. Used by :func:`runform.clean.clean`.
"""

from __future__ import annotations

import itertools

import numpy as np

from .clip import Clip
from .landmarks import INDEX

__all__ = ["MISSING_COST", "RELABEL_COST", "repair_swaps"]

_LEG_JOINTS = ("knee", "ankle", "heel", "foot_index")
_FOOT_JOINTS = ("ankle", "heel", "foot_index")
#: Cost, in leg lengths, of a point with no counterpart in the prediction (see repair).
MISSING_COST = 0.5
#: Cost per frame, in leg lengths, of changing the detector's labels (a weak prior).
RELABEL_COST = 0.02


def _leg_indices(joints: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([INDEX[f"left_{j}"] for j in joints]),
        np.array([INDEX[f"right_{j}"] for j in joints]),
    )


def _segment_lengths(xy: np.ndarray) -> np.ndarray:
    """Per-frame thigh, shank, foot lengths of both legs: shape (n, 2, 3)."""
    out = []
    for side in ("left", "right"):
        pts = [xy[:, INDEX[f"{side}_{j}"]] for j in ("hip", "knee", "ankle", "foot_index")]
        out.append([np.linalg.norm(b - a, axis=1) for a, b in itertools.pairwise(pts)])
    return np.transpose(np.array(out), (2, 0, 1))


def _labellings(xy: np.ndarray, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """Leg points under the three labellings: shape (3, n, 2 sides, 4 joints, 2).

    0 = as given, 1 = whole legs (knee, ankle, heel, toe) exchanged, 2 = only the feet
    (ankle, heel, toe) exchanged.
    """
    cur = np.stack([xy[:, li], xy[:, ri]], axis=1)
    legs = cur[:, ::-1].copy()
    feet = cur.copy()
    feet[:, :, 1:] = cur[:, ::-1, 1:]
    return np.stack([cur, legs, feet])


def _shape_cost(lab: np.ndarray, hips: np.ndarray, ref_len: np.ndarray) -> np.ndarray:
    """Deviation of thigh and shank lengths from the reference, shape (3, n)."""
    with np.errstate(invalid="ignore"):
        thigh = np.linalg.norm(lab[:, :, :, 0] - hips[None], axis=-1)
        shank = np.linalg.norm(lab[:, :, :, 1] - lab[:, :, :, 0], axis=-1)
        dev = np.abs(np.stack([thigh, shank], -1) - ref_len)
    return np.nansum(dev, axis=(2, 3))


def _step_cost(prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
    """Distance moved between two frames for every pair of labellings, shape (3, 3).

    A point present in one frame and missing in the other costs :data:`MISSING_COST`
    (in the same units as the distances), so moving a point onto a masked side is
    never free.
    """
    d = np.linalg.norm(cur[None, :] - prev[:, None], axis=-1)  # (3 prev, 3 cur, 2, 4)
    has_p = np.isfinite(prev).all(-1)[:, None]
    has_c = np.isfinite(cur).all(-1)[None, :]
    both = has_p & has_c
    return np.where(both, np.nan_to_num(d), 0.0).sum(axis=(2, 3)) + MISSING_COST * (
        has_p ^ has_c
    ).sum(axis=(2, 3))


def repair_swaps(clip: Clip, shape_weight: float = 2.0) -> tuple[Clip, int]:
    """Detect and undo left/right leg swaps over the whole clip.

    Every frame may be labelled as given, with the whole legs (knee, ankle, heel,
    toe) exchanged, or with only the feet (ankle, heel, toe) exchanged. The labelling
    of the whole clip is chosen by dynamic programming (Viterbi) to minimise the sum
    of (a) the distance every leg point moves from frame to frame and (b)
    ``shape_weight`` times the deviation of thigh and shank lengths from the clip's
    medians, both in leg lengths (motion prediction plus segment-length
    consistency). Being global, the choice where the legs cross is made by the frames
    on either side rather than greedily, so one ambiguous frame cannot flip the rest.

    Returns
    -------
    clip : Clip
        The repaired clip (visibility follows the points).
    n_swapped : int
        Number of frames whose labels were changed.
    """
    xy = clip.xy.copy()
    li, ri = _leg_indices(_LEG_JOINTS)
    lengths = _segment_lengths(xy)
    with np.errstate(all="ignore"):
        ref = np.nanmedian(lengths[:, :, :2], axis=0)  # (side, thigh/shank)
        leg = float(np.nanmedian(np.nansum(lengths[:, :, :2], axis=2)))
    if len(xy) < 2 or not np.isfinite(leg) or leg <= 0 or not np.isfinite(ref).any():
        return clip, 0
    ref = np.where(np.isfinite(ref), ref, np.nanmean(ref))
    lab = _labellings(xy, li, ri) / leg
    hips = np.stack([xy[:, INDEX["left_hip"]], xy[:, INDEX["right_hip"]]], axis=1) / leg
    emit = shape_weight * _shape_cost(lab, hips, ref / leg)
    emit[1:] += RELABEL_COST  # the detector's own labels are preferred when all else ties
    n = len(xy)
    cost = emit[:, 0].copy()
    back = np.zeros((n, 3), dtype=int)
    for t in range(1, n):
        total = cost[:, None] + _step_cost(lab[:, t - 1], lab[:, t])
        back[t] = np.argmin(total, axis=0)
        cost = total[back[t], np.arange(3)] + emit[:, t]
    state = np.zeros(n, dtype=int)
    state[-1] = int(np.argmin(cost))
    for t in range(n - 1, 0, -1):
        state[t - 1] = back[t, state[t]]
    return _apply_labelling(clip, state, li, ri)


def _apply_labelling(clip: Clip, state: np.ndarray, li, ri) -> tuple[Clip, int]:
    xy, vis = clip.xy.copy(), clip.visibility.copy()
    for code, rows in ((1, slice(0, 4)), (2, slice(1, 4))):
        f = state == code
        if f.any():
            lcols, rcols = li[rows], ri[rows]
            xy[np.ix_(f, lcols)], xy[np.ix_(f, rcols)] = (
                clip.xy[np.ix_(f, rcols)],
                clip.xy[np.ix_(f, lcols)],
            )
            vis[np.ix_(f, lcols)], vis[np.ix_(f, rcols)] = (
                clip.visibility[np.ix_(f, rcols)],
                clip.visibility[np.ix_(f, lcols)],
            )
    n_swapped = int(np.count_nonzero(state))
    out = clip.replace(xy=xy, visibility=vis).with_note(f"repair swaps ({n_swapped} frames)")
    return out, n_swapped
