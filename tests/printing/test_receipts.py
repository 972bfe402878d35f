"""Receipts: signed QR on every copy, amounts in figures and words, meterai, SALINAN."""

import pytest

from muba_desk.printing.receipts import build_receipt, issue_receipt, render_receipt
from muba_desk.signing import known_public_keys, verify_payload
from muba_desk.store import records
from muba_desk.store.registry import Registry
from tests.printing.conftest import decode_qr, pdf_text, render_pages


@pytest.mark.parametrize(("layout", "copies"), [("a4", 2), ("a5", 1), ("58mm", 1), ("80mm", 1)])
def test_each_layout_carries_a_genuine_qr_and_the_amount(
    qapp, db, sample, tmp_path, layout, copies
):
    out = tmp_path / f"receipt-{layout}.pdf"
    render_receipt(build_receipt(db, sample.handover_cash_id), out, layout=layout)
    codes = decode_qr(render_pages(out))
    assert len(codes) == copies
    verified = verify_payload(codes[0], known_public_keys(db))
    assert verified.amount == 1_950_000 and verified.name == "Siti Aminah"
    text = pdf_text(out)
    assert "Rp 1.950.000" in text
    assert "satu juta sembilan ratus lima puluh ribu rupiah" in text.lower().replace("\n", " ")
    assert verified.number in text and "Siti Aminah" in text


def test_a4_has_a_copy_for_the_recipient_and_one_for_the_office(db, sample, tmp_path):
    out = tmp_path / "r.pdf"
    render_receipt(build_receipt(db, sample.handover_cash_id), out)
    text = pdf_text(out)
    assert "Lembar untuk penerima" in text and "Lembar untuk Dinas Sosial" in text
    assert "gunting di sini" in text


def _receipt_for(db, amount):
    reg = Registry(db, operator_id="op-test")
    with reg.transaction():
        home = records.add_household(reg, village_code="16.06.01.2003")
        person = records.add_person(reg, name="Uji Meterai", sex="L", nik="1606010101800001",
                                    household_id=home["id"])  # fmt: skip
        enrolment = records.enrol(reg, program="PKM", data={}, person_id=person["id"])
        handover = records.record_handover(
            reg,
            enrolment_id=enrolment["id"],
            amount=amount,
            handed_at="2026-05-01",
            confirmed_by="tanda_tangan",
        )
    return handover["id"]


@pytest.mark.parametrize(("amount", "stamped"), [(5_000_000, False), (5_000_001, True)])
def test_meterai_box_only_above_five_million_on_the_office_copy(db, tmp_path, amount, stamped):
    handover_id = _receipt_for(db, amount)
    out = tmp_path / "r.pdf"
    render_receipt(build_receipt(db, handover_id), out)
    # UU 10/2020: more than Rp 5.000.000; the office keeps the stamped copy (A4 has two).
    assert pdf_text(out).count("METERAI") == (1 if stamped else 0)
    render_receipt(build_receipt(db, handover_id), out, layout="a5")
    assert pdf_text(out).count("METERAI") == (1 if stamped else 0)


@pytest.mark.parametrize("layout", ["58mm", "80mm"])
def test_thermal_roll_asks_for_the_stamp_on_its_single_copy(db, tmp_path, layout):
    out = tmp_path / "r.pdf"
    render_receipt(build_receipt(db, _receipt_for(db, 5_000_001)), out, layout=layout)
    text = " ".join(pdf_text(out).split())
    assert "Wajib meterai Rp 10.000: tempel pada kuitansi ini" in text
    assert "Dinas Sosial." not in text and "lembar" not in text.lower()
    render_receipt(build_receipt(db, _receipt_for(db, 5_000_000)), out, layout=layout)
    assert "Wajib meterai" not in pdf_text(out)


def test_goods_receipt_lists_items_and_thumbprint_box(db, sample, tmp_path):
    out = tmp_path / "r.pdf"
    render_receipt(build_receipt(db, sample.handover_goods_id), out)
    text = pdf_text(out)
    assert "TANDA TERIMA BARANG" in text and "Kursi roda" in text and "10 kg Beras" in text
    assert "cap jempol" in text


def test_proxy_receipt_names_the_proxy_and_relation(db, sample, tmp_path):
    out = tmp_path / "r.pdf"
    render_receipt(build_receipt(db, sample.handover_proxy_id), out)
    assert "Ahmad Fauzi (Anak)" in pdf_text(out)  # the relation's label, not its code


@pytest.mark.parametrize("layout", ["a4", "80mm"])
def test_a_proxy_relation_prints_as_its_label(db, sample, tmp_path, layout):
    reg = Registry(db, operator_id="op-test")
    with reg.transaction():
        handover = records.record_handover(
            reg,
            enrolment_id=sample.enrolment_id,
            amount=1_000_000,
            handed_at="2026-07-01",
            confirmed_by="kuasa",
            proxy_name="Rohimah",
            proxy_relation="orang_tua",
        )
    out = tmp_path / "r.pdf"
    render_receipt(build_receipt(db, handover["id"]), out, layout=layout)
    text = pdf_text(out)
    assert "Rohimah (Orang tua)" in text and "orang_tua" not in text


def test_reprint_is_marked_salinan_and_counted(db, sample, tmp_path):
    reg = Registry(db, operator_id="op-test")
    first = issue_receipt(reg, sample.handover_cash_id, tmp_path / "1.pdf")
    second = issue_receipt(reg, sample.handover_cash_id, tmp_path / "2.pdf")
    assert (first.copy_number, second.copy_number) == (0, 1)
    assert "SALINAN" not in pdf_text(tmp_path / "1.pdf")
    assert "SALINAN ke-1" in pdf_text(tmp_path / "2.pdf")
    assert reg.get("handover", sample.handover_cash_id)["times_printed"] == 2
    prints = db.conn.execute(
        "SELECT count(*) FROM audit WHERE action = 'print' AND row_id = ?",
        (sample.handover_cash_id,),
    ).fetchone()[0]
    assert prints == 2


def test_a_goods_receipt_prints_the_quantity_of_1800_portions(db, tmp_path):
    reg = Registry(db, operator_id="op-test")
    with reg.transaction():
        home = records.add_household(reg, village_code="16.06.01.2003")
        person = records.add_person(reg, name="Uji Barang", sex="L", nik="1606010101800002",
                                    household_id=home["id"])  # fmt: skip
        enrolment = records.enrol(reg, program="PKM", data={}, person_id=person["id"])
        handover = records.record_handover(
            reg,
            enrolment_id=enrolment["id"],
            items=[{"name": "Makanan siap santap", "quantity": 1800, "unit": "porsi"}],
            handed_at="2026-05-01",
            confirmed_by="tanda_tangan",
        )
    for layout in ("a4", "58mm"):
        out = tmp_path / f"r-{layout}.pdf"
        render_receipt(build_receipt(db, handover["id"]), out, layout=layout)
        assert "1. 1.800 porsi Makanan siap santap" in pdf_text(out)
