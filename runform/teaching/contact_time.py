"""How well a video of a given frame rate can tell two contact times apart.

A contact time read from video is a whole number of frames: the first and the last frame
in which the foot is on the ground. With the camera's frames falling at random instants
relative to the foot's landing, each event is quantised to ±½ frame, so one contact is
off by up to ±1 frame. The two errors share the same frame phase: a contact lasting
k + f frames (0 ≤ f < 1) is reported as k frames (probability 1 − f) or k + 1 (f), an SD
of frame · √(f (1 − f)); over all contact times that averages to the often-quoted
frame / √6, and the mean of n contacts scatters about √n times less.

:func:`measured_difference` simulates that sampling for two runners whose true contact
times differ by a chosen amount (by default the difference measured between rearfoot and
midfoot strikers at the same speed, :data:`runform.reference.CONTACT_TIME_BY_STRIKE_MS`)
and returns what a video of ``fps`` frames per second would report, with its spread.
"""

from __future__ import annotations

import math

import numpy as np

from ..reference import CONTACT_TIME_BY_STRIKE_MS

__all__ = ["measured_contact_ms", "measured_difference", "per_step_sd_ms", "true_difference_ms"]


def true_difference_ms() -> float:
    """Rearfoot minus midfoot contact time at the same speed, ms (Di Michele & Merni 2014)."""
    return CONTACT_TIME_BY_STRIKE_MS["rearfoot"] - CONTACT_TIME_BY_STRIKE_MS["midfoot"]


def per_step_sd_ms(fps: float, contact_ms: float | None = None) -> float:
    """Standard deviation of one contact time read off frames, ms.

    frame · √(f (1 − f)) for a contact of ``contact_ms`` (f: its fraction of a frame
    beyond whole frames); without it, frame / √6, the root mean square over contact
    times.
    """
    frame = 1000.0 / float(fps)
    if contact_ms is None:
        return frame / math.sqrt(6.0)
    f = (float(contact_ms) / frame) % 1.0
    return frame * math.sqrt(f * (1.0 - f))


def measured_contact_ms(
    contact_ms: np.ndarray, phase: np.ndarray, fps: float, event_sd_ms: float = 0.0, rng=None
) -> np.ndarray:
    """Contact times as a video of ``fps`` reports them, ms.

    Parameters
    ----------
    contact_ms : array
        True contact times, ms.
    phase : array, same shape
        Landing instant after the previous frame, as a fraction of a frame (0–1).
    fps : float
        Frame rate.
    event_sd_ms : float
        SD of an extra random error of each detected event (a pose detector's), ms.
    rng : numpy Generator, optional
        Needed when ``event_sd_ms`` > 0.

    Returns
    -------
    array
        (last frame in contact − first frame in contact + 1) × frame duration, ms.
    """
    frame_s = 1.0 / float(fps)
    ic = np.asarray(phase, float) * frame_s
    to = ic + np.asarray(contact_ms, float) / 1000.0
    if event_sd_ms > 0:
        ic = ic + rng.normal(0.0, event_sd_ms / 1000.0, ic.shape)
        to = to + rng.normal(0.0, event_sd_ms / 1000.0, to.shape)
    first = np.ceil(ic * fps - 1e-9)
    last = np.ceil(to * fps - 1e-9) - 1
    return (last - first + 1) * frame_s * 1000.0


def measured_difference(
    fps: float,
    n_steps: int = 10,
    *,
    difference_ms: float | None = None,
    base_ms: float | None = None,
    event_sd_ms: float = 0.0,
    trials: int = 4000,
    seed: int = 0,
) -> dict:
    """What a video reports for the contact-time difference between two runners.

    Each trial films ``n_steps`` contacts of a runner whose contacts last ``base_ms`` +
    ``difference_ms`` and ``n_steps`` of one whose contacts last ``base_ms``, at random
    frame phases, and takes the difference of the two means.

    Parameters
    ----------
    fps : float
        Frame rate (frames per second).
    n_steps : int
        Contacts measured per runner (1 = a single step of each).
    difference_ms, base_ms : float, optional
        True difference and shorter contact time, ms; default the rearfoot − midfoot
        difference at the same speed and the midfoot contact time
        (:data:`runform.reference.CONTACT_TIME_BY_STRIKE_MS`).
    event_sd_ms : float
        Extra random error per detected event, ms (0: perfect detection, only frames).
    trials : int
        Simulated repetitions of the whole measurement.
    seed : int
        Random seed (same inputs, same numbers).

    Returns
    -------
    dict
        ``frame_ms``; ``true_ms``; ``mean_ms`` (mean reported difference); ``ci95_ms``
        (2.5th and 97.5th percentiles of the reported difference: where 95 % of such
        measurements land); ``sd_ms``; ``values_ms`` (every trial's difference);
        ``p_wrong_sign`` (share of trials reporting zero or a negative difference) and
        ``p_claim`` (share reporting 30 ms or more).
    """
    if not (fps > 0 and n_steps >= 1):
        raise ValueError("fps must be > 0 and n_steps ≥ 1")
    diff = true_difference_ms() if difference_ms is None else float(difference_ms)
    base = CONTACT_TIME_BY_STRIKE_MS["midfoot"] if base_ms is None else float(base_ms)
    rng = np.random.default_rng(seed)
    shape = (int(trials), int(n_steps))
    long = measured_contact_ms(
        np.full(shape, base + diff), rng.random(shape), fps, event_sd_ms, rng
    )
    short = measured_contact_ms(np.full(shape, base), rng.random(shape), fps, event_sd_ms, rng)
    d = long.mean(axis=1) - short.mean(axis=1)
    return {
        "frame_ms": 1000.0 / fps,
        "true_ms": diff,
        "mean_ms": float(d.mean()),
        "ci95_ms": (float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))),
        "sd_ms": float(d.std()),
        "values_ms": d,
        "p_wrong_sign": float(np.mean(d <= 0)),
        "p_claim": float(np.mean(d >= 30.0)),
    }
