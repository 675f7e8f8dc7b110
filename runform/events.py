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
   A minimum counts only if it is a clear dip (:func:`runform.impact._min_dip`: above the
   landmark's noise) of a part near the ground (:data:`LANDING_HEIGHT`); velocities are
   slopes over a fixed :data:`VELOCITY_SPAN_S` and the minimum is located to a fraction
   of a frame (parabola through three frames).
   Many heel strikes have no such minimum: the swing leg has already slowed the heel
   to ~1 m/s before touchdown and the ground then stops it within 10–40 ms. For those
   the landing part's *arrest* counts instead: the peak of its upward acceleration
   (≥ :data:`MIN_ARREST_ACC`), within the contact band of its stance height, after
   which it stays at rest (Handsaker et al. 2016: touchdown at the first vertical
   acceleration peak of heel or MT). IC is the earliest fastest descent or arrest of
   heel or toe. On the Fukuchi rearfoot runners this moved IC from +17–22 ms late
   (the forefoot slap's fastest descent) to within a few ms at 60–120 fps, except on
   soft heel landings: a heel pad and midsole that compress over 10–20 ms make the
   arrest peak lag touchdown (RBDS016: +13 ms) while the heel's last fastest descent
   comes before it (−10 ms). So a heel landing found by either is timed by the *onset*
   of the ground's deceleration instead (:func:`runform.impact._impact_onset`): a
   least-squares fit of the unfiltered heel height with free knots — the swing leg's
   smooth acceleration, then an upward impact pulse, then rest — whose first knot is
   where the ground starts to push, however softly. It needs no smoothing and no
   acceleration threshold; its window and search span were chosen by
   leave-one-runner-out (IC within one frame on 93–98 % of the held-out runner's
   stances at 60–120 fps, from 60–100 %). A video heel landmark jitters 10–40 times
   more than a marker (MediaPipe 3–8 mm); for one that noisy the fit's window widens
   (:data:`runform.impact.ONSET_WINDOW_NOISY_S`, chosen by leave-one-clip-out on the
   renders), so a few jittery positions cannot pull the onset to the search edge. When there
   is neither (a foot set down without impact, missing data), IC falls back to the
   threshold crossing.
3. **TO** starts from where the lowest point rises through the contact threshold (De
   Witt 2010's toe-height rule), linearly interpolated between the two frames around it.
   At 60 fps and more, a toe landmark that was at rest on the ground and leaves it with
   a step of its vertical velocity (the tip let go by a rising foot; Handsaker 2016's
   hallux jerk peak) is timed at that release, a free-knot fit of its height
   (:mod:`runform.toeoff`): the band crossing of a true toe tip comes 10–60 ms after it.
   Otherwise TO stays the crossing, but no later than the stance knee's extension peak
   plus that rule's own error (:data:`TO_KNEE_ERROR_S`; Fellin 2010: peak knee
   extension marks TO within ~5 ms). The height rule is timed by the landmark's
   meaning: on the Fukuchi markers ``foot_index`` is the metatarsal heads, which rise
   smoothly (no release) while the toes still push, 40–50 ms before force TO, and the
   band is crossed at force TO (−1 ± 4 ms) from 3.5 m/s up but ~23 ms early at 2.5 m/s
   on two of the four runners, whose toes stay on the belt longer. A true toe tip (BlazePose
   ``foot_index``, the model's toe) only starts to rise at TO, so it crosses the ≥ 2 cm
   band a frame or more later: +0.2–1.2 frames on exact model keypoints, +1.1–1.4
   frames on MediaPipe landmarks of the rendered clips, whose toe landmark sits above
   the sole, dips while the foot rolls over it and rises late, without a clean
   release. The knee does not depend on what the toe landmark means: its extension
   peak is within a few ms of TO on the model (the knee starts to flex at TO) and cuts
   the MediaPipe TO error to +0.4–0.7 frame; on the force plates it comes −24 to +11 ms
   from TO (trial means), earliest at the slowest speed.

Every event still carries the frame-rate limit: ±½ frame for a threshold crossing, less
for the velocity minimum on clean markers (SD 2–3 ms at 30–150 fps on Fukuchi), more
with video landmark jitter.

On the simulated runner's exact keypoints (``python -m bench.model_ic``) IC reads
−0.6 to +0.1 frame per clip (mean), every event within 1 frame but one at a clip's edge
(overground_crossing, 1.35). The model lands the way the Fukuchi 2017 markers do: the
ground stops the landing part at a constant deceleration over 8 ms for a heel and 30 ms
for a flat or toe landing (:mod:`runform.model.gait`). Its earlier, faster stop read up to
1–1.5 frames early on toe landings, because the sampled velocity minimum of a stop within
one frame falls on the frame before it, while on the force plates (the MT markers slow
over ~25 ms: −85 cm/s at force onset, −12 cm/s 27 ms later at 2.5 m/s) the same minimum
is unbiased. Through MediaPipe the renders still read 0.9 frame per event (pooled;
bench/results/accuracy_s6.txt): its heel landmark sinks 1–2 frames past touchdown and its
toe landmark leads a flat landing by about a frame.

The same rules serve treadmill clips (the stance foot slides backwards on the belt)
and overground clips filmed with a fixed camera (the stance foot stays still); a
panning camera breaks the ground line and is not supported.
"""

from __future__ import annotations

import numpy as np

from .clean import _runs
from .clip import Clip
from .errors import TooShortError
from .event_uncertainty import MIN_EVENT_SPEED, _event_sd_ms, _jitter  # noqa: F401
from .ground import _foot_geometry, foot_heights, ground_line
from .impact import (  # noqa: F401  (constants re-exported for users of runform.events)
    MIN_ARREST_ACC,
    MIN_IMPACT_DIP,
    TO_KNEE_S,
    VELOCITY_SPAN_S,
    _acceleration,
    _arrest,
    _crossing,
    _fastest_descent,
    _frames,
    _impact_onset,
    _knee_extension_peak,
    _min_dip,
    _velocity,
    _white_noise,
)
from .landing import IC_SEARCH_S, LANDING_HEIGHT, _initial_contact  # noqa: F401
from .landmarks import INDEX
from .toeoff import MIN_RELEASE_SPEED, TO_KNEE_ERROR_S, _toe_off  # noqa: F401

__all__ = [
    "MIN_CLIP_S",
    "MIN_CONTACT_S",
    "MIN_SWING_S",
    "detect_events",
    "foot_heights",
    "ground_line",
]

#: Shortest plausible ground contact in running, seconds (sprinters ~80 ms).
MIN_CONTACT_S = 0.07
#: Shortest plausible time a foot spends off the ground between contacts, seconds.
MIN_SWING_S = 0.15
#: Shortest clip in which a contact can be timed, seconds: the shortest running contact
#: (:data:`MIN_CONTACT_S`) with an IC search window (:data:`IC_SEARCH_S`) on each side.
MIN_CLIP_S = 0.17
#: Smallest contact threshold, in leg lengths (≈ 1.8 cm for a 0.9 m leg).
MIN_THRESHOLD = 0.02
#: Forward foot speed above which a frame cannot be stance, leg lengths per second
#: (≈ 0.9 m/s). A stance foot moves with the ground: still overground (fixed camera),
#: backwards at belt speed on a treadmill. The swinging foot moves forward at up to
#: twice the running speed; 1 leg/s is also > 3x the velocity noise of 1–2 % leg-length
#: landmark jitter at 30 fps, so jitter cannot remove a stance frame.
SWING_SPEED = 1.0


def _segments(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True as (first, last) inclusive index pairs (:func:`runform.clean._runs`)."""
    return [(s, e - 1) for s, e in _runs(mask)]


def _contact_mask(
    h: np.ndarray, fps: float, swinging: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
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
            contact[s : e + 1] = True
    min_len = max(1, int(np.floor(MIN_CONTACT_S * fps)))
    for s, e in _segments(contact):
        if e - s + 1 < min_len:
            contact[s : e + 1] = False
    return contact, thr


def _refine(g: dict, t: np.ndarray, s: int, e: int, fps: float, thr: float) -> tuple:
    """Sub-frame IC and TO of the contact spanning frames s..e, and how each was timed.

    Returns ``(ic, to, ic_method, to_method)``: times in seconds; the methods are those of
    :func:`runform.landing._initial_contact` and :func:`runform.toeoff._toe_off`. See the
    module notes.
    """
    ic, how = _initial_contact(g, t, s, e, fps, thr)
    to, to_how = _toe_off(g, t, e, fps, thr)
    return ic, max(to, ic + 1.0 / fps), how, to_how


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
    near = sorted(r["ic_s"] for r in rows if r["foot"] == near_side and r["complete"])
    if len(near) < 2:  # no full near-foot stride to judge the phase by (a short clip)
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


def _side_contacts(clip: Clip, side: str, attrs: dict) -> list[dict]:
    """Contacts of one foot (rows of :func:`detect_events`); fills ``attrs`` for it."""
    t, n, fps = clip.time, clip.n_frames, clip.fps
    g = _foot_geometry(clip, side)
    h = g["h"]
    for part in ("heel", "toe"):
        g[f"v_{part}"] = _velocity(g[part], fps)
        g[f"a_{part}"] = _acceleration(g[part], fps)
    # stance: the part that touches the ground moves with it, so a frame is swing
    # only when heel and toe both move forward (the other part may rotate forward
    # about the contact point at touchdown and push-off)
    vx = np.fmin(_velocity(g["heel_x"], fps), _velocity(g["toe_x"], fps))
    swinging = np.nan_to_num(vx, nan=0.0) > SWING_SPEED
    contact, thr = _contact_mask(h, fps, swinging)
    noise = _jitter(h, contact)
    g["noise"] = noise  # a toe-off kink must stand out of it (runform.toeoff)
    for part in ("heel", "toe"):
        g[f"jitter_{part}"] = _white_noise(g[part], contact)
        g[f"dip_{part}"] = _min_dip(g[f"jitter_{part}"], fps)
    vis = np.nanmean(
        clip.visibility[:, [INDEX[f"{side}_heel"], INDEX[f"{side}_foot_index"]]], axis=1
    )
    attrs["ground_slope_deg"][side] = g["slope_deg"]
    attrs["threshold_leg"][side] = thr
    attrs["height_noise_leg"][side] = noise
    near = clip.near_side is None or clip.near_side == side
    video = clip.provenance.get("kind") == "video"  # a pose model's landmarks
    rows = []
    for s, e in _segments(contact):
        ic, to, ic_how, to_how = _refine(g, t, s, e, fps, thr)
        complete = s > 0 and e < n - 1 and np.isfinite(h[s - 1]) and np.isfinite(h[e + 1])
        first = int(np.clip(np.searchsorted(t, ic - 1e-9), 0, e))
        last = int(np.clip(np.searchsorted(t, to + 1e-9) - 1, first, e))
        rows.append(
            {
                "foot": side,
                "ic_frame": first,
                "to_frame": last,
                "ic_s": ic,
                "to_s": to,
                "contact_ms": 1000.0 * (to - ic),
                "near": near,
                "complete": bool(complete),
                "ic_sd_ms": _event_sd_ms(h, vis, s, noise, fps, "ic", ic_how, video),
                "to_sd_ms": _event_sd_ms(h, vis, e, noise, fps, "to", to_how, video),
                "ic_method": ic_how,
                "to_method": to_how,
            }
        )
    return rows


def detect_events(clip: Clip, *, sides: tuple[str, ...] = ("left", "right")):
    """Initial contacts and toe-offs of each foot.

    Parameters
    ----------
    clip : Clip
        A cleaned clip (mask, gap fill, swap repair). Heavy low-pass filtering delays
        IC and advances TO, so prefer landmarks filtered at no more than the clip's
        default cutoff. It must be oriented (:meth:`Clip.oriented`). A clip with a
        single stance is fine (a lab clip of one landing): what needs more stances
        (cadence, strides) is decided by :mod:`runform.metrics`.
    sides : tuple of str
        Feet to analyse.

    Returns
    -------
    pandas.DataFrame
        One row per contact, sorted by IC, with columns ``foot`` ('left'/'right'),
        ``ic_frame`` and ``to_frame`` (first and last frame in contact), ``ic_s`` and
        ``to_s`` (sub-frame estimates, seconds), ``contact_ms``, ``near`` (True for the
        near-camera foot, also True for both when the near side is unknown),
        ``complete`` (False when the contact is cut by the clip's start or end), and
        ``ic_sd_ms`` / ``to_sd_ms``: each event's timing uncertainty (one SD, ms) from
        the frame rate, the landmarks' jitter and visibility, the timing rule's own
        error against force plates and, on video, the pose model's (see
        :func:`runform.event_uncertainty._event_sd_ms`),
        and ``ic_method`` / ``to_method``: the rule that timed the event (IC: "onset",
        "descent", "arrest", "crossing"; TO: "release", "crossing", "knee"; see
        :func:`_refine`). ``df.attrs`` holds the
        ground-line tilt per foot (``ground_slope_deg``), thresholds, stance-height noise
        and the timing resolution (``frame_ms``).

    Raises
    ------
    TooShortError
        The clip is shorter than :data:`MIN_CLIP_S` or no contact is found.
    """
    import pandas as pd

    clip.require_oriented("detect_events")
    if clip.duration_s < MIN_CLIP_S:
        raise TooShortError(
            f"The clip lasts {1000 * clip.duration_s:.0f} ms ({clip.n_frames} frames at "
            f"{clip.fps:g} fps); timing even one foot contact needs at least "
            f"{1000 * MIN_CLIP_S:.0f} ms, and a whole stride about 0.7 s. Record a few seconds of "
            "steady running (10 strides or more)."
        )
    attrs = {
        "ground_slope_deg": {},
        "threshold_leg": {},
        "height_noise_leg": {},
        "frame_ms": clip.frame_ms,
    }
    rows = [r for side in sides for r in _side_contacts(clip, side, attrs)]
    rows = _alternate(rows, clip.near_side)
    cols = [
        "foot",
        "ic_frame",
        "to_frame",
        "ic_s",
        "to_s",
        "contact_ms",
        "near",
        "complete",
        "ic_sd_ms",
        "to_sd_ms",
        "ic_method",
        "to_method",
    ]
    df = pd.DataFrame(rows, columns=cols).sort_values("ic_s", ignore_index=True)
    if df.empty:
        raise TooShortError(
            "No foot contact was found: the feet are not visible or never reach the ground "
            "line. Make sure both feet stay in frame."
        )
    df.attrs.update(attrs)
    return df
