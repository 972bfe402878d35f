"""Regenerate docs/screenshots/ from the real window, offscreen, on a fresh 2,000-person demo.

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_screenshots.py [--out FOLDER]
    [--only office] [--language en] [--skip-office]

Every window is taken at 1366x768, the smallest screen of the field laptops and of the office.
With `--language en` the window is in English and each file is named `<name>-en.png`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1366, 768)  # a cheap laptop's screen
OFFICE_SIZE = (1366, 768)  # the regency office's smallest screen


def wait_until(app, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the event loop until `predicate()` holds; the reader answers on its own thread."""
    from PySide6.QtCore import QThread

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        QThread.msleep(10)


def said(template: str) -> str:
    """The longest fixed part of a message in the window's language (`{...}` left out): what
    the waits below look for, so they hold in English too."""
    import re

    from muba_desk.i18n import _n

    # A part both forms of a counted text share ("1 bundle checked", "2 bundles checked").
    one, many = (set(re.split(r"\{[^}]*\}", _n(template, n))) for n in (1, 2))
    return max(one & many, key=len).strip()


def settle(app, window) -> None:
    """Let layouts and repaints catch up before grabbing."""
    from PySide6.QtCore import QThread

    for _ in range(20):
        app.processEvents()
        QThread.msleep(5)
    window.repaint()


def rows(db_path: Path, sql: str) -> list:
    """Through store.db.connect: the demo registries are encrypted (their keys are unlocked)."""
    from muba_desk.store.db import connect

    db = connect(db_path, migrate=False)
    try:
        return db.conn.execute(sql).fetchall()
    finally:
        db.close()


def pick(db_path: Path, sql: str) -> tuple:
    row = next(iter(rows(db_path, sql)), None)
    if row is None:
        raise RuntimeError(f"the demo registry has no row for: {sql}")
    return row


# A person with a portrait and an enrolment that already had hand-overs: the richest details.
PERSON_SQL = """
    SELECT p.id, p.name FROM person p
    JOIN enrolment e ON e.person_id = p.id AND e.deleted_at IS NULL
    JOIN handover h ON h.enrolment_id = e.id
    WHERE p.photo_id IS NOT NULL AND p.nik IS NOT NULL
    ORDER BY (SELECT count(*) FROM enrolment x WHERE x.person_id = p.id) DESC, p.pk LIMIT 1
"""
# A household with several members and at least one enrolment.
HOUSEHOLD_SQL = """
    SELECT h.id, h.kk_number FROM household h
    JOIN enrolment e ON e.household_id = h.id AND e.deleted_at IS NULL
    WHERE (SELECT count(*) FROM person m WHERE m.household_id = h.id) BETWEEN 4 AND 6
    GROUP BY h.id ORDER BY count(e.id) DESC, h.pk LIMIT 1
"""


def fill_household(keys, form) -> None:
    """A new household in Kayu Ara, Sekayu, typed as a social worker would."""
    keys.keyClicks(form.kk, "1606011203150007")
    form.district.setCurrentIndex(form.district.findText("Sekayu"))
    form.village.setCurrentIndex(form.village.findText("Kayu Ara"))
    keys.keyClicks(form.address, "Jl. Lintas Timur, Dusun II")
    keys.keyClicks(form.rt, "004")
    keys.keyClicks(form.rw, "002")
    keys.keyClicks(form.gps_lat, "-2,8861")
    keys.keyClicks(form.gps_lon, "103,8452")
    keys.keyClicks(form.notes, "Rumah panggung kayu di tepi Sungai Musi")


def fill_person(keys, form) -> None:
    """A new member with a NIK that explains itself (birth date and sex filled from it)."""
    keys.keyClicks(form.nik, "1606015708850004")
    keys.keyClicks(form.name, "Nurhayati")
    keys.keyClicks(form.birth_place, "Sekayu")
    form.relation.set_value("pasangan")
    form.occupation.set_value("penyadap_karet")
    form.disability.set_value(["sensorik_netra"])
    keys.keyClicks(form.phone, "0813 6712 4409")
    form.consent_by.set_value("sendiri")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--only", choices=["office"], help="only the office desk's screens")
    parser.add_argument("--language", choices=("id", "en"), default="id")
    parser.add_argument("--skip-office", action="store_true", help="the laptop's window only")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = Path(tempfile.mkdtemp(prefix="muba-screens-"))
    os.environ["MUBA_DESK_DATA"] = str(scratch / "data")  # never touch the user's own data
    sys.path.insert(0, str(ROOT))

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from muba_desk.app import configure_application
    from muba_desk.gui.first_start import FirstStartDialog, build_demo, demo_db_path
    from muba_desk.gui.main_window import HOUSEHOLDS, PEOPLE, MainWindow
    from muba_desk.progress import Progress

    app = QApplication([])
    configure_application(app)
    from muba_desk.gui import qt_language

    qt_language.set_language(args.language)  # ours and Qt's own texts, as `muba-desk` starts
    args.out.mkdir(parents=True, exist_ok=True)

    def save(widget, name: str) -> None:
        settle(app, widget)
        if args.language != "id":
            name = name.replace(".png", f"-{args.language}.png")
        widget.grab().save(str(args.out / name))
        print(args.out / name)

    if args.only == "office":
        office_screens(app, scratch, save)
        shutil.rmtree(scratch, ignore_errors=True)
        return 0

    dialog = FirstStartDialog()
    dialog.resize(640, 460)
    dialog.show()
    save(dialog, "first-start.png")
    dialog.close()

    print(f"building a demo registry of {args.people} people…", file=sys.stderr)
    demo = build_demo(demo_db_path(), Progress(), people=args.people)

    window = MainWindow(demo)
    window.resize(*SIZE)
    window.show()
    wait_until(app, lambda: not window.searching() and window.counts_label.text())
    save(window, "signin.png")
    QTest.keyClicks(window.signin.password, "demo")
    window.signin.submit()
    wait_until(app, lambda: window.operator is not None)
    save(window, "registry.png")

    QTest.keyClicks(window.search, "siti")
    wait_until(app, lambda: window.search.text() == "siti" and not window.searching())
    wait_until(app, lambda: not window._search_timer.isActive() and not window.searching())
    save(window, "search.png")

    person_id, name = pick(demo, PERSON_SQL)
    window.search.setText(name)
    window.run_search()
    wait_until(app, lambda: not window.searching())
    window.show_tab(PEOPLE)
    window.people_view.selectRow(window.people_model.row_of(person_id))
    wait_until(app, lambda: window.details.shown == ("person", person_id))
    save(window, "person.png")

    household_id, kk = pick(demo, HOUSEHOLD_SQL)
    window.search.setText(kk)
    window.run_search()
    wait_until(app, lambda: not window.searching())
    window.show_tab(HOUSEHOLDS)
    window.households_view.selectRow(window.households_model.row_of(household_id))
    wait_until(app, lambda: window.details.shown == ("household", household_id))
    save(window, "household.png")

    enrolment_screens(app, demo, save)
    form = window.new_household()
    fill_household(QTest, form)
    save(form, "household-form.png")
    form.discard()

    window.add_person(household_id)
    wait_until(app, lambda: bool(window.forms))
    form = window.forms[0]
    fill_person(QTest, form)
    wait_until(app, lambda: form.fields["nik"].message.text() != "")
    save(form, "person-form.png")
    form.discard()

    window.close()  # stops the reader thread before its folder goes
    if not args.skip_office:
        office_screens(app, scratch, save)
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


# -- enrolment forms (issue 3) ------------------------------------------------------------------

ENROLMENT_PEOPLE_SQL = {
    # A working-age rubber tapper or farmer from the poorest deciles.
    "PAKE_KELAMBU": """SELECT p.id FROM person p JOIN household h ON h.id = p.household_id
        WHERE p.occupation IN ('penyadap_karet', 'petani', 'nelayan') AND h.welfare_decile <= 3
          AND p.birth_date BETWEEN '1970-01-01' AND '2000-01-01' ORDER BY p.pk LIMIT 1""",
    "BANTU_UMAK": """SELECT p.id FROM person p JOIN household h ON h.head_person_id = p.id
        WHERE h.welfare_decile = 1 AND (SELECT count(*) FROM person m
          WHERE m.household_id = h.id) >= 4 ORDER BY p.pk LIMIT 1""",
    "PEDAS_NIA": """SELECT id FROM person WHERE birth_date < '1960-01-01'
        ORDER BY disability != '[]' DESC, pk LIMIT 1""",
    "BERTANI": """SELECT p.id FROM person p JOIN household h ON h.head_person_id = p.id
        WHERE h.welfare_decile <= 2 ORDER BY p.pk DESC LIMIT 1""",
    "BAKUL_NASI": """SELECT p.id FROM person p JOIN household h ON h.head_person_id = p.id
        WHERE p.birth_date < '1960-01-01' ORDER BY (SELECT count(*) FROM person m
          WHERE m.household_id = h.id), p.pk LIMIT 1""",
    "PKM": """SELECT id FROM person WHERE birth_date BETWEEN '1985-01-01' AND '2000-01-01'
        AND sex = 'P' ORDER BY pk LIMIT 1""",
}
KUBE_MEMBERS_SQL = """
    SELECT p.id FROM person p JOIN household h ON h.head_person_id = p.id
    WHERE p.birth_date BETWEEN '1970-01-01' AND '2000-01-01'
      AND coalesce(p.occupation, '') NOT IN ('pns', 'tni_polri')
    ORDER BY p.pk LIMIT 10
"""
# What a worker would type into each form (text as typed, choices by value).
ENROLMENT_VALUES = {
    "PAKE_KELAMBU": {"monthly_income": "1.200.000", "cover": ["jkk", "jkm"],
                     "heir_name": "Ahmad", "heir_relation": "anak", "cover_start": "2027-01-01"},
    "BANTU_UMAK": {"decile_source": "dtsen", "monthly_spending": "900.000",
                   "income_source": "buruh", "payment_channel": "bri",
                   "account_number": "0123-01-000123-50-1", "account_holder": None},
    "PEDAS_NIA": {"severity": "sedang", "assistive_devices": ["kursi_roda"],
                  "caregiver_name": "Rosmawati", "caregiver_relation": "anak",
                  "aid_form": "tunai_barang"},
    "BERTANI": {"roof_material": "seng", "roof_condition": "rusak_berat",
                "wall_material": "papan_kayu", "wall_condition": "rusak_sedang",
                "floor_material": "papan_kayu", "floor_condition": "rusak_berat",
                "floor_area": "24", "water_source": "sungai", "toilet": "tidak_ada",
                "lighting": "pln_menumpang", "land_evidence": "sk_desa", "land_disputed": False,
                "had_housing_aid": False, "budget": "20.000.000", "progress": "0"},
    "KUBE_UEP": {"group_name": "KUBE Karet Sejahtera", "business_type": "ternak",
                 "business_description": "Ternak kambing bersama", "grant_amount": "20.000.000",
                 "bank": "bri", "account_number": "0456-01-000789-50-2"},
    "BAKUL_NASI": {"meals_per_day": "2", "delivery_period": "mingguan", "days_per_period": "7",
                   "lives_alone": True},
    "PKM": {"business_type": "olahan_pangan", "business_stage": "berjalan",
            "business_place": "Pasar Sekayu", "current_capital": "750.000",
            "amount_asked": "3.000.000", "trainings": ["pembukuan", "pengemasan"]},
}  # fmt: skip
BERTANI_PHOTOS_SQL = """
    SELECT e.id FROM enrolment e WHERE e.program = 'BERTANI' AND EXISTS (SELECT 1 FROM photo b
      WHERE b.owner_id = e.id AND b.kind = 'house_before') AND EXISTS (SELECT 1 FROM photo a
      WHERE a.owner_id = e.id AND a.kind = 'house_after') ORDER BY e.pk LIMIT 1
"""


def enrolment_screens(app, demo: Path, save: Callable) -> None:
    """Each program's form filled in (program-<code>.png) and the Bertani before/after view."""
    from PySide6.QtWidgets import QScrollArea

    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.bertani import HousePhotosDialog
    from muba_desk.gui.enrolment_form import open_form
    from muba_desk.photos import ingest
    from muba_desk.store.enrolment_reads import house_photos, people

    backend = enrolment_backend.direct(demo, None, "Rina Operator")
    for code, values in ENROLMENT_VALUES.items():
        target = {}
        if code in ENROLMENT_PEOPLE_SQL:
            target["person_id"] = pick(demo, ENROLMENT_PEOPLE_SQL[code])[0]
        form = open_form(code, backend, **target)
        form.resize(*SIZE)
        form.show()
        wait_until(app, lambda form=form: form.target is not None)
        if code == "KUBE_UEP":
            ids = [r[0] for r in rows(demo, KUBE_MEMBERS_SQL)]
            backend.read(
                lambda db, ids=ids: people(db, ids),
                lambda rows, form=form: [form.inputs["members"].add_person(r) for r in rows],
            )
        for name, value in values.items():
            if value is not None:
                form.inputs[name].set_raw(value)
        if code == "BERTANI":
            enrolment_id = pick(demo, BERTANI_PHOTOS_SQL)[0]
            photos = {}
            backend.read(lambda db, e=enrolment_id: house_photos(db, e), photos.update)
            for kind in ("house_before", "house_during"):
                if photos.get(kind):
                    form.slots[kind]._ingested(ingest(photos[kind][-1]["jpeg"]))
            settle(app, form)
            # Scrolled down: the photo slots are what sets this form apart.
            bar = form.findChild(QScrollArea).verticalScrollBar()
            bar.setValue(bar.maximum())
        form.refresh()
        save(form, f"program-{code.lower().replace('_', '-')}.png")
        form.touched.clear()
        form.done(0)
    dialog = HousePhotosDialog(backend, pick(demo, BERTANI_PHOTOS_SQL)[0])
    dialog.resize(1220, 880)
    dialog.show()
    wait_until(app, lambda: dialog.loaded)
    save(dialog.view, "bertani-before-after.png")
    dialog.done(0)
    backend.close()


# -- the office desk and the laptop's sync page (issues 5 and 6) ---------------------------------


def demo_villages(probe: Path, people: int, seed: int) -> list[str]:
    """The villages `create_demo(people, seed)` fills (the same seed, the same villages)."""
    from muba_desk.demo import create_demo
    from muba_desk.store import keys as db_keys
    from muba_desk.store.db import connect

    db_keys.create_key_file(probe, recovery_passphrase="probe")
    db = connect(probe)
    try:
        create_demo(db, people=people, seed=seed)
        return [
            code
            for (code,) in db.conn.execute(
                "SELECT village_code FROM household UNION SELECT village_code FROM institution "
                "UNION SELECT village_code FROM grp ORDER BY 1"
            )
            if code
        ]
    finally:
        db.close()


def office_screens(app, scratch: Path, save: Callable) -> None:
    """An office with two demo laptops' bundles imported: office-*.png and sync-laptop.png."""
    from muba_desk.demo import create_demo
    from muba_desk.domain.nik import parse_nik
    from muba_desk.gui.main_window import MainWindow
    from muba_desk.store import operators
    from muba_desk.store.db import connect
    from muba_desk.store.records import add_household, add_person
    from muba_desk.store.registry import Registry
    from muba_desk.sync import keys
    from muba_desk.sync.export import export_bundle
    from muba_desk.sync.importer import import_bundle
    from muba_desk.sync.returns import office_return

    def edit(path: Path, fn):
        db = connect(path)
        try:
            reg = Registry(db, "op-demo")
            with reg.transaction():
                return fn(reg)
        finally:
            db.close()

    root = scratch / "office"
    root.mkdir()
    stick = root / "stick"
    stick.mkdir()
    office_db = root / "kantor.db"
    keys.create_office(office_db, "kata sandi kantor")
    db = connect(office_db)
    office = keys.unlock_office(db, "kata sandi kantor")
    db.close()
    laptops, served = {}, {}
    for code, name, people, seed in (("L07", "Sekayu 1", 600, 7), ("L08", "Sekayu 2", 400, 8)):
        provision = root / f"{code}.provision"
        keys.register_laptop(
            office_db,
            office,
            name=f"Laptop {name}",
            code=code,
            district_code="16.06.01",
            # The office takes only rows of a laptop's own villages: serve those the demo fills.
            villages=served.setdefault(
                code, demo_villages(root / f"{code}-probe.db", people, seed)
            ),
            out_path=provision,
            setup_passphrase="penyiapan",
        )
        laptops[code] = root / f"{code}.db"
        keys.apply_provisioning(laptops[code], provision, "penyiapan")
        db = connect(laptops[code])
        try:
            create_demo(db, people=people, seed=seed)
        finally:
            db.close()
    # One NIK registered on both laptops, and one person edited at the office and on L07.
    nik, person_id = pick(
        laptops["L07"], "SELECT nik, id FROM person WHERE nik IS NOT NULL LIMIT 1"
    )
    name = pick(laptops["L07"], f"SELECT name FROM person WHERE id = '{person_id}'")[0]
    edit(
        laptops["L08"],
        lambda reg: add_person(
            reg,
            name=name,
            sex=parse_nik(nik).sex,  # as the NIK says: the rules refuse a disagreement
            nik=nik,
            birth_date=parse_nik(nik).birth_date.isoformat(),
            relation="kepala",
            household_id=add_household(reg, village_code=served["L08"][0])["id"],
        ),
    )
    for code in ("L07", "L08"):
        import_bundle(office_db, export_bundle(laptops[code], stick), office=office)
    # The phone changed on both sides waits for the clerk; the occupation, changed on the
    # laptop only, is taken from it by default (three-way: the value both started from shows).
    edit(office_db, lambda reg: reg.update("person", person_id, {"phone": "081200001111"}))
    edit(
        laptops["L07"],
        lambda reg: reg.update(
            "person", person_id, {"phone": "081377772222", "occupation": "penyadap_karet"}
        ),
    )
    import_bundle(office_db, export_bundle(laptops["L07"], stick), office=office)
    office_return(office_db, "L08", stick, office=office)
    for path in stick.iterdir():
        path.unlink()
    export_bundle(laptops["L08"], stick)  # waiting in the inbox

    window = MainWindow(office_db)
    window.resize(*OFFICE_SIZE)
    window.show()
    desk = window.office_desk
    desk.session.keys = office  # unlocked as after the passphrase dialog
    desk.laptops.import_paths([stick])
    checked = said("{count} paket diperiksa: {good} diterima, {bad} ditolak.")
    wait_until(app, lambda: checked in desk.laptops.report.toPlainText())
    wait_until(app, lambda: desk.laptops.table.rowCount() == 2)
    save(window, "office-laptops.png")
    desk.show_page(desk.registry)
    wait_until(app, lambda: desk.registry.table.rowCount() > 0)
    desk.registry.table.selectRow(2)
    history = said("Riwayat di kantor dan di laptop")
    wait_until(app, lambda: history in desk.registry.details.toPlainText())
    save(window, "office-registry.png")
    desk.show_page(desk.duplicates)
    # The pairs the import queued show their scores before any scan; the scan adds the rest.
    left = said("Tersisa {count} pasangan di antrean ini")
    wait_until(app, lambda: left in desk.duplicates.scan_label.text())
    desk.duplicates.scan()
    wait_until(app, lambda: left in desk.duplicates.scan_label.text(), timeout=120)
    desk.duplicates.list.selectRow(0)
    wait_until(app, lambda: desk.duplicates.pair.rowCount() > 0)
    save(window, "office-duplicates.png")
    desk.show_page(desk.conflicts)
    wait_until(app, lambda: desk.conflicts.list.rowCount() > 0)
    desk.conflicts.list.selectRow(0)
    wait_until(app, lambda: desk.conflicts.fields.rowCount() > 0)
    save(window, "office-conflicts.png")
    desk.show_page(desk.decisions)
    wait_until(app, lambda: desk.decisions.table.rowCount() > 0)
    for row in range(min(3, desk.decisions.table.rowCount())):
        desk.decisions.table.selectRow(row)
    save(window, "office-decisions.png")
    desk.show_page(desk.budget)
    wait_until(app, lambda: desk.budget.table.rowCount() > 0)
    save(window, "office-budget.png")
    desk.show_page(desk.reports)
    wait_until(app, lambda: desk.reports.figures is not None)
    save(window, "office-dashboard.png")
    window.close()

    edit(laptops["L07"], lambda reg: reg.update("person", person_id, {"occupation": "petani"}))
    db = connect(laptops["L07"])
    try:  # the demo fill made operators: sign in as the first, as after the sign-in page
        operator = operators.list_operators(db)[0]
    finally:
        db.close()
    window = MainWindow(laptops["L07"], operator=operator)
    window.resize(*SIZE)
    window.show()
    page = window.sync_page
    window.work_tabs.setCurrentWidget(page)
    page.add_folder(stick)
    wait_until(app, lambda: page.table.rowCount() > 0)
    save(window, "sync-laptop.png")
    window.close()


if __name__ == "__main__":
    sys.exit(main())
