"""Issue 13's loop, closed: one office and three laptops set up only through the command line;
the laptops register and submit, the export sends (Terkirim), the office lists and decides, the
return bundle brings the decision and its reason back, and aid is handed over once approved.
Every status is set by the app's own operations; nothing is written by hand."""

import pytest

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.domain.status import InvalidTransition
from muba_desk.gui.details_html import person_html
from muba_desk.office.decisions import decide
from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from muba_desk.store.views import enrolments_of, person_details
from muba_desk.sync.commands import PASSPHRASE_ENV
from tests.program_data import DATA
from tests.sync.conftest import VILLAGE, VILLAGE_B

OFFICE_PASSPHRASE = "kantor-dinas-sosial-muba"
SETUP_PASSPHRASE = "kode-penyiapan-laptop-muba"
VILLAGES = {"L07": VILLAGE, "L08": VILLAGE, "L09": VILLAGE_B}
BIRTH = {"L07": "1970-07-05", "L08": "1971-07-05", "L09": "1972-07-05"}  # as the NIKs say
SURNAMES = {"L07": "Rahayu", "L08": "Lestari", "L09": "Handayani"}
NIK_BASE = {"L07": 1606014507700001, "L08": 1606014507710001, "L09": 1606014507720001}
# A KK number carries its issue date (here 05-07-1970 .. 1972) without the women's +40.
KK_BASE = {"L07": 1606010507700101, "L08": 1606010507710101, "L09": 1606010507720101}
HANDOVER = {
    "handed_at": "2026-03-15",
    "confirmed_by": "tanda_tangan",
    "amount": 1_950_000,
    "tranche": "Tahap 1",
    "period": "Januari - Maret 2026",
}


def _write(db_path, operator, fn):
    """`fn(registry)` in one transaction, as the window's write thread runs an operation."""
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id=operator)
        with reg.transaction():
            return fn(reg)
    finally:
        db.close()


def _read(db_path, fn):
    db = connect(db_path)
    try:
        return fn(db)
    finally:
        db.close()


def _shown(db_path, enrolment_id) -> dict:
    """The enrolment as the details pane shows it (`store.views`): row, history, hand-overs."""

    def read(db):
        (person_id,) = db.conn.execute(
            "SELECT person_id FROM enrolment WHERE id = ?", (enrolment_id,)
        ).fetchone()
        return next(e for e in enrolments_of(db, person_id=person_id) if e["id"] == enrolment_id)

    return _read(db_path, read)


def _register_and_submit(code):
    """Two households of one person each, each enrolled in Bantu Umak and submitted, through
    the core's operations as the window's forms call them."""
    worker = operations.Actor(f"op-{code}")

    def fill(reg):
        ids = []
        for i, name in enumerate(("Sari", "Wati")):
            household = operations.register_household(
                reg, worker, village_code=VILLAGES[code], kk_number=str(KK_BASE[code] + i)
            ).row
            person = operations.register_person(
                reg,
                worker,
                name=f"{name} {SURNAMES[code]}",
                sex="P",
                nik=str(NIK_BASE[code] + i),
                birth_date=BIRTH[code],
                household_id=household["id"],
                relation="kepala",
            ).row
            enrolment = operations.enrol(
                reg,
                worker,
                program="BANTU_UMAK",
                data=DATA["BANTU_UMAK"],
                person_id=person["id"],
                household_id=household["id"],
                village_code=VILLAGES[code],
                submit=True,
            ).row
            ids.append(enrolment["id"])
        return ids

    return fill


@pytest.fixture
def field(tmp_path, monkeypatch):
    """The office and laptops L07, L08, L09, made by `office init`, `office add-laptop` and
    `setup --provision`, as an administrator would."""
    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    setup_file = tmp_path / "setup.txt"
    setup_file.write_text(SETUP_PASSPHRASE + "\n", encoding="utf-8")
    office, stick = tmp_path / "office.db", tmp_path / "stick"
    stick.mkdir()
    assert main(["office", "init", "--db", str(office)]) == 0
    laptops = {}
    for code, village in VILLAGES.items():
        provision = tmp_path / f"{code}.provision"
        add = ["office", "add-laptop", "--db", str(office), "--name", f"Laptop {code}"]
        add += ["--code", code, "--district", "16.06.01", "--village", village]
        add += ["--out", str(provision), "--setup-passphrase-file", str(setup_file)]
        assert main(add) == 0
        laptops[code] = tmp_path / f"{code}.db"
        setup = ["setup", "--db", str(laptops[code]), "--provision", str(provision)]
        assert main([*setup, "--passphrase-file", str(setup_file)]) == 0
    return {"office": office, "laptops": laptops, "stick": stick}


def _export(laptop, stick) -> int:
    return main(["bundle", "export", "--db", str(laptop), "--to", str(stick)])


def test_three_laptops_submit_the_office_decides_and_aid_follows_approval(
    field, monkeypatch, capsys
):
    office, laptops, stick = field["office"], field["laptops"], field["stick"]
    submitted = {
        code: _write(path, f"op-{code}", _register_and_submit(code))
        for code, path in laptops.items()
    }
    # A laptop can neither send by hand nor decide: those moves belong to the export and the office.
    first = submitted["L07"][0]
    with pytest.raises(InvalidTransition):
        _write(laptops["L07"], "op-L07", lambda reg: records.set_status(reg, first, "TERKIRIM"))
    with pytest.raises(InvalidTransition):
        _write(laptops["L07"], "op-L07", lambda reg: decide(reg, first, True))
    as_office = operations.Actor("op-L07", side=operations.OFFICE)
    with pytest.raises(InvalidTransition):  # calling itself the office does not make it one
        _write(laptops["L07"], "op-L07", lambda reg: operations.decide(reg, as_office, first, True))
    with pytest.raises(operations.NotAllowed):
        _write(
            laptops["L07"],
            "op-L07",
            lambda reg: operations.decide(reg, operations.Actor("op-L07"), first, True),
        )

    # -- the laptops export: what they carry leaves as Terkirim, and they show when ---------
    capsys.readouterr()
    for path in laptops.values():
        assert _export(path, stick) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == 3
    for (code, path), bundle in zip(laptops.items(), written, strict=True):
        for enrolment_id in submitted[code]:
            shown = _shown(path, enrolment_id)
            assert shown["status"] == "TERKIRIM"
            sent = shown["history"][-1]
            assert (sent["from_status"], sent["to_status"]) == ("DIAJUKAN", "TERKIRIM")
            assert bundle.rsplit("/", 1)[-1] in sent["reason"] and sent["created_at"]

    # -- the office imports and lists them for decision ------------------------------------
    assert main(["bundle", "import", "--db", str(office), str(stick)]) == 0
    from muba_desk.office.decision_queue import waiting

    listed = {row[0] for row in _read(office, lambda db: waiting(db, None, None))}
    assert listed == {i for ids in submitted.values() for i in ids}

    rejected = submitted["L09"][0]
    reason = "Sudah menerima bantuan lansia dari provinsi"
    approved = sorted(listed - {rejected})

    clerk = operations.Actor("op-kantor", side=operations.OFFICE)

    def decide_all(reg):
        moved = operations.decide(reg, clerk, approved, True).rows["enrolment"]
        operations.decide(reg, clerk, rejected, False, reason)
        return moved

    assert _write(office, "op-kantor", decide_all) == approved
    assert _read(office, lambda db: waiting(db, None, None)) == []

    # -- return bundles bring the decisions back -------------------------------------------
    for code in laptops:
        assert (
            main(["office", "return", "--db", str(office), "--laptop", code, "--to", str(stick)])
            == 0
        )
    monkeypatch.delenv(PASSPHRASE_ENV)  # each laptop opens with its own key from here
    for code, path in laptops.items():
        assert main(["bundle", "import", "--db", str(path), str(stick)]) == 0
        for enrolment_id in submitted[code]:
            shown = _shown(path, enrolment_id)
            last = shown["history"][-1]
            if enrolment_id == rejected:
                assert shown["status"] == "DITOLAK" and shown["decision_reason"] == reason
                assert (last["to_status"], last["reason"]) == ("DITOLAK", reason)
                # The details pane of the person shows the decision and the office's reason.
                pane = _read(
                    path, lambda db, p=shown["person_id"]: person_html(person_details(db, p))
                )
                assert "Ditolak" in pane and reason in pane
            else:
                assert shown["status"] == "DISETUJUI" and last["to_status"] == "DISETUJUI"

    # -- aid follows approval, and only approval -------------------------------------------
    worker = operations.Actor("op-L09")

    def give(enrolment_id):
        return lambda reg: (
            operations.record_handover(reg, worker, enrolment_id=enrolment_id, **HANDOVER).row
        )

    with pytest.raises(records.HandoverRefused):
        _write(laptops["L09"], "op-L09", give(rejected))
    paid = submitted["L09"][1]
    handover = _write(laptops["L09"], "op-L09", give(paid))
    shown = _shown(laptops["L09"], paid)
    assert shown["status"] == "AKTIF" and [h["id"] for h in shown["handovers"]] == [handover["id"]]

    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    capsys.readouterr()
    assert _export(laptops["L09"], stick) == 0
    second = capsys.readouterr().out.strip()
    assert main(["bundle", "import", "--db", str(office), second]) == 0
    at_office = _shown(office, paid)
    assert at_office["status"] == "AKTIF"
    assert [(h["id"], h["amount"]) for h in at_office["handovers"]] == [(handover["id"], 1_950_000)]
    still = _shown(office, rejected)
    assert still["status"] == "DITOLAK" and still["handovers"] == []


def test_a_bundle_never_published_leaves_its_enrolments_submitted(
    laptop_db, office_db, office, stick, monkeypatch
):
    """The stick is pulled while the file is written: the enrolments stay Diajukan, without a
    Terkirim entry naming a file that does not exist, and the next export sends them."""
    from muba_desk.sync import export
    from muba_desk.sync.bundle import BundleError
    from muba_desk.sync.importer import import_bundle
    from tests.sync.conftest import add_people

    (pid,) = add_people(laptop_db, 1)
    enrolment = _write(
        laptop_db,
        "op-1",
        lambda reg: records.set_status(
            reg,
            records.enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)[
                "id"
            ],
            "DIAJUKAN",
        ),
    )

    def pulled(fd):
        raise OSError(5, "Input/output error")

    with monkeypatch.context() as m:
        m.setattr(export.os, "fsync", pulled)
        with pytest.raises(BundleError, match="tidak dapat ditulis"):
            export.export_bundle(laptop_db, stick)
    assert list(stick.iterdir()) == []
    shown = _shown(laptop_db, enrolment["id"])
    assert shown["status"] == "DIAJUKAN" and shown["history"][-1]["to_status"] == "DIAJUKAN"

    path = export.export_bundle(laptop_db, stick)
    assert path.name.endswith("-000001.mubabundle")  # the failed write spent no number
    shown = _shown(laptop_db, enrolment["id"])
    assert shown["status"] == "TERKIRIM" and path.name in shown["history"][-1]["reason"]
    import_bundle(office_db, path, office=office)
    assert _shown(office_db, enrolment["id"])["status"] == "TERKIRIM"


def test_the_office_registry_makes_no_laptop_moves(office_db):
    """At the office a worker's moves (submit, take back) and the export's are refused."""
    from tests.sync.conftest import add_people

    (pid,) = add_people(office_db, 1)
    draft = _write(
        office_db,
        "op-kantor",
        lambda reg: records.enrol(
            reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid
        ),
    )
    with pytest.raises(InvalidTransition, match="hanya oleh petugas di laptop"):
        _write(office_db, "op-kantor", lambda reg: records.set_status(reg, draft["id"], "DIAJUKAN"))
    with pytest.raises(InvalidTransition, match="Registri ini milik kantor"):
        _write(
            office_db,
            "op-kantor",
            lambda reg: records.set_status(reg, draft["id"], "DIAJUKAN", side="laptop"),
        )
    assert _shown(office_db, draft["id"])["status"] == "DRAF"


def test_an_export_while_another_writer_holds_the_registry_says_so(laptop_db, stick, monkeypatch):
    """The export holds the write lock from the Terkirim move to the sequence; if another
    writer has it (a second export, the window saving) past the busy timeout, it says so."""
    from muba_desk.store import db as store_db
    from muba_desk.sync import export
    from muba_desk.sync.bundle import BundleError

    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    other = connect(laptop_db)
    try:
        other.conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(BundleError, match="Registri sedang dipakai"):
            export.export_bundle(laptop_db, stick)
        other.conn.execute("ROLLBACK")
    finally:
        other.close()
    assert list(stick.iterdir()) == []
    assert export.export_bundle(laptop_db, stick).name.endswith("-000001.mubabundle")


def test_the_status_dialog_shows_when_it_left_and_why_the_office_refused(
    laptop_db, office_db, office, stick, qtbot
):
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.status_dialog import StatusDialog
    from muba_desk.sync.export import export_bundle
    from muba_desk.sync.importer import import_bundle
    from muba_desk.sync.receive import import_return
    from muba_desk.sync.returns import office_return
    from tests.sync.conftest import add_people

    (pid,) = add_people(laptop_db, 1)
    enrolment = _write(
        laptop_db,
        "op-1",
        lambda reg: records.set_status(
            reg,
            records.enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)[
                "id"
            ],
            "DIAJUKAN",
        ),
    )
    bundle = export_bundle(laptop_db, stick)
    import_bundle(office_db, bundle, office=office)
    _write(office_db, "op-kantor", lambda reg: decide(reg, enrolment["id"], False, "Kuota penuh"))
    import_return(laptop_db, office_return(office_db, "L07", stick, office=office))

    backend = enrolment_backend.threaded(laptop_db, "op-1", "Petugas Satu")
    try:
        dialog = StatusDialog(backend, enrolment["id"])
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.enrolment is not None)
        assert "Kuota penuh" in dialog.heading.text()
        cells = [
            [dialog.history.item(r, c).text() for c in range(3)]
            for r in range(dialog.history.rowCount())
        ]
        assert cells[-2][1] == "Terkirim" and bundle.name in cells[-2][2]
        assert cells[-1][1:] == ["Ditolak", "Kuota penuh"]
        # Corrected on the laptop and submitted again: the only move offered is back to Draf.
        offered = [dialog.next_status.itemData(i) for i in range(dialog.next_status.count())]
        assert offered == ["DRAF"]
    finally:
        backend.close()


def test_a_bundle_sent_again_before_the_answer_leaves_the_decision_standing(
    laptop_db, office_db, office, stick
):
    """The worker exports daily and the answer comes weekly: the next bundle carries the
    Terkirim move again (not yet acknowledged); the office keeps its decision."""
    from muba_desk.sync.export import export_bundle
    from muba_desk.sync.importer import import_bundle
    from muba_desk.sync.receive import import_return
    from muba_desk.sync.returns import office_return
    from tests.sync.conftest import add_people

    (pid,) = add_people(laptop_db, 1)
    enrolment = _write(
        laptop_db,
        "op-1",
        lambda reg: records.set_status(
            reg,
            records.enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)[
                "id"
            ],
            "DIAJUKAN",
        ),
    )
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    _write(office_db, "op-kantor", lambda reg: decide(reg, enrolment["id"], True))
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert _shown(office_db, enrolment["id"])["status"] == "DISETUJUI"
    import_return(laptop_db, office_return(office_db, "L07", stick, office=office))
    assert _shown(laptop_db, enrolment["id"])["status"] == "DISETUJUI"
