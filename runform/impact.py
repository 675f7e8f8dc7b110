"""Landing and lift-off timing from a landmark's vertical motion (helpers of :mod:`runform.events`).

Slopes and second derivatives over a fixed duration, the landing part's fastest descent,
its ground arrest, threshold crossings and the stance knee's extension peak. The physics
and the validation are in :mod:`runform.events`.
"""

from __future__ import annotations

import numpy as np

#: Smallest dip of the vertical velocity that counts as an impact, leg lengths per
#: second (≈ 9 cm/s): the ground stops the landing part from 0.5–1.5 m/s downwards;
#: shallower ripples are marker or landmark noise and swing-phase wobble.
MIN_IMPACT_DIP = 0.1
#: How many SDs of its own velocity noise a landing part's velocity dip must exceed
#: (at 60 fps and up): a landmark that jitters by σ (leg lengths) gives slopes over
#: :data:`VELOCITY_SPAN_S` that wobble by σ·g (g: the slope filter's noise gain), and the
#: difference of two of them by √2·σ·g; 3 SD keeps a dip of a plateau approach (a heel
#: slowed by the swing leg, then stopped by the ground) from passing as an impact.
DIP_NOISE_SD = 3.0
#: Smallest upward acceleration of a landing part that counts as the ground arresting it,
#: leg lengths per second squared (≈ 1 g for a 0.9 m leg). A heel that the swing leg has
#: already slowed to ~1 m/s before touchdown is stopped within 10–40 ms by the ground
#: (25–100 m/s², i.e. 3–10 g: the Fukuchi 2017 heel markers of RBDS08 and RBDS016); sampled
#: at 30 fps or smoothed over :data:`VELOCITY_SPAN_S` that still reads ≥ 15 leg/s², while
#: the swing leg's own deceleration of the foot near the ground is smooth and has no peak.
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
#: Half-width of the window of landmark positions fitted around a heel landing to time
#: the onset of the ground's deceleration (:func:`_impact_onset`), seconds. It must hold
#: three frames either side (seven positions for the model's four coefficients and two
#: knots), so the fit runs at 60 fps and more; at 30 fps three frames would span 100 ms
#: either side, past the landing into swing and mid-stance, and the arrest peak or
#: fastest descent is kept. It spans the heel's last ~50 ms of swing (slowed smoothly
#: by the swing leg) and its first ~50 ms of stance (compressed, then at rest). Chosen
#: among 35, 50 and 70 ms by leave-one-runner-out on the Fukuchi 2017 runners
#: (bench/results/ic_onset_loro.md): 50 ms on three of the four folds.
ONSET_WINDOW_S = 0.05
#: How far from the heel's first timing (its fastest descent or arrest peak, which come
#: within ~15 ms of touchdown: −10 to +13 ms on the Fukuchi 2017 heels) the onset is
#: searched, seconds; the impact pulse may last up to this plus 10 ms (the ground
#: brings the heel marker to rest within 10–25 ms of touchdown there). Chosen among 10,
#: 15, 20 and 30 ms by the same leave-one-runner-out (15 ms on every fold).
ONSET_SEARCH_S = 0.015
#: Half-width of the onset fit's window for a noisy landmark, seconds (video landmarks,
#: whose jitter exceeds :data:`ONSET_NOISY_JITTER`). The fit has six free parameters
#: (four coefficients, two knots); on seven positions (:data:`ONSET_WINDOW_S` at 60 fps)
#: MediaPipe heel jitter (0.004–0.009 leg, 3–8 mm) of a few positions moves the first
#: knot to the search edge, and more positions average it out at the cost of a longer
#: stretch of swing modelled as one constant acceleration. Chosen among 50, 67, 83, 100
#: and 117 ms by leave-one-clip-out on the nine 60 fps renders of data/samples (share of
#: near-foot ICs within one frame, then mean |IC|): 100 ms on eight of the nine folds
#: (83 ms on the ninth; the two are within 0.01 frame of each other pooled, 50 and
#: 117 ms are clearly worse: bench/results/accuracy_ic6.txt). The Fukuchi markers never
#: reach it.
ONSET_WINDOW_NOISY_S = 0.1
#: Landmark jitter (SD of white noise, leg lengths; :func:`_white_noise`) above which the
#: onset fit uses :data:`ONSET_WINDOW_NOISY_S`. Motion-capture markers read 0.0001–0.001
#: leg at 60–120 fps (Fukuchi 2017, heel and foot_index of both feet, 44 trials: median
#: 0.0002, most 0.00096 at RBDS016 4.5 m/s 60 fps, partly real motion), MediaPipe
#: landmarks on the renders 0.0035–0.009; the bar sits between the two (1.6× over the
#: markers' most, 2.3× under the renders' least), so the force-plate timing is unchanged.
ONSET_NOISY_JITTER = 0.0015


def _frames(duration_s: float, fps: float) -> int:
    """Frames in a search half-width of ``duration_s`` seconds (at least 2).

    Rounded to the nearest frame, so a frame rate a hair off a nominal one (60.003 fps
    from a keypoints file whose times were rounded to the millisecond, 59.94 from a
    phone) gets the window of the nominal rate: ``ceil`` jumped a whole frame between
    60 and 60.003 fps and moved initial contacts by four frames.
    """
    return max(2, round(duration_s * fps))


def _fastest_descent(
    p: np.ndarray,
    v: np.ndarray,
    t: np.ndarray,
    lo: int,
    hi: int,
    ceiling: float,
    min_dip: float = MIN_IMPACT_DIP,
) -> float:
    """Sub-frame time of the deepest clear minimum of a part's vertical velocity.

    Searched in frames lo..hi. A minimum must be a local one (both neighbours higher),
    downwards, stand out by at least ``min_dip`` (:data:`MIN_IMPACT_DIP`, or the landmark's
    velocity noise: :func:`_min_dip`) from the highest velocity on each side within the
    window, and happen with the part no higher than ``ceiling``
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
        left = np.nanmax(v[max(lo - 1, 0) : j + 1]) - y1
        right = np.nanmax(v[j : hi + 2]) - y1
        if min(left, right) < min_dip:
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


def _white_noise(y: np.ndarray, mask: np.ndarray) -> float:
    """Landmark jitter (SD, same units as y) over the frames of ``mask``, or 0.0.

    Robust SD of the fourth differences divided by √70 (white noise of SD σ gives fourth
    differences of SD σ√70), so a smooth real motion (the foot rolling in stance, whose
    fourth difference shrinks with the fourth power of the frame interval) does not count.
    """
    d4 = y[4:] - 4 * y[3:-1] + 6 * y[2:-2] - 4 * y[1:-3] + y[:-4]
    d4 = d4[mask[2:-2] & np.isfinite(d4)]
    if len(d4) < 4:
        return 0.0
    return float(1.4826 * np.median(np.abs(d4 - np.median(d4))) / np.sqrt(70.0))


def _min_dip(jitter: float, fps: float) -> float:
    """Smallest velocity dip that counts as an impact for a landmark, leg lengths per second.

    :data:`MIN_IMPACT_DIP`, or :data:`DIP_NOISE_SD` SDs of the difference of two slopes
    (:func:`_velocity`) of the landmark's jitter (``jitter``: its noise SD in leg
    lengths, :func:`_white_noise`), whichever is larger. Only at 60 fps and up, where the
    slope is a quadratic fit over :data:`VELOCITY_SPAN_S`: at 30 fps even the fourth
    differences of a stance hold the foot's real motion: the Fukuchi 2017 markers of
    RBDS016 read 0.003–0.0045 leg at 30 fps, 0.0004 at 60 and 0.0001 at 120 fps (motion,
    not noise; MediaPipe on the renders: 0.004–0.009 at 30–60 fps), and the raised bar
    dropped true heel impacts at 30 fps (RBDS016 3.5 m/s: IC +13 → +18 ms).
    """
    half = round(VELOCITY_SPAN_S * fps / 2)
    if half <= 1 or not np.isfinite(jitter):
        return MIN_IMPACT_DIP
    from scipy.signal import savgol_coeffs

    gain = float(np.linalg.norm(savgol_coeffs(2 * half + 1, 2, deriv=1, delta=1.0 / fps)))
    return max(MIN_IMPACT_DIP, DIP_NOISE_SD * np.sqrt(2.0) * jitter * gain)


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
        out[1:-1] = (filled[2:] - 2 * filled[1:-1] + filled[:-2]) * fps**2
    else:
        from scipy.signal import savgol_filter

        out = savgol_filter(filled, 2 * half + 1, 2, deriv=2, delta=1.0 / fps, mode="interp")
    out[~ok] = np.nan
    return out


def _arrest(
    p: np.ndarray,
    v: np.ndarray,
    a: np.ndarray,
    t: np.ndarray,
    lo: int,
    hi: int,
    ceiling: float,
    fps: float,
) -> float:
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
        after = v[j : j + max(2, round(VELOCITY_SPAN_S * fps)) + 1]
        rest = np.flatnonzero(after >= -MIN_IMPACT_DIP)
        if not len(rest) or np.nanmin(after[rest[0] :]) < -3 * MIN_IMPACT_DIP:
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


def _knee_extension_peak(
    k: np.ndarray, t: np.ndarray, e: int, fps: float, lead_s: float = 0.0
) -> float:
    """Sub-frame time of the stance knee's extension peak next to frame e, or NaN.

    ``k`` is the knee flexion (degrees). The least flexion from :data:`TO_KNEE_S` +
    ``lead_s`` before the last contact frame ``e`` to :data:`TO_KNEE_S` after it (a toe
    landmark that rises slowly leaves the contact band up to ``lead_s`` after TO, and
    the peak comes before TO) counts only when it is a local minimum (the knee
    extends into it and flexes after it). Its time is the vertex of a quadratic fitted
    over :data:`VELOCITY_SPAN_S` around it (three frames at 30 fps), so landmark jitter
    of the knee angle is smoothed over the same duration at every frame rate; the
    vertex may move at most one frame from the sampled minimum.
    """
    w = _frames(TO_KNEE_S, fps)
    lo, hi = max(e - w - _frames(lead_s, fps), 1), min(e + w, len(k) - 2)
    if hi < lo:
        return float("nan")
    seg = k[lo : hi + 1]
    if not np.isfinite(seg).any():
        return float("nan")
    j = lo + int(np.nanargmin(seg))
    y0, y1, y2 = k[j - 1], k[j], k[j + 1]
    if not (np.isfinite(y0) and np.isfinite(y2) and y1 < y0 and y1 <= y2):
        return float("nan")
    half = max(1, round(VELOCITY_SPAN_S * fps / 2))
    a, b = max(j - half, 0), min(j + half, len(k) - 1)
    x = t[a : b + 1] - t[j]
    y = k[a : b + 1]
    ok = np.isfinite(y)
    if ok.sum() < 3:
        return float("nan")
    c2, c1, _ = np.polyfit(x[ok], y[ok], 2)
    if c2 <= 0:
        return float("nan")
    return float(t[j] + np.clip(-c1 / (2 * c2), -1.0 / fps, 1.0 / fps))


def _impact_onset(
    y: np.ndarray, t: np.ndarray, anchor: float, fps: float, jitter: float = 0.0
) -> float:
    """Sub-frame time at which the ground starts to decelerate a landing part, or NaN.

    A free-knot least-squares fit of the part's height (unfiltered) within
    :data:`ONSET_WINDOW_S` of ``anchor`` (NaN below 60 fps, see there): piecewise-constant
    vertical acceleration, continuous position and velocity — the swing leg's own
    (smooth) acceleration before the onset τ, an upward impact pulse of any size and
    duration D ≤ :data:`ONSET_SEARCH_S` + 10 ms from τ, and constant velocity after
    it (the foot at rest or drifting on the belt). τ is searched every millisecond within
    :data:`ONSET_SEARCH_S` of ``anchor`` and D every 2 ms; the pulse must be upwards.
    A best fit on the edge of the search span is kept (the onset is then at most
    :data:`ONSET_SEARCH_S` from the first timing; dropping it instead cost 2 ms of mean
    |IC| on the Fukuchi heels).
    The onset of the ground's force is touchdown, whatever the landing's softness:
    a soft heel (pad and midsole compress over 10–20 ms) peaks late but starts on
    time, so the peak of a smoothed acceleration (:func:`_arrest`) lags it while this
    fit does not; on the Fukuchi 2017 rearfoot runners it reads −6 to +3 ms of force
    onset (mean per trial) at 60–120 fps.

    ``jitter`` is the landmark's white-noise SD (leg lengths, :func:`_white_noise`); above
    :data:`ONSET_NOISY_JITTER` (a video landmark, not a marker) the window widens to
    :data:`ONSET_WINDOW_NOISY_S` so the fit averages more positions. The frame-rate
    condition stays that of :data:`ONSET_WINDOW_S`.
    """
    half = round(ONSET_WINDOW_S * fps)
    if half < 3:  # under 60 fps the window holds too few positions for the fit
        return float("nan")
    if np.isfinite(jitter) and jitter > ONSET_NOISY_JITTER:
        half = round(ONSET_WINDOW_NOISY_S * fps)
    j = int(np.argmin(np.abs(t - anchor)))
    tt, yy = t[max(j - half, 0) : j + half + 1], y[max(j - half, 0) : j + half + 1]
    ok = np.isfinite(yy)
    tt, yy = tt[ok], yy[ok]
    if len(tt) < 7:
        return float("nan")
    taus = np.arange(anchor - ONSET_SEARCH_S, anchor + ONSET_SEARCH_S + 1e-9, 0.001)
    durs = np.arange(0.002, ONSET_SEARCH_S + 0.01 + 1e-9, 0.002)
    tau, dur = (a.ravel() for a in np.meshgrid(taus, durs, indexing="ij"))
    u, d = tt[None, :] - tau[:, None], dur[:, None]
    basis = np.stack(
        [
            np.ones_like(u),
            u,
            0.5 * np.minimum(u, 0.0) ** 2,  # swing acceleration before the onset
            0.5 * np.clip(u, 0.0, d) ** 2 + d * np.maximum(u - d, 0.0),  # impact pulse
        ],
        axis=2,
    )
    gram = np.einsum("kni,knj->kij", basis, basis) + 1e-12 * np.eye(4)
    coef = np.linalg.solve(gram, np.einsum("kni,n->ki", basis, yy)[..., None])[..., 0]
    res = yy[None, :] - np.einsum("kni,ki->kn", basis, coef)
    sse = np.einsum("kn,kn->k", res, res)
    sse[coef[:, 3] <= 0] = np.inf  # the ground pushes up
    if not np.isfinite(sse).any():
        return float("nan")
    return float(tau[np.argmin(sse)])
