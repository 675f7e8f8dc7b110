"""Gait events: initial contact (IC) and toe-off (TO) of each foot.

Coordinate rules built for walking (Zeni 2008: most anterior heel) fire *early* in
running because the swing leg retracts before touchdown (Seyfarth 2003; science.md §3).
runform finds contacts from foot *height* and times IC from the physics of the impact:

1. **Which frames are stance.** The foot's lowest point (the lower of heel and toe) is
   measured above a ground line fitted through that foot's lowest positions (a line, so
   camera roll, perspective and an inclined belt are absorbed), in leg lengths. The
   foot is in contact while that height stays within a threshold of the ground set
   from the measured stance noise, *and* the foot is not moving forward faster than
   :data:`SWING_SPEED`: a stance foot moves with the ground (still overground,
   backwards with the belt on a treadmill), so a low foot still swinging forward is
   late swing, not contact. Contacts shorter
   than :data:`MIN_CONTACT_S` and gaps shorter than :data:`MIN_SWING_S` are
   physiologically impossible in running and are merged or dropped.
2. **IC** is the moment the ground starts to stop the part of the foot that lands
   first. Until touchdown the landing part (heel for a rearfoot strike, forefoot for a
   forefoot strike) is driven downwards by the swinging leg; the first external force
   that decelerates it is the ground's. So IC is the *minimum of the vertical velocity*
   (fastest descent) of the heel or of the toe within :data:`IC_SEARCH_S` of the
   threshold crossing, whichever comes first: the other part only drops afterwards
   (heel drop of a forefoot strike, forefoot slap of a rearfoot strike) and gives a
   later minimum. This is Handsaker et al. 2016's "first vertical-acceleration peak of
   heel or MT" read where the acceleration changes sign (the onset of the deceleration,
   not its peak). On the Fukuchi 2017 force plates (forefoot/midfoot runner) the toe's
   fastest descent falls within 4 ms of the force onset at 2.5 and 3.5 m/s and at
   30–150 fps, whereas the toe reaches its stance height ~20 ms after the onset and a
   height threshold fires 10–30 ms early or late depending on the approach speed.
   A minimum counts only if it is a clear dip (:data:`MIN_IMPACT_DIP`) of a part near
   the ground (:data:`LANDING_HEIGHT`); velocities are slopes over a fixed
   :data:`VELOCITY_SPAN_S` and the minimum is located to a fraction of a frame (parabola
   through three frames). When there is no such minimum (a foot set down without
   impact, missing data), IC falls back to the threshold crossing.
3. **TO** is where the lowest point rises through the contact threshold (De Witt
   2010's toe-height rule), linearly interpolated between the two frames around it,
   but no later than the stance knee's extension peak plus that rule's own error
   (:data:`TO_KNEE_ERROR_S`; Fellin 2010: peak knee extension marks TO within ~5 ms).
   The height rule is timed by the landmark's meaning: on the Fukuchi markers
   ``foot_index`` is the metatarsal heads, which rise while the toes still push
   (40–50 ms before force TO), and the band is crossed at force TO (−1 ± 4 ms). A true
   toe tip (BlazePose ``foot_index``, the model's toe) only starts to rise at TO, so it
   crosses the ≥ 2 cm band a frame or more later: +0.2–1.2 frames on exact model
   keypoints, +1.1–1.4 frames on MediaPipe landmarks of the rendered clips, whose
   toe landmark sits above the sole, dips while the foot rolls over it and rises late.
   The knee does not depend on what the toe landmark means: its extension peak is
   within a few ms of TO on the force plates (2.5 m/s: +0 ± 5 ms; 3.5 m/s: +11 ± 3 ms,
   where the band rule stays) and on the model (the knee starts to flex at TO), and
   it cuts the MediaPipe TO error to +0.4–0.7 frame.

Every event still carries the frame-rate limit: ±½ frame for a threshold crossing, less
for the velocity minimum on clean markers (SD 2–3 ms at 30–150 fps on Fukuchi), more
with video landmark jitter.

IC on the simulated runner reads up to 1–1.5 frames early. That is the model's impact,
not a rule to retune: its landing part stops within zero time (rigid foot on rigid
ground), so the central difference that straddles the stop is already slower than the
approach and the sampled velocity minimum falls on the frame before the impact. On
the force plates the MT markers slow down over ~25 ms, about as fast as they sped up
(a V-shaped vertical velocity: −85 cm/s at force onset, −12 cm/s 27 ms later at
2.5 m/s), and the same minimum is unbiased there. An estimator exact for a stop within
zero time (the centroid of the positive second difference) reads 15–23 ms late on
the force plates, so no single rule serves both shapes at 30–60 fps.

The same rules serve treadmill clips (the stance foot slides backwards on the belt)
and overground clips filmed with a fixed camera (the stance foot stays still); a
panning camera breaks the ground line and is not supported.
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .errors import TooShortError
from .geometry import normalise
from .landmarks import INDEX
from .orientation import leg_length_px

__all__ = ["MIN_CONTACT_S", "MIN_SWING_S", "detect_events", "foot_heights", "ground_line"]

#: Shortest plausible ground contact in running, seconds (sprinters ~80 ms).
MIN_CONTACT_S = 0.07
#: Shortest plausible time a foot spends off the ground between contacts, seconds.
MIN_SWING_S = 0.15
#: Smallest contact threshold, in leg lengths (≈ 1.8 cm for a 0.9 m leg).
MIN_THRESHOLD = 0.02
#: Half-width of the window, around the threshold crossing, in which the landing part's
#: fastest descent is searched, seconds. The lowest point approaches the ground at
#: 0.5–1 m/s, so it crosses the ≥ 2 cm contact band within 20–40 ms of touchdown.
IC_SEARCH_S = 0.05
#: Smallest dip of the vertical velocity that counts as an impact, leg lengths per
#: second (≈ 9 cm/s): the ground stops the landing part from 0.5–1.5 m/s downwards;
#: shallower ripples are marker or landmark noise and swing-phase wobble.
MIN_IMPACT_DIP = 0.1
#: Forward foot speed above which a frame cannot be stance, leg lengths per second
#: (≈ 0.9 m/s). A stance foot moves with the ground: still overground (fixed camera),
#: backwards at belt speed on a treadmill. The swinging foot moves forward at up to
#: twice the running speed; 1 leg/s is also > 3x the velocity noise of 1–2 % leg-length
#: landmark jitter at 30 fps, so jitter cannot remove a stance frame.
SWING_SPEED = 1.0
#: How far above its own stance height (median over the contact) a part may be at its
#: fastest descent and still be landing, leg lengths (≈ 7 cm; twice the contact
#: threshold when landmark noise makes that larger). At touchdown the part is at the
#: ground: it sits above its mid-stance height only by what the midsole and the heel or
#: forefoot pad still have to compress and by how far a dorsal landmark sinks as the
#: foot flattens (3–4 cm for the Fukuchi MT markers at force onset). A part higher than
#: this is still swinging, and its velocity minimum is the swing descent, not an impact.
LANDING_HEIGHT = 0.08
#: Smallest upward acceleration of a landing part that counts as the ground arresting it,
#: leg lengths per second squared (≈ 1 g for a 0.9 m leg). A heel that the swing leg has
#: already slowed to ~1 m/s before touchdown is stopped within 10–20 ms (5–10 g; Lafortune
#: & Hennig 1991, J Biomech: shank peak accelerations of 5–10 g at heel strike); sampled at
#: 30 fps or smoothed over :data:`VELOCITY_SPAN_S` that still reads ≥ 15 leg/s², while the
#: swing leg's own deceleration of the foot near the ground is smooth and has no peak.
MIN_ARREST_ACC = 10.0
#: Time span over which vertical velocities are estimated, seconds: the span of a
#: central difference at 30 fps. Differentiation multiplies landmark jitter by the frame
#: rate, so at higher rates the slope is fitted over the same duration (a local
#: quadratic) rather than over two frames, so noise stays at the 30 fps level when
#: the minimum is looked for; its time is then read from the central difference within
#: that span (a smoothed slope would move an abrupt stop up to half a span earlier).
VELOCITY_SPAN_S = 1.0 / 15.0
#: Half-width of the window around the last contact frame in which the stance knee's
#: extension peak is looked for, seconds. The peak comes within about 10 ms of
#: force-plate TO (Fellin 2010: 5 ms mean absolute error; Fukuchi RBDS001: +0 ± 5 ms at
#: 2.5 m/s, +11 ± 3 ms at 3.5 m/s) and a toe landmark leaves the contact band at most
#: a frame or two later; 50 ms (2 frames at 30 fps) covers both without reaching back
#: to mid-stance, where the knee is most flexed.
TO_KNEE_S = 0.05
#: How much earlier than force-plate TO the stance knee's extension peak may come,
#: seconds: the mean absolute error of peak knee extension as a running TO rule,
#: 4.9 ms overground and 5.2 ms on a treadmill (Fellin et al. 2010, science.md §3).
#: TO is taken no later than the peak plus this error.
TO_KNEE_ERROR_S = 0.005


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


def _foot_geometry(clip: Clip, side: str) -> dict:
    """Heights (lowest point, heel, toe) and x of heel and toe, leg lengths; tilt; leg."""
    xy = normalise(clip.xy, clip.direction)
    low = _lowest_points(xy, side)
    a, b = ground_line(low)
    leg = leg_length_px(clip)
    if not np.isfinite(leg) or leg <= 0:
        span = np.nanmax(low[:, 1]) - np.nanmin(low[:, 1]) if np.isfinite(low).any() else 1.0
        leg = float(span) or 1.0
    heel = xy[:, INDEX[f"{side}_heel"]]
    toe = xy[:, INDEX[f"{side}_foot_index"]]

    def height(p):
        return (p[:, 1] - (a + b * p[:, 0])) / leg

    hip, knee, ankle = (xy[:, INDEX[f"{side}_{j}"]] for j in ("hip", "knee", "ankle"))
    thigh = np.arctan2(knee[:, 0] - hip[:, 0], hip[:, 1] - knee[:, 1])
    shank = np.arctan2(ankle[:, 0] - knee[:, 0], knee[:, 1] - ankle[:, 1])
    return {"h": height(low), "heel": height(heel), "toe": height(toe),
            "knee": np.degrees(thigh - shank),
            "slope_deg": float(np.degrees(np.arctan(b))), "leg": leg,
            "heel_x": heel[:, 0] / leg, "toe_x": toe[:, 0] / leg}


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
    g = _foot_geometry(clip, side)
    return g["h"], g["slope_deg"], g["leg"]


def _segments(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True as (first, last) inclusive index pairs."""
    edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


def _contact_mask(h: np.ndarray, fps: float,
                  swinging: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Frames in contact and the threshold used (leg lengths).

    ``swinging`` marks frames where the foot moves forward faster than any stance foot
    can (see :data:`SWING_SPEED`); they are not contact even when the foot is low.
    """
    good = np.isfinite(h)
    if good.sum() < 4:
        return np.zeros(len(h), bool), float("nan")
    hv = h[good]
    low = hv[hv <= np.percentile(hv, 30)]
    noise = 1.4826 * np.median(np.abs(low - np.median(low)))
    thr = max(MIN_THRESHOLD, float(np.median(low)) + 3.0 * noise)
    contact = np.where(good, h <= thr, False)
    if swinging is not None:
        contact &= ~swinging
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


def _fastest_descent(p: np.ndarray, v: np.ndarray, t: np.ndarray, lo: int, hi: int,
                     ceiling: float) -> float:
    """Sub-frame time of the deepest clear minimum of a part's vertical velocity.

    Searched in frames lo..hi. A minimum must be a local one (both neighbours higher),
    downwards, stand out by at least :data:`MIN_IMPACT_DIP` from the highest velocity on
    each side within the window, and happen with the part no higher than ``ceiling``
    (a part that is still high above the ground is swinging, not landing). Its time is
    refined by a parabola through the three frames. NaN when there is none.
    """
    lo, hi = max(lo, 1), min(hi, len(v) - 2)
    best, when = 0.0, float("nan")
    for j in range(lo, hi + 1):
        y0, y1, y2 = v[j - 1], v[j], v[j + 1]
        if not (np.isfinite(y0) and np.isfinite(y1) and np.isfinite(y2)):
            continue
        if not (y1 < y0 and y1 <= y2 and y1 < best):
            continue
        left = np.nanmax(v[max(lo - 1, 0):j + 1]) - y1
        right = np.nanmax(v[j:hi + 2]) - y1
        if min(left, right) < MIN_IMPACT_DIP:
            continue
        den = y0 - 2 * y1 + y2
        d = float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5)) if den > 0 else 0.0
        k = j if d >= 0 else j - 1  # the frame interval holding the minimum
        frac = d if d >= 0 else 1.0 + d
        tc = float(t[k] + frac * (t[k + 1] - t[k]))
        height = (1.0 - frac) * p[k] + frac * p[k + 1]
        if np.isfinite(height) and height <= ceiling:
            best, when = y1, tc
    return when


def _velocity(y: np.ndarray, fps: float) -> np.ndarray:
    """Rate of change of y per second: Savitzky–Golay slope over :data:`VELOCITY_SPAN_S`.

    At 30 fps or less this is the central difference; at higher rates a local quadratic
    over the same duration, so the bandwidth (and the noise) does not depend on the
    frame rate. Gaps are bridged linearly for the fit and stay NaN in the result.
    """
    n = len(y)
    if n < 3:
        return np.full(n, np.nan)
    half = round(VELOCITY_SPAN_S * fps / 2)
    if half <= 1:
        return np.gradient(y, 1.0 / fps)
    from scipy.signal import savgol_filter

    ok = np.isfinite(y)
    if ok.sum() < 2 * half + 1:
        return np.full(n, np.nan)
    idx = np.arange(n)
    filled = y if ok.all() else np.interp(idx, idx[ok], y[ok])
    v = savgol_filter(filled, 2 * half + 1, 2, deriv=1, delta=1.0 / fps, mode="interp")
    v[~ok] = np.nan
    return v


def _acceleration(y: np.ndarray, fps: float) -> np.ndarray:
    """Second derivative of y per second squared, over :data:`VELOCITY_SPAN_S`.

    Three-point second difference at 30 fps or less; at higher rates a Savitzky–Golay
    quadratic over the same duration (as :func:`_velocity`). NaN where y is unknown.
    """
    n = len(y)
    half = round(VELOCITY_SPAN_S * fps / 2)
    out = np.full(n, np.nan)
    ok = np.isfinite(y)
    if n < 3 or ok.sum() < max(3, 2 * half + 1):
        return out
    idx = np.arange(n)
    filled = y if ok.all() else np.interp(idx, idx[ok], y[ok])
    if half <= 1:
        out[1:-1] = (filled[2:] - 2 * filled[1:-1] + filled[:-2]) * fps ** 2
    else:
        from scipy.signal import savgol_filter

        out = savgol_filter(filled, 2 * half + 1, 2, deriv=2, delta=1.0 / fps, mode="interp")
    out[~ok] = np.nan
    return out


def _arrest(p: np.ndarray, v: np.ndarray, a: np.ndarray, t: np.ndarray, lo: int, hi: int,
            ceiling: float, fps: float) -> float:
    """Sub-frame time of the strongest upward-acceleration peak of a landing part, or NaN.

    This is the impact of a part that was no longer speeding up when it touched down
    (a heel slowed by the swing leg): its velocity has no minimum at contact, but the
    ground stops it abruptly. The peak must be a local maximum of at least
    :data:`MIN_ARREST_ACC`, with the part no higher than ``ceiling``, and the part must
    come to rest within :data:`VELOCITY_SPAN_S` after it (vertical velocity ``v`` back
    within :data:`MIN_IMPACT_DIP` of zero): only the ground stops a falling foot, while
    a deceleration in the air leaves it descending, or lets it descend again (a toe
    that hovers before a forefoot landing). Its time is refined
    by a parabola through three frames (for an abrupt stop between two frames the
    sampled peak brackets the stop symmetrically).
    """
    lo, hi = max(lo, 1), min(hi, len(a) - 2)
    best, when = MIN_ARREST_ACC, float("nan")
    for j in range(lo, hi + 1):
        y0, y1, y2 = a[j - 1], a[j], a[j + 1]
        if not (np.isfinite(y0) and np.isfinite(y1) and np.isfinite(y2)):
            continue
        if not (y1 > y0 and y1 >= y2 and y1 > best) or not p[j] <= ceiling:
            continue
        after = v[j:j + max(2, round(VELOCITY_SPAN_S * fps)) + 1]
        rest = np.flatnonzero(after >= -MIN_IMPACT_DIP)
        if not len(rest) or np.nanmin(after[rest[0]:]) < -3 * MIN_IMPACT_DIP:
            continue
        den = y0 - 2 * y1 + y2
        d = float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5)) if den < 0 else 0.0
        best, when = y1, float(np.interp(j + d, np.arange(len(t)), t))
    return when


def _crossing(h: np.ndarray, t: np.ndarray, i: int, thr: float) -> float:
    """Time where h crosses thr between frames i and i+1 (linear), NaN if it does not."""
    if i < 0 or i + 1 >= len(h):
        return float("nan")
    h0, h1 = h[i], h[i + 1]
    if not (np.isfinite(h0) and np.isfinite(h1)) or (h0 - thr) * (h1 - thr) > 0 or h0 == h1:
        return float("nan")
    return float(t[i] + (t[i + 1] - t[i]) * (thr - h0) / (h1 - h0))


def _refine(g: dict, t: np.ndarray, s: int, e: int, fps: float,
            thr: float) -> tuple[float, float]:
    """Sub-frame IC and TO of the contact spanning frames s..e (see the module notes)."""
    dt = 1.0 / fps
    h = g["h"]
    ic = _crossing(h, t, s - 1, thr)
    if not np.isfinite(ic):
        ic = t[s] - 0.5 * dt if s > 0 else t[s]
    k = max(2, int(np.ceil(IC_SEARCH_S * fps)))
    found = []
    for part in ("heel", "toe"):
        stance = g[part][s:e + 1]
        if not np.isfinite(stance).any():
            continue
        ceiling = float(np.nanmedian(stance)) + max(LANDING_HEIGHT, 2.0 * thr)
        c = _fastest_descent(g[part], g[f"v_{part}"], t, s - k, s + k, ceiling)
        if np.isfinite(c):
            found.append((c, part, "descent"))
        # an arrest happens on the ground: within the contact band of the stance height
        c = _arrest(g[part], g[f"v_{part}"], g[f"a_{part}"], t, s - k, s + k,
                    float(np.nanmedian(stance)) + thr, fps)
        if np.isfinite(c):
            found.append((c, part, "arrest"))
    if found:
        ic, part, kind = min(found)
        # the smoothed slope spreads an abrupt stop over VELOCITY_SPAN_S: take the
        # central-difference minimum next to it
        half = round(VELOCITY_SPAN_S * fps / 2)
        if half > 1 and kind == "descent":
            j = int(np.argmin(np.abs(t - ic)))
            c = _fastest_descent(g[part], np.gradient(g[part], t), t, j - half, j + half,
                                 np.inf)
            if np.isfinite(c):
                ic = c
    to = _crossing(h, t, e, thr)
    if not np.isfinite(to):
        to = t[e] + 0.5 * dt if e + 1 < len(t) else t[e]
    # the stance knee extends until the foot leaves the ground: a crossing later than
    # the knee's extension peak (plus that rule's own error) is a late toe landmark
    knee = _knee_extension_peak(g["knee"], t, e, fps) + TO_KNEE_ERROR_S
    if np.isfinite(knee) and knee < to:
        to = knee
    return ic, max(to, ic + dt)


def _knee_extension_peak(k: np.ndarray, t: np.ndarray, e: int, fps: float) -> float:
    """Sub-frame time of the stance knee's extension peak next to frame e, or NaN.

    ``k`` is the knee flexion (degrees). The least flexion within :data:`TO_KNEE_S` of
    the last contact frame ``e`` counts only when it is a local minimum (the knee
    extends into it and flexes after it). Its time is the vertex of a quadratic fitted
    over :data:`VELOCITY_SPAN_S` around it (three frames at 30 fps), so landmark jitter
    of the knee angle is smoothed over the same duration at every frame rate; the
    vertex may move at most one frame from the sampled minimum.
    """
    w = max(2, int(np.ceil(TO_KNEE_S * fps)))
    lo, hi = max(e - w, 1), min(e + w, len(k) - 2)
    if hi < lo:
        return float("nan")
    seg = k[lo:hi + 1]
    if not np.isfinite(seg).any():
        return float("nan")
    j = lo + int(np.nanargmin(seg))
    y0, y1, y2 = k[j - 1], k[j], k[j + 1]
    if not (np.isfinite(y0) and np.isfinite(y2) and y1 < y0 and y1 <= y2):
        return float("nan")
    half = max(1, round(VELOCITY_SPAN_S * fps / 2))
    a, b = max(j - half, 0), min(j + half, len(k) - 1)
    x = t[a:b + 1] - t[j]
    y = k[a:b + 1]
    ok = np.isfinite(y)
    if ok.sum() < 3:
        return float("nan")
    c2, c1, _ = np.polyfit(x[ok], y[ok], 2)
    if c2 <= 0:
        return float("nan")
    return float(t[j] + np.clip(-c1 / (2 * c2), -1.0 / fps, 1.0 / fps))


def _alternate(rows: list[dict], near_side: str | None) -> list[dict]:
    """Keep far-foot contacts only where they alternate with the near foot.

    Running alternates feet with a phase offset of about half a stride. A far-foot
    contact whose IC does not fall between 25 % and 75 % of the enclosing near-foot
    stride is an artefact of the occluded far foot and is dropped; of several inside
    one stride, the longest is kept. Before the first and after the last near-foot
    contact, the near foot's median stride stands in for the missing one (steady
    running), so the far foot's first and last contacts are not lost.
    """
    if near_side is None:
        return rows
    near = sorted(r["ic_s"] for r in rows if r["foot"] == near_side)
    if len(near) < 2:
        return rows
    stride = float(np.median(np.diff(near)))
    near = [near[0] - stride, *near, near[-1] + stride]
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
        default cutoff. It must be oriented (:meth:`Clip.oriented`).
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

    clip.require_oriented("detect_events")
    if clip.duration_s < 0.8:
        raise TooShortError(
            f"The clip lasts {clip.duration_s:.2f} s; gait events need at least one full "
            "stride (about 0.8 s). Record a few seconds of steady running.")
    rows, attrs = [], {"ground_slope_deg": {}, "threshold_leg": {}, "frame_ms": clip.frame_ms}
    t = clip.time
    n = len(t)
    for side in sides:
        g = _foot_geometry(clip, side)
        h = g["h"]
        for part in ("heel", "toe"):
            g[f"v_{part}"] = _velocity(g[part], clip.fps)
            g[f"a_{part}"] = _acceleration(g[part], clip.fps)
        # stance: the part that touches the ground moves with it, so a frame is swing
        # only when heel and toe both move forward (the other part may rotate forward
        # about the contact point at touchdown and push-off)
        vx = np.fmin(_velocity(g["heel_x"], clip.fps), _velocity(g["toe_x"], clip.fps))
        swinging = np.nan_to_num(vx, nan=0.0) > SWING_SPEED
        contact, thr = _contact_mask(h, clip.fps, swinging)
        attrs["ground_slope_deg"][side] = g["slope_deg"]
        attrs["threshold_leg"][side] = thr
        near = clip.near_side is None or clip.near_side == side
        for s, e in _segments(contact):
            ic, to = _refine(g, t, s, e, clip.fps, thr)
            complete = s > 0 and e < n - 1 and np.isfinite(h[s - 1]) and np.isfinite(h[e + 1])
            first = int(np.clip(np.searchsorted(t, ic - 1e-9), 0, e))
            last = int(np.clip(np.searchsorted(t, to + 1e-9) - 1, first, e))
            rows.append({"foot": side, "ic_frame": first, "to_frame": last, "ic_s": ic,
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
