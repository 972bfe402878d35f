"""Enrolment statuses: every move is either allowed or refused, and endings need a reason."""

from __future__ import annotations

import itertools

import pytest

from muba_desk.domain.status import (
    TRANSITIONS,
    InvalidTransition,
    Status,
    can_transition,
    check_transition,
)

# Written out here independently of status.py, so a change there has to be made twice.
ALLOWED = {
    ("DRAF", "DIAJUKAN"),
    ("DIAJUKAN", "DRAF"),
    ("DIAJUKAN", "TERKIRIM"),
    ("TERKIRIM", "DISETUJUI"),
    ("TERKIRIM", "DITOLAK"),
    ("DISETUJUI", "AKTIF"),
    ("DISETUJUI", "DITOLAK"),
    ("AKTIF", "SELESAI"),
    ("DITOLAK", "DRAF"),
}
ALL_PAIRS = list(itertools.product([s.value for s in Status], repeat=2))


def test_the_seven_statuses():
    assert [s.value for s in Status] == [
        "DRAF",
        "DIAJUKAN",
        "TERKIRIM",
        "DISETUJUI",
        "DITOLAK",
        "AKTIF",
        "SELESAI",
    ]
    assert Status.DRAF == "DRAF"
    assert set(TRANSITIONS) == set(Status)


def test_labels_in_both_languages():
    assert Status.DIAJUKAN.label() == "Diajukan"
    assert Status.DIAJUKAN.label("en") == "Submitted"
    assert Status.SELESAI.label("en") == "Ended"
    for s in Status:
        assert s.label("id") and s.label("en") and s.label("id") != s.value


@pytest.mark.parametrize(("current", "new"), ALL_PAIRS)
def test_every_transition(current, new):
    allowed = (current, new) in ALLOWED
    assert can_transition(current, new) is allowed
    if allowed:
        check_transition(current, new, reason="Data ganda dengan NIK lain")
    else:
        with pytest.raises(InvalidTransition) as caught:
            check_transition(current, new, reason="alasan")
        label_a, label_b = Status(current).label(), Status(new).label()
        assert f"tidak dapat diubah dari {label_a} ke {label_b}" in str(caught.value)
        assert "cannot change" in caught.value.message_en


@pytest.mark.parametrize(("current", "new"), sorted(ALLOWED))
def test_reason_required_exactly_for_rejection_and_ending(current, new):
    needs_reason = new in ("DITOLAK", "SELESAI")
    for reason in (None, "", "   "):
        if needs_reason:
            with pytest.raises(InvalidTransition, match="Alasan wajib diisi"):
                check_transition(current, new, reason)
        else:
            check_transition(current, new, reason)


def test_refusal_names_the_allowed_moves():
    with pytest.raises(InvalidTransition) as caught:
        check_transition(Status.DRAF, Status.DISETUJUI)
    assert str(caught.value) == (
        "Status tidak dapat diubah dari Draf ke Disetujui. Yang boleh: Diajukan."
    )
    with pytest.raises(InvalidTransition) as caught:
        check_transition("SELESAI", "AKTIF")
    assert "Selesai sudah akhir" in str(caught.value)


def test_unknown_status():
    assert can_transition("DRAF", "HAPUS") is False
    with pytest.raises(InvalidTransition, match="Status tidak dikenal: 'HAPUS'"):
        check_transition("HAPUS", "DRAF")
    assert issubclass(InvalidTransition, ValueError)
