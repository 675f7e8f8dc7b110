"""Per-stride tables summarised: mean, SD between strides, and an honest uncertainty."""

from __future__ import annotations

import numpy as np

__all__ = ["describe", "stride_summary"]


def stride_summary(table, fps: float):
    """Mean, SD and an uncertainty per column of a per-stride table.

    Parameters
    ----------
    table : DataFrame
        One row per stride; columns ending ``_deg`` (degrees), ``_dps`` (degrees per
        second), ``_ms`` (milliseconds) or ``_pct`` (percent); ``ic_s``/``to_s`` skipped.
    fps : float
        Frame rate of the angles; a time read off frames is uncertain by ±½ frame.

    Returns
    -------
    pandas.DataFrame
        Index = the measured quantity; ``mean``, ``sd`` (between strides), ``n``
        (strides), ``unit`` and ``uncertainty``: the 95 % half-width of the mean,
        1.96 · SD / √n, and for times at least half a frame (``500 / fps`` ms).
    """
    import pandas as pd

    half_frame_ms = 500.0 / float(fps)
    rows = {}
    for col in table.columns:
        if col in ("ic_s", "to_s"):
            continue
        x = table[col].to_numpy(float)
        x = x[np.isfinite(x)]
        n = len(x)
        sd = float(np.std(x, ddof=1)) if n > 1 else float("nan")
        u = 1.96 * sd / np.sqrt(n) if n > 1 else float("nan")
        unit = (
            "ms"
            if col.endswith("_ms")
            else "°/s"
            if col.endswith("_dps")
            else "%"
            if col.endswith("_pct")
            else "°"
        )
        if unit == "ms":
            u = max(u, half_frame_ms) if np.isfinite(u) else half_frame_ms
        rows[col] = {
            "mean": float(np.mean(x)) if n else float("nan"),
            "sd": sd,
            "n": n,
            "unit": unit,
            "uncertainty": float(u),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def describe(summary, labels: dict | None = None, digits: int = 1):
    """A table for people: ``mean ± SD`` and the 95 % half-width with units, per quantity.

    Parameters
    ----------
    summary : DataFrame
        From :func:`stride_summary`.
    labels : dict of str to str, optional
        Row name → readable label (rows not in it are dropped when given).
    """
    import pandas as pd

    rows = summary if labels is None else summary.loc[[k for k in labels if k in summary.index]]
    out = []
    for name, r in rows.iterrows():
        out.append(
            {
                "quantity": (labels or {}).get(name, name),
                "mean ± SD": f"{r['mean']:.{digits}f} ± {r['sd']:.{digits}f} {r['unit']}",
                "95 % CI of the mean (strides)": f"± {r['uncertainty']:.{digits}f} {r['unit']}",
                "strides": int(r["n"]),
            }
        )
    return pd.DataFrame(out).set_index("quantity")
