"""Gait events: initial contact (IC) and toe-off (TO) of each foot.

Coordinate rules built for walking (Zeni 2008: most anterior heel) fire *early* in
running because the swing leg retracts before touchdown (Seyfarth 2003; science.md §3).
runform therefore detects contact from foot *height*, the signal force plates agree
with (Fellin 2010; De Witt 2010 for treadmill toe-off):

1. The foot's lowest point (the lower of heel and toe) is measured above a ground line
   fitted through that foot's lowest positions (a line, so camera roll, perspective and
   an inclined belt are absorbed), in leg lengths.
2. The foot is in contact while that height stays within a threshold of the ground set
   from the measured stance noise. Contacts shorter than :data:`MIN_CONTACT_S` and
   gaps shorter than :data:`MIN_SWING_S` are physiologically impossible in running and
   are merged or dropped.
3. IC and TO are refined to a fraction of a frame where the height signal meets the
   ground level (linear interpolation between the frames around each transition). The
   result is still limited by the frame rate: every event carries ±½ frame.

The same rule serves treadmill clips (the stance foot slides backwards on the belt)
and overground clips filmed with a fixed camera (the stance foot stays still); a
panning camera breaks the ground line and is not supported.
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .errors import TooShortError
from .kinematics import normalise
from .landmarks import INDEX
from .orientation import leg_length_px

__all__ = ["MIN_CONTACT_S", "MIN_SWING_S", "detect_events", "foot_heights", "ground_line"]

#: Shortest plausible ground contact in running, seconds (sprinters ~80 ms).
MIN_CONTACT_S = 0.07
#: Shortest plausible time a foot spends off the ground between contacts, seconds.
MIN_SWING_S = 0.15
#: Smallest contact threshold, in leg lengths (≈ 1.8 cm for a 0.9 m leg).
MIN_THRESHOLD = 0.02
#: Half-width of the window in which IC and TO are refined, seconds.
REFINE_WINDOW_S = 0.05


def ground_line(points: np.ndarray, fraction: float = 0.3) -> tuple[float, float]:
    """Fit the ground line ``Y = a + b X`` under one foot's lowest points.

    The lowest ``fraction`` of the points relative to the current line are refitted
    three times (a foot is on the ground roughly 30–40 % of a running cycle).

    Returns
    -------
    a, b : float
        Intercept (pixels, normalised Y up) and slope (dY/dX).
    """
    ok = np.isfinite(points).all(axis=1)
    p = points[ok]
    if len(p) < 4:
        return float("nan"), 0.0
    a, b = float(np.percentile(p[:, 1], 100 * fraction / 2)), 0.0
    for _ in range(3):
        resid = p[:, 1] - (a + b * p[:, 0])
        low = resid <= np.percentile(resid, 100 * fraction)
        xs, ys = p[low, 0], p[low, 1]
        if np.ptp(xs) > 1e-6 * max(1.0, np.abs(xs).max()) and len(xs) >= 4:
            b, a = np.polyfit(xs, ys, 1)
            b = float(np.clip(b, -0.35, 0.35))  # ±19°: beyond that it is not a floor
            a = float(np.median(ys - b * xs))
        else:
            a, b = float(np.median(ys)), 0.0
    return float(a), float(b)


def _lowest_points(xy: np.ndarray, side: str) -> np.ndarray:
    """(n, 2) normalised position (Y up) of the lower of the foot's heel and toe."""
    heel = xy[:, INDEX[f"{side}_heel"]]
    toe = xy[:, INDEX[f"{side}_foot_index"]]
    use_toe = np.nan_to_num(toe[:, 1], nan=np.inf) < np.nan_to_num(heel[:, 1], nan=np.inf)
    low = np.where(use_toe[:, None], toe, heel)
    return np.where(np.isfinite(low), low, np.where(np.isfinite(heel), heel, toe))


def foot_heights(clip: Clip, side: str) -> tuple[np.ndarray, float, float]:
    """Height of the foot's lowest point (heel or toe) above the ground line, leg lengths.

    Returns
    -------
    h : ndarray, shape (n,)
        Height in leg lengths (NaN where the foot is unknown).
    slope_deg : float
        Tilt of the fitted ground line, degrees (+ = rising in the running direction).
    leg_px : float
        Leg length used for normalisation, pixels.
    """
    low = _lowest_points(normalise(clip.xy, clip.direction), side)
    a, b = ground_line(low)
    leg = leg_length_px(clip)
    if not np.isfinite(leg) or leg <= 0:
        span = np.nanmax(low[:, 1]) - np.nanmin(low[:, 1]) if np.isfinite(low).any() else 1.0
        leg = float(span) or 1.0
    h = (low[:, 1] - (a + b * low[:, 0])) / leg
    return h, float(np.degrees(np.arctan(b))), leg


def _segments(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True as (first, last) inclusive index pairs."""
    edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


def _contact_mask(h: np.ndarray, fps: float) -> tuple[np.ndarray, float]:
    """Frames in contact and the threshold used (leg lengths)."""
    good = np.isfinite(h)
    if good.sum() < 4:
        return np.zeros(len(h), bool), float("nan")
    hv = h[good]
    low = hv[hv <= np.percentile(hv, 30)]
    noise = 1.4826 * np.median(np.abs(low - np.median(low)))
    thr = max(MIN_THRESHOLD, float(np.median(low)) + 3.0 * noise)
    contact = np.where(good, h <= thr, False)
    # close short gaps (noise lifting a stance foot), then drop too-short contacts
    gap_max = MIN_SWING_S * fps
    for s, e in _segments(~contact):
        if 0 < s and e < len(h) - 1 and e - s + 1 < gap_max:
            contact[s:e + 1] = True
    min_len = max(1, int(np.floor(MIN_CONTACT_S * fps)))
    for s, e in _segments(contact):
        if e - s + 1 < min_len:
            contact[s:e + 1] = False
    return contact, thr


def _hinge(t: np.ndarray, h: np.ndarray, rising: bool) -> float:
    """Breakpoint of a plateau joined to a sloped line, fitted by least squares.

    Model: ``h = h0 + v * max(0, tb - t)`` (descent onto the ground, IC) or
    ``h = h0 + v * max(0, t - tb)`` (lift-off, TO). The breakpoint ``tb`` is searched on
    a grid of 1/20 frame inside the window; ``h0`` and ``v`` are solved linearly.
    """
    ok = np.isfinite(h)
    t, h = t[ok], h[ok]
    if len(t) < 4:
        return float("nan")
    best, best_tb = np.inf, float("nan")
    for tb in np.linspace(t[0], t[-1], 20 * (len(t) - 1) + 1):
        ramp = np.maximum(0.0, t - tb) if rising else np.maximum(0.0, tb - t)
        design = np.column_stack([np.ones_like(t), ramp])
        coef, *_ = np.linalg.lstsq(design, h, rcond=None)
        if coef[1] <= 0:
            continue
        err = float(np.sum((design @ coef - h) ** 2))
        if err < best:
            best, best_tb = err, float(tb)
    return best_tb


def _refine(h, t, s, e, fps) -> tuple[float, float]:
    """Sub-frame IC and TO of the contact spanning frames s..e (hinge fits).

    IC: where the descending foot meets its stance plateau; TO: where the plateau
    meets the rising toe (De Witt 2010's toe-height rule made sub-frame). A fit may
    move an event by at most one frame from the thresholded contact.
    """
    k = max(2, int(np.ceil(REFINE_WINDOW_S * fps)))
    ic = _hinge(t[max(0, s - k):s + k], h[max(0, s - k):s + k], rising=False)
    to = _hinge(t[max(0, e - k + 1):e + k + 1], h[max(0, e - k + 1):e + k + 1], rising=True)
    dt = 1.0 / fps
    if not np.isfinite(ic) or not t[s] - 1.5 * dt <= ic <= t[s] + 0.5 * dt:
        ic = t[s] - 0.5 * dt if s > 0 else t[s]
    if not np.isfinite(to) or not t[e] - 0.5 * dt <= to <= t[e] + 1.5 * dt:
        to = t[e] + 0.5 * dt if e + 1 < len(t) else t[e]
    return ic, to


def _alternate(rows: list[dict], near_side: str | None) -> list[dict]:
    """Keep far-foot contacts only where they alternate with the near foot.

    Running alternates feet with a phase offset of about half a stride. A far-foot
    contact whose IC does not fall between 25 % and 75 % of the enclosing near-foot
    stride is an artefact of the occluded far foot and is dropped; of several inside
    one stride, the longest is kept.
    """
    if near_side is None:
        return rows
    near = sorted(r["ic_s"] for r in rows if r["foot"] == near_side)
    if len(near) < 2:
        return rows
    keep = [r for r in rows if r["foot"] == near_side]
    best: dict[int, dict] = {}
    for r in rows:
        if r["foot"] == near_side:
            continue
        k = int(np.searchsorted(near, r["ic_s"])) - 1
        if not 0 <= k < len(near) - 1:
            continue
        phase = (r["ic_s"] - near[k]) / (near[k + 1] - near[k])
        if 0.25 <= phase <= 0.75 and (k not in best or r["contact_ms"] > best[k]["contact_ms"]):
            best[k] = r
    return keep + list(best.values())


def detect_events(clip: Clip, *, sides: tuple[str, ...] = ("left", "right")):
    """Initial contacts and toe-offs of each foot.

    Parameters
    ----------
    clip : Clip
        A cleaned clip (mask, gap fill, swap repair). Heavy low-pass filtering delays
        IC and advances TO, so prefer landmarks filtered at no more than the clip's
        default cutoff. Direction must be known (it is detected if missing).
    sides : tuple of str
        Feet to analyse.

    Returns
    -------
    pandas.DataFrame
        One row per contact, sorted by IC, with columns ``foot`` ('left'/'right'),
        ``ic_frame`` and ``to_frame`` (first and last frame in contact), ``ic_s`` and
        ``to_s`` (sub-frame estimates, seconds), ``contact_ms``, ``near`` (True for the
        near-camera foot, also True for both when the near side is unknown),
        ``complete`` (False when the contact is cut by the clip's start or end).
        ``df.attrs`` holds the ground-line tilt per foot (``ground_slope_deg``),
        thresholds and the timing resolution (``frame_ms``).

    Raises
    ------
    TooShortError
        The clip is shorter than one stride (< 0.8 s) or no foot is visible.
    """
    import pandas as pd

    if clip.direction is None or clip.treadmill is None:
        clip = clip.oriented()
    if clip.duration_s < 0.8:
        raise TooShortError(
            f"The clip lasts {clip.duration_s:.2f} s; gait events need at least one full "
            "stride (about 0.8 s). Record a few seconds of steady running.")
    rows, attrs = [], {"ground_slope_deg": {}, "threshold_leg": {}, "frame_ms": clip.frame_ms}
    t = clip.time
    for side in sides:
        h, slope, _ = foot_heights(clip, side)
        contact, thr = _contact_mask(h, clip.fps)
        attrs["ground_slope_deg"][side] = slope
        attrs["threshold_leg"][side] = thr
        near = clip.near_side is None or clip.near_side == side
        for s, e in _segments(contact):
            ic, to = _refine(h, t, s, e, clip.fps)
            complete = s > 0 and e < len(h) - 1 and np.isfinite(h[s - 1]) and np.isfinite(h[e + 1])
            rows.append({"foot": side, "ic_frame": int(s), "to_frame": int(e), "ic_s": ic,
                         "to_s": to, "contact_ms": 1000.0 * (to - ic), "near": near,
                         "complete": bool(complete)})
    rows = _alternate(rows, clip.near_side)
    cols = ["foot", "ic_frame", "to_frame", "ic_s", "to_s", "contact_ms", "near", "complete"]
    df = pd.DataFrame(rows, columns=cols).sort_values("ic_s", ignore_index=True)
    if df.empty:
        raise TooShortError(
            "No foot contact was found: the feet are not visible or never reach the ground "
            "line. Make sure both feet stay in frame.")
    df.attrs.update(attrs)
    return df
