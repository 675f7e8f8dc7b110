"""Is each step a real step? Checks against the clip's own rhythm and running physiology.

A missed contact doubles a step (and shows as two contacts of the same foot in a row),
a split or clipped contact makes a contact or a step far shorter than the others, and a
merged one far longer. Steady running varies its step and contact times by a few per
cent from step to step, so a step far from the clip's own median is a detection error,
not a runner's step. Each step of :func:`runform.metrics.step_table` gets a ``flag`` (short
codes, ``;``-separated, empty when plausible) and an ``excluded_reason`` (the sentence a
user reads); flagged steps stay in the table and are left out of the clip-level metrics
(``excluded``), except that a missed contact of the other foot only withholds the step's
step and flight time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_CONTACT_S", "RHYTHM_TOLERANCE", "flag_steps"]

#: Largest fraction by which a step or contact time may differ from the clip's median
#: and still be a real step. Step and contact times of steady running vary by a few per
#: cent between steps (coefficients of variation of ~2–4 %); the detection errors this
#: catches change them by a factor of about two (a missed contact doubles a step, a split
#: one halves it), so ±35 % sits far outside the first and well inside the second.
RHYTHM_TOLERANCE = 0.35
#: Longest ground contact that is running, seconds. Contact lasts ~0.31 s at 2.5 m/s in
#: the slowest Fukuchi 2017 runner and shortens with speed; a walking stance lasts
#: ~0.6 s. Longer than this is two contacts merged or a walking step.
MAX_CONTACT_S = 0.45
#: Fewest plausible steps needed before a clip's own median is used as its rhythm.
MIN_RHYTHM_STEPS = 3


def _median(values) -> float:
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if len(v) >= MIN_RHYTHM_STEPS else float("nan")


def _outside(value: float, median: float) -> bool:
    return bool(
        np.isfinite(value) and np.isfinite(median) and abs(value / median - 1.0) > RHYTHM_TOLERANCE
    )


def flag_steps(steps):
    """Add ``flag``, ``excluded_reason`` and ``excluded`` columns to a step table (in place).

    Checks, each against the complete steps of the clip whose contact time is within
    running's range (the rhythm's medians leave the others out):

    * ``contact_range``: contact time outside 70 ms (:data:`runform.events.MIN_CONTACT_S`)
      to :data:`MAX_CONTACT_S`;
    * ``contact_rhythm``: contact time more than :data:`RHYTHM_TOLERANCE` from the median;
    * ``step_rhythm``: step time (IC to the other foot's next IC) more than
      :data:`RHYTHM_TOLERANCE` from the median (a missed or an extra contact);
    * ``alternation``: the next contact is the same foot again while both feet are
      tracked (the other foot's contact in between was missed).

    Medians need :data:`MIN_RHYTHM_STEPS` values; with fewer (a clip of one or two
    stances) only the physiological range is checked.

    Returns
    -------
    pandas.DataFrame
        The same table.
    """
    from .events import MIN_CONTACT_S

    n = len(steps)
    flags: list[list[str]] = [[] for _ in range(n)]
    why: list[list[str]] = [[] for _ in range(n)]
    if n:
        ok = steps["complete"].to_numpy(bool)
        ct = steps["contact_ms"].to_numpy(float)
        st = steps["step_ms"].to_numpy(float)
        feet = steps["foot"].to_numpy()
        # contacts outside running's range do not set the clip's rhythm (a hidden far
        # foot's 40-70 ms "contacts" once pulled the median low enough to flag the near
        # foot's true ones as too long)
        in_range = (ct >= 1000 * MIN_CONTACT_S) & (ct <= 1000 * MAX_CONTACT_S)
        med_ct, med_st = _median(ct[ok & in_range]), _median(st[ok & in_range])
        both = all((feet == f).sum() >= 2 for f in ("left", "right"))
        for i in range(n):
            if not in_range[i]:
                flags[i].append("contact_range")
                why[i].append(
                    f"contact time {ct[i]:.0f} ms is outside running's "
                    f"{1000 * MIN_CONTACT_S:.0f}-{1000 * MAX_CONTACT_S:.0f} ms"
                )
            elif _outside(ct[i], med_ct):
                flags[i].append("contact_rhythm")
                why[i].append(
                    f"contact time {ct[i]:.0f} ms is far from this clip's "
                    f"{med_ct:.0f} ms (a split, clipped or merged contact)"
                )
            if _outside(st[i], med_st):
                flags[i].append("step_rhythm")
                why[i].append(
                    f"step time {st[i]:.0f} ms is far from this clip's "
                    f"{med_st:.0f} ms (a missed or an extra contact)"
                )
            if both and i + 1 < n and feet[i + 1] == feet[i]:
                flags[i].append("alternation")
                why[i].append(
                    f"the next contact is the {feet[i]} foot again: the other "
                    "foot's contact in between was missed"
                )
    steps["flag"] = [";".join(f) for f in flags]
    steps["excluded_reason"] = ["; ".join(w) for w in why]
    # a missed contact of the other foot spoils this step's step and flight time, not
    # its own contact: those are withheld, the contact stays
    steps["excluded"] = [any(c != "alternation" for c in f) for f in flags]
    alt = np.array(["alternation" in f for f in flags], bool)
    if alt.any():
        steps.loc[alt, ["step_ms", "flight_ms"]] = np.nan
    _drop_intervals_to_excluded(steps)
    return steps


def _drop_intervals_to_excluded(steps) -> None:
    """Withhold step, flight and stride times that end at an excluded contact (in place).

    An implausible contact's IC is wrong, so the intervals measured up to it are too
    (a stride into a split contact reads long, the next one short).
    """
    ex = steps["excluded"].to_numpy(bool)
    feet = steps["foot"].to_numpy()
    ic = steps["ic_s"].to_numpy(float)
    for i in range(len(steps)):
        later = np.flatnonzero(ic > ic[i])
        same = later[feet[later] == feet[i]]
        other = later[feet[later] != feet[i]]
        if len(same) and ex[same[0]]:
            steps.iloc[i, steps.columns.get_loc("stride_ms")] = np.nan
        if len(other) and ex[other[0]]:
            steps.iloc[
                i, [steps.columns.get_loc("step_ms"), steps.columns.get_loc("flight_ms")]
            ] = np.nan
