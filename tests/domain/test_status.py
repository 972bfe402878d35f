"""Enrolment statuses: every move is either allowed or refused, and endings need a reason."""

from __future__ import annotations

import itertools

import pytest

from muba_desk.domain.status import (
    TRANSITIONS,
    InvalidTransition,
    Side,
    Status,
    can_transition,
    check_transition,
    moves_for,
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
# Who makes each allowed move, also written out independently: the worker by hand, the
# laptop's export, its first hand-over, the office, or the office's import of a list (which
# submits and receives in one go).
BY = {
    ("DRAF", "DIAJUKAN"): {"laptop", "list"},
    ("DIAJUKAN", "DRAF"): {"laptop"},
    ("DIAJUKAN", "TERKIRIM"): {"export", "list"},
    ("TERKIRIM", "DISETUJUI"): {"office"},
    ("TERKIRIM", "DITOLAK"): {"office"},
    # The first hand-over: in the village, or a bank transfer the office records from the
    # bank's answer (lists_out.answers).
    ("DISETUJUI", "AKTIF"): {"handover", "transfer"},
    ("DISETUJUI", "DITOLAK"): {"office"},
    ("AKTIF", "SELESAI"): {"laptop", "office"},
    ("DITOLAK", "DRAF"): {"laptop"},
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


@pytest.mark.parametrize(("current", "new"), sorted(ALLOWED))
@pytest.mark.parametrize("side", [s.value for s in Side])
def test_each_move_is_made_by_its_side_only(current, new, side):
    if side in BY[(current, new)]:
        check_transition(current, new, "Alasan tertulis", side)
    else:
        with pytest.raises(InvalidTransition) as caught:
            check_transition(current, new, "Alasan tertulis", side)
        assert "tidak dapat dilakukan oleh" in str(caught.value)
        assert "cannot move" in caught.value.message_en


def test_a_laptop_never_decides_and_the_office_never_submits():
    with pytest.raises(InvalidTransition, match="hanya oleh kantor dinas"):
        check_transition("TERKIRIM", "DISETUJUI", side="laptop")
    with pytest.raises(InvalidTransition, match="hanya oleh ekspor paket di laptop"):
        check_transition("DIAJUKAN", "TERKIRIM", side="laptop")
    with pytest.raises(InvalidTransition, match="hanya oleh petugas di laptop"):
        check_transition("DRAF", "DIAJUKAN", side="office")
    # The path is checked before the side: a skipped step names the allowed moves.
    with pytest.raises(InvalidTransition, match="Yang boleh: Diajukan"):
        check_transition("DRAF", "DISETUJUI", side="office")


def test_the_moves_each_side_is_offered():
    assert moves_for("DIAJUKAN", Side.LAPTOP) == [Status.DRAF]
    assert moves_for("DIAJUKAN", Side.EXPORT) == [Status.TERKIRIM]
    assert moves_for("TERKIRIM", Side.LAPTOP) == []
    assert moves_for("TERKIRIM", Side.OFFICE) == [Status.DISETUJUI, Status.DITOLAK]
    assert moves_for("DISETUJUI", Side.LAPTOP) == []
    assert moves_for("AKTIF", "laptop") == [Status.SELESAI]
