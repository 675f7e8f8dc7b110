"""The words of the report a coach reads last: what the fields mean, and what video can
and cannot measure (the glossary and limits sections of ``report.html``).

The README's "Outputs" section says the same for every file and field;
``tests/test_report.py`` checks that both name every field runform writes.
"""

from __future__ import annotations

from .reference import contact_time_error_text, oscillation_error_text

__all__ = ["GLOSSARY", "LIMITS", "limits"]

#: What the fields of the report, metrics.json and the CSV files mean.
GLOSSARY = (
    (
        "95% CI (ci95)",
        "The range that would hold the runner's average over many more steps, with 95 % "
        "confidence, from the step-to-step scatter. It narrows with more steps. It does not "
        "include the method's own constant errors (landmark offsets, contact times read "
        "long on video; see Limits of the measurement), so the true value can lie outside.",
    ),
    (
        "n steps",
        "How many steps (or strides) a number rests on: only the leg nearer the "
        "camera is used, because the far leg is partly hidden.",
    ),
    (
        "duty_factor",
        "Contact time divided by stride time: the share of each stride a foot "
        "is on the ground (about 0.4 for recreational runners).",
    ),
    (
        "overstride_leg",
        "How far the heel lands ahead of the hips, in leg lengths (hip to "
        "ankle). 0.3 means 30 % of a leg length in front; with the runner's height it is "
        "also given in cm (overstride_cm).",
    ),
    (
        "foot-strike angle",
        "Angle of the sole at the moment of landing against the ground "
        "line, toe up positive: above 8° rearfoot (heel first), −1.6° to 8° midfoot, below "
        "−1.6° forefoot (Altman AR, Davis IS 2012, Gait Posture 35:298).",
    ),
    (
        "uncertain",
        "The foot-strike angle (or its confidence interval) lies within 2.5° of "
        "a class boundary (5° when no standing trial was filmed): video cannot tell which side "
        "of it the runner is on. It does not mean the runner is inconsistent.",
    ),
    (
        "present / absent / cannot tell",
        "A finding is present when the whole confidence "
        "interval lies beyond its threshold, absent when it lies on the good side, and cannot "
        "tell when it straddles the threshold or the clip cannot support the measurement.",
    ),
    (
        "confidence",
        "High: the average is beyond the threshold by more than the typical "
        "error of that angle from video, over 5 or more steps. Moderate or low: closer.",
    ),
    (
        "withheld",
        "The clip cannot support that finding (too few steps, too low a frame "
        "rate, an oblique view, hidden joints); the reason says what to change when filming.",
    ),
    (
        "resolution",
        "The smallest step in which a single measurement can change: one frame, "
        "in the metric's unit (1000 ms ÷ the frame rate: 33 ms at 30 fps, 17 ms at 60 fps). "
        "A mean over many steps is finer than that.",
    ),
    (
        "per_step_reliable",
        "False below 120 fps: one contact or flight time is known only to "
        "about one frame, so read the mean and its 95% CI, not single steps.",
    ),
    (
        "thigh angle (hip extension)",
        "The thigh against the vertical: positive with the knee "
        "ahead of the hip, negative behind it. Its most negative value at push-off is what "
        "coaches call hip extension (peak_hip_extension_deg, reported as degrees behind).",
    ),
    (
        "steps.csv: flag, excluded_reason, excluded",
        "A step that does not fit the clip's own "
        "rhythm (contact time, step time, left/right alternation) is flagged, left out of the "
        "averages (excluded = true), and excluded_reason says why.",
    ),
    (
        "steps.csv: near, complete",
        "near: the foot nearer the camera (only near-foot steps "
        "enter the averages). complete: false when the clip's start or end cuts the contact.",
    ),
    (
        "steps.csv: ic_sd_ms, to_sd_ms, contact_sd_ms",
        "The timing uncertainty of that step's "
        "initial contact, toe-off and contact time (one standard deviation, ms), from the frame "
        "rate, how steady and visible the foot landmarks are, and how close the timing rule "
        "came to force plates (runners in a gait lab). On a video, initial contact also carries "
        "the pose model's own error: on rendered clips with exact contacts MediaPipe's foot "
        "landmarks put touchdown 11.5 ms early on average (15 ms SD).",
    ),
    (
        "steps.csv: ic_method, to_method",
        "How the event was timed. Initial contact: 'onset' (the heel starts to be slowed by "
        "the ground), 'descent' (the landing part's fastest descent), 'arrest' (the landing "
        "part stopped), 'crossing' (the foot reached the ground band; no landing seen). "
        "Toe-off: 'release' (the toe let go by the ground), 'crossing' (the foot rose out of "
        "the ground band), 'knee' (taken at the stance knee's straightest point, because the "
        "toe landmark rose late). 'release' and 'onset' are the most precise.",
    ),
    (
        "foot_strike_reference",
        "What the foot-strike angle is measured from: 'standing' = the foot's angle in a "
        "standing trial (and the ground line), 'ground' = the ground line under the foot only "
        "(then the heel and toe landmarks' own angle to the sole is left in, and the uncertain "
        "band is wider, 5°).",
    ),
)


def _timing_limit(fps: float | None) -> str:
    """The frame-rate limit of timing, with the clip's own numbers when ``fps`` is known."""
    head = (
        "Timing is limited by the frame rate: each event is known to ±½ frame, so a single "
        "contact or flight time (two events) is off by up to ±1 frame"
    )
    bias = (
        " Beyond the frame rate, the pose model's feet touch down early: on rendered runners "
        f"with exact contacts, mean contact times read {contact_time_error_text()} (most "
        "long), so compare a runner's contact times with their own, not with a force plate."
    )
    if fps is None or not fps > 0:
        return head + " (1000 ms ÷ the frame rate); means over many steps are better." + bias
    return (
        head
        + f": ±{1000 / fps:.0f} ms at this clip's {fps:g} fps; means over many steps are better."
        + bias
    )


def limits(fps: float | None = None) -> tuple[str, ...]:
    """What video can and cannot measure, shown in every report.

    Parameters
    ----------
    fps : float, optional
        The clip's frame rate, frames per second: the timing limit is given in its
        milliseconds. Without it the limit is phrased for any frame rate.
    """
    return (
        "2D video sees one plane: angles are projections, accurate only with the camera at "
        "right angles to the running direction. Typical errors against 3D motion capture are "
        "5–8° for hip, knee and ankle (Van Hooren B et al. 2023, Scand J Med Sci Sports "
        "33:966: treadmill running, after removing a constant offset; the knee the largest "
        "there). On rendered runners with exact angles runform's ankle and foot angles were "
        "the least accurate (mean error per clip: ankle 4–5°, foot 4–6°, knee 3–4°).",
        _timing_limit(fps),
        "Thresholds for findings are mostly coaching conventions around published values; no "
        "row of the problem → cause → cue table has been tested in a trial. Read a finding as "
        "a reason to look, not a diagnosis.",
        "Camera steadiness is not measured. Hip bounce (vertical oscillation) follows the hip "
        "landmarks, not the centre of mass: it read "
        f"{oscillation_error_text()} on rendered runners, so compare a runner with themselves "
        "rather than with a wearable's number.",
        "Norms come from 3D marker studies of recreational runners; 2D values are offset from "
        "them by the landmark definitions (no pelvis in the pose model).",
    )


#: What video can and cannot measure, for any frame rate (:func:`limits` of a clip gives
#: its own timing numbers).
LIMITS = limits()
