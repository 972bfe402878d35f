"""The SK attachment read back: the PDF (pdfplumber) carries the decision's number and
"Halaman x dari y" on every page, totals equal the database's sums, and nothing overprints for
a 60-character name with titles and a 120-character address; the XLSX (openpyxl) keeps NIK and
KK as 16-digit text, its total row equals the database's sum, its header is frozen."""

import pdfplumber
import pytest
from openpyxl import load_workbook

from muba_desk.cli import main
from muba_desk.domain.money import format_rupiah, terbilang
from muba_desk.store.db import connect
from tests.lists_out.conftest import LONG_ADDRESS, LONG_NAME, SK_NUMBER

IN_SK = (
    "FROM sk_enrolment l JOIN sk s ON s.id = l.sk_id JOIN enrolment e ON e.id = l.enrolment_id "
    "JOIN person p ON p.id = e.person_id JOIN household h ON h.id = p.household_id "
    "WHERE s.number = ?"
)


def _db_facts(db_path) -> dict:
    """What the database says of the SK: granted amounts, NIKs and KKs, per village too."""
    db = connect(db_path)
    try:
        one = db.conn.execute(
            f"SELECT sum(json_extract(e.data, '$.amount_granted')), count(*) {IN_SK}",
            (SK_NUMBER,),
        ).fetchone()
        pairs = db.conn.execute(f"SELECT p.nik, h.kk_number {IN_SK}", (SK_NUMBER,)).fetchall()
        joined = IN_SK.split(" WHERE")[0]
        villages = db.conn.execute(
            f"SELECT v.name, sum(json_extract(e.data, '$.amount_granted')) {joined} "
            "JOIN area_village v ON v.code = h.village_code WHERE s.number = ? GROUP BY v.name",
            (SK_NUMBER,),
        ).fetchall()
    finally:
        db.close()
    return {"total": one[0], "count": one[1], "ids": sorted(pairs), "villages": dict(villages)}


def _write(with_sk, tmp_path, suffix: str, capsys):
    out = tmp_path / f"lampiran{suffix}"
    command = ["list", "sk", "--db", str(with_sk.office_db), "--sk", SK_NUMBER, "--out", str(out)]
    assert main(command) == 0
    assert f"lampiran SK {SK_NUMBER}, 30 orang" in capsys.readouterr().out
    return out


def _overlaps(words) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if (
                a["x0"] < b["x1"] - 0.01
                and b["x0"] < a["x1"] - 0.01
                and a["top"] < b["bottom"] - 0.01
                and b["top"] < a["bottom"] - 0.01
            ):
                found.append((a["text"], b["text"]))
    return found


def test_the_pdf_names_the_decision_and_its_page_on_every_page(with_sk, tmp_path, capsys):
    facts = _db_facts(with_sk.office_db)
    path = _write(with_sk, tmp_path, ".pdf", capsys)
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
        words = [page.extract_words(use_text_flow=False) for page in pdf.pages]
    assert len(pages) >= 2  # 30 rows, a third of them three lines tall, and their subtotals
    for number, text in enumerate(pages, start=1):
        assert f"Nomor : {SK_NUMBER}" in text
        assert f"Halaman {number} dari {len(pages)}" in text
        assert "LAMPIRAN KEPUTUSAN KEPALA DINAS SOSIAL" in text and "NIK" in text
    every = "\n".join(pages)
    for nik, kk in facts["ids"]:
        assert nik in every and kk in every
    # The grand total, in figures and in words, equals the database's sum of granted amounts.
    assert f"JUMLAH SELURUHNYA: {facts['count']} orang {format_rupiah(facts['total'])}" in every
    words_line = " ".join(every.split("Terbilang:")[1].split("Ditetapkan")[0].split())
    assert words_line.lower() == terbilang(facts["total"])
    for village, amount in facts["villages"].items():
        assert f"Jumlah Desa/Kelurahan {village}: " in every
        assert format_rupiah(amount) in every
    # The signatory's block closes the last page.
    assert "Drs. H. Ahmad Toyibir, M.Si." in pages[-1] and "NIP. 197001012000031001" in pages[-1]
    # Nothing overprints: no two words' boxes meet, and the long cells are there whole.
    for page_words in words:
        assert _overlaps(page_words) == []
    first = " ".join(w["text"] for w in words[0])
    assert len(LONG_NAME) == 60 and len(LONG_ADDRESS) == 120
    for part in (LONG_NAME + " " + LONG_ADDRESS).split():
        assert part in first


def test_the_long_name_and_address_wrap_inside_their_columns(with_sk, tmp_path, capsys):
    path = _write(with_sk, tmp_path, ".pdf", capsys)
    with pdfplumber.open(path) as pdf:
        words = pdf.pages[0].extract_words()
    heads = {w["text"]: w for w in words if w["text"] in ("Nama", "Alamat", "Tempat,")}
    name_words = [w for w in words if w["text"] in ("Prof.", "Kusumawati,", "MH.")]
    address_words = [w for w in words if w["text"] in ("Lintas", "Sekayu-Betung", "Al-Ikhlas")]
    # The name starts in its column and spreads over more than one line, never into the next.
    assert len({round(w["top"]) for w in name_words}) > 1
    assert all(
        heads["Nama"]["x0"] <= w["x0"] and w["x1"] < heads["Tempat,"]["x0"] for w in name_words
    )
    assert len({round(w["top"]) for w in address_words}) > 1
    assert all(heads["Alamat"]["x0"] <= w["x0"] for w in address_words)


def test_the_xlsx_keeps_ids_as_text_and_its_total_equals_the_database(with_sk, tmp_path, capsys):
    facts = _db_facts(with_sk.office_db)
    path = _write(with_sk, tmp_path, ".xlsx", capsys)
    book = load_workbook(path)
    sheet = book["Lampiran"]
    assert SK_NUMBER in sheet["A1"].value
    header = [c.value for c in sheet[5]]
    assert header[:4] == ["No", "NIK", "No. KK", "Nama"] and header[-1] == "Jumlah Diberikan (Rp)"
    assert sheet.freeze_panes == "A6"
    rows = list(sheet.iter_rows(min_row=6))
    body, total = rows[:-1], rows[-1]
    assert len(body) == facts["count"]
    ids = []
    for row in body:
        nik, kk = row[1], row[2]
        assert nik.data_type == "s" and kk.data_type == "s"
        assert len(nik.value) == 16 and len(kk.value) == 16
        ids.append((nik.value, kk.value))
    assert sorted(ids) == facts["ids"]
    amounts = [row[-1].value for row in body]
    assert all(isinstance(a, int) for a in amounts)
    assert total[0].value == f"Jumlah: {facts['count']} orang"
    assert total[-1].value == sum(amounts) == facts["total"]
    names = {row[3].value for row in body}
    assert LONG_NAME in names
    summary = book["Rekap"]
    per_village = {r[1].value: r[3].value for r in summary.iter_rows(min_row=2) if r[1].value}
    assert per_village == facts["villages"]


def test_a_wrong_extension_or_unknown_sk_is_one_line(with_sk, tmp_path, capsys):
    base = ["list", "sk", "--db", str(with_sk.office_db)]
    assert main([*base, "--sk", SK_NUMBER, "--out", str(tmp_path / "x.doc")]) == 1
    assert "harus berakhiran .pdf atau .xlsx" in capsys.readouterr().err
    assert main([*base, "--sk", "9/9", "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err.strip()
    assert "SK nomor 9/9 tidak ditemukan" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_an_sk_without_people_still_prints_its_header_and_zero_total(
    decided, tmp_path, capsys, suffix
):
    from tests.lists_out.conftest import sk_new

    assert sk_new(decided.office_db) == 0
    out = tmp_path / f"kosong{suffix}"
    command = ["list", "sk", "--db", str(decided.office_db), "--sk", SK_NUMBER, "--out", str(out)]
    assert main(command) == 0
    if suffix == ".pdf":
        with pdfplumber.open(out) as pdf:
            text = pdf.pages[0].extract_text()
        assert "Halaman 1 dari 1" in text and "JUMLAH SELURUHNYA: 0 orang Rp 0" in text
    else:
        sheet = load_workbook(out)["Lampiran"]
        assert sheet["A6"].value == "Jumlah: 0 orang" and sheet.cell(6, 10).value == 0
