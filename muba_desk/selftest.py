"""`muba-desk --self-test`: the whole app once, in a throwaway data folder, in a few seconds.

It proves that an installation (a checkout, or the frozen folder PyInstaller builds) has every
piece the app loads: the shipped resources (areas, fonts, translations), SQLite with the
migrations, Pillow with pillow-heif's native libheif, ReportLab, zxing-cpp, cryptography and
pyrage, and Qt with the plugins it needs (platform, image formats, print support, QtPdf). It
runs the registration, printing and sync paths an operator uses: a laptop provisioned by an
office registers a household and a person with a photo, enrols and submits them, sends a
bundle that the office imports and approves, takes the return bundle back, prints the card
(cards are only for approved enrolments) and records a hand-over, prints the receipt to PDF
(QR codes read back and verified), sends the hand-over to the office; then the main window
opens on that registry, offscreen.

Nothing outside the temporary folder is touched: MUBA_DESK_DATA points into it meanwhile.
The Qt half (QR reading through QtPdf, plugins, the window) is muba_desk/gui/selfcheck.py.
Exit code 0 with one line "self-test OK: ...", or 1 with "self-test FAILED at <step>: <why>"
(and the traceback on stderr).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

VILLAGE = "16.06.01.2003"  # a village of the shipped area list (Musi Banyuasin)
DISTRICT = "16.06.01"
LAPTOP_CODE = "L99"
OFFICE_PASSPHRASE = "uji-mandiri-kantor"
SETUP_PASSPHRASE = "uji-mandiri-penyiapan"
# The real scrypt work factor costs 128 MiB and about half a second per seal; a self-test's
# keys are thrown away with the folder, so the lowest accepted factor is used meanwhile.
SELFTEST_SCRYPT_LOG_N = 10
WINDOW_TIMEOUT_S = 20.0


class StepFailed(Exception):
    """A check of the self-test that did not hold; str() says what was expected."""


@dataclass
class Context:
    root: Path
    laptop_db: Path = field(init=False)
    office_db: Path = field(init=False)
    office: object = None  # sync.keys.OfficeKeys, once made
    photo: object = None  # photos.IngestedPhoto
    person_id: str | None = None
    enrolment_id: str | None = None
    handover_id: str | None = None
    photo_sha256: str | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.laptop_db = self.root / "registry.db"  # = paths.default_db_path() meanwhile
        self.office_db = self.root / "office" / "office.db"


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


# -- steps ----------------------------------------------------------------------------------
def step_resources(ctx: Context) -> None:
    """The files shipped under resources/ are where paths.resource() looks for them."""
    from muba_desk import i18n
    from muba_desk.paths import resource

    for parts in (
        ("areas", "villages_1606_musi_banyuasin.csv"),
        ("fonts", "DejaVuSans.ttf"),
        ("locale", "en.po"),
    ):
        path = resource(*parts)
        _check(path.is_file(), f"{path} is missing")
    _check(i18n.load_catalogue(resource("locale", "en.po")), "en.po has no usable translation")


def step_db(ctx: Context) -> None:
    """A new registry is created encrypted (SQLCipher is in the build) and migrated, with the
    regency's villages loaded."""
    from muba_desk.store import keys as db_keys
    from muba_desk.store.db import applied_migrations, connect, is_plain_sqlite

    if db_keys.encryption_enabled():
        db_keys.create_key_file(ctx.laptop_db, recovery_passphrase=SETUP_PASSPHRASE)
    db = connect(ctx.laptop_db)
    try:
        _check(applied_migrations(db), "no migration was applied")
        if db_keys.encryption_enabled():
            _check(not is_plain_sqlite(ctx.laptop_db), "the new registry is not encrypted")
        villages = db.conn.execute("SELECT count(*) FROM area_village").fetchone()[0]
        _check(villages > 0, "the village list was not loaded")
        known = db.conn.execute("SELECT 1 FROM area_village WHERE code = ?", (VILLAGE,))
        _check(known.fetchone() is not None, f"village {VILLAGE} is not in the area list")
    finally:
        db.close()


def step_keys(ctx: Context) -> None:
    """An office identity is made and this registry provisioned as one of its laptops."""
    from muba_desk.store.db import connect
    from muba_desk.sync import keys

    saved = keys.SCRYPT_LOG_N
    keys.SCRYPT_LOG_N = SELFTEST_SCRYPT_LOG_N
    try:
        keys.create_office(ctx.office_db, OFFICE_PASSPHRASE)
        db = connect(ctx.office_db)
        try:
            ctx.office = keys.unlock_office(db, OFFICE_PASSPHRASE)
        finally:
            db.close()
        provision = ctx.root / f"{LAPTOP_CODE}.provision"
        keys.register_laptop(
            ctx.office_db,
            ctx.office,
            name="Laptop uji mandiri",
            code=LAPTOP_CODE,
            district_code=DISTRICT,
            villages=[VILLAGE],
            out_path=provision,
            setup_passphrase=SETUP_PASSPHRASE,
        )
        keys.apply_provisioning(ctx.laptop_db, provision, SETUP_PASSPHRASE)
    finally:
        keys.SCRYPT_LOG_N = saved
    from muba_desk.store import keys as db_keys

    if db_keys.is_encrypted(ctx.laptop_db):
        kinds = {slot.get("kind") for slot in db_keys.read_key_file(ctx.laptop_db)["slots"]}
        _check("office" in kinds, "provisioning did not add the office's recovery copy")


def _jpeg() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 640), (214, 196, 170))
    draw = ImageDraw.Draw(image)
    draw.ellipse((140, 120, 340, 360), fill=(150, 110, 80))
    draw.rectangle((100, 380, 380, 640), fill=(40, 70, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _heic() -> bytes:
    """A tiny HEIC made by pillow-heif's own encoder: proves libheif is loadable."""
    import pillow_heif
    from PIL import Image

    heif = pillow_heif.from_pillow(Image.new("RGB", (64, 48), (30, 120, 60)))
    buffer = io.BytesIO()
    heif.save(buffer, quality=50)
    return buffer.getvalue()


def step_photo(ctx: Context) -> None:
    """A JPEG and a HEIC photo are taken in (the HEIC through pillow-heif's libheif)."""
    from muba_desk.photos import ingest

    heic = ingest(_heic())
    _check((heic.width, heic.height) == (64, 48), "the HEIC photo came out the wrong size")
    photo = ingest(_jpeg())
    _check(photo.jpeg.startswith(b"\xff\xd8") and photo.thumbnail, "no JPEG or thumbnail")
    ctx.photo_sha256 = photo.sha256
    ctx.photo = photo


def step_register(ctx: Context) -> None:
    """A household and a person with her portrait; enrolled and submitted."""
    from muba_desk.domain.status import Status
    from muba_desk.store import records
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry

    db = connect(ctx.laptop_db)
    try:
        db.conn.execute(
            "INSERT INTO operator (id, username, full_name, role, created_at) "
            "VALUES ('op-selftest', 'ujimandiri', 'Petugas Uji', 'operator', "
            "'2026-01-01T00:00:00Z')"
        )
        reg = Registry(db, operator_id="op-selftest")
        with reg.transaction():
            home = records.add_household(
                reg, village_code=VILLAGE, kk_number="1606012003990001", address="Jl. Uji"
            )
            person = records.add_person(
                reg,
                name="Siti Uji Mandiri",
                sex="P",
                nik="1606014507780099",
                birth_date="1978-07-05",
                household_id=home["id"],
                relation="kepala",
            )
            records.add_photo(
                reg, ctx.photo, kind="portrait", owner_table="person", owner_id=person["id"]
            )
            enrolment = records.enrol(
                reg,
                program="BANTU_UMAK",
                data={"decile_source": "dtsen", "household_size": 1, "payment_channel": "tunai"},
                person_id=person["id"],
                household_id=home["id"],
                village_code=VILLAGE,
            )
            records.set_status(reg, enrolment["id"], Status.DIAJUKAN)
        _check(enrolment["card_number"], "the enrolment got no card number")
        ctx.person_id, ctx.enrolment_id = person["id"], enrolment["id"]
    finally:
        db.close()


def step_decision(ctx: Context) -> None:
    """The export sends the enrolment (Terkirim), the office approves it, the return bundle
    brings the approval back, and the laptop hands the aid over (only now allowed)."""
    from muba_desk.domain.status import Status
    from muba_desk.office.decisions import decide
    from muba_desk.store import records
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry
    from muba_desk.sync.export import export_bundle
    from muba_desk.sync.importer import STATUS_IMPORTED, import_bundle
    from muba_desk.sync.receive import import_return
    from muba_desk.sync.returns import office_return

    stick = ctx.root / "flashdisk"
    stick.mkdir(exist_ok=True)
    report = import_bundle(ctx.office_db, export_bundle(ctx.laptop_db, stick), office=ctx.office)
    _check(
        report.status == STATUS_IMPORTED and not report.refused,
        f"the office said: {report.summary()}",
    )
    db = connect(ctx.office_db)
    try:
        approved = decide(Registry(db, operator_id="op-selftest-kantor"), ctx.enrolment_id, True)
    finally:
        db.close()
    _check(approved["status"] == Status.DISETUJUI, "the office could not approve")
    answer = import_return(
        ctx.laptop_db, office_return(ctx.office_db, LAPTOP_CODE, stick, office=ctx.office)
    )
    _check(answer.status == STATUS_IMPORTED, f"the laptop said: {answer.summary()}")
    db = connect(ctx.laptop_db)
    try:
        reg = Registry(db, operator_id="op-selftest")
        with reg.transaction():
            handover = records.hand_over(
                reg,
                enrolment_id=ctx.enrolment_id,
                handed_at="2026-03-15",
                confirmed_by="tanda_tangan",
                amount=1_950_000,
                tranche="Tahap 1",
                period="Januari - Maret 2026",
            )
        status = reg.get("enrolment", ctx.enrolment_id)["status"]
    finally:
        db.close()
    _check(status == Status.AKTIF, f"the first hand-over left the enrolment {status}")
    _check(LAPTOP_CODE in handover["receipt_number"], "the receipt number lacks the laptop")
    ctx.handover_id = handover["id"]


def _qt():
    """muba_desk.gui.selfcheck, or None when Qt is not installed (never so when frozen)."""
    try:
        from muba_desk.gui import selfcheck
    except ImportError:
        if getattr(sys, "frozen", False):
            raise  # the frozen app always ships Qt: missing is a broken build
        return None
    return selfcheck


def _check_pdf(ctx: Context, pdf: Path, what: str) -> None:
    """A PDF whose QR codes, when Qt can render it, verify against this laptop's key."""
    from muba_desk.signing import known_public_keys, verify_payload
    from muba_desk.store.db import connect

    _check(pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), f"the {what} is not a PDF")
    qt = _qt()
    if qt is None:
        ctx.notes.append(f"{what} QR not read (no Qt)")
        return
    texts = qt.qr_texts(pdf)
    _check(len(texts) >= 1, f"no QR code could be read on the {what}")
    db = connect(ctx.laptop_db, readonly=True)
    try:
        keys = known_public_keys(db)
    finally:
        db.close()
    for text in texts:
        verified = verify_payload(text, keys)  # InvalidPayload says why not
        _check(verified.name.startswith("Siti"), f"the {what}'s QR names {verified.name!r}")


def step_card(ctx: Context) -> None:
    """The person's card as a one-card PDF, its QR signed by this laptop."""
    from muba_desk.printing.cards import print_cards

    pdf = ctx.root / "kartu.pdf"
    count = print_cards(ctx.laptop_db, pdf, person_id=ctx.person_id, layout="card").count
    _check(count == 1, f"{count} cards were made instead of 1")
    _check_pdf(ctx, pdf, "card")


def step_receipt(ctx: Context) -> None:
    """The hand-over's receipt (A4, two copies), counted as printed."""
    from muba_desk.printing.receipts import issue_receipt
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry

    pdf = ctx.root / "kuitansi.pdf"
    db = connect(ctx.laptop_db)
    try:
        issue_receipt(Registry(db, operator_id="op-selftest"), ctx.handover_id, str(pdf))
        printed = db.conn.execute(
            "SELECT times_printed FROM handover WHERE id = ?", (ctx.handover_id,)
        ).fetchone()[0]
        _check(printed == 1, f"the receipt was counted {printed} times instead of once")
    finally:
        db.close()
    _check_pdf(ctx, pdf, "receipt")


def step_bundle(ctx: Context) -> None:
    """The laptop writes its next bundle to a 'stick' and the office imports it: the photo
    (sent before) is there, and the hand-over arrives."""
    from muba_desk.store.db import connect
    from muba_desk.sync.export import export_bundle
    from muba_desk.sync.importer import STATUS_IMPORTED, import_bundle

    stick = ctx.root / "flashdisk"
    stick.mkdir(exist_ok=True)
    path = export_bundle(ctx.laptop_db, stick)
    report = import_bundle(ctx.office_db, path, office=ctx.office)
    _check(
        report.status == STATUS_IMPORTED and not report.refused,
        f"the office said: {report.summary()}",
    )
    _check(report.laptop == LAPTOP_CODE, f"the bundle came from {report.laptop!r}")
    db = connect(ctx.office_db, readonly=True)
    try:
        found = db.conn.execute(
            "SELECT ph.sha256 FROM person p JOIN photo ph ON ph.id = p.photo_id WHERE p.id = ?",
            (ctx.person_id,),
        ).fetchone()
        handed = db.conn.execute(
            "SELECT count(*) FROM handover WHERE id = ?", (ctx.handover_id,)
        ).fetchone()[0]
    finally:
        db.close()
    _check(found is not None, "the person or her photo did not arrive at the office")
    _check(found[0] == ctx.photo_sha256, "the photo arrived changed")
    _check(handed == 1, "the hand-over did not arrive at the office")


def step_window(ctx: Context) -> None:
    """The main window opens on the laptop's registry and lists the person; the desktop
    platform plugin and JPEG decoding (photo thumbnails) are there."""
    qt = _qt()
    if qt is None:
        ctx.notes.append("window skipped (no Qt)")
        return
    missing = qt.missing_plugins()
    _check(not missing, f"Qt plugins missing: {', '.join(missing)}")
    _check(qt.jpeg_readable(ctx.photo.thumbnail), "Qt cannot read JPEG (imageformats plugin)")
    rows = qt.window_people(ctx.laptop_db, WINDOW_TIMEOUT_S)
    _check(rows == 1, f"the window lists {rows} people instead of 1")


STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("resources", step_resources),
    ("db", step_db),
    ("keys", step_keys),
    ("photo", step_photo),
    ("register", step_register),
    ("decision", step_decision),
    ("card", step_card),  # a card only once the office approved
    ("receipt", step_receipt),
    ("bundle", step_bundle),
    ("window", step_window),
]


@contextmanager
def _environment(folder: Path) -> Iterator[None]:
    """MUBA_DESK_DATA in the throwaway folder; Qt offscreen unless the caller chose a platform."""
    saved = {name: os.environ.get(name) for name in ("MUBA_DESK_DATA", "QT_QPA_PLATFORM")}
    os.environ["MUBA_DESK_DATA"] = str(folder)
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _say(text: str, stream) -> None:
    # A windowed Windows build has no stdout (None): the exit code still tells.
    if stream is not None:
        print(text, file=stream, flush=True)


def run(steps: list[tuple[str, Callable[[Context], None]]] | None = None) -> int:
    """Run every step in a temporary data folder; 0 and one line when all pass, else 1."""
    started = time.monotonic()
    passed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="muba-desk-selftest-", ignore_cleanup_errors=True) as t:
        folder = Path(t)
        ctx = Context(folder)
        with _environment(folder):
            for name, step in steps or STEPS:
                try:
                    step(ctx)
                except Exception as exc:
                    _say("".join(traceback.format_exception(exc)).rstrip(), sys.stderr)
                    why = str(exc) or type(exc).__name__
                    _say(f"self-test FAILED at {name}: {type(exc).__name__}: {why}", sys.stdout)
                    return 1
                passed.append(name)
    notes = f"; {'; '.join(ctx.notes)}" if ctx.notes else ""
    elapsed = time.monotonic() - started
    _say(f"self-test OK: {', '.join(passed)}{notes} ({elapsed:.1f} s)", sys.stdout)
    return 0
