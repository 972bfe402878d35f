"""The data the tasks run on, made once and cached under benchmarks/.cache/.

* the registry: `create_demo` at the size asked (250,000 people for the full run), the slow
  part, so it is kept between runs; its file name carries the schema, so a new migration makes
  a new one;
* a 12-megapixel phone JPEG (the Jolla sample of tests/data/photos, enlarged to 4000 x 3000,
  its EXIF kept);
* an office and a provisioned laptop holding N changed rows with P photos, for export/import;
* a registry of N people each with a photo and an enrolment with a card number, for cards.

Photos are made from a few real ingested pictures; each copy gets a JPEG comment segment that
makes its bytes (and hash) its own at no decoding cost, so the bundle carries P distinct photos.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from benchmarks.common import Sizes, cache_dir

ROOT = Path(__file__).resolve().parent.parent
PHONE_SAMPLE = ROOT / "tests/data/photos/jpg_mobile/jolla.jpg"
SEED = 1
OFFICE_PASSPHRASE = "bench-kantor"
SETUP_PASSPHRASE = "bench-penyiapan"
VILLAGES = ["16.06.01.1009", "16.06.01.1010"]
OPERATOR = "bench-operator"
# Part of the cached files' names: raise it when what they hold changes. 3: names, NIKs and
# KKs the core's rules accept (a bundle of the old ones is refused at import). 4: card holders'
# enrolments approved (cards are printed for approved enrolments only).
FIXTURES = 4
# The office passphrase is made with a low scrypt work factor, as in tests/sync (the format is
# the same; only unlocking it is timed nowhere).
SCRYPT_LOG_N = 10


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _schema_tag() -> str:
    from muba_desk.store.schema import MIGRATIONS

    return sorted(m.name for m in MIGRATIONS._migrations)[-1]


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _migrate_older(path: Path, *files: str) -> bool:
    """Bring a cache entry made at an older schema up to date instead of making it again.

    `path` is the entry at the current schema tag (a database file, or a folder holding
    `files`); the newest entry of the same kind at an older tag is migrated in place, as an
    installed app migrates a laptop's registry, and renamed to `path`. Making the 250,000-person
    registry again takes minutes; adding an index to it, seconds.
    """
    from muba_desk.store.db import connect

    tag = _schema_tag()
    stem = path.name.removesuffix(".db")
    if not stem.endswith(tag):
        return False
    prefix, suffix = stem[: -len(tag)], ".db" if path.name.endswith(".db") else ""
    older = sorted(
        c
        for c in path.parent.glob(f"{prefix}m[0-9][0-9][0-9]_*{suffix}")
        if c.name.removesuffix(suffix)[len(prefix) :] < tag
        and c.name == c.name.removesuffix(".partial")
        and (suffix or (c / "done").exists())
    )
    if not older:
        return False
    source = older[-1]
    log(f"migrating the cached {source.name} to {tag} …")
    databases = [source / name for name in files] if not suffix else [source]
    for database in databases:
        connect(database).close()
        # The copy the migration keeps beside a registry: not needed for a cache.
        for backup in database.parent.glob(f"{database.name}.before-*.bak"):
            backup.unlink()
    source.rename(path)
    sidecar = source.with_name(f"{source.name.removesuffix(suffix)}.json")
    if suffix and sidecar.exists():
        sidecar.rename(path.with_name(f"{stem}.json"))
    return True


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a closed database (no WAL left) for one round to change."""
    _fresh(target)
    shutil.copyfile(source, target)
    return target


# -- the registry ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Registry:
    path: Path
    people: int
    made_in_s: float | None  # seconds create_demo took, when made in this run


def registry(sizes: Sizes, cache: Path | None = None) -> Registry:
    """The demo registry of `sizes.people` people (made on first use, then reused)."""
    cache = cache or cache_dir()
    from muba_desk.demo import create_demo
    from muba_desk.store import operators
    from muba_desk.store.db import connect

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"registry-{sizes.people}-seed{SEED}-{_schema_tag()}.db"
    if path.exists() or _migrate_older(path):
        return Registry(path, sizes.people, None)
    partial = path.with_name(path.name + ".partial")
    _fresh(partial)
    log(f"making the {sizes.people:,}-person demo registry (once; cached in {cache}) …")
    start = time.perf_counter()
    db = connect(partial)
    try:
        last = [0.0]

        class Report:
            def update(self, done, total, label=""):
                if time.perf_counter() - last[0] > 15:
                    last[0] = time.perf_counter()
                    log(f"  {done:,}/{total:,} people")

        create_demo(db, people=sizes.people, seed=SEED, progress=Report())
        operators.ensure_demo_password(db)  # what the window does on first open
    finally:
        db.close()
    made = time.perf_counter() - start
    log(f"  made in {made:.0f} s")
    partial.rename(path)
    (cache / f"{path.stem}.json").write_text(json.dumps({"made_in_s": made}))
    return Registry(path, sizes.people, made)


def demo_operator(path: Path) -> dict:
    from muba_desk.store.db import connect
    from muba_desk.store.operators import list_operators

    db = connect(path)
    try:
        operator = next(op for op in list_operators(db) if op.username == "demo")
    finally:
        db.close()
    return {
        "id": operator.id,
        "username": operator.username,
        "full_name": operator.full_name,
        "role": operator.role,
    }


# -- photos ----------------------------------------------------------------------------------
def phone_jpeg(size: tuple[int, int], cache: Path | None = None) -> bytes:
    """A phone photo of `size` with the sample's EXIF (12 MP at 4000 x 3000), quality 92."""
    cache = cache or cache_dir()
    from PIL import Image

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"phone-{size[0]}x{size[1]}.jpg"
    if not path.exists():
        with Image.open(PHONE_SAMPLE) as im:
            exif = im.info.get("exif", b"")
            big = im.convert("RGB").resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        big.save(buffer, "JPEG", quality=92, exif=exif)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(buffer.getvalue())
        partial.rename(path)
    return path.read_bytes()


@dataclass(frozen=True)
class Photo:
    """Shaped like muba_desk.photos.IngestedPhoto, which `add_photo` takes."""

    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str
    taken_at: str | None = None
    gps: tuple[float, float] | None = None


def _with_comment(jpeg: bytes, text: str) -> bytes:
    """The same picture with a COM segment after SOI: other bytes, same pixels."""
    body = text.encode("ascii")
    return jpeg[:2] + b"\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body + jpeg[2:]


def distinct_photos(
    count: int, source_size: tuple[int, int] = (4000, 3000), cache: Path | None = None
) -> list[Photo]:
    """`count` portraits with distinct bytes, made from 8 crops (3:4) of the phone photo."""
    cache = cache or cache_dir()
    from PIL import Image

    from muba_desk.photos import ingest

    source = Image.open(io.BytesIO(phone_jpeg(source_size, cache))).convert("RGB")
    width, height = source.size
    crop_h = height * 2 // 3
    crop_w = crop_h * 3 // 4
    bases = []
    for i in range(min(8, count)):
        left = (width - crop_w) * i // 8
        crop = source.crop((left, 0, left + crop_w, crop_h))
        buffer = io.BytesIO()
        crop.save(buffer, "JPEG", quality=92)
        bases.append(ingest(buffer.getvalue()))
    thumbs = [Image.open(io.BytesIO(base.thumbnail)).convert("RGB") for base in bases]
    photos = []
    for n in range(count):
        base = bases[n % len(bases)]
        jpeg = _with_comment(base.jpeg, f"bench photo {n}")
        # Thumbnails go into card PDFs, where a writer may share identical pictures: each gets
        # pixels of its own (a row of marks spelling n in binary).
        mark = thumbs[n % len(bases)].copy()
        for bit in range(16):
            colour = (255, 255, 255) if n >> bit & 1 else (0, 0, 0)
            mark.paste(colour, (4 + bit * 4, 4, 7 + bit * 4, 7))
        buffer = io.BytesIO()
        mark.save(buffer, "JPEG", quality=85)
        thumb = buffer.getvalue()
        photos.append(Photo(jpeg, thumb, base.width, base.height, hashlib.sha256(jpeg).hexdigest()))
    return photos


# -- people written through the registry --------------------------------------------------
def letters(n: int) -> str:
    """`n` as a capitalised word of letters (0 -> "A", 27 -> "Bb"): names hold no digits."""
    text = ""
    while True:
        n, digit = divmod(n, 26)
        text = chr(97 + digit) + text
        if n == 0:
            return text.capitalize()


def nik(born: date, sex: str, serial: int) -> str:
    """A NIK of Sekayu that agrees with the birth date and sex (women's day plus 40)."""
    day = born.day + (40 if sex == "P" else 0)
    return f"160601{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def kk_number(k: int) -> str:
    """The `k`-th of distinct, valid KK numbers of Sekayu (issue date, then serial)."""
    day, month, year = 1 + k % 28, 1 + k // 28 % 12, k // 336 % 100
    return f"160601{day:02d}{month:02d}{year:02d}{k // 33_600 + 1:04d}"


# A complete PKM application: the card holders' enrolments pass the rules on their way to
# Disetujui (cards are printed for approved enrolments only).
PKM_DATA = {
    "business_type": "warung",
    "business_stage": "berjalan",
    "business_place": "Pasar desa",
    "current_capital": 500_000,
    "amount_asked": 2_000_000,
    "payment_channel": "tunai",
    "trainings": [],
}


def _add_families(reg, rows: int, photos: list[Photo], *, enrol: bool = False) -> int:
    """Households of four (head first) until `rows` travelling rows are written, the photos
    going to the first people; returns the rows written. With `enrol`, each photographed person
    gets a PKM enrolment (and a card number)."""
    from muba_desk.printing.sample import approve
    from muba_desk.store.records import add_household, add_person, add_photo
    from muba_desk.store.records import enrol as enrol_in

    written, n, household = 0, 0, None
    pending = list(photos)
    while written < rows:
        village = VILLAGES[n // 4 % len(VILLAGES)]
        if n % 4 == 0:
            household = add_household(
                reg,
                village_code=village,
                kk_number=kk_number(n // 4),
                address=f"Jalan Bench {n // 4}",
            )
            written += 1
            if written >= rows:
                break
        # Spread over 70 years, as in a real registry (the duplicate check looks people up
        # by birth date).
        born = date(1950, 1, 1) + timedelta(days=n * 7919 % 25567)
        sex = "L" if n % 2 else "P"
        person = add_person(
            reg,
            name=f"Warga Bench {letters(n)}",
            sex=sex,
            nik=nik(born, sex, n // 25567 + 1),
            household_id=household["id"],
            relation="kepala" if n % 4 == 0 else "anak",
            birth_date=born.isoformat(),
        )
        written += 1
        n += 1
        if pending and written < rows:
            add_photo(
                reg, pending.pop(), kind="portrait", owner_table="person", owner_id=person["id"]
            )
            written += 1
            if enrol:
                enrolled = enrol_in(
                    reg, program="PKM", data=PKM_DATA, person_id=person["id"], village_code=village
                )
                approve(reg, enrolled["id"])  # cards are printed for approved enrolments only
    return written


# -- the office and a laptop with changes ------------------------------------------------
@dataclass(frozen=True)
class Sync:
    office: Path  # the office database, keys made, laptop registered; never imported into
    laptop: Path  # the laptop, provisioned, with the changed rows


def sync_pair(sizes: Sizes, cache: Path | None = None) -> Sync:
    """An office with laptop L07 registered, and L07 holding the changed rows and photos."""
    cache = cache or cache_dir()
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry as Writer
    from muba_desk.sync import keys

    keys.SCRYPT_LOG_N = SCRYPT_LOG_N
    folder = cache / f"sync{FIXTURES}-{sizes.bundle_rows}r-{sizes.bundle_photos}p-{_schema_tag()}"
    result = Sync(folder / "office.db", folder / "laptop.db")
    if (folder / "done").exists() or _migrate_older(folder, "office.db", "laptop.db"):
        return result
    cache.mkdir(parents=True, exist_ok=True)
    log(f"making an office and a laptop with {sizes.bundle_rows:,} changed rows …")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    keys.create_office(result.office, OFFICE_PASSPHRASE)
    db = connect(result.office)
    office = keys.unlock_office(db, OFFICE_PASSPHRASE)
    db.close()
    provision = folder / "L07.provision"
    keys.register_laptop(
        result.office,
        office,
        name="Laptop Bench",
        code="L07",
        district_code="16.06.01",
        villages=VILLAGES,
        out_path=provision,
        setup_passphrase=SETUP_PASSPHRASE,
    )
    keys.apply_provisioning(result.laptop, provision, SETUP_PASSPHRASE)
    db = connect(result.laptop)
    try:
        reg = Writer(db, OPERATOR)
        with reg.transaction():
            _add_families(
                reg,
                sizes.bundle_rows,
                distinct_photos(sizes.bundle_photos, sizes.ingest_size, cache),
            )
    finally:
        db.close()
    (folder / "done").touch()
    return result


def unlock_office(path: Path):
    from muba_desk.store.db import connect
    from muba_desk.sync import keys

    db = connect(path)
    try:
        return keys.unlock_office(db, OFFICE_PASSPHRASE)
    finally:
        db.close()


# -- cards -------------------------------------------------------------------------------------
def card_registry(sizes: Sizes, cache: Path | None = None) -> Path:
    """`sizes.cards` people, each with a photo and a PKM enrolment with a card number."""
    cache = cache or cache_dir()
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry as Writer

    path = cache / f"cards{FIXTURES}-{sizes.cards}-{_schema_tag()}.db"
    if path.exists() or _migrate_older(path):
        return path
    cache.mkdir(parents=True, exist_ok=True)
    log(f"making a registry with {sizes.cards:,} card holders …")
    partial = path.with_name(path.name + ".partial")
    _fresh(partial)
    db = connect(partial)
    try:
        reg = Writer(db, OPERATOR)
        with reg.transaction():
            # 2 rows a card holder (person, photo) plus a household every four.
            rows = sizes.cards * 2 + (sizes.cards + 3) // 4
            _add_families(
                reg, rows, distinct_photos(sizes.cards, sizes.ingest_size, cache), enrol=True
            )
    finally:
        db.close()
    partial.rename(path)
    return path
