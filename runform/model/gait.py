"""Planar kinematics of one leg over a stride: stance geometry and hip height."""

from __future__ import annotations

import math

import numpy as np
from scipy.interpolate import CubicHermiteSpline

from ..errors import InputError
from .params import RunnerParams, _flat_heel_at_contact, segment_lengths
from .planar import _down, _phi, _rot
from .swing import _Swing


class _Gait(_Swing):
    """Planar kinematics of one leg relative to the hip, treadmill frame (hip at x=0)."""

    #: Swing fractions of peak knee flexion, of the knee's mid-extension and its minimum.
    KNEE_KNOTS = (0.45, 0.72, 0.94)
    #: Knee extension (deg) below the contact value just before contact; in the landing
    #: window the knee never extends further (:meth:`_landing_leg`).
    KNEE_DIP_DEG = 5.0
    #: Swing fraction of peak thigh flexion (then retraction until contact).
    THIGH_PEAK_AT = 0.8
    #: Swing fractions where the active strategy's extra dorsiflexion rises and falls.
    ACTIVE_WINDOW = (0.55, 0.7, 0.78, 0.9)
    #: Knee extension rate at toe-off relative to the mean extension rate of late stance
    #: (push-off: the knee extends and the heel rises, so the hips rise into flight).
    KNEE_RATE_TO = 1.0
    #: Least height (m) of the swing foot's lowest point between 15 % and 75 % of swing.
    CLEARANCE_M = 0.005
    #: Downward speed (m/s) of the landing part when the ground stops it at IC: least,
    #: preferred and largest searched first. Fukuchi 2017 rearfoot runners (heel marker,
    #: 150 Hz): at force IC the heel still descends at 0.35-0.8 m/s, 50-100 % of its peak
    #: speed 10-40 ms earlier; the forefoot runner's toe at 0.85 m/s.
    LANDING_SPEED_MPS = (0.5, 0.8, 1.2)
    #: Duration (s) of the arrest after IC, by landing: the ground (heel pad or forefoot
    #: pad and midsole compressing) brings the landing part from its touchdown speed to
    #: rest at a constant deceleration (``v (1 - tau / A)``, :meth:`sink`). Measured on the
    #: Fukuchi 2017 markers against force IC (``python -m bench.landing_arrest``, 150 Hz,
    #: least-squares fit of the marker height from 20 ms before to 40 ms after force IC,
    #: bench/results/landing_arrest_land6.txt). Heel strike (heel-bottom marker of RBDS08,
    #: RBDS011, RBDS016; strike angle +13..+26 deg, 9 trials, 758 contacts):
    #: ``A`` = 7-11 ms (6-10 ms fitted to +30 ms only), median 8 ms; the heel's downward
    #: speed is below 20 % of its touchdown speed 5-8 ms after force IC (median 6.8 ms,
    #: crossing of 150 Hz forward differences, which smear it by ~3 ms). Its shape is not
    #: resolved at 150 Hz: ``v (1 - s) ** 2`` fits as well with ``A`` = 8-14 ms (the 12 ms
    #: used before), ``v (1 - s) ** 0.5`` with 6-9 ms.
    ARREST_HEEL_S = 0.008
    #: Flat or toe-first landing (MT1/MT5 midpoint of RBDS001, which lands with the foot
    #: flat, strike angle -0.7 / +1.0 deg median at 2.5 / 3.5 m/s, 162 contacts):
    #: ``A`` = 33 / 30 ms (34 / 26 ms fitted to +30 ms only); the MT's downward speed is
    #: below 20 % of its touchdown speed 23 ms after force IC (IQR 21-27 ms), at rest
    #: (< 5 cm/s) after 26 ms (24-30 ms).
    #: Its shape is resolved: a constant deceleration fits to 0.51-0.54 mm RMS, the
    #: model's previous ``(1 - s) ** 2`` (deceleration peaking at IC) to 0.62-0.65 mm
    #: (and only with ``A`` = 43-48 ms), ``(1 - s) ** 0.5`` best (0.45 mm, ``A`` = 23-25 ms).
    ARREST_FLAT_S = 0.030
    #: Strike angles (deg) between which the arrest goes linearly from
    #: :data:`ARREST_FLAT_S` to :data:`ARREST_HEEL_S`: the flat landing measured (RBDS001,
    #: 0 deg) and the flattest rearfoot trial measured (RBDS011 at 2.5 m/s, +13 deg
    #: median). No Fukuchi runner lands in between, so a slight heel strike (+3..+11 deg)
    #: is interpolated; a forefoot strike (< 0 deg, toe first) takes the flat value.
    ARREST_STRIKE_DEG = (0.0, 13.0)
    #: Hard upper limit (m/s), used only when the hips fall so fast before contact that
    #: a slower landing cannot be reached (an overstrider's straight knee).
    LANDING_SPEED_MAX = 1.8
    #: Plantarflexion (deg) a forefoot striker may add in mid-window to reach the ground.
    TOE_POINT_DEG = (0.0, 6.0, 12.0, 18.0)
    #: Over the last LANDING_CHECK_S of swing, wherever the landing part is lower than
    #: LANDING_NEAR_M it only descends, and never faster than at the arrest onset.
    LANDING_CHECK_S = 0.12
    LANDING_NEAR_M = 0.06
    #: Least gain of downward speed of the landing part from 90-50 ms before the arrest
    #: onset to the onset.
    LANDING_DIP_MPS = 0.3
    #: Fraction of the approach in which the foot turns to its strike angle.
    LANDING_TURN = 0.5
    #: Push-off: the toe is TOE_OFF_RISE_M up TOE_OFF_RISE_S after TO and keeps rising
    #: until TOE_OFF_CLEAR_M; the lift acts over the first LIFT_WINDOW of swing.
    TOE_OFF_RISE_M = 0.02
    TOE_OFF_RISE_S = 0.012
    TOE_OFF_CLEAR_M = 0.06
    LIFT_WINDOW = 0.35

    def __init__(self, p: RunnerParams) -> None:
        p = p.resolved()
        self.p = p
        self.seg = segment_lengths(p.stature_m)
        self.T = p.stride_time_s
        self.Ts = p.step_time_s
        self.Tc = p.contact_time_s
        self.Tsw = self.T - self.Tc
        self.a0 = math.radians(p.strike_angle_deg)
        self.a_to = math.radians(p.toe_off_foot_angle_deg)
        self.t_roll = self.Tc * (0.06 + 0.01 * abs(p.strike_angle_deg)) if self.a0 else 0.0
        self.t_heel_off = self.Tc * 0.5
        if self.a_to >= 0:
            raise InputError("toe_off_foot_angle_deg must be negative (heel up at toe-off).")
        self._set_ground_reference()
        self._set_hip_height()
        self._set_swing()
        self._check_clearance()

    # ---- stance foot
    def _set_ground_reference(self) -> None:
        """x of the heel (treadmill frame) at IC if the foot were flat: ``g(tau)``."""
        self.g0 = _flat_heel_at_contact(self.p, self.seg)

    @property
    def arrest_s(self) -> float:
        """Duration (s) of the landing part's arrest after IC for this strike angle.

        :data:`ARREST_FLAT_S` at a strike angle of :data:`ARREST_STRIKE_DEG` [0] or less
        (flat or toe-first), :data:`ARREST_HEEL_S` from [1] up, linear in between.
        """
        lo, hi = self.ARREST_STRIKE_DEG
        w = min(max((math.degrees(self.a0) - lo) / (hi - lo), 0.0), 1.0)
        return self.ARREST_FLAT_S + w * (self.ARREST_HEEL_S - self.ARREST_FLAT_S)

    def sink(self, tau: np.ndarray) -> np.ndarray:
        """Height (m, <= 0) of the stance foot below the ground, ``tau`` s after IC.

        The compression of heel or forefoot pad and midsole: the landing part arrives at
        ``v`` m/s (the landing's :data:`LANDING_SPEED_MPS`) and is stopped at a constant
        deceleration over ``A`` = :attr:`arrest_s` (8 ms for a heel strike, 30 ms for a
        flat or toe landing), ``-d (1 - (1 - s) ** 2)`` with ``s = tau / A`` and
        ``d = v A / 2`` (3-7 mm for a heel strike, 10-18 mm for a flat landing, as the
        Fukuchi MT markers descend after force IC; the vertical speed is continuous at
        IC). The compression is released over the push-off (heel-off to TO), so the toe
        leaves from z = 0. A leg that is straight at the arrest (an overstrider's knee)
        cannot press the sole deeper than it reaches: the arrest is then shortened until
        it does (:meth:`_arrest_for`; 8.0 -> 7.9 ms on the samples' overstrider), which
        keeps the touchdown speed and the constant deceleration.
        """
        tau = np.asarray(tau, dtype=float)
        v = self._landing["v"] if getattr(self, "_landing", None) else 0.0
        if v == 0.0:
            return np.zeros_like(tau)
        arrest = self._arrest_for(v)
        u = np.clip((tau - self.t_heel_off) / (self.Tc - self.t_heel_off), 0.0, 1.0)
        return self._arrest_sink(tau, v, arrest) * (1.0 - u * u * (3.0 - 2.0 * u))

    @staticmethod
    def _arrest_sink(tau: np.ndarray, v: float, arrest: float) -> np.ndarray:
        """``-d (1 - (1 - s) ** 2)``, ``s = tau / arrest``, ``d = v arrest / 2`` (m)."""
        s = np.clip(tau / arrest, 0.0, 1.0)
        return -0.5 * v * arrest * (1.0 - (1.0 - s) ** 2)

    def _arrest_for(self, v: float) -> float:
        """Arrest duration (s) for touchdown speed ``v``: :attr:`arrest_s`, or the longest
        shorter one whose sink the stance leg can reach (bisection to 1 us)."""
        cache = self.__dict__.setdefault("_arrest_cache", {})
        if v in cache:
            return cache[v]
        nominal = self.arrest_s
        tau = np.linspace(0.0, nominal, 241)
        floor = self._reach_floor(tau)

        def reachable(a: float) -> bool:
            return bool(np.all(self._arrest_sink(tau, v, a) >= floor))

        arrest = nominal
        if not reachable(nominal):
            lo, hi = 0.0, nominal
            while hi - lo > 1e-6:
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if reachable(mid) else (lo, mid)
            arrest = max(lo, 1e-6)
        cache[v] = arrest
        return arrest

    def _reach_floor(self, tau: np.ndarray) -> np.ndarray:
        """Lowest sink (m, <= 0) at which the stance leg still reaches the ankle."""
        ankle = self.foot_stance(tau)["ankle"]
        reach = self.seg["thigh"] + self.seg["shank"] - 1e-6
        dz2 = np.maximum(reach * reach - ankle[:, 0] ** 2, 0.0)
        lowest = self._hip_z_stance_raw(tau) - np.sqrt(dz2)
        return np.minimum(lowest - ankle[:, 1], 0.0)

    def foot_angle_stance(self, tau: np.ndarray) -> np.ndarray:
        """Foot angle (rad, toe up +) during stance, ``tau`` s after IC.

        From the strike angle to flat over ``t_roll`` with zero angular velocity at both
        ends (the ground force on the landing part starts the roll from rest and the other
        end of the foot is set down without a slap).
        """
        a = np.zeros_like(tau)
        if self.t_roll > 0:
            r = np.clip(tau / self.t_roll, 0.0, 1.0)
            a = np.where(tau < self.t_roll, self.a0 * (1.0 - r * r * (3.0 - 2.0 * r)), a)
        u = np.clip((tau - self.t_heel_off) / (self.Tc - self.t_heel_off), 0.0, 1.0)
        return np.where(tau > self.t_heel_off, self.a_to * u**2, a)

    def foot_stance(self, tau: np.ndarray) -> dict[str, np.ndarray]:
        """Heel, toe and ankle (x, z) in stance; the pivot sits exactly on z = 0."""
        lf = self.seg["foot"]
        a = self.foot_angle_stance(tau)
        g = self.g0 - self.p.speed_mps * tau
        zeros = np.zeros_like(tau)
        heel_pivot = np.stack([g, zeros], axis=-1)
        toe_pivot = np.stack([g + lf, zeros], axis=-1)
        along = np.stack([np.cos(a), np.sin(a)], axis=-1) * lf
        toe_first = (self.a0 < 0) & (tau < self.t_roll)
        on_toe = (tau > self.t_heel_off) | toe_first
        heel = np.where(on_toe[:, None], toe_pivot - along, heel_pivot)
        toe = np.where(on_toe[:, None], toe_pivot, heel_pivot + along)
        ankle = heel + _rot(self._ankle_in_foot(), a)
        return {"heel": heel, "foot_index": toe, "ankle": ankle, "foot_angle": a}

    def _ankle_in_foot(self) -> np.ndarray:
        return np.array([self.seg["ankle_from_heel"], self.seg["ankle_height"]])

    # ---- hip height
    def _leg_span(self, knee_flexion: np.ndarray) -> np.ndarray:
        """Hip-to-ankle distance (m) for a knee flexion (rad)."""
        lt, ls = self.seg["thigh"], self.seg["shank"]
        return np.sqrt(lt * lt + ls * ls + 2.0 * lt * ls * np.cos(knee_flexion))

    def _knee_flexion_at_toe_off(self, ankle: np.ndarray) -> float:
        """Knee flexion (rad) at TO that puts the thigh ``hip_extension_deg`` behind vertical."""
        lt, ls = self.seg["thigh"], self.seg["shank"]
        phi_t = -math.radians(self.p.hip_extension_deg)
        dx = ankle[0] - lt * math.sin(phi_t)
        flexion = phi_t - math.asin(dx / ls) if abs(dx) < ls else -1.0
        if flexion <= 0:
            raise InputError(
                f"With hip_extension_deg={self.p.hip_extension_deg} the leg cannot reach the "
                "toe-off foot position without over-straightening the knee: change "
                "hip_extension_deg, contact_time_s, speed_mps or overstride_cm."
            )
        return flexion

    def _set_hip_height(self) -> None:
        """Stance: knee flexion through IC, mid-stance and TO values sets the hip height.

        Flight: a cubic from the toe-off height and velocity to the contact ones.
        """
        p, tc, ts = self.p, self.Tc, self.Ts
        t_mid = 0.45 * tc
        to_ankle = self.foot_stance(np.array([tc]))["ankle"][0]
        k_to = self._knee_flexion_at_toe_off(to_ankle)
        k_ic, k_mid = math.radians(p.knee_flexion_ic_deg), math.radians(p.knee_flexion_stance_deg)
        if not (k_mid > k_ic and k_mid > k_to):
            raise InputError(
                f"knee_flexion_stance_deg={p.knee_flexion_stance_deg} must exceed the knee flexion "
                f"at contact ({p.knee_flexion_ic_deg}) and at toe-off ({math.degrees(k_to):.0f})."
            )
        # Flexing at contact, still at mid-stance, extending at toe-off (push-off).
        self.knee_stance = CubicHermiteSpline(
            [0.0, t_mid, tc],
            [k_ic, k_mid, k_to],
            [1.5 * (k_mid - k_ic) / t_mid, 0.0, -self.KNEE_RATE_TO * (k_mid - k_to) / (tc - t_mid)],
        )
        h = 1e-5
        z_ic, z_ic2 = self._hip_z_stance(np.array([0.0, h]))
        z_to0, z_to = self._hip_z_stance(np.array([tc - h, tc]))
        # Flight: up after toe-off, down before contact (no dip, no bounce).
        self._flight = CubicHermiteSpline(
            [tc, ts], [z_to, z_ic], [max((z_to - z_to0) / h, 0.0), min((z_ic2 - z_ic) / h, 0.0)]
        )
        grid = np.linspace(0.0, ts, 400)
        z = self.hip_z(grid)
        self.hip_levels = {
            "ic": float(z_ic),
            "to": float(z_to),
            "min": float(z.min()),
            "max": float(z.max()),
        }

    def _hip_z_stance_raw(self, tau: np.ndarray) -> np.ndarray:
        """Stance hip height (m) without the reach check (used by :meth:`_reach_floor`)."""
        ankle = self.foot_stance(tau)["ankle"]
        span = self._leg_span(self.knee_stance(tau))
        return ankle[:, 1] + np.sqrt(np.maximum(span**2 - ankle[:, 0] ** 2, 0.0))

    def _hip_z_stance(self, tau: np.ndarray) -> np.ndarray:
        ankle = self.foot_stance(tau)["ankle"]
        span = self._leg_span(self.knee_stance(tau))
        if np.any(np.abs(ankle[:, 0]) >= span):
            raise InputError(
                "The stance leg cannot reach the foot: lower speed_mps, contact_time_s or "
                "overstride_cm, or raise knee_flexion_ic_deg."
            )
        return ankle[:, 1] + np.sqrt(span**2 - ankle[:, 0] ** 2)

    def hip_z(self, sigma: np.ndarray) -> np.ndarray:
        """Hip height (m) ``sigma`` s after the last IC of either foot."""
        sigma = np.mod(np.atleast_1d(np.asarray(sigma, dtype=float)), self.Ts)
        stance = sigma < self.Tc
        z = np.empty_like(sigma)
        if stance.any():
            z[stance] = self._hip_z_stance(sigma[stance])
        if (~stance).any():
            z[~stance] = self._flight(sigma[~stance])
        return z

    # ---- stance leg
    def stance(self, tau: np.ndarray) -> dict[str, np.ndarray]:
        """Leg points (x, z) and angles (rad) in stance, ``tau`` s after IC."""
        lt, ls = self.seg["thigh"], self.seg["shank"]
        foot = self.foot_stance(tau)
        sink = self.sink(tau)
        for k in ("heel", "foot_index", "ankle"):
            foot[k] = foot[k] + np.stack([np.zeros_like(sink), sink], axis=-1)
        hip = np.stack([np.zeros_like(tau), self.hip_z(tau)], axis=-1)
        v = foot["ankle"] - hip
        d = np.hypot(v[:, 0], v[:, 1])
        if np.any(d > lt + ls - 1e-9):
            raise InputError(
                "The stance leg would have to be longer than thigh + shank: lower the speed, "
                "contact time, overstride or hip extension, or raise the knee flexion."
            )
        alpha = np.arccos(np.clip((lt * lt + d * d - ls * ls) / (2 * lt * d), -1, 1))
        phi_t = _phi(v) + alpha
        knee = hip + lt * _down(phi_t)
        phi_s = _phi(foot["ankle"] - knee)
        return {
            "hip": hip,
            "knee": knee,
            "ankle": foot["ankle"],
            "heel": foot["heel"],
            "foot_index": foot["foot_index"],
            "thigh": phi_t,
            "knee_flexion": phi_t - phi_s,
            "dorsiflexion": foot["foot_angle"] - phi_s,
        }

    # ---- swing leg
    def _stance_state(self, tau: float, h: float) -> dict[str, tuple[float, float]]:
        """Value and one-sided time derivative of the stance angles at ``tau``."""
        s = self.stance(np.array([tau, tau + h]))
        return {
            k: (float(s[k][0]), float((s[k][1] - s[k][0]) / h))
            for k in ("thigh", "knee_flexion", "dorsiflexion")
        }
