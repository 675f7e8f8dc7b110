"""Toe-off (TO): the toe landmark's release, or the height band (helpers of :mod:`runform.events`).

A toe tip that is still on the ground is at rest on it (still overground, moving with
the belt on a treadmill: no vertical motion). When the ground lets it go, it leaves
with the foot, which is already rising about the metatarsal heads at 0.5–2 leg lengths
per second: the tip's height has a *kink*, a step of its vertical velocity from zero.
That kink is the event (Handsaker et al. 2016 time TO at the hallux's vertical jerk
peak, +2.1 ms from force; Leitch et al. 2011 at the hallux's acceleration). The
contact-band crossing the detector starts from (De Witt 2010's toe-height rule) comes
later, by the time the tip takes to rise through the ≥ 2 cm band: 10–60 ms on the
Fukuchi 2017 toe tips, the most at the slowest speed.

:func:`_release` finds the kink by a free-knot least-squares fit of the unfiltered toe
height around the crossing. A landmark that rises smoothly has no kink: the dorsal
metatarsal-head markers ("mt" in the benches) start to rise 30–60 ms before TO while
the toes still push, with a velocity step near zero. So the knot is used only when its
velocity step is at least :data:`MIN_RELEASE_SPEED`; otherwise TO stays the band
crossing, no later than the stance knee's extension peak plus
:data:`TO_KNEE_ERROR_S` (the rule for a toe landmark that rises late without a kink,
see :mod:`runform.events`). The fit needs 60 fps or more (:data:`MIN_RELEASE_FPS`). On
the Fukuchi toe tips (built at the frame times, so they leave at force TO) it reads
−2.3 to +3.6 ms of force TO (trial means at 60–120 fps; −0.6 to +0.6 ms at 120 fps),
where the band crossing read +7 to +52 ms. The knee's extension peak that bounds a late
crossing is searched from :data:`RELEASE_SEARCH_S` further back than the contact's last
frame (:func:`runform.impact._knee_extension_peak`): a tip that rises slowly crosses the
band up to ~60 ms after TO, and a window around the crossing alone missed the peak
(RBDS001 at 2.5 m/s: TO +18 ± 27 ms at 120 fps where the release was not clear).

Gates keep a fitted knot from standing in for a release where there is none: the step
must stand out of the landmarks' jitter (:data:`RELEASE_NOISE_K`), the tip must be at
rest before the knot (vertical speed under :data:`MIN_RELEASE_SPEED`), and the knot must
not come more than :data:`KNEE_LEAD_S` before the stance knee's extension peak. Without
them, the MediaPipe toe landmarks of the rendered samples (bench/accuracy.py) read TO
1.3 frames off on average instead of 0.6 (a toe landmark dips while the foot rolls over
it, and the rise out of the dip fits as a release): with the jitter gate 1.0, with the
rest gate too 0.64, with all three 0.59, as before this rule.

The constants were chosen by leave-one-runner-out over the four Fukuchi 2017 runners,
scoring the share of TOs within one frame at 60/120 fps over both foot_index options
(bench/results/events_to5.txt has the numbers).
"""

from __future__ import annotations

import numpy as np

from .impact import _crossing, _knee_extension_peak

#: How much earlier than force-plate TO the stance knee's extension peak may come,
#: seconds: the mean absolute error of peak knee extension as a running TO rule,
#: 4.9 ms overground and 5.2 ms on a treadmill (Fellin et al. 2010, science.md §3).
#: A band crossing is taken no later than the peak plus this error.
TO_KNEE_ERROR_S = 0.005
#: How far before the band crossing the release is searched, seconds. A toe tip leaving
#: the ground at 0.3–0.6 leg/s (2.5 m/s) takes up to ~60 ms to rise through the band
#: (the Fukuchi toe tips: +36 to +52 ms mean crossing lag at 2.5 m/s, +9 to +21 ms at
#: 3.5–4.5 m/s). Chosen among 60 and 80 ms by leave-one-runner-out (a tie, 2 folds
#: each); 80 ms covers the slowest rise.
RELEASE_SEARCH_S = 0.08
#: Stance positions fitted before the earliest knot searched, seconds (the resting line).
RELEASE_PRE_S = 0.02
#: Positions fitted after the band crossing, seconds. A longer stretch of lift pulls the
#: knot early: the tip's rise is not a low-order polynomial for long (it slows, then
#: speeds up as the foot swings). Chosen among 20 and 30 ms by leave-one-runner-out
#: (20 ms on every fold).
RELEASE_POST_S = 0.02
#: Smallest velocity step at the knot that counts as a release, leg lengths per second
#: (≈ 14 cm/s); also the largest vertical speed before the knot of a tip "at rest". A
#: released toe tip leaves at the rising foot's speed (fitted steps of 0.4–1.6 leg/s at
#: 120 fps on the Fukuchi toe tips, 5th–95th percentile); a landmark rising smoothly
#: fits a step near zero (metatarsal heads: median 0.00–0.01). Chosen among 0.15, 0.2
#: and 0.3 by leave-one-runner-out (0.15 on every fold).
MIN_RELEASE_SPEED = 0.15
#: How many times the frame-to-frame velocity jitter of the landmarks (their stance
#: height noise times the frame rate, :func:`runform.event_uncertainty._jitter`) the
#: velocity step must exceed on top of :data:`MIN_RELEASE_SPEED`: a kink in jittery
#: video landmarks is not a release. 3, a three-sigma rule, not fitted; marker data
#: (noise ≈ 0) are not affected.
RELEASE_NOISE_K = 3.0
#: How long before the stance knee's extension peak a release may come, seconds. On the
#: force plates TO comes from 11 ± 3 ms before the peak (4.5 m/s) to 24 ± 6 ms after it
#: (2.5 m/s; trial mean ± SD per stance; Fellin et al. 2010: 5 ms mean absolute error);
#: a knot far ahead of the peak is a dip or wobble of the toe landmark while the foot
#: rolls over it (video landmarks), not the foot leaving. Leave-one-runner-out among 25,
#: 35 and 50 ms gave 35 ms on three folds (25 ms on one; the choice moves the
#: force-plate scores by < 1 %): three times the earliest force-plate lead.
KNEE_LEAD_S = 0.035
#: Lowest frame rate at which the release is fitted: the window (~120 ms) must hold the
#: fit's five coefficients and more (7 positions at 60 fps, 4 at 30 fps).
MIN_RELEASE_FPS = 59.0


def _release(y: np.ndarray, t: np.ndarray, crossing: float) -> tuple[float, float, float]:
    """Knot time (s), velocity step and velocity before the knot (height units per second).

    NaNs when the window holds too few positions.

    Least-squares fit of ``y`` (the toe height, unfiltered) over
    ``[crossing - RELEASE_SEARCH_S - RELEASE_PRE_S, crossing + RELEASE_POST_S]``: a line
    before the knot τ (the tip at rest, or drifting), and after it the same line plus
    ``β·u + c₂u² + c₃u³`` (u = t − τ), continuous in position, with a velocity step
    β ≥ 0 (the ground only holds the tip down). τ is searched every millisecond from
    ``RELEASE_SEARCH_S`` before the crossing to the crossing; the fit with the least
    squared error wins.
    """
    keep = (t >= crossing - RELEASE_SEARCH_S - RELEASE_PRE_S) & (t <= crossing + RELEASE_POST_S)
    keep &= np.isfinite(y)
    tt, yy = t[keep], y[keep]
    if len(tt) < 7:
        return float("nan"), float("nan"), float("nan")
    taus = np.arange(crossing - RELEASE_SEARCH_S, crossing + 1e-9, 0.001)
    u = tt[None, :] - taus[:, None]
    up = np.maximum(u, 0.0)
    cols = [np.ones_like(u), u, up, up**2, up**3]
    sse = np.full(len(taus), np.inf)
    step, before = np.zeros(len(taus)), np.zeros(len(taus))
    for use in ((0, 1, 2, 3, 4), (0, 1, 3, 4)):  # with the step, and with β = 0
        basis = np.stack([cols[i] for i in use], axis=2)
        gram = np.einsum("kni,knj->kij", basis, basis) + 1e-12 * np.eye(len(use))
        coef = np.linalg.solve(gram, np.einsum("kni,n->ki", basis, yy)[..., None])[..., 0]
        res = yy[None, :] - np.einsum("kni,ki->kn", basis, coef)
        err = np.einsum("kn,kn->k", res, res)
        beta = coef[:, 2] if 2 in use else np.zeros(len(taus))
        err[beta < 0] = np.inf
        better = err < sse
        sse[better], step[better], before[better] = err[better], beta[better], coef[better, 1]
    if not np.isfinite(sse).any():
        return float("nan"), float("nan"), float("nan")
    k = int(np.argmin(sse))
    return float(taus[k]), float(step[k]), float(before[k])


def _toe_off(g: dict, t: np.ndarray, e: int, fps: float, thr: float) -> tuple[float, str]:
    """Sub-frame TO of the contact whose last frame is ``e``, and how it was timed.

    ``g`` holds the foot's heights in leg lengths (``h`` the lowest point, ``toe`` the
    toe landmark) and the knee flexion (``knee``, degrees); ``thr`` is the contact band.
    The method is ``"release"`` (the toe landmark's release, :func:`_release`),
    ``"crossing"`` (the lowest point rising through the band) or ``"knee"`` (a crossing
    later than the stance knee's extension peak plus :data:`TO_KNEE_ERROR_S`, taken at
    that bound); see the module notes.
    """
    crossing = _crossing(g["h"], t, e, thr)
    to = crossing if np.isfinite(crossing) else t[e] + 0.5 / fps if e + 1 < len(t) else t[e]
    peak = _knee_extension_peak(g["knee"], t, e, fps, RELEASE_SEARCH_S)
    if fps >= MIN_RELEASE_FPS and np.isfinite(crossing):
        tau, step, before = _release(g["toe"], t, crossing)
        released = step >= MIN_RELEASE_SPEED + RELEASE_NOISE_K * g.get("noise", 0.0) * fps
        if released and abs(before) < MIN_RELEASE_SPEED and not tau < peak - KNEE_LEAD_S:
            return tau, "release"
    # the stance knee extends until the foot leaves the ground: a crossing later than
    # the knee's extension peak (plus that rule's own error) is a late toe landmark
    knee = peak + TO_KNEE_ERROR_S
    if np.isfinite(knee) and knee < to:
        return knee, "knee"
    return to, "crossing"
