"""How fast the ground stops the landing part of the foot: Fukuchi 2017 markers vs force IC.

Run ``python -m bench.landing_arrest`` (needs ``$RUNFORM_DATA_DIR`` with the Fukuchi 2017
data, as bench/events.py). The basis of ``runform.model.gait._Gait.ARREST_HEEL_S`` and
``ARREST_TOE_S``.

For every Fukuchi trial and every complete force contact (IC from the force plate, 20 N),
the landing part's vertical marker position ``y`` (150 Hz) is read around force IC: the
MT1/MT5 midpoint for the forefoot runner RBDS001, the heel-bottom marker for the rearfoot
runners RBDS08/011/016 (their heel also for RBDS001, and their MT for reference).
Velocities are forward differences placed at the half frames. Per contact:

* ``v_ic``: downward speed (m/s) at force IC (linear between the half-frame velocities);
* ``t50`` / ``t20``: time (ms) after force IC until the downward speed first falls below
  50 % / 20 % of ``v_ic`` (linear between half frames);
* ``t_rest``: time (ms) until it first falls below 5 cm/s (marker noise ~1-2 cm/s);
* (per-contact nonlinear fits, kept for reference: unstable on the heel at 150 Hz).

Then per trial the arrest shape ``v(tau) = v0 (1 - tau / A) ** p`` (``0 <= tau <= A``) is
fitted to the heights from :data:`PRE_S` before to :data:`POST_S` after force IC: before IC
a constant-acceleration approach, after ``A`` a constant drift (the foot's roll), with
``z0``, ``v0``, the approach acceleration and the drift per contact (linear least
squares) and ``A`` (1 ms grid) shared by the trial's contacts, for ``p`` = 0.5, 1, 2, 3
(1: constant deceleration, the model's; 2: the model's previous shape). Printed: best
``A`` (ms), RMS residual (mm) and median ``v0`` per ``p``, for POST_S = 30 and 40 ms.

Printed first: per trial and pooled per landing part, the median and interquartile range.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import least_squares

from tests.support import fukuchi as fr

#: Fit window after force IC (s): the arrest and a little rest, before the roll-over.
FIT_S = 0.06
REST_MPS = 0.05


def _crossing(tv: np.ndarray, v: np.ndarray, level: float, t0: float) -> float:
    """First time after ``t0`` the downward speed ``-v`` falls below ``level`` (linear)."""
    k = np.flatnonzero((tv > t0) & (-v < level))
    if not k.size or k[0] == 0:
        return np.nan
    k = k[0]
    a, b = -v[k - 1], -v[k]
    if tv[k - 1] < t0:  # bracket starts before t0: interpolate from t0
        return tv[k] if a < level else t0
    w = (a - level) / (a - b) if a != b else 0.0
    return tv[k - 1] + w * (tv[k] - tv[k - 1])


def _shape(tau: np.ndarray, z_end: float, v0: float, arrest: float, p: float) -> np.ndarray:
    s = np.clip(tau / arrest, 0.0, 1.0)
    return z_end + v0 * arrest / (p + 1.0) * (1.0 - s) ** (p + 1.0)


def _fit(tau: np.ndarray, z: np.ndarray, v_ic: float, free_p: bool) -> tuple[float, float, float]:
    """(A s, p, RMS residual m) of the arrest shape fitted to heights ``z`` at ``tau``."""

    def resid(x):
        p = x[3] if free_p else 2.0
        return _shape(tau, x[0], x[1], x[2], p) - z

    x0 = [z[-1], max(v_ic, 0.1), 0.02, 2.0]
    lo, hi = [-1.0, 0.0, 0.002, 0.3], [1.0, 5.0, FIT_S, 6.0]
    if not free_p:
        x0, lo, hi = x0[:3], lo[:3], hi[:3]
    best = None
    for a0 in (0.008, 0.015, 0.025, 0.04):
        x0[2] = a0
        r = least_squares(resid, x0, bounds=(lo, hi))
        if best is None or r.cost < best.cost:
            best = r
    p = best.x[3] if free_p else 2.0
    return float(best.x[2]), float(p), float(np.sqrt(np.mean(best.fun**2)))


def _landings(runner: str, speed: str, part: str):
    """(force contact row, marker times s, ``part``'s height m) per force contact."""
    jc = fr.runner_joint_centres(runner, speed)
    for row in fr.runner_force_events(runner, speed).itertuples():
        y = jc[f"{row.foot}_{part}"][:, 1]
        yield row, np.arange(y.size) / fr.MARKER_HZ, y


def contacts(runner: str, speed: str, part: str) -> list[dict]:
    """Per-contact arrest measures of ``part`` ("heel" or "foot_index")."""
    out = []
    for row, t, y in _landings(runner, speed, part):
        i = int(np.searchsorted(t, row.ic_s))
        lo, hi = i - 8, i + int(np.ceil(FIT_S * fr.MARKER_HZ)) + 2
        if lo < 0 or hi >= y.size or not np.isfinite(y[lo:hi]).all():
            continue
        tv = (t[lo : hi - 1] + t[lo + 1 : hi]) / 2
        v = np.diff(y[lo:hi]) * fr.MARKER_HZ
        v_ic = -float(np.interp(row.ic_s, tv, v))
        if v_ic < 0.1:  # not landing on this part
            continue
        after = (t >= row.ic_s) & (t <= row.ic_s + FIT_S)
        tau, z = t[after] - row.ic_s, y[after]
        # include IC itself (height interpolated) so the fit starts at tau = 0
        tau = np.concatenate([[0.0], tau])
        z = np.concatenate([[np.interp(row.ic_s, t, y)], z])
        a2, _, r2 = _fit(tau, z, v_ic, free_p=False)
        ap, p, rp = _fit(tau, z, v_ic, free_p=True)
        pre = (tv < row.ic_s) & (tv > row.ic_s - 0.04)
        out.append(
            {
                "v_ic": v_ic,
                "v_peak_pre": -float(v[pre].min()) if pre.any() else np.nan,
                "t50": 1e3 * (_crossing(tv, v, 0.5 * v_ic, row.ic_s) - row.ic_s),
                "t20": 1e3 * (_crossing(tv, v, 0.2 * v_ic, row.ic_s) - row.ic_s),
                "t_rest": 1e3 * (_crossing(tv, v, REST_MPS, row.ic_s) - row.ic_s),
                "A_p2": 1e3 * a2,
                "rms_p2": 1e3 * r2,
                "A_p": 1e3 * ap,
                "p": p,
                "rms_p": 1e3 * rp,
            }
        )
    return out


KEYS = ("v_ic", "v_peak_pre", "t50", "t20", "t_rest", "A_p2", "rms_p2", "A_p", "p", "rms_p")


def _summary(rows: list[dict]) -> str:
    cells = []
    for k in KEYS:
        x = np.array([r[k] for r in rows], float)
        x = x[np.isfinite(x)]
        q = np.percentile(x, [25, 50, 75]) if x.size else [np.nan] * 3
        cells.append(f"{q[1]:6.2f} [{q[0]:.2f}-{q[2]:.2f}]")
    return " | ".join(cells)


PRE_S = 0.020
POST_S = (0.030, 0.040)
GRID_A = np.arange(0.002, 0.0501, 0.001)
SHAPES = (0.5, 1.0, 2.0, 3.0)


def _design(tau: np.ndarray, arrest: float, p: float) -> np.ndarray:
    """Columns z0, v0, approach acceleration, drift of the piecewise height model."""
    s = np.clip(tau / arrest, 0.0, 1.0)
    f = arrest / (p + 1.0) * (1.0 - (1.0 - s) ** (p + 1.0))
    pre = tau < 0
    x = np.zeros((tau.size, 4))
    x[:, 0] = 1.0
    x[:, 1] = np.where(pre, -tau, -f)
    x[:, 2] = np.where(pre, 0.5 * tau**2, 0.0)
    x[:, 3] = np.where(tau > arrest, tau - arrest, 0.0)
    return x


def shared_fit(runner: str, speed: str, part: str, post: float) -> dict:
    """p -> (best A s, RMS m, median v0 m/s) of the trial's contacts (see the docstring)."""
    segs = []
    for row, t, y in _landings(runner, speed, part):
        m = (t >= row.ic_s - PRE_S) & (t <= row.ic_s + post)
        if m.sum() >= 6 and np.isfinite(y[m]).all():
            segs.append((t[m] - row.ic_s, y[m]))
    n = sum(z.size for _, z in segs)
    out = {}
    for p in SHAPES:
        best = None
        for a in GRID_A:
            sse, v0 = 0.0, []
            for tau, z in segs:
                x = _design(tau, a, p)
                c, *_ = np.linalg.lstsq(x, z, rcond=None)
                sse += float(np.sum((x @ c - z) ** 2))
                v0.append(c[1])
            if best is None or sse < best[1]:
                best = (a, sse, float(np.median(v0)))
        out[p] = (best[0], np.sqrt(best[1] / n), best[2])
    return out


def main() -> None:
    header = "| trial | part | n | " + " | ".join(f"{k} med [IQR]" for k in KEYS) + " |"
    print("Units: v m/s, t/A ms, rms mm. p: exponent of v = v0 (1 - tau/A)^p.")
    print(header)
    print("|" + "---|" * (len(KEYS) + 3))
    pooled = {}
    for runner in fr.ALL_RUNNERS:
        for speed in fr.RUNNER_SPEEDS:
            if not fr.available(runner, speed):
                continue
            for part in ("heel", "foot_index"):
                rows = contacts(runner, speed, part)
                if not rows:
                    continue
                landing = (part == "foot_index") == (runner == "RBDS001")
                tag = f"{runner} {speed}" + ("" if landing else " (not landing part)")
                print(f"| {tag} | {part} | {len(rows)} | {_summary(rows)} |")
                if landing:
                    pooled.setdefault(part, []).extend(rows)
    for part, rows in pooled.items():
        print(f"| pooled landing | {part} | {len(rows)} | {_summary(rows)} |")
    print()
    print("Shared-A fit of the landing part, per trial: A ms / RMS mm / median v0 m/s per p")
    print("| trial | part | window ms | " + " | ".join(f"p={p}" for p in SHAPES) + " |")
    print("|" + "---|" * (len(SHAPES) + 3))
    for runner in fr.ALL_RUNNERS:
        part = "foot_index" if runner == "RBDS001" else "heel"
        for speed in fr.RUNNER_SPEEDS:
            if not fr.available(runner, speed):
                continue
            for post in POST_S:
                res = shared_fit(runner, speed, part, post)
                cells = " | ".join(
                    f"{1e3 * a:.0f} / {1e3 * r:.2f} / {v:.2f}" for a, r, v in res.values()
                )
                print(f"| {runner} {speed} | {part} | -20..+{1e3 * post:.0f} | {cells} |")


if __name__ == "__main__":
    main()
