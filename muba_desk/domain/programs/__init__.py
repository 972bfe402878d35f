"""The registry of the seven programs, in the order the office lists them."""

from __future__ import annotations

from muba_desk.domain.programs import (
    bakul_nasi,
    bantu_umak,
    bertani,
    kube_uep,
    pake_kelambu,
    pedas_nia,
    pkm,
)
from muba_desk.domain.programs.base import (
    Choice,
    Eligibility,
    EligibilityContext,
    Field,
    Program,
    Reason,
    ValidationError,
    check_eligibility,
    clean,
    parse_value,
    validate,
)

PROGRAMS: dict[str, Program] = {
    p.code: p
    for p in (
        pake_kelambu.PROGRAM,
        bantu_umak.PROGRAM,
        pedas_nia.PROGRAM,
        bertani.PROGRAM,
        kube_uep.PROGRAM,
        bakul_nasi.PROGRAM,
        pkm.PROGRAM,
    )
}


def get_program(code: str) -> Program:
    """The program with this code; KeyError naming the known codes otherwise."""
    try:
        return PROGRAMS[code]
    except KeyError:
        known = ", ".join(PROGRAMS)
        raise KeyError(f"unknown program code {code!r}; known: {known}") from None


__all__ = [
    "PROGRAMS",
    "Choice",
    "Eligibility",
    "EligibilityContext",
    "Field",
    "Program",
    "Reason",
    "ValidationError",
    "check_eligibility",
    "clean",
    "get_program",
    "parse_value",
    "validate",
]
