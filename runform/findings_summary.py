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
        E.g. "2 problems present, 7 absent, 1 cannot tell." with, when nothing
        was found, whether the clip could judge anything at all (the CLI summary and the
        report card both say this, so they cannot disagree).
    """
    counts = {s: sum(f.status == s for f in findings) for s in STATUSES}
    present, unsure, absent = (counts[s] for s in ("present", "cannot_tell", "absent"))
    # the words of the statuses themselves, as each finding shows them
    plural = "s" if present != 1 else ""
    text = f"{present} problem{plural} present, {absent} absent, {unsure} cannot tell"
    if not present and not absent and unsure:
        text += " (this clip is too short or too uncertain to judge any of them)"
    elif not present and unsure:
        text += " (none of the problems the clip could judge was found)"
    return counts, text + "."
