"""Published reference values of runners and of the ankle tests, each with its source.

:class:`Norm` records (mean, SD, who was measured, source) in :data:`NORMS`, and the
dorsiflexion ranges, equinus cut-off and knee-to-wall detectable change of the ankle
lessons. Part of :mod:`runform.reference`; import these names from there.
"""

from __future__ import annotations

from dataclasses import dataclass


# ----------------------------------------------------------------------- norms
@dataclass(frozen=True)
class Norm:
    """A published reference value.

    Attributes
    ----------
    name : str
        Key in :data:`NORMS`.
    mean : float
        Mean (or the single reported value).
    sd : float or None
        Standard deviation between runners, when reported.
    unit : str
        Unit of ``mean`` and ``sd``.
    population : str
        Who was measured and how (3D markers, speed...).
    source : str
        Author, year, journal.
    """

    name: str
    mean: float
    sd: float | None
    unit: str
    population: str
    source: str

    @property
    def band(self) -> tuple[float, float] | None:
        """``mean ± sd`` (None when no SD is reported)."""
        return None if self.sd is None else (self.mean - self.sd, self.mean + self.sd)


_N = Norm
NORMS: dict[str, Norm] = {
    n.name: n
    for n in (
        _N(
            "cadence_spm",
            171.0,
            8.0,
            "steps/min",
            "uninjured male recreational runners",
            "PubMed Central article PMC6044588, Table 2",
        ),
        _N(
            "cadence_recreational_spm",
            164.0,
            None,
            "steps/min",
            "860 recreational runners at preferred speed (~9–10.5 km/h)",
            "Malisoux L et al. 2023, Orthop J Sports Med",
        ),
        _N(
            "contact_time_ms",
            283.0,
            None,
            "ms",
            "recreational men (women 299 ms)",
            "Malisoux L et al. 2023, Orthop J Sports Med",
        ),
        _N(
            "duty_factor",
            0.39,
            None,
            "",
            "recreational men (women 0.41)",
            "Malisoux L et al. 2023, Orthop J Sports Med",
        ),
        _N(
            "knee_flexion_ic_deg",
            17.8,
            4.0,
            "deg",
            "recreational runners, preferred step rate",
            "Heiderscheit BC et al. 2011, Med Sci Sports Exerc 43:296",
        ),
        _N(
            "knee_flexion_peak_stance_deg",
            46.3,
            4.5,
            "deg",
            "recreational runners, preferred step rate",
            "Heiderscheit BC et al. 2011, Med Sci Sports Exerc 43:296",
        ),
        _N(
            "trunk_lean_deg",
            7.3,
            3.6,
            "deg",
            "self-selected, 3.4 m/s",
            "Teng HL, Powers CM 2014, J Orthop Sports Phys Ther 44:785",
        ),
        _N(
            "dorsiflexion_peak_stance_deg",
            22.9,
            2.3,
            "deg",
            "23 runners, 3D markers, 2.5 m/s (per-runner medians)",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "dorsiflexion_ic_deg",
            3.9,
            6.5,
            "deg",
            "23 runners, 3D markers, 2.5 m/s",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "peak_hip_extension_pelvis_deg",
            13.3,
            4.8,
            "deg",
            "23 runners, 3D markers (hip vs pelvis; model-dependent)",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "knee_to_wall_cm",
            10.3,
            3.0,
            "cm",
            "50 healthy adults, weight-bearing lunge test",
            "Hall EA, Docherty CL 2017, J Sci Med Sport 20:618",
        ),
        _N(
            "knee_to_wall_lunge_deg",
            39.0,
            4.6,
            "deg",
            "50 healthy adults, inclinometer at the tibial tuberosity",
            "Hall EA, Docherty CL 2017, J Sci Med Sport 20:618",
        ),
        _N(
            "calatayud_knee_to_wall_cm",
            11.7,
            4.0,
            "cm",
            "healthy men (11.6–11.8 cm by side)",
            "Calatayud J et al. 2015, Int J Sports Phys Ther 10:197",
        ),
        _N(
            "peak_hip_extension_pelvis_ric_deg",
            15.6,
            5.7,
            "deg",
            "23 runners (second lab), 3D markers, hip vs pelvis",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "dorsiflexion_peak_stance_ric_deg",
            22.6,
            3.3,
            "deg",
            "23 runners (second lab), 3D markers, 2.5 m/s (per-runner medians)",
            "Fukuchi RK, Fukuchi CA, Duarte M 2017, PeerJ 5:e3298 (processed angles)",
        ),
        _N(
            "strike_angle_rearfoot_deg",
            17.7,
            4.4,
            "deg",
            "rearfoot strikers, 10 km/h, barefoot",
            "Nishiguchi et al. 2025, J Sports Sci Med 24:747, Table 1",
        ),
        _N(
            "strike_angle_midfoot_deg",
            2.6,
            1.5,
            "deg",
            "midfoot strikers, 10 km/h, barefoot",
            "Nishiguchi et al. 2025, J Sports Sci Med 24:747, Table 1",
        ),
        _N(
            "strike_angle_forefoot_deg",
            -7.9,
            2.8,
            "deg",
            "forefoot strikers, 10 km/h, barefoot",
            "Nishiguchi et al. 2025, J Sports Sci Med 24:747, Table 1",
        ),
    )
}


def norm(name: str) -> Norm:
    """The :class:`Norm` called ``name`` (see :data:`NORMS` for the keys)."""
    try:
        return NORMS[name]
    except KeyError:
        raise KeyError(f"No norm {name!r}; known: {', '.join(sorted(NORMS))}.") from None


# ------------------------------------------------------------- dorsiflexion ROM
#: Dorsiflexion range by test condition in healthy adults, degrees (Baumbach SF et al.
#: 2014, BMC Musculoskelet Disord 15:246): non-weight-bearing (NWB) with the knee straight
#: and bent, weight-bearing (WB) with the knee straight, and the weight-bearing lunge
#: (knee about 75° flexed). A number of degrees means nothing until its test is named.
DORSIFLEXION_BY_TEST_DEG = {
    "NWB, knee straight": 4.0,
    "NWB, knee bent": 20.0,
    "WB, knee straight": 25.0,
    "WB lunge (knee to wall)": 39.0,
}
#: Classic equinus cut-off: less than 10° of non-weight-bearing dorsiflexion with the
#: knee straight (Young R et al. 2013, J Foot Ankle Res 6:46).
EQUINUS_NWB_BELOW_DEG = 10.0
#: Smallest real change of the knee-to-wall (weight-bearing lunge) test. Powden CJ,
#: Hoch JM, Hoch MC 2015 (Man Ther 20:524, systematic review): between raters 4.6° or
#: 1.6 cm, within a rater 4.7° or 1.9 cm. Chisholm MD et al. 2012 (Physiother Can
#: 64:347): 1.0 cm on one side, 1.5 cm for a side-to-side difference.
KNEE_TO_WALL_MDC = {
    "between_raters_cm": 1.6,
    "between_raters_deg": 4.6,
    "within_rater_cm": 1.9,
    "within_rater_deg": 4.7,
    "one_side_cm": 1.0,
    "side_to_side_cm": 1.5,
}

# ------------------------------------------------- contact time and strike (notebook 03)
#: Ground-contact time by foot-strike pattern at the same speed (14 km/h), ms, mean of
#: each group: midfoot 228 ± 9, rearfoot 242 ± 10 ms (Di Michele R, Merni F 2014, J Sci
#: Med Sport 17:414, PMID 23806876): a 14 ms difference. A second study finds 13 ms
#: between rearfoot and midfoot strikers, forefoot in between (Nishiguchi et al. 2025,
#: J Sports Sci Med 24:747).
CONTACT_TIME_BY_STRIKE_MS = {"midfoot": 228.0, "rearfoot": 242.0}
#: SDs of those group means, ms (Di Michele & Merni 2014).
CONTACT_TIME_BY_STRIKE_SD_MS = {"midfoot": 9.0, "rearfoot": 10.0}
#: Oxygen uptake running normally vs with exaggerated vertical oscillation, ml/kg/min
#: (Tseh W et al. 2008, J Sports Sci Med 7:91): bouncing costs energy.
BOUNCE_VO2_ML_KG_MIN = {"normal": 43.4, "exaggerated bounce": 51.0}
