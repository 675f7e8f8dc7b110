"""How many findings have each status, in one sentence (the CLI summary and the report card)."""

from __future__ import annotations

STATUSES = ("present", "absent", "cannot_tell")


def summary(findings) -> tuple[dict[str, int], str]:
    """How many findings have each status, and one plain sentence about them.

    Returns
    -------
    counts : dict
        ``{"present": n, "cannot_tell": n, "absent": n}``.
    sentence : str
        E.g. "2 problems found, 1 could not be judged, 7 not seen." with, when nothing
        was found, whether the clip could judge anything at all (the CLI summary and the
        report card both say this, so they cannot disagree).
    """
    counts = {s: sum(f.status == s for f in findings) for s in STATUSES}
    present, unsure, absent = (counts[s] for s in ("present", "cannot_tell", "absent"))
    text = (
        f"{present} problem{'s' if present != 1 else ''} found, "
        f"{unsure} could not be judged, {absent} not seen"
    )
    if not present and not absent and unsure:
        text += " (this clip is too short or too uncertain to judge any of them)"
    elif not present:
        text += " (none of the problems the clip could judge was found)"
    return counts, text + "."
