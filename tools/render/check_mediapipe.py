"""Check the rendered samples with MediaPipe Pose and report how a detector sees them.

Usage (repository root)::

    python -m tools.render.check_mediapipe [NAME ...]

For every clip: detection rate, frames where MediaPipe swaps the legs (its left leg is
nearer the true right leg than the true left one; counted only when the true ankles
are more than 25 px apart), median pixel error of near- and far-leg landmarks, and the
mean absolute error of near-side angles against the truth. Results are printed and
written to ``data/samples/mediapipe_check.json``. Uses the legacy
``mp.solutions.pose.Pose(model_complexity=1)``, the model that ships in the
mediapipe 0.10.21 wheel (works offline).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from runform.landmarks import INDEX

from .make_samples import OUT, SPECS

LEG = ("knee", "ankle", "heel", "foot_index")
SEPARATION_PX = 25.0


def run_pose(video: Path) -> tuple[np.ndarray, int]:
    """MediaPipe landmarks (n, 33, 2) in pixels (NaN where not found) and frame count."""
    import cv2
    import mediapipe as mp

    cap = cv2.VideoCapture(str(video))
    if not cap.isOpened():
        raise RuntimeError(f"cv2 cannot open {video}")
    out = []
    with mp.solutions.pose.Pose(
        static_image_mode=False, model_complexity=1, smooth_landmarks=True
    ) as pose:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            h, w = bgr.shape[:2]
            res = pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            xy = np.full((33, 2), np.nan)
            if res.pose_landmarks:
                for i, lm in enumerate(res.pose_landmarks.landmark):
                    xy[i] = (lm.x * w, lm.y * h)
            out.append(xy)
    cap.release()
    return np.array(out), len(out)


def _angles(pts: dict[str, np.ndarray], facing: str, side: str) -> dict[str, np.ndarray]:
    """Near-side thigh, knee and ankle angles (deg) from 2D points, science.md §1."""

    def p(j):
        v = pts[f"{side}_{j}"].copy()
        v[:, 1] = -v[:, 1]
        if facing == "left":
            v[:, 0] = -v[:, 0]
        return v

    def phi(v):
        return np.degrees(np.arctan2(v[:, 0], -v[:, 1]))

    def ang(v):
        return np.degrees(np.arctan2(v[:, 1], v[:, 0]))

    thigh, shank = phi(p("knee") - p("hip")), phi(p("ankle") - p("knee"))
    foot = p("foot_index") - p("heel")
    df = (90.0 - (ang(p("knee") - p("ankle")) - ang(foot)) + 180.0) % 360.0 - 180.0
    return {
        "thigh_angle": thigh,
        "knee_flexion": thigh - shank,
        "ankle_dorsiflexion": df,
        "foot_angle": ang(foot),
    }


def check(name: str) -> dict:
    """Run MediaPipe over one sample and compare with its truth file."""
    truth = json.loads((OUT / f"{name}.truth.json").read_text())
    mp_xy, n = run_pose(OUT / f"{name}.mp4")
    t2d = {k: np.asarray(v) for k, v in truth["joints_2d_px"].items()}
    found = np.isfinite(mp_xy[:, 0, 0])
    all_pts = np.stack(list(t2d.values()), axis=1)
    inside = (
        (all_pts[..., 0] >= 0)
        & (all_pts[..., 0] < truth["width"])
        & (all_pts[..., 1] >= 0)
        & (all_pts[..., 1] < truth["height"])
    ).all(axis=1)
    mp_pts = {k: mp_xy[:, INDEX[k]] for k in t2d if k in INDEX}

    def dist(a, b):
        return np.linalg.norm(a - b, axis=1)

    keep = sum(
        dist(mp_pts[f"left_{j}"], t2d[f"left_{j}"]) + dist(mp_pts[f"right_{j}"], t2d[f"right_{j}"])
        for j in LEG
    )
    swap = sum(
        dist(mp_pts[f"left_{j}"], t2d[f"right_{j}"]) + dist(mp_pts[f"right_{j}"], t2d[f"left_{j}"])
        for j in LEG
    )
    apart = dist(t2d["left_ankle"], t2d["right_ankle"]) > SEPARATION_PX
    judged = found & apart
    swapped = judged & (swap < keep)
    near, far = truth["near_side"], "right" if truth["near_side"] == "left" else "left"
    err = {
        s: float(
            np.nanmedian(
                np.concatenate([dist(mp_pts[f"{s}_{j}"], t2d[f"{s}_{j}"])[found] for j in LEG])
            )
        )
        for s in (near, far)
    }
    got = _angles(mp_pts, truth["direction"], near)
    mae = {
        k: float(np.nanmean(np.abs(v - np.asarray(truth["angles_deg"][f"{near}_{k}"]))))
        for k, v in got.items()
    }
    return {
        "name": name,
        "frames": n,
        "frames_in_truth": truth["n_frames"],
        "detected": int(found.sum()),
        "detection_rate": float(found.mean()),
        "frames_whole_body_in_frame": int(inside.sum()),
        "detection_rate_whole_body_in_frame": float(found[inside].mean())
        if inside.any()
        else float("nan"),
        "leg_swap_frames": int(swapped.sum()),
        "frames_judged_for_swap": int(judged.sum()),
        "median_px_error_near_leg": err[near],
        "median_px_error_far_leg": err[far],
        "near_side_angle_mae_deg": mae,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    names = (argv if argv is not None else sys.argv[1:]) or [s.name for s in SPECS]
    results = []
    for name in names:
        r = check(name)
        results.append(r)
        print(
            f"{name:22s} detected {r['detected']}/{r['frames']} "
            f"({100 * r['detection_rate']:.1f}%; "
            f"{100 * r['detection_rate_whole_body_in_frame']:.1f}% of the "
            f"{r['frames_whole_body_in_frame']} frames with the whole body in view), "
            f"leg swaps {r['leg_swap_frames']}/"
            f"{r['frames_judged_for_swap']}, near/far leg px error "
            f"{r['median_px_error_near_leg']:.1f}/{r['median_px_error_far_leg']:.1f}, "
            "near-side MAE "
            + ", ".join(f"{k} {v:.1f}°" for k, v in r["near_side_angle_mae_deg"].items()),
            flush=True,
        )
    report = OUT / "mediapipe_check.json"
    old = json.loads(report.read_text()) if report.is_file() else {}
    old.update({r["name"]: r for r in results})
    report.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
