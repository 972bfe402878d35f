"""Beneficiary cards: exact ID-1 size on the A4 sheet, signed QR, masked NIK."""

from pypdf import PdfReader

from muba_desk.printing.cards import CARD_H, CARD_W, print_cards
from muba_desk.signing import known_public_keys, verify_payload
from tests.printing.conftest import decode_qr, pdf_text, render_pages

MM = 72 / 25.4


def _outlines(pdf_path) -> list[tuple[float, float, float, float]]:
    """Rectangles drawn at page level (no transform), from the page's content stream."""
    from pypdf.generic import ContentStream

    reader = PdfReader(str(pdf_path))
    page = reader.pages[0]
    stream = ContentStream(page.get_contents(), reader)
    depth, found = 0, []
    for operands, operator in stream.operations:
        if operator == b"q":
            depth += 1
        elif operator == b"Q":
            depth -= 1
        elif operator == b"re" and depth == 0:
            found.append(tuple(float(v) for v in operands))
    return found


def test_a4_sheet_holds_ten_cards_of_exactly_85_6_by_54_mm(db, sample, db_path, tmp_path):
    from muba_desk.printing.sample import VILLAGE

    for _ in range(4):  # 3 cards per sample: 12 cards fill one sheet and start another
        from muba_desk.printing.sample import build_sample

        build_sample(db)
    out = tmp_path / "cards.pdf"
    assert print_cards(db_path, out, village_code=VILLAGE).count == 15
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / MM), round(height / MM)) == (210, 297)
    cards = [r for r in _outlines(out) if abs(r[2] - CARD_W) < 0.01]
    assert len(cards) == 10
    for _, _, w, h in cards:
        assert round(w / MM, 2) == 85.6 and round(h / MM, 2) == 54.0
    corners = {(round(x, 2), round(y, 2)) for x, y, _, _ in cards}
    assert len(corners) == 10  # ten distinct places, none on top of another
    assert CARD_H == 54 * MM


def test_card_layout_is_one_id1_card_per_page_with_a_genuine_qr(
    qapp, db, sample, db_path, tmp_path
):
    out = tmp_path / "card.pdf"
    assert print_cards(db_path, out, person_id=sample.person_id, layout="card").count == 1
    page = PdfReader(str(out)).pages[0]
    assert round(float(page.mediabox[2]) / MM, 2) == 85.6
    assert round(float(page.mediabox[3]) / MM, 2) == 54.0
    codes = decode_qr(render_pages(out, dpi=600))
    verified = verify_payload(codes[0], known_public_keys(db))
    assert verified.name == "Siti Aminah" and verified.programs == ("BU",)
    text = pdf_text(out)
    assert "160601******0003" in text and "1606014507780003" not in text


def test_every_card_on_a_sheet_decodes_and_verifies(qapp, db, sample, db_path, tmp_path):
    out = tmp_path / "cards.pdf"
    count = print_cards(db_path, out).count
    codes = decode_qr(render_pages(out, dpi=300))
    assert len(codes) == count == 3
    numbers = {verify_payload(code, known_public_keys(db)).number for code in codes}
    assert len(numbers) == 3


def test_printing_cards_is_audited(db, sample, db_path, tmp_path):
    print_cards(db_path, tmp_path / "c.pdf")
    row = db.conn.execute("SELECT after FROM audit WHERE action = 'print'").fetchone()
    assert '"count":3' in row[0].replace(" ", "")


# Each status an enrolment can have, and the path a plain registry walks to reach it.
WALKS = {
    "DRAF": (),
    "DIAJUKAN": ("DIAJUKAN",),
    "TERKIRIM": ("DIAJUKAN", "TERKIRIM"),
    "DISETUJUI": ("DIAJUKAN", "TERKIRIM", "DISETUJUI"),
    "AKTIF": ("DIAJUKAN", "TERKIRIM", "DISETUJUI", "AKTIF"),
    "DITOLAK": ("DIAJUKAN", "TERKIRIM", "DITOLAK"),
    "SELESAI": ("DIAJUKAN", "TERKIRIM", "DISETUJUI", "AKTIF", "SELESAI"),
}


def _village_in_every_status(db):
    """A village (not the sample's) with one carded Bantu Umak enrolment in each status."""
    from muba_desk.store import records
    from muba_desk.store.registry import Registry

    reg = Registry(db, operator_id="op-test")
    with reg.transaction():
        for n, (status, walk) in enumerate(WALKS.items(), start=1):
            home = records.add_household(reg, village_code=OTHER_VILLAGE)
            person = records.add_person(
                reg,
                name=f"Peserta {status.title()}",
                sex="P",
                nik=f"16060145077800{n:02d}",
                birth_date="1978-07-05",
                household_id=home["id"],
            )
            enrolment = records.enrol(
                reg,
                program="BANTU_UMAK",
                data={"decile_source": "dtsen", "household_size": 1, "payment_channel": "tunai"},
                person_id=person["id"],
                household_id=home["id"],
                village_code=OTHER_VILLAGE,
            )
            for step in walk:
                records.set_status(reg, enrolment["id"], step, "Uji cetak kartu.")


OTHER_VILLAGE = "16.06.01.2004"


def test_a_village_gets_cards_only_for_approved_and_active_enrolments(qapp, db, db_path, tmp_path):
    _village_in_every_status(db)
    out = tmp_path / "cards.pdf"
    printed = print_cards(db_path, out, village_code=OTHER_VILLAGE)
    assert (printed.count, printed.awaiting_office) == (2, 3)
    text = pdf_text(out)
    assert "Peserta Disetujui" in text and "Peserta Aktif" in text
    for status in ("Draf", "Diajukan", "Terkirim", "Ditolak", "Selesai"):
        assert f"Peserta {status}" not in text
    assert len(decode_qr(render_pages(out, dpi=300))) == 2
    assert printed.left_out_note() == "3 pendaftaran belum disetujui kantor tidak dicetak."
    audit = db.conn.execute(
        "SELECT after FROM audit WHERE action = 'print' ORDER BY rowid DESC LIMIT 1"
    ).fetchone()[0]
    assert '"awaiting_office":3' in audit.replace(" ", "")


def test_the_command_names_the_enrolments_left_out(db, db_path, tmp_path, capsys):
    from tests.printing.test_sheets_and_cli import _run

    _village_in_every_status(db)
    out = tmp_path / "cards.pdf"
    argv = ["print", "cards", "--db", str(db_path), "--out", str(out)]
    assert _run([*argv, "--village", OTHER_VILLAGE]) == 0
    said = capsys.readouterr().out
    assert "2 kartu" in said
    assert "3 pendaftaran belum disetujui kantor tidak dicetak." in said
