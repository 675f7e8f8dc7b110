"""Timing uncertainty of a gait event from the frame rate and the landmarks' jitter.

Helpers of :mod:`runform.events`: the per-event SD reported as ``ic_sd_ms`` and
``to_sd_ms`` in ``steps.csv`` and ``metrics.json``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["METHOD_SD_MS", "MIN_EVENT_SPEED", "POSE_MODEL_SD_MS"]

#: How far each timing rule itself lands from force-plate IC / TO, ms (root mean square
#: beyond the frame quantisation, rounded up), by the method named in ``ic_method`` /
#: ``to_method``: pooled over every complete contact of the four Fukuchi 2017 runners
#: (RBDS001, RBDS08, RBDS011, RBDS016; 2.5–4.5 m/s; 30, 60 and 120 fps; both foot_index
#: options; ``python -m bench.event_methods``, bench/results/event_methods_s6.txt). IC:
#: heel-onset fit 0–3.5 (60–120 fps), fastest descent 5.4–5.7, arrest peak 8.8 (30 fps),
#: band crossing 10.7 (5 contacts). TO: band crossing 7.0–9.9 (12–15 ms on the two heel
#: strikers whose metatarsal markers rise 23 ms early at 2.5 m/s), knee-extension bound
#: 6.5–12.4, toe release 0–1 on a synthetic tip built to leave at force TO, so 2 ms is
#: kept for a real one (Handsaker et al. 2016: hallux jerk TO +2.1 ms). The per-runner
#: RMS differs by up to 2x, so a runner not measured may differ too.
METHOD_SD_MS = {
    "ic": {"onset": 4.0, "descent": 6.0, "arrest": 9.0, "crossing": 11.0},
    "to": {"release": 2.0, "crossing": 10.0, "knee": 13.0},
}

#: What the video pose model adds to an event's timing error beyond frame quantisation,
#: jitter and the rule, ms (one SD at full visibility; divided by the landmarks' mean
#: visibility like the jitter). MediaPipe's foot landmarks do not follow the foot
#: exactly at touchdown: on the ten rendered samples, whose contacts are exact, runform's
#: near-foot ICs read 11.5 ms early on average with an RMS error of 19.6 ms, while their
#: SDs without this term averaged 11.8 ms (1.8 times too narrow: only 70 % of the errors
#: within two SDs). The term makes the RMS of error / SD one over those events
#: (``python -m bench.video_event_sd``, bench/results/video_event_sd_s7.txt, with a
#: leave-one-clip-out check). TO needs none: its SDs already cover the renders' errors.
#: Applied to landmarks from a video (``provenance["kind"] == "video"``), not to
#: keypoints read from a file, whose source runform cannot judge. A mannequin is easier
#: to track than a person in clothes, so on real video this is a lower bound.
POSE_MODEL_SD_MS = {"ic": 15.0, "to": 0.0}

#: Slowest crossing of the ground band used to turn height jitter into timing
#: uncertainty, leg lengths per second (a foot touching down or lifting off moves
#: at 0.5–2 leg/s; a slower reading is a flat, noisy signal, not a slow foot).
MIN_EVENT_SPEED = 0.3


def _event_sd_ms(
    h: np.ndarray,
    vis: np.ndarray,
    k: int,
    noise: float,
    fps: float,
    event: str = "",
    method: str = "",
    pose_model: bool = False,
) -> float:
    """Timing uncertainty (SD, ms) of an event at frame ``k`` of the foot's lowest point.

    Four independent parts: the frame quantisation, Δt/√12 (an event anywhere within a
    frame interval, uniform); landmark jitter turned into time by the speed at which the
    lowest point crosses the ground band, ``noise / |dh/dt|`` (leg lengths over leg
    lengths per second); and the timing rule's own error against force plates,
    :data:`METHOD_SD_MS` for ``event`` ("ic" or "to") timed by ``method`` (e.g.
    "onset", "release"; 0 when not given); and, when ``pose_model`` (landmarks from a
    video), the pose model's own error :data:`POSE_MODEL_SD_MS`. The jitter is the
    clip's own stance-height noise divided by the mean visibility of heel and toe there
    (a half-visible landmark is taken as twice as noisy, and the pose model's part is
    divided by the same visibility); speeds under :data:`MIN_EVENT_SPEED` are clamped.
    """
    n = len(h)
    lo, hi = max(k - 1, 0), min(k + 1, n - 1)
    speed = abs(h[hi] - h[lo]) * fps / max(hi - lo, 1) if np.isfinite(h[[lo, hi]]).all() else 0.0
    v = float(np.nanmean(vis[lo : hi + 1])) if np.isfinite(vis[lo : hi + 1]).any() else 0.0
    jitter = noise / max(v, 0.1) / max(speed, MIN_EVENT_SPEED)
    rule = METHOD_SD_MS.get(event, {}).get(method, 0.0) / 1000.0
    model = POSE_MODEL_SD_MS.get(event, 0.0) / 1000.0 / max(v, 0.1) if pose_model else 0.0
    return 1000.0 * float(np.sqrt(1.0 / (12.0 * fps**2) + jitter**2 + rule**2 + model**2))


def _jitter(h: np.ndarray, contact: np.ndarray) -> float:
    """Frame-to-frame landmark noise of the lowest point in stance, leg lengths (SD).

    From the second differences over stance frames (robust SD / √6: white noise of SD
    σ gives second differences of SD σ√6), so the foot's real, smooth roll from heel
    to toe does not count as noise.
    """
    d2 = h[2:] - 2 * h[1:-1] + h[:-2]
    d2 = d2[contact[1:-1] & np.isfinite(d2)]
    if len(d2) < 4:
        return 0.0
    return float(1.4826 * np.median(np.abs(d2 - np.median(d2))) / np.sqrt(6.0))
