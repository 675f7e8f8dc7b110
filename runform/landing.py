"""Initial contact (IC) of one contact: the landing part's impact (helper of :mod:`runform.events`).

The rules and their evidence are in the notes of :mod:`runform.events` (step 2): the
earliest fastest descent or arrest of heel or toe near the ground, a heel landing timed
by the onset of the ground's deceleration (:func:`runform.impact._impact_onset`), the
band crossing when no landing was seen.
"""

from __future__ import annotations

import numpy as np

from .impact import (
    MIN_IMPACT_DIP,
    VELOCITY_SPAN_S,
    _arrest,
    _crossing,
    _fastest_descent,
    _frames,
    _impact_onset,
)

#: Half-width of the window, around the threshold crossing, in which the landing part's
#: fastest descent is searched, seconds. The lowest point approaches the ground at
#: 0.5–1 m/s, so it crosses the ≥ 2 cm contact band within 20–40 ms of touchdown.
IC_SEARCH_S = 0.05
#: How far above its own stance height (median over the contact) a part may be at its
#: fastest descent and still be landing, leg lengths (≈ 7 cm; twice the contact
#: threshold when landmark noise makes that larger). At touchdown the part is at the
#: ground: it sits above its mid-stance height only by what the midsole and the heel or
#: forefoot pad still have to compress and by how far a dorsal landmark sinks as the
#: foot flattens (3–4 cm for the Fukuchi MT markers at force onset). A part higher than
#: this is still swinging, and its velocity minimum is the swing descent, not an impact.
LANDING_HEIGHT = 0.08


def _initial_contact(
    g: dict, t: np.ndarray, s: int, e: int, fps: float, thr: float
) -> tuple[float, str]:
    """Sub-frame IC (s) of the contact spanning frames s..e, and how it was timed.

    ``g`` holds the foot's heights (leg lengths: ``h`` the lowest point, ``heel``,
    ``toe``), their velocities ``v_*`` and accelerations ``a_*``, and the landmarks'
    noise (``dip_*``, ``jitter_heel``); ``thr`` is the contact band. The method is
    ``"onset"`` (heel-onset fit), ``"descent"`` (fastest descent), ``"arrest"`` or
    ``"crossing"`` (the band crossing, when no landing was seen).
    """
    dt = 1.0 / fps
    h = g["h"]
    ic = _crossing(h, t, s - 1, thr)
    if not np.isfinite(ic):
        ic = t[s] - 0.5 * dt if s > 0 else t[s]
    k = _frames(IC_SEARCH_S, fps)
    found, how = [], "crossing"
    # a contact under way when the foot comes into view has no landing to time
    seen_landing = s > 0 and np.isfinite(h[s - 1])
    for part in ("heel", "toe") if seen_landing else ():
        stance = g[part][s : e + 1]
        if not np.isfinite(stance).any():
            continue
        ceiling = float(np.nanmedian(stance)) + max(LANDING_HEIGHT, 2.0 * thr)
        hi = _settled(stance, thr, s) + k
        c = _fastest_descent(
            g[part], g[f"v_{part}"], t, s - k, hi, ceiling, g.get(f"dip_{part}", MIN_IMPACT_DIP)
        )
        if np.isfinite(c):
            found.append((_sharpen(g[part], t, c, fps), part, "descent"))
        # an arrest happens on the ground: within the contact band of the stance height
        c = _arrest(
            g[part],
            g[f"v_{part}"],
            g[f"a_{part}"],
            t,
            s - k,
            hi,
            float(np.nanmedian(stance)) + thr,
            fps,
        )
        if np.isfinite(c):
            found.append((c, part, "arrest"))
    if found:
        ic, part, how = min(found)
        if part == "heel":  # time a heel landing by the onset of the ground's deceleration
            c = _impact_onset(g["heel"], t, ic, fps, g.get("jitter_heel", 0.0))
            if np.isfinite(c):
                ic, how = c, "onset"
    return ic, how


def _settled(stance: np.ndarray, thr: float, s: int) -> int:
    """Frame by which a part has come down to its stance height (index into the clip).

    The first frame of the contact (``s``) where the part is within half the contact
    band of its median stance height, ``s`` if it never is. A landing is searched up to
    :data:`IC_SEARCH_S` after this frame, not only after the band crossing: a heel that
    the swing leg has slowed to ~0.3 m/s before touchdown (Fukuchi RBDS011 at 2.5 m/s)
    spends 50–60 ms inside a 2 cm band, so its arrest comes more than
    :data:`IC_SEARCH_S` after the lowest point crossed into the band.
    """
    low = np.flatnonzero(stance <= np.nanmedian(stance) + 0.5 * thr)
    return s + int(low[0]) if len(low) else s


def _sharpen(p: np.ndarray, t: np.ndarray, tc: float, fps: float) -> float:
    """A fastest descent found on the smoothed slope, re-timed on central differences.

    The slope over :data:`VELOCITY_SPAN_S` spreads an abrupt stop over that span, so the
    deepest central-difference minimum within half a span of ``tc`` is taken (``tc``
    when there is none, or at 30 fps, where the span is two frames). Done per candidate,
    *before* the earliest is chosen: on a heel strike the toe's smoothed minimum can
    come a fraction of a millisecond before the heel's arrest, while its sharpened time
    is the forefoot slap 8–14 ms later (Fukuchi RBDS011, 2.5 m/s, 120 fps); compared
    before sharpening, the slap won and the heel's landing was never timed.
    """
    half = round(VELOCITY_SPAN_S * fps / 2)
    if half <= 1:
        return tc
    j = int(np.argmin(np.abs(t - tc)))
    c = _fastest_descent(p, np.gradient(p, t), t, j - half, j + half, np.inf)
    return c if np.isfinite(c) else tc
