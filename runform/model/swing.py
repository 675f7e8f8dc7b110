"""Swing, push-off and landing of the simulated leg (a mixin of the gait)."""

from __future__ import annotations

import math

import numpy as np
from scipy.interpolate import CubicHermiteSpline, CubicSpline

from ..errors import InputError
from .params import LEG_JOINTS
from .planar import _down, _phi, _rot, _smoothstep


class _Swing:
    """Swing-phase methods of :class:`runform.model.gait._Gait`."""

    def _set_swing(self) -> None:
        p, tc, t_end, tsw = self.p, self.Tc, self.T, self.Tsw
        h = 1e-5
        at_to = self._stance_state(tc - h, h)
        at_to = {k: (v + d * h, d) for k, (v, d) in at_to.items()}
        at_ic = self._stance_state(0.0, h)
        thigh_peak = max(
            math.radians(p.thigh_flexion_swing_deg), at_ic["thigh"][0] + math.radians(3.0)
        )
        self.thigh = CubicHermiteSpline(
            [tc, tc + self.THIGH_PEAK_AT * tsw, t_end],
            [at_to["thigh"][0], thigh_peak, at_ic["thigh"][0]],
            [at_to["thigh"][1], 0.0, at_ic["thigh"][1]],
        )
        k_sw, k_ic = math.radians(p.knee_flexion_swing_deg), at_ic["knee_flexion"][0]
        self._knee_floor = max(k_ic - math.radians(self.KNEE_DIP_DEG), math.radians(1.0))
        s_peak, s_mid, s_min = self.KNEE_KNOTS
        self.knee = CubicSpline(
            tc + tsw * np.array([0.0, s_peak, s_mid, s_min, 1.0]),
            [
                at_to["knee_flexion"][0],
                k_sw,
                0.3 * k_ic + 0.7 * k_sw,
                k_ic - math.radians(self.KNEE_DIP_DEG),
                k_ic,
            ],
            # The knee stops extending at toe-off and flexes into swing.
            bc_type=((1, max(at_to["knee_flexion"][1], 0.0)), (1, at_ic["knee_flexion"][1])),
        )
        # Foot angle held constant just before contact: d(dorsiflexion) = -d(shank angle).
        shank_rate = at_ic["thigh"][1] - at_ic["knee_flexion"][1]
        d_ic, d_mid = at_ic["dorsiflexion"][0], math.radians(2.0)
        d_to = at_to["dorsiflexion"][0]
        # The ankle starts to dorsiflex as the toe leaves the ground (lifts the toe).
        rate_to = max(at_to["dorsiflexion"][1], 1.5 * (d_mid - d_to) / (0.45 * tsw))
        self.ankle = CubicSpline(
            tc + tsw * np.array([0.0, 0.45, 0.8, 1.0]),
            [d_to, d_mid, max(d_ic, d_mid), d_ic],
            bc_type=((1, rate_to), (1, -shank_rate)),
        )
        self._lift = 0.0
        self._landing = None
        self._set_push_off()
        self._set_landing()

    # ---- swing: push-off and landing
    def _landing_offset(self) -> np.ndarray:
        """Landing point (heel, or toe for a forefoot strike) in the foot frame (m)."""
        return np.array([self.seg["foot"] if self.a0 < 0 else 0.0, 0.0])

    def _toe_off_lift(self, tau: np.ndarray) -> np.ndarray:
        """Extra dorsiflexion (rad) just after toe-off that lifts the toe off the ground."""
        if self._lift == 0.0:
            return np.zeros_like(tau)
        u = np.clip((tau - self.Tc) / (self.LIFT_WINDOW * self.Tsw), 0.0, 1.0)
        return self._lift * 6.75 * u * (1.0 - u) ** 2

    def _set_push_off(self) -> None:
        """Smallest extra early-swing dorsiflexion with which the toe leaves the ground
        promptly (:data:`TOE_OFF_RISE_M` within :data:`TOE_OFF_RISE_S`) and keeps rising
        until it is :data:`TOE_OFF_CLEAR_M` up (a push-off, not a toe dragging off)."""
        tau = self.Tc + np.linspace(0.0, self.LIFT_WINDOW * self.Tsw, 400)
        hip = self.hip_z(tau)
        for deg in np.arange(0.0, 40.5, 1.0):
            self._lift = math.radians(deg)
            z = self.swing(tau, hip)["foot_index"][:, 1]
            up = np.nonzero(z >= self.TOE_OFF_CLEAR_M)[0]
            early = z[tau - self.Tc <= self.TOE_OFF_RISE_S]
            if up.size and early[-1] >= self.TOE_OFF_RISE_M and np.all(np.diff(z[: up[0] + 1]) > 0):
                return
        self._lift = math.radians(40.0)

    def _set_landing(self) -> None:
        """Late-swing approach of the landing part to the ground: the ground stops it.

        Before touchdown the swinging leg and the falling body drive the landing part
        (heel, or toe for a forefoot strike) downwards, faster and faster; the ground
        stops it after IC (:meth:`sink`, over :attr:`arrest_s`). Over the last ``tw``
        seconds of swing its height follows a
        cubic from the unmodified swing leg's height and vertical velocity to 0 at IC
        with a downward speed ``v`` (about :data:`LANDING_SPEED_MPS`); near the ground
        (below :data:`LANDING_NEAR_M`) it only descends and never faster than at IC, and
        it gains :data:`LANDING_DIP_MPS` of downward speed over the final approach, as
        a foot stopped by the ground does. The foot turns to its strike angle in the
        first half of that time and then keeps it (heel and toe descend together); the
        leg follows by two-link inverse kinematics (:meth:`_landing_leg`), so joint
        angular velocities change abruptly at IC, as at a real impact.
        """
        best = None
        h = 1e-5
        near = np.linspace(self.T - self.LANDING_CHECK_S, self.T, 241)
        z_fk = self._landing_fk(near)[:, 1]
        approach = (near[1:] >= self.T - 0.09) & (near[1:] <= self.T - 0.05)
        for tw in np.arange(0.04, 0.2001, 0.005):
            ts = self.T - tw
            if ts < self.Tc + 0.5 * self.Tsw:
                break
            pts, fa = self._landing_fk(np.array([ts, ts + h]), with_angle=True)
            z0, m0 = pts[0, 1], (pts[1, 1] - pts[0, 1]) / h
            if not (z0 > 0.0 and abs(fa[0] - self.a0) < math.radians(25.0)):
                continue
            for v in np.arange(self.LANDING_SPEED_MPS[0], self.LANDING_SPEED_MAX + 1e-9, 0.05):
                cand = {
                    "ts": ts,
                    "tw": tw,
                    "z0": z0,
                    "m0": m0,
                    "v": v,
                    "point": 0.0,
                    "fa0": fa[0],
                    "dfa0": (fa[1] - fa[0]) / h,
                }
                self._landing = cand
                z = np.where(near > ts, self._landing_height(near), z_fk)
                vz = np.diff(z) / np.diff(near)
                low = z[1:] < self.LANDING_NEAR_M
                if np.any(vz[low] > 0.0) or np.any(vz[low] < -v - 1e-6):
                    continue
                dip = v + vz[approach].min()
                score = (
                    abs(v - self.LANDING_SPEED_MPS[1])
                    + abs(tw - 0.08)
                    + 3.0 * max(self.LANDING_DIP_MPS - dip, 0.0)
                    + 10.0 * max(v - self.LANDING_SPEED_MPS[2], 0.0)
                )
                if best is not None and score >= best[0]:
                    continue
                for point in self.TOE_POINT_DEG if self.a0 < 0 else (0.0,):
                    self._landing = dict(cand, point=math.radians(point))
                    if self._landing_reachable():
                        best = (score, self._landing)
                        break
        self._landing = None if best is None else best[1]

    def _landing_fk(self, tau: np.ndarray, with_angle: bool = False):
        """(x, z) of the landing point on the unmodified swing leg (and foot angle)."""
        saved, self._landing = self._landing, None
        try:
            sw = self.swing(tau, self.hip_z(tau))
        finally:
            self._landing = saved
        fa = sw["foot_angle_passive"]
        pts = sw["ankle"] + _rot(self._landing_offset() - self._ankle_in_foot(), fa)
        return (pts, fa) if with_angle else pts

    def _landing_reachable(self) -> bool:
        tau = self._landing["ts"] + np.linspace(0.0, self._landing["tw"], 200)
        sw = self.swing(tau, self.hip_z(tau))
        return bool(
            np.all(np.isfinite(sw["knee_flexion"]))
            and np.all(sw["knee_flexion"] > math.radians(1.0))
        )

    def _landing_height(self, tau: np.ndarray) -> np.ndarray:
        c = self._landing
        tw = c["tw"]
        u = (tau - c["ts"]) / tw
        h00, h10, h11 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u, u**3 - u**2
        return h00 * c["z0"] + h10 * tw * c["m0"] - h11 * tw * c["v"]

    def _landing_foot_angle(self, tau: np.ndarray) -> np.ndarray:
        """Passive foot angle (rad) in the landing window: to the strike angle, then held."""
        c = self._landing
        span = self.LANDING_TURN * c["tw"]
        u = np.clip((tau - c["ts"]) / span, 0.0, 1.0)
        h00, h10, h01 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u, -2 * u**3 + 3 * u**2
        fa = h00 * c["fa0"] + h10 * span * c["dfa0"] + h01 * self.a0
        r = (tau - c["ts"]) / c["tw"]
        return fa - c["point"] * 16.0 * r**2 * (1.0 - r) ** 2

    def _check_clearance(self) -> None:
        """Raise if the swing foot would touch or scrape the ground."""
        s = np.linspace(0.0, 1.0, 801)[1:-1]
        tau = self.Tc + s * self.Tsw
        sw = self.swing(tau, self.hip_z(tau))
        low = np.minimum(sw["heel"][:, 1], sw["foot_index"][:, 1])
        mid = (s >= 0.15) & (s <= 0.75)
        if np.any(low <= 0.0) or np.any(low[mid] < self.CLEARANCE_M):
            where = s[np.argmin(np.where(mid, low - self.CLEARANCE_M, low))]
            drop = self.hip_levels["to"] - self.hip_levels["ic"]
            advice = (
                f"the hips are {100 * drop:.0f} cm lower at contact than at toe-off: lower "
                "knee_flexion_ic_deg (reach with a straighter knee) or overstride_cm"
                if drop > 0.05
                else "early swing: lower hip_extension_deg or raise speed_mps; late swing: raise "
                "thigh_flexion_swing_deg or knee_flexion_swing_deg"
            )
            raise InputError(
                f"The swing foot would scrape the ground at {where:.0%} of swing: {advice}."
            )

    def active_bump(self, tau: np.ndarray) -> np.ndarray:
        """Extra dorsiflexion (rad) of the active strategy; 0 outside the late swing."""
        if self.p.ankle_strategy != "active":
            return np.zeros_like(tau)
        s = (tau - self.Tc) / self.Tsw
        a, b, c, d = self.ACTIVE_WINDOW
        w = _smoothstep((s - a) / (b - a)) * (1.0 - _smoothstep((s - c) / (d - c)))
        w = np.where((s > a) & (s < d), w, 0.0)
        return math.radians(self.p.active_dorsiflexion_deg) * w

    def swing(self, tau: np.ndarray, hip_z: np.ndarray) -> dict[str, np.ndarray]:
        """Leg points (x, z) and angles (rad) in swing, ``tau`` s after the last IC.

        Thigh, knee and ankle splines, plus the push-off lift of the toe just after TO;
        in the last part of swing the landing point follows its descent profile
        (:meth:`_set_landing`) by inverse kinematics of hip → knee → ankle.
        """
        lt, ls = self.seg["thigh"], self.seg["shank"]
        tau = np.asarray(tau, dtype=float)
        phi_t = self.thigh(tau)
        phi_s = phi_t - self.knee(tau)
        # Foot angle of the passive strategy; the active one adds its bump on top.
        fa_passive = self.ankle(tau) + self._toe_off_lift(tau) + phi_s
        hip = np.stack([np.zeros_like(tau), hip_z], axis=-1)
        knee = hip + lt * _down(phi_t)
        ankle = knee + ls * _down(phi_s)
        if self._landing is not None:
            w = tau > self._landing["ts"]
            if w.any():
                fa_passive, phi_t, phi_s = fa_passive.copy(), phi_t.copy(), phi_s.copy()
                fa_passive[w] = self._landing_foot_angle(tau[w])
                phi_t[w], knee[w], phi_s[w], ankle[w] = self._landing_leg(
                    tau[w], hip[w], ankle[w], fa_passive[w]
                )
        foot_angle = fa_passive + self.active_bump(tau)
        heel = ankle - _rot(self._ankle_in_foot(), foot_angle)
        along = np.stack([np.cos(foot_angle), np.sin(foot_angle)], axis=-1) * self.seg["foot"]
        return {
            "hip": hip,
            "knee": knee,
            "ankle": ankle,
            "heel": heel,
            "foot_index": heel + along,
            "thigh": phi_t,
            "knee_flexion": phi_t - phi_s,
            "dorsiflexion": foot_angle - phi_s,
            "foot_angle_passive": fa_passive,
        }

    def _landing_leg(self, tau, hip, ankle, fa):
        """Thigh angle, knee, shank angle and ankle in the landing window (inverse kinematics).

        The landing point (heel, or toe for a forefoot strike) is at the height of
        :meth:`_landing_height`, horizontally where the swing leg puts it, except that the
        knee never extends past its late-swing minimum (``knee_flexion_ic_deg`` -
        :data:`KNEE_DIP_DEG`, at least 1 deg): where the foot would be out of that reach, it
        is as far ahead as the leg reaches (it then moves less far back relative to the
        hips just before contact).
        """
        lt, ls = self.seg["thigh"], self.seg["shank"]
        rel = _rot(self._landing_offset() - self._ankle_in_foot(), fa)
        point = ankle + rel
        point[:, 1] = self._landing_height(tau)
        v = point - rel - hip
        reach = self._leg_span(np.array(self._knee_floor))
        out = np.hypot(v[:, 0], v[:, 1]) > reach
        if out.any():
            dz = np.minimum(np.abs(v[out, 1]), reach)
            v[out, 0] = np.sign(v[out, 0]) * np.sqrt(reach**2 - dz**2)
        d = np.hypot(v[:, 0], v[:, 1])
        cos_a = (lt * lt + d * d - ls * ls) / (2 * lt * d)
        phi_t = _phi(v) + np.arccos(np.where(np.abs(cos_a) <= 1.0, cos_a, np.nan))
        knee = hip + lt * _down(phi_t)
        phi_s = _phi(hip + v - knee)
        return phi_t, knee, phi_s, knee + ls * _down(phi_s)

    def leg(self, time: np.ndarray, ics: np.ndarray, sigma: np.ndarray) -> dict[str, np.ndarray]:
        """Leg points (x, z) at ``time`` (s) given this leg's IC times ``ics`` (s, sorted,
        covering the clip) and ``sigma``, the time since the last IC of either foot.

        A frame is in stance when ``ic <= t < ic + contact_time_s`` for one of ``ics``:
        the same arithmetic as the event lists, so flags and events always agree.
        """
        last = np.searchsorted(ics, time, side="right") - 1
        tau = time - ics[last]
        in_stance = time < ics[last] + self.Tc
        out = {k: np.empty((time.size, 2)) for k in LEG_JOINTS}
        out["sink"] = np.zeros(time.size)
        if in_stance.any():
            st = self.stance(np.clip(tau[in_stance], 0.0, self.Tc))
            for k in LEG_JOINTS:
                out[k][in_stance] = st[k]
            out["sink"][in_stance] = self.sink(np.clip(tau[in_stance], 0.0, self.Tc))
        if (~in_stance).any():
            tau_sw = np.clip(tau[~in_stance], self.Tc, self.T)
            sw = self.swing(tau_sw, self.hip_z(sigma[~in_stance]))
            for k in LEG_JOINTS:
                out[k][~in_stance] = sw[k]
        out["contact"] = in_stance
        return out
