"""Gait-cycle normalisation: time series cut at initial contacts, resampled to 0–100 %.

A cycle runs from one initial contact (IC) of a foot to its next IC (a stride). Each
cycle is resampled to ``n_points`` samples (default 101: 0, 1, … 100 %), so strides of
different duration can be averaged: the mean ± SD curves of biomechanics papers.
"""

from __future__ import annotations

import numpy as np

from .errors import TooShortError

__all__ = ["cycle_curves", "cycle_summary", "strides"]


def strides(events, foot: str, *, max_stride_s: float = 2.0) -> list[tuple[float, float, float]]:
    """(IC, TO, next IC) times in seconds of each complete stride of ``foot``.

    Strides longer than ``max_stride_s`` (a missed contact) are skipped.
    """
    ev = events[events["foot"] == foot].sort_values("ic_s")
    ic, to = ev["ic_s"].to_numpy(float), ev["to_s"].to_numpy(float)
    return [
        (ic[k], to[k], ic[k + 1])
        for k in range(len(ic) - 1)
        if 0 < ic[k + 1] - ic[k] <= max_stride_s
    ]


def cycle_curves(
    time: np.ndarray, values: np.ndarray, events, foot: str, n_points: int = 101
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut a signal into strides of ``foot`` and resample each to 0–100 % of the cycle.

    Parameters
    ----------
    time : ndarray, shape (n,)
        Frame times, s.
    values : ndarray, shape (n,)
        The signal (e.g. an angle in degrees); NaN where unknown.
    events : DataFrame
        Contacts from :func:`runform.events.detect_events`.
    foot : {"left", "right"}
        Whose strides.
    n_points : int
        Samples per cycle (101 gives whole percents).

    Returns
    -------
    pct : ndarray, shape (n_points,)
        0 … 100, % of the gait cycle.
    curves : ndarray, shape (n_strides, n_points)
        One resampled cycle per row (NaN where the signal is unknown).
    toe_off_pct : ndarray, shape (n_strides,)
        Toe-off of each stride in % of its cycle.
    """
    pct = np.linspace(0.0, 100.0, n_points)
    time, values = np.asarray(time, float), np.asarray(values, float)
    rows, toes = [], []
    for ic, to, nxt in strides(events, foot):
        when = ic + pct / 100.0 * (nxt - ic)
        lo = max(0, int(np.searchsorted(time, ic)) - 1)  # one frame either side, so the
        hi = int(np.searchsorted(time, nxt, side="right")) + 1  # ends interpolate
        inside = np.zeros(len(time), bool)
        inside[lo:hi] = True
        ok = inside & np.isfinite(values)
        if ok.sum() < 4:
            continue
        row = np.interp(when, time[ok], values[ok], left=np.nan, right=np.nan)
        # do not bridge gaps: sample points whose neighbours are unknown stay NaN
        nearest = np.searchsorted(time, when).clip(1, len(time) - 1)
        gap = ~(np.isfinite(values[nearest]) & np.isfinite(values[nearest - 1]))
        row[gap] = np.nan
        rows.append(row)
        toes.append(100.0 * (to - ic) / (nxt - ic))
    return pct, np.array(rows).reshape(-1, n_points), np.array(toes)


def cycle_summary(angles, events, foot: str, columns=None, n_points: int = 101):
    """Mean and SD over strides of each angle, per % of the gait cycle.

    Parameters
    ----------
    angles : DataFrame
        From :func:`runform.kinematics.angles` (``time_s`` plus angle columns).
    events : DataFrame
        Contacts from :func:`runform.events.detect_events`.
    foot : {"left", "right"}
        Whose strides; by default its own angle columns (``<foot>_..._deg``) and trunk lean.
    columns : list of str, optional
        Angle columns to summarise.

    Returns
    -------
    DataFrame
        ``cycle_pct`` and, per angle, ``<angle>_mean`` and ``<angle>_sd`` (degrees);
        ``df.attrs`` holds ``n_strides`` and the mean toe-off in % (``toe_off_pct``).

    Raises
    ------
    TooShortError
        Fewer than two complete strides of that foot.
    """
    import pandas as pd

    if columns is None:
        columns = [c for c in angles.columns if c.startswith(f"{foot}_")] + ["trunk_lean_deg"]
    t = angles["time_s"].to_numpy(float)
    out, n, toes = {}, 0, np.array([])
    for col in columns:
        _, curves, toes = cycle_curves(t, angles[col].to_numpy(float), events, foot, n_points)
        n = len(curves)
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                out[f"{col}_mean"] = np.nanmean(curves, axis=0) if n else np.full(n_points, np.nan)
                out[f"{col}_sd"] = (
                    np.nanstd(curves, axis=0, ddof=1) if n > 1 else np.full(n_points, np.nan)
                )
    if n < 2:
        raise TooShortError(
            f"Only {n} complete stride(s) of the {foot} foot: at least two are "
            "needed for mean ± SD curves. Record a longer clip."
        )
    df = pd.DataFrame({"cycle_pct": np.linspace(0, 100, n_points), **out})
    df.attrs.update(
        n_strides=n, toe_off_pct=float(np.mean(toes)) if len(toes) else np.nan, foot=foot
    )
    return df
