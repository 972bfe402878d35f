"""The amount a program's rules give one cash hand-over, offered on the hand-over form.

Only where the rules know it: Bantu Umak's monthly amount for the household's size (paid a
month a tranche), KUBE / UEP's grant and PKM's granted amount (paid at once). Elsewhere the
worker types what was handed over; the form never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from muba_desk.domain.programs.bantu_umak import monthly_amount
from muba_desk.domain.programs.base import fmt_rp


@dataclass(frozen=True)
class Suggestion:
    amount: int
    why_id: str
    why_en: str

    def why(self, lang: str = "id") -> str:
        return self.why_en if lang == "en" else self.why_id


def _whole(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value > 0 and float(value).is_integer() else None


def suggested_amount(
    program: str, data: Mapping, reference: Mapping[str, object] | None
) -> Suggestion | None:
    """What the rules give one hand-over of `program` for an enrolment holding `data`, with
    how it was worked out; None when the rules do not say."""
    if program == "BANTU_UMAK":
        size = _whole(data.get("household_size"))
        if size is None:
            return None
        covered, amount = monthly_amount(size, reference)
        if not amount:
            return None
        per_person = fmt_rp(amount // covered)
        return Suggestion(
            amount,
            f"Aturan Bantu Umak: {covered} jiwa × {per_person} = {fmt_rp(amount)} per bulan.",
            f"Bantu Umak rule: {covered} people × {per_person} = {fmt_rp(amount)} a month.",
        )
    if program == "KUBE_UEP":
        grant = _whole(data.get("grant_amount"))
        if grant is None:
            return None
        return Suggestion(
            grant,
            f"Nilai bantuan kelompok pada pendaftaran: {fmt_rp(grant)}.",
            f"The group's grant on the enrolment: {fmt_rp(grant)}.",
        )
    if program == "PKM":
        granted = _whole(data.get("amount_granted"))
        if granted is None:
            return None
        return Suggestion(
            granted,
            f"Jumlah yang disetujui pada pendaftaran: {fmt_rp(granted)}.",
            f"The amount granted on the enrolment: {fmt_rp(granted)}.",
        )
    return None
