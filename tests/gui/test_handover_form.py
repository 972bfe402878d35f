"""Hand-overs: cash or goods, by signature, thumbprint or proxy; the first one activates."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from muba_desk.gui import enrolment_backend
from muba_desk.gui.handover_form import HandoverForm
from muba_desk.gui.status_dialog import StatusDialog
from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.gui.enrolment_helpers import enrolment, query
from tests.gui.enrolment_people import OPERATOR, SEKAYU, make
from tests.program_data import DATA


def approved(path, person_id: str, program: str, data: dict, status="DISETUJUI") -> str:
    """An enrolment as it comes back from the office."""
    db = connect(path)
    try:
        reg = Registry(db, operator_id="office")
        with reg.transaction():
            row = records.enrol(
                reg, program=program, person_id=person_id, data=data, village_code=SEKAYU
            )
            path_to = ["DIAJUKAN", "TERKIRIM", "DISETUJUI", "AKTIF", "SELESAI"]
            for step in path_to[: path_to.index(status) + 1]:
                records.set_status(reg, row["id"], step, "Selesai." if step == "SELESAI" else None)
        return row["id"]
    finally:
        db.close()


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "handover.db"
    return path, make(path)


@pytest.fixture
def backend(registry, qtbot):
    path, _ids = registry
    backend = enrolment_backend.threaded(path, OPERATOR, "Rina Operator")
    yield backend
    backend.close()


def open_handover(qtbot, backend, enrolment_id) -> HandoverForm:
    form = HandoverForm(backend, enrolment_id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.enrolment is not None)
    return form


def test_first_cash_handover_makes_the_enrolment_active(qtbot, registry, backend):
    path, ids = registry
    eid = approved(path, ids["siti"], "BANTU_UMAK", {"decile_source": "dtsen",
                   "household_size": 2, "payment_channel": "tunai"})  # fmt: skip
    form = open_handover(qtbot, backend, eid)
    assert form.cash.isChecked() and "Rina Operator" in form.operator.text()
    # The rules' amount is filled in, and the form says how it was worked out.
    assert form.collect()["amount"] == 650_000
    assert "2 jiwa × Rp 325.000 = Rp 650.000 per bulan" in form.amount_hint.text()
    form.amount.edit.setFocus()
    qtbot.keyClick(form.amount.edit, Qt.Key.Key_Tab)
    qtbot.keyClick(form.tranche, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.tranche, "November 2026")
    form.handed_at.edit.clear()
    qtbot.keyClicks(form.handed_at.edit, "27/11/2026")
    form.confirmed_by.setFocus()
    qtbot.keyClicks(form.confirmed_by, "Cap")
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.row is not None or form.message.text() != "")
    assert form.row is not None, form.message.text()
    row = query(path, "SELECT * FROM handover WHERE enrolment_id = ?", (eid,))[0]
    assert row["amount"] == 650_000 and row["tranche"] == "November 2026"
    assert row["handed_at"] == "2026-11-27" and row["confirmed_by"] == "cap_jempol"
    assert row["operator_id"] == OPERATOR
    assert row["receipt_number"].startswith("BANTU_UMAK") or row["receipt_number"]
    saved = enrolment(path, eid)
    assert saved["status"] == "AKTIF"
    last = saved["history"][-1]
    assert (last["from_status"], last["to_status"], last["created_by"]) == (
        "DISETUJUI", "AKTIF", OPERATOR,
    )  # fmt: skip


def test_goods_by_proxy_need_the_proxy_and_stay_active(qtbot, registry, backend):
    path, ids = registry
    eid = approved(path, ids["sarni"], "PEDAS_NIA", {"aid_form": "barang"}, status="AKTIF")
    form = open_handover(qtbot, backend, eid)
    assert form.goods.isChecked()
    form.set_item(0, "Kursi roda", "1", "unit")
    form.set_item(1, "Beras", "10", "kg")
    form.confirmed_by.setCurrentIndex(form.confirmed_by.findData("kuasa"))
    form.save()
    assert "kuasa wajib" in form.message.text() and form.row is None
    qtbot.keyClicks(form.proxy_name, "Ahmad Amin")
    form.proxy_relation.setCurrentIndex(form.proxy_relation.findData("cucu"))
    form.save()
    qtbot.waitUntil(lambda: form.row is not None)
    row = query(path, "SELECT * FROM handover WHERE enrolment_id = ?", (eid,))[0]
    assert row["amount"] is None
    assert json.loads(row["items"]) == [  # one item shape (domain.goods): numbers, "quantity"
        {"name": "Kursi roda", "quantity": 1, "unit": "unit"},
        {"name": "Beras", "quantity": 10, "unit": "kg"},
    ]
    assert (row["proxy_name"], row["proxy_relation"]) == ("Ahmad Amin", "cucu")
    assert enrolment(path, eid)["status"] == "AKTIF"


def test_no_handover_before_the_office_approved(qtbot, registry, backend):
    path, ids = registry
    eid = approved(path, ids["yanti"], "PKM", {"business_type": "warung",
                   "amount_asked": 1_000_000}, status="DIAJUKAN")  # fmt: skip
    form = open_handover(qtbot, backend, eid)
    qtbot.keyClicks(form.amount.edit, "1.000.000")
    form.save()
    qtbot.waitUntil(lambda: form.message.text() != "")
    assert "setelah pendaftaran disetujui" in form.message.text()
    assert query(path, "SELECT count(*) AS n FROM handover")[0]["n"] == 0


def test_status_dialog_shows_history_and_ends_with_a_reason(qtbot, registry, backend):
    path, ids = registry
    eid = approved(path, ids["siti"], "PAKE_KELAMBU", DATA["PAKE_KELAMBU"], status="AKTIF")
    dialog = StatusDialog(backend, eid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.enrolment is not None)
    assert dialog.history.rowCount() == 5
    assert [dialog.next_status.itemData(i) for i in range(dialog.next_status.count())] == [
        "SELESAI"
    ]
    dialog.save()
    assert "Alasan wajib" in dialog.message.text()
    qtbot.keyClicks(dialog.reason, "Pindah ke luar kabupaten")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.enrolment is not None and dialog.enrolment.status == "SELESAI")
    last = enrolment(path, eid)["history"][-1]
    assert (last["to_status"], last["reason"], last["created_by"]) == (
        "SELESAI", "Pindah ke luar kabupaten", OPERATOR,
    )  # fmt: skip


def test_the_amount_is_left_to_the_worker_where_the_rules_do_not_give_it(qtbot, registry, backend):
    path, ids = registry
    eid = approved(path, ids["siti"], "PEDAS_NIA", DATA["PEDAS_NIA"])
    form = open_handover(qtbot, backend, eid)
    form.cash.setChecked(True)
    assert form.amount.raw() == "" and form.amount_hint.text() == ""
    assert not form.amount_hint.isVisible()


def test_saving_a_handover_offers_its_receipt(qtbot, registry, backend, monkeypatch):
    """From the window's Catat penyerahan: saved, then "Cetak kuitansi" opens its receipt."""
    from types import SimpleNamespace

    from PySide6.QtWidgets import QMainWindow

    from muba_desk.gui import enrolment_actions

    path, ids = registry
    eid = approved(path, ids["siti"], "BANTU_UMAK", {"decile_source": "dtsen",
                   "household_size": 2, "payment_channel": "tunai"})  # fmt: skip
    asked: list[tuple[str, str]] = []

    class Window(QMainWindow):
        def refresh(self) -> None:  # what the window does after a form closes
            pass

    window = Window()
    qtbot.addWidget(window)
    window.print_actions = SimpleNamespace(print_receipt=lambda *a: asked.append(a))
    monkeypatch.setattr(enrolment_backend, "for_window", lambda _w: backend)
    enrolment_actions.handover(window, eid)
    form = next(w for w in window.findChildren(HandoverForm))
    qtbot.waitUntil(lambda: form.enrolment is not None)
    form.save()
    qtbot.waitUntil(lambda: getattr(window, "receipt_offer", None) is not None, timeout=10_000)
    offer = window.receipt_offer
    assert "Cetak kuitansinya sekarang?" in offer.text()
    button = next(b for b in offer.buttons() if "Cetak kuitansi" in b.text())
    button.click()
    qtbot.waitUntil(lambda: asked != [], timeout=5_000)
    ((handover_id, _layout),) = asked
    row = query(path, "SELECT id FROM handover WHERE enrolment_id = ?", (eid,))[0]
    assert handover_id == row["id"]


def test_no_handover_enrolment_says_why_for_each(qtbot):
    from muba_desk.gui.enrolment_actions import _why_not, why_no_handover

    rows = [
        {"program": "BANTU_UMAK", "who": "Siti Aminah", "status": "TERKIRIM"},
        {"program": "PEDAS_NIA", "who": "Siti Aminah", "status": "DITOLAK"},
    ]
    said = _why_not(rows, why_no_handover)
    assert "Bantu Umak · Siti Aminah · Terkirim: menunggu keputusan kantor" in said
    assert "Pedas Nia · Siti Aminah · Ditolak: ditolak kantor" in said
    assert "belum punya pendaftaran" in _why_not([], why_no_handover)
