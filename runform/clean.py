"""Clean landmark trajectories: mask, fill gaps, repair left/right swaps, low-pass filter.

Landmarks that fall outside the image are masked first: a pose model returns all 33
landmarks of a runner who is partly out of the frame, extrapolated from the visible
body (often with high visibility), so they are guesses rather than measurements.
Defaults (:mod:`runform.reference`): mask points below visibility 0.5 (MediaPipe's own
default confidence), fill gaps up to 120 ms by linear interpolation (Stenum et al.
2021), and a zero-lag Butterworth filter (2nd order run forwards and backwards with
Winter's 0.802 correction, so ``cutoff_hz`` is the true −3 dB point of the combined
4th-order response) whose default cutoff depends on the frame rate. Swaps of the left
and right leg, a known failure of side-view pose models, are repaired automatically
against a constant-velocity prediction and the legs' own segment lengths. Where the two
feet overlap in the image (the far foot passing behind the near one), the heel and toe
are re-interpolated from the frames either side (:func:`bridge_feet_overlap`).
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .errors import InputError
from .reference import (
    DUAL_PASS_CORRECTION,
    FEET_OVERLAP_FOOT_LENGTHS,
    GAP_FILL_S,
    VISIBILITY_THRESHOLD,
    default_cutoff_hz,
)
from .swaps import repair_swaps

__all__ = [
    "bridge_feet_overlap",
    "butterworth",
    "clean",
    "default_cutoff",
    "feet_overlap",
    "fill_gaps",
    "filter_preview",
    "filter_signal",
    "mask_low_visibility",
    "mask_outside_image",
    "repair_swaps",
    "residual_analysis",
]


def default_cutoff(fps: float) -> float:
    """Default low-pass cutoff in Hz by frame rate (:func:`runform.reference.default_cutoff_hz`)."""
    return default_cutoff_hz(fps)


def mask_low_visibility(clip: Clip, threshold: float = VISIBILITY_THRESHOLD) -> Clip:
    """Set landmarks whose visibility is below ``threshold`` to NaN."""
    if not 0 <= threshold <= 1:
        raise InputError(f"visibility threshold must be in [0, 1], got {threshold!r}.")
    xy = clip.xy.copy()
    xy[clip.visibility < threshold] = np.nan
    return clip.replace(xy=xy).with_note(f"mask visibility<{threshold:g}")


def mask_outside_image(clip: Clip) -> Clip:
    """Set landmarks outside the image (x ∉ [0, width], y ∉ [0, height] px) to NaN.

    Their visibility becomes 0. MediaPipe's BlazePose (Bazarevsky et al. 2020, arXiv
    2006.10204) regresses every landmark of the body it found, including parts that have
    left the frame; it reports high visibility for many of them, so the visibility mask
    alone does not remove them. No margin is applied: a point inside the image is kept.
    """
    x, y = clip.xy[..., 0], clip.xy[..., 1]
    with np.errstate(invalid="ignore"):
        out = (x < 0) | (x > clip.width) | (y < 0) | (y > clip.height)
    if not out.any():
        return clip.with_note("mask outside image (0 points)")
    xy = clip.xy.copy()
    xy[out] = np.nan
    vis = np.where(out, 0.0, clip.visibility)
    return clip.replace(xy=xy, visibility=vis).with_note(
        f"mask outside image ({int(out.sum())} points)"
    )


def _runs(flag: np.ndarray) -> list[tuple[int, int]]:
    """Start and end (exclusive) of each run of True in a boolean array."""
    edges = np.diff(np.concatenate([[0], flag.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _fill_1d(y: np.ndarray, max_gap: int) -> np.ndarray:
    """Linearly interpolate interior NaN runs no longer than ``max_gap`` samples."""
    y = y.copy()
    bad = ~np.isfinite(y)
    if not bad.any() or bad.all():
        return y
    idx = np.arange(len(y))
    good = ~bad
    filled = np.interp(idx, idx[good], y[good])
    for s, e in _runs(bad):
        if s > 0 and e < len(y) and e - s <= max_gap:
            y[s:e] = filled[s:e]
    return y


def fill_gaps(clip: Clip, max_gap_s: float = GAP_FILL_S) -> Clip:
    """Fill interior gaps of each landmark coordinate up to ``max_gap_s`` seconds.

    Gaps at the start or end of the clip and longer gaps stay NaN (an honest
    "unknown" rather than an invented trajectory).
    """
    if max_gap_s < 0:
        raise InputError(f"max_gap_s must be >= 0, got {max_gap_s!r}.")
    max_gap = int(np.floor(max_gap_s * clip.fps + 1e-9))
    xy = clip.xy.copy()
    if max_gap > 0:
        for j in range(xy.shape[1]):
            for k in range(2):
                xy[:, j, k] = _fill_1d(xy[:, j, k], max_gap)
    return clip.replace(xy=xy).with_note(f"fill gaps<={max_gap_s * 1000:.0f} ms")


def feet_overlap(clip: Clip, foot_lengths: float = FEET_OVERLAP_FOOT_LENGTHS) -> np.ndarray:
    """Frames where the two feet overlap in the image, shape (n_frames,), bool.

    A foot's centre is the mean of its ankle, heel and toe (``foot_index``) landmarks;
    the feet overlap when the centres are closer than ``foot_lengths`` times the clip's
    median heel→toe distance (both feet, all frames: the foot's own scale in pixels, so
    the rule holds at any image size). Frames missing a point are not flagged.
    """
    from .landmarks import INDEX

    xy = clip.xy

    def centre(side: str) -> np.ndarray:
        return xy[:, [INDEX[f"{side}_{k}"] for k in ("ankle", "heel", "foot_index")]].mean(axis=1)

    length = np.concatenate(
        [
            np.linalg.norm(xy[:, INDEX[f"{s}_foot_index"]] - xy[:, INDEX[f"{s}_heel"]], axis=1)
            for s in ("left", "right")
        ]
    )
    length = length[np.isfinite(length)]
    if not len(length):
        return np.zeros(len(xy), bool)
    d = np.linalg.norm(centre("left") - centre("right"), axis=1)
    with np.errstate(invalid="ignore"):
        return d < foot_lengths * float(np.median(length))


def bridge_feet_overlap(
    clip: Clip,
    max_gap_s: float = GAP_FILL_S,
    foot_lengths: float = FEET_OVERLAP_FOOT_LENGTHS,
) -> Clip:
    """Re-interpolate both feet's heel and toe across frames where the feet overlap.

    In a side view the far foot passes behind the near one once a step; over those
    frames a pose model sees one blob and pulls each foot's heel and toe towards the
    other (on the rendered samples the near foot angle was then off by 10–40°, with
    visibility still above 0.9, so the visibility mask cannot catch it). Each run of
    overlapping frames (:func:`feet_overlap`) that is interior and no longer than
    ``max_gap_s`` (the gap-filling limit, 120 ms: Stenum et al. 2021) is replaced by
    linear interpolation between the last frame before and the first after it, as
    :func:`fill_gaps` fills a gap; a longer run keeps its measurements. The ankle is
    left alone (it also belongs to the shank: knee and shank angles do not change).

    Parameters
    ----------
    clip : Clip
        Landmarks, pixels (masked and gap-filled; swaps repaired).
    max_gap_s : float
        Longest overlap bridged, seconds.
    foot_lengths : float
        Overlap distance between the foot centres, in foot lengths
        (:data:`runform.reference.FEET_OVERLAP_FOOT_LENGTHS`).
    """
    from .landmarks import INDEX

    over = feet_overlap(clip, foot_lengths)
    max_gap = int(np.floor(max_gap_s * clip.fps + 1e-9))
    runs = [(s, e) for s, e in _runs(over) if s > 0 and e < len(over) and e - s <= max_gap]
    if not runs:
        return clip.with_note("bridge feet overlap (0 frames)")
    xy = clip.xy.copy()
    ids = [INDEX[f"{s}_{k}"] for s in ("left", "right") for k in ("heel", "foot_index")]
    n = 0
    for s, e in runs:
        ends = xy[[s - 1, e]][:, ids]  # (2, points, 2)
        if not np.isfinite(ends).all():
            continue
        w = (np.arange(s, e) - (s - 1)) / (e - (s - 1))
        xy[s:e, ids] = ends[0] + w[:, None, None] * (ends[1] - ends[0])
        n += e - s
    return clip.replace(xy=xy).with_note(f"bridge feet overlap ({n} frames)")


def filter_signal(y: np.ndarray, fps: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Zero-lag Butterworth low-pass of a 1-D signal with NaN gaps.

    Each finite run is filtered on its own (``scipy.signal.filtfilt`` with Winter's
    0.802 dual-pass correction); runs too short to filter are left as they are, and
    NaN stays NaN.

    Parameters
    ----------
    y : ndarray, shape (n,)
        Signal.
    fps : float
        Sampling rate in Hz.
    cutoff_hz : float
        Wanted −3 dB cutoff of the dual-pass filter in Hz (< fps / 2).
    order : int
        Order of the single-pass design (the zero-lag result has twice this order).
    """
    from scipy.signal import butter, filtfilt

    if not (np.isfinite(fps) and fps > 0):
        raise InputError(f"fps must be a positive number of frames per second, got {fps!r}.")
    nyq = fps / 2.0
    wn = cutoff_hz / DUAL_PASS_CORRECTION / nyq
    if not 0 < cutoff_hz or wn >= 1:
        raise InputError(
            f"cutoff {cutoff_hz} Hz is not possible at {fps:g} fps: it must be above 0 and "
            f"below {DUAL_PASS_CORRECTION * nyq:.1f} Hz (0.802 x Nyquist)."
        )
    b, a = butter(order, wn)
    y = np.asarray(y, dtype=float)
    out = y.copy()
    padlen = 3 * max(len(a), len(b))
    for s, e in _runs(np.isfinite(y)):
        if e - s > padlen:
            out[s:e] = filtfilt(b, a, y[s:e], padlen=padlen)
        elif e - s > 3:
            out[s:e] = filtfilt(b, a, y[s:e], padlen=e - s - 1)
    return out


def butterworth(clip: Clip, cutoff_hz: float | str | None = "auto", order: int = 2) -> Clip:
    """Low-pass every landmark coordinate (see :func:`filter_signal`).

    Parameters
    ----------
    clip : Clip
        Landmarks (usually cleaned: masked, gap-filled, swaps repaired).
    cutoff_hz : float, "auto" or None
        Cutoff in Hz; "auto" = :func:`default_cutoff` for the clip's frame rate;
        None = no filtering (the clip is returned unchanged), as everywhere in runform.
    order : int
        Order of each pass (the zero-lag filter runs it forwards and backwards).

    Returns
    -------
    Clip
        The filtered clip, with :attr:`Clip.cutoff_hz` set to the cutoff used.
    """
    if cutoff_hz is None:
        return clip
    fc = default_cutoff(clip.fps) if cutoff_hz == "auto" else float(cutoff_hz)
    xy = np.empty_like(clip.xy)
    for j in range(xy.shape[1]):
        for k in range(2):
            xy[:, j, k] = filter_signal(clip.xy[:, j, k], clip.fps, fc, order)
    return clip.replace(xy=xy, cutoff_hz=fc).with_note(f"butterworth {fc:g} Hz zero-lag")


def filter_preview(clip: Clip, cutoff_hz: float | str | None = "auto"):
    """What a low-pass cutoff does to a cleaned clip: ``(filtered clip, angle table)``.

    For teaching widgets that show raw against filtered traces: the clip should be
    cleaned and oriented but not yet filtered (:attr:`runform.Analysis.cleaned`). The
    feet are bridged where they overlap (:func:`bridge_feet_overlap`) before filtering,
    as :func:`runform.analyze` does for its angles, so at the clip's own cutoff the
    preview's angles are the analysis's (``cutoff_hz=None``: the bridged, unfiltered
    angles).
    """
    from .kinematics import angles

    filtered = butterworth(bridge_feet_overlap(clip), cutoff_hz)
    return filtered, angles(filtered)


def residual_analysis(y: np.ndarray, fps: float, cutoffs: np.ndarray | None = None):
    """Winter's residual analysis: suggest a cutoff for a signal.

    The RMS difference between the raw and filtered signal is computed over a range of
    cutoffs. At high cutoffs the residual is mostly noise and falls on a straight line;
    its intercept at 0 Hz estimates the noise RMS, and the suggested cutoff is where the
    residual curve comes down to that level (Winter 2009, ch. 2).

    Parameters
    ----------
    y : ndarray, shape (n,)
        Signal (NaN allowed: only finite samples are compared).
    fps : float
        Sampling rate in Hz.
    cutoffs : ndarray, optional
        Cutoffs to try in Hz; default 1 Hz to 0.75 × (0.802 × Nyquist) in 0.5 Hz steps.

    Returns
    -------
    cutoffs : ndarray
        Cutoffs tried, Hz.
    residuals : ndarray
        RMS residual at each cutoff, in the signal's units.
    suggested : float
        Suggested cutoff in Hz (NaN if the signal is too short or constant).
    """
    y = np.asarray(y, float)
    top = 0.75 * DUAL_PASS_CORRECTION * fps / 2
    if cutoffs is None:
        cutoffs = np.arange(1.0, top, 0.5)
    cutoffs = np.asarray(cutoffs, float)
    good = np.isfinite(y)
    if good.sum() < 16 or len(cutoffs) < 4:
        return cutoffs, np.full(len(cutoffs), np.nan), float("nan")
    res = np.array(
        [np.sqrt(np.nanmean((filter_signal(y, fps, fc) - y)[good] ** 2)) for fc in cutoffs]
    )
    tail = cutoffs >= cutoffs[0] + 0.6 * (cutoffs[-1] - cutoffs[0])
    _slope, intercept = np.polyfit(cutoffs[tail], res[tail], 1)
    if not np.isfinite(intercept) or intercept <= 0 or np.allclose(res, 0):
        return cutoffs, res, float("nan")
    below = np.flatnonzero(res <= intercept)
    suggested = float(cutoffs[below[0]]) if len(below) else float(cutoffs[-1])
    return cutoffs, res, suggested


def clean(
    clip: Clip,
    *,
    visibility_threshold: float = VISIBILITY_THRESHOLD,
    max_gap_s: float = GAP_FILL_S,
    swaps: bool = True,
    cutoff_hz: float | str | None = "auto",
    inside_image: bool = True,
    feet: bool = True,
) -> Clip:
    """The standard cleaning chain: mask → fill gaps → repair swaps → bridge feet → low-pass.

    Parameters
    ----------
    clip : Clip
        Raw landmarks.
    visibility_threshold : float
        Points below this visibility are treated as missing (default 0.5).
    max_gap_s : float
        Longest gap filled by interpolation, seconds (default 0.12).
    swaps : bool
        Repair left/right leg swaps (default True).
    cutoff_hz : float, "auto" or None
        Low-pass cutoff in Hz; "auto" = :func:`default_cutoff` for the clip's frame
        rate; None = no filtering.
    inside_image : bool
        Mask landmarks outside the image first (:func:`mask_outside_image`; default
        True).
    feet : bool
        Re-interpolate heel and toe where the two feet overlap in the image
        (:func:`bridge_feet_overlap`, up to ``max_gap_s``; default True).

    Returns
    -------
    Clip
        Cleaned clip; ``provenance['processing']`` lists the steps and settings.
    """
    out = mask_outside_image(clip) if inside_image else clip
    out = fill_gaps(mask_low_visibility(out, visibility_threshold), max_gap_s)
    if swaps:
        out, _ = repair_swaps(out)
    if feet:
        out = bridge_feet_overlap(out, max_gap_s)
    if cutoff_hz is not None:
        out = butterworth(out, cutoff_hz)
    return out
