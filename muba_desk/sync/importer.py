"""Import at the office: check a laptop's bundle completely, then merge it in one transaction."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from muba_desk.domain.names import fold_name
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.office.duplicates import compare, people_facts, village_districts
from muba_desk.office.registry_query import device_names
from muba_desk.photos import PhotoError, check
from muba_desk.progress import Cancelled, Progress, SilentProgress
from muba_desk.store import audit
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry, insert_rows, now_iso
from muba_desk.store.schema import BLOB_COLUMNS, SYNCED_TABLES, known_migration_names
from muba_desk.sync.authority import REFUSED, Judge, Verdict
from muba_desk.sync.bundle import (
    GENESIS,
    KIND_LAPTOP,
    BundleError,
    Envelope,
    Payload,
    highest_rev,
    open_payload,
    refuse,
    unreadable,
)
from muba_desk.sync.export import AUDIT_COLUMNS
from muba_desk.sync.files import STATUS_ALREADY, STATUS_IMPORTED, STATUS_REFUSED, _read
from muba_desk.sync.keys import OfficeKeys
from muba_desk.sync.review import AUTOMATIC, settle
from muba_desk.sync.rows import _check_record, _columns, _ndjson, rule_problems, write_row
from muba_desk.sync.three_way import base_of, merged_without_clerk

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MANIFEST_FIELDS = frozenset(
    {
        "device_id",
        "sequence",
        "schema",
        "counts",
        "audit_from",
        "audit_head",
        "change_seq_high",
        "members",
    }
)
_JPEG_START = b"\xff\xd8\xff"
# The interpreter's thread switch interval while photos are checked on a worker (see
# `import_bundle`); Python's default is 0.005.
PHOTO_SWITCH_INTERVAL_S = 0.001

# Rows held back that `ImportReport.summary` names one by one; the report keeps them all.
SHOWN_PROBLEMS = 10


@dataclass
class ImportReport:
    """What one bundle did to the office registry, for the report page and the CLI."""

    file: str
    status: str
    laptop: str | None = None  # the laptop's code, e.g. L07
    device_id: str | None = None
    sequence: int | None = None
    new: int = 0
    updated: int = 0
    # Conflicts the import settled itself (`sync.three_way`: the laptop changed only fields
    # the office left alone), counted apart from rows simply updated.
    settled: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0  # rows beyond the laptop's authority, not applied (see `problems`)
    duplicates: int = 0
    photos: int = 0
    audit: int = 0
    reason: str | None = None
    alarm: bool = False
    tables: dict[str, int] = field(default_factory=dict)
    # Rows held back for a reason (`sync.authority`): table, row_id, outcome, reason.
    problems: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        """One Indonesian line; then, for an imported bundle, one for each row held back for
        a reason (the first SHOWN_PROBLEMS)."""
        if self.status == STATUS_REFUSED:
            return f"{self.file}: DITOLAK. {self.reason}"
        if self.status == STATUS_ALREADY:
            return (
                f"{self.file}: sudah pernah diimpor (laptop {self.laptop}, paket "
                f"{self.sequence}); tidak ada yang berubah."
            )
        line = _(
            "{file}: diimpor dari laptop {laptop} (paket {sequence}): {new} baru, {updated} "
            "diperbarui, {settled} konflik diselesaikan otomatis, {unchanged} tetap, "
            "{conflicts} konflik, {duplicates} kemungkinan ganda."
        ).format(
            file=self.file,
            laptop=self.laptop,
            sequence=self.sequence,
            new=self.new,
            updated=self.updated,
            settled=self.settled,
            unchanged=self.unchanged,
            conflicts=self.conflicts,
            duplicates=self.duplicates,
        )
        if self.refused:
            line += f" {self.refused} baris DITOLAK (tidak diterapkan)."
        shown = self.problems[:SHOWN_PROBLEMS]
        for problem in shown:
            outcome = "ditolak" if problem["outcome"] == REFUSED else "konflik, perlu ditinjau"
            line += f"\n  - {outcome}: {problem['reason']}"
        if len(self.problems) > len(shown):
            line += f"\n  - dan {len(self.problems) - len(shown)} lagi (lihat laporan impor)."
        return line


def import_bundle(
    db_path, path, progress: Progress | None = None, *, office: OfficeKeys
) -> ImportReport:
    """Import one bundle; raises BundleError (nothing changed) when it is refused."""
    progress = progress or SilentProgress()
    path = Path(path)
    name = path.name
    progress.update(0, 5, "Memeriksa berkas")
    envelope = _read(path, name)
    header = envelope.header
    if header["kind"] != KIND_LAPTOP:
        raise refuse(name, "ini paket balasan dari kantor; impor di laptop tujuannya.")
    db = connect(db_path)
    # One worker decodes the photos (Pillow lets go of the GIL while it decodes) while this
    # thread checks and merges the rows; `_apply` waits for it before COMMIT, and this thread
    # takes the checks not yet started then. One worker, not two: two decoding while this
    # thread merges made the merge slower by as much as they saved.
    photo_checks = _PhotoChecks()
    _short_switches(+1)
    try:
        laptop = _check_sender(db, envelope, office, name)
        report = ImportReport(
            file=name,
            status=STATUS_IMPORTED,
            laptop=laptop["code"],
            device_id=header["device_id"],
            sequence=header["sequence"],
        )
        if _already_imported(db, envelope, name):
            report.status = STATUS_ALREADY
            return report
        if header["schema"] not in known_migration_names():
            raise refuse(
                name, "paket dibuat oleh muba-desk versi yang lebih baru; perbarui aplikasi kantor."
            )
        progress.update(1, 5, "Membuka isi paket")

        def is_photo(member: str) -> bool:
            return member.startswith("photos/")

        def add_photo_check(member: str, data: bytes, verify) -> None:
            # The worker also checks the photo's CRC and SHA-256, left to it by `open_payload`.
            if is_photo(member):
                photo_checks.add(member[len("photos/") : -len(".jpg")], data, verify)

        plaintext = envelope.decrypt(office.identity, name)
        # The file's bytes can go: the photos are views into the plaintext, the rest is read.
        envelope = dataclasses.replace(envelope, ciphertext=b"")
        payload = open_payload(
            plaintext,
            name,
            on_member=add_photo_check,
            defer=is_photo,
            stream=lambda member: member.endswith(".ndjson"),
        )
        del plaintext
        photo_checks.start()
        progress.update(2, 5, "Memeriksa isi paket")
        content = _check_payload(db, payload, header, name, photo_checks)
        del payload  # the members live on in `content`; the rest can go
        progress.update(3, 5, "Menggabungkan data")
        _apply(db, content, envelope, laptop, report, name, progress)
        progress.update(5, 5, "Selesai")
        return report
    finally:
        # A refusal before the photos were waited for: drop the checks not yet started.
        photo_checks.cancel()
        _short_switches(-1)
        db.close()


_switches_lock = threading.Lock()
_switches = {"depth": 0, "saved": 0.005}


def _short_switches(step: int) -> None:
    """While any import runs (+1 on entry, -1 on exit), the interpreter's thread switch
    interval is PHOTO_SWITCH_INTERVAL_S. The photo worker wins the GIL back after each decode
    only when the importing thread lets go of it, by default after 5 ms of Python: the 2,000
    photos and thumbnails of a large bundle waited seconds so."""
    with _switches_lock:
        if step > 0 and _switches["depth"] == 0:
            _switches["saved"] = sys.getswitchinterval()
            sys.setswitchinterval(min(_switches["saved"], PHOTO_SWITCH_INTERVAL_S))
        _switches["depth"] += step
        if step < 0 and _switches["depth"] == 0:
            sys.setswitchinterval(_switches["saved"])


def import_many(db_path, paths, progress: Progress | None = None, *, office: OfficeKeys):
    """Import each bundle on its own; a refused one is reported and does not stop the rest.

    Any failure of one file refuses that file only (its transaction is rolled back, so
    nothing of it is written): a bug met by one odd bundle must not keep the office from the
    rest of the stick. Cancelling (`progress.Cancelled`) still stops them all."""
    reports = []
    for path in paths:
        try:
            reports.append(import_bundle(db_path, path, progress, office=office))
        except BundleError as exc:
            reports.append(
                ImportReport(
                    file=Path(path).name, status=STATUS_REFUSED, reason=str(exc), alarm=exc.alarm
                )
            )
        except Cancelled:
            raise
        except Exception as exc:
            name = Path(path).name
            reports.append(
                ImportReport(file=name, status=STATUS_REFUSED, reason=unreadable(name, exc))
            )
    return reports


def _check_sender(db, envelope: Envelope, office: OfficeKeys, name: str) -> dict:
    header = envelope.header
    if header["recipient_key_id"] != office.public.recipient_key_id:
        # Rehearsal and real offices have their own keys: this is also where they never mix.
        hint = (
            " Ini kantor latihan: hanya paket dari laptop latihannya (desa contoh) yang diterima."
            if office.public.rehearsal
            else " Paket dari laptop latihan (desa contoh) tidak pernah diterima kantor sungguhan."
        )
        raise refuse(name, "paket ini dibuat untuk kantor lain (kunci kantor tidak cocok)." + hint)
    cursor = db.conn.execute("SELECT * FROM office_laptop WHERE key_id = ?", (header["key_id"],))
    values = cursor.fetchone()
    if values is None:
        raise refuse(
            name,
            f"paket berasal dari laptop yang tidak terdaftar di kantor ini (kunci "
            f"{header['key_id']}).",
            alarm=True,
        )
    laptop = dict(zip([d[0] for d in cursor.description], values, strict=True))
    if laptop["device_id"] != header["device_id"]:
        raise refuse(name, "identitas laptop di kepala berkas tidak cocok.", alarm=True)
    envelope.verify(bytes.fromhex(laptop["signing_public"]), name)
    if laptop["revoked_at"] is not None:
        raise refuse(
            name,
            f"laptop {laptop['code']} ({laptop['name']}) sudah dicabut pada "
            f"{laptop['revoked_at'][:10]}; paketnya tidak diterima.",
            alarm=True,
        )
    return laptop


def _already_imported(db, envelope: Envelope, name: str) -> bool:
    header = envelope.header
    rows = dict(
        db.conn.execute(
            "SELECT sequence, file_sha256 FROM bundle_import WHERE device_id = ? "
            "AND sequence IN (?, ?)",
            (header["device_id"], header["sequence"], header["sequence"] - 1),
        ).fetchall()
    )
    same = rows.get(header["sequence"])
    if same == envelope.file_sha256:
        return True
    if same is not None:
        raise refuse(
            name,
            f"PERINGATAN: nomor paket {header['sequence']} dari laptop ini sudah pernah diimpor "
            "dengan isi lain. Laporkan ke pengelola data; paket ini tidak diimpor.",
            alarm=True,
        )
    before = rows.get(header["sequence"] - 1)
    if before is not None and before != header["previous_sha256"]:
        raise refuse(
            name,
            "PERINGATAN: paket ini tidak menyambung ke paket sebelumnya dari laptop yang sama. "
            "Laporkan ke pengelola data; paket ini tidak diimpor.",
            alarm=True,
        )
    return False


# -- checking the content before anything is written -----------------------------------------
@dataclass
class _Content:
    rows: dict[str, list[dict]]  # table -> [{"row": ..., "ancestors": [...]}]
    photos: dict[str, bytes]  # views into the payload, for photos (see open_payload `defer`)
    audit: list[dict]
    # Waits for the photos' decode checks; raises the refusal of the first bad one. Called
    # before COMMIT, so a bad photo still leaves nothing changed.
    photos_checked: Callable[[], None] = lambda: None
    # (table, id) -> why the row breaks a rule of the domain (`core.rules`): refused alone.
    broken: dict[tuple[str, str], str] = field(default_factory=dict)


def _check_payload(
    db,
    payload: Payload,
    header: dict,
    name: str,
    checks: _PhotoChecks | None = None,
) -> _Content:
    """Everything about the content that can be checked before writing. `checks` are the
    photo checks already started; without them, photos are checked here."""
    manifest = payload.manifest
    device = header["device_id"]
    if (
        set(manifest) != MANIFEST_FIELDS
        or manifest["device_id"] != device
        or manifest["sequence"] != header["sequence"]
        or manifest["schema"] != header["schema"]
        or not isinstance(manifest["counts"], dict)
    ):
        raise refuse(name, "manifest tidak sesuai dengan kepala berkas.", alarm=True)
    counts = manifest["counts"]
    allowed = {*SYNCED_TABLES, "audit", "photos"}
    if not set(counts) <= allowed or not all(type(v) is int for v in counts.values()):
        raise refuse(name, "jumlah data di manifest tidak sah.")
    rows: dict[str, list[dict]] = {}
    for table in SYNCED_TABLES:
        lines = _ndjson(db, payload, table, counts.get(table, 0), name)
        if len(lines) != counts.get(table, 0):
            raise refuse(name, f"jumlah baris {table} tidak sesuai manifest.")
        columns = _columns(db, table)
        rows[table] = [_check_record(r, table, columns, device, name) for r in lines]
        if len({r["row"]["id"] for r in rows[table]}) != len(rows[table]):
            raise refuse(name, f"baris {table} yang sama muncul dua kali.")
    broken = rule_problems(db, rows)  # held back row by row at the merge (sync.authority)
    photos, photos_checked = _check_photos(
        payload, rows["photo"], counts.get("photos", 0), name, checks
    )
    entries = payload.records("audit.ndjson", name, limit=counts.get("audit", 0))
    if len(entries) != counts.get("audit", 0):
        raise refuse(name, "jumlah catatan audit tidak sesuai manifest.")
    _check_audit(entries, manifest, device, name)
    return _Content(
        rows=rows, photos=photos, audit=entries, photos_checked=photos_checked, broken=broken
    )


def _check_photo_member(data, verify: Callable[[], None] | None) -> None:
    """The member's CRC and hash (a BundleError), then the decode (a PhotoError)."""
    if verify is not None:
        verify()
    if bytes(data[: len(_JPEG_START)]) == _JPEG_START:  # else refused as "bukan JPEG"
        check(data)


class _PhotoChecks:
    """`_check_photo_member` of every photo, on one worker thread started once all are
    known (no queue hand-off per photo); `finish` has the calling thread take those not yet
    started, from the last one back, while the worker goes on from the front."""

    def __init__(self) -> None:
        self._jobs: list[tuple] = []
        self._queue: deque[tuple] = deque()
        self._outcomes: dict[str, BaseException | None] = {}
        self._thread: threading.Thread | None = None

    def add(self, digest: str, data, verify: Callable[[], None] | None) -> None:
        self._jobs.append((digest, data, verify))

    def start(self) -> None:
        self._queue.extend(self._jobs)  # popleft and pop are atomic: no lock needed
        self._thread = threading.Thread(target=self._work, name="photo-check", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while True:
            try:
                job = self._queue.popleft()
            except IndexError:
                return
            self._run(job)

    def _run(self, job: tuple) -> None:
        digest, data, verify = job
        try:
            _check_photo_member(data, verify)
            self._outcomes[digest] = None
        except BaseException as exc:  # judged (or re-raised) by the caller, in member order
            self._outcomes[digest] = exc

    def finish(self) -> dict[str, BaseException | None]:
        """Each photo's outcome (None, or what its check raised), once all are done."""
        while True:
            try:
                job = self._queue.pop()
            except IndexError:
                break
            self._run(job)
        if self._thread is not None:
            self._thread.join()
        return self._outcomes

    def cancel(self) -> None:
        self._queue.clear()
        if self._thread is not None:
            self._thread.join()


def _check_photos(
    payload: Payload,
    photo_rows: list[dict],
    count: int,
    name: str,
    checks: _PhotoChecks | None = None,
) -> tuple[dict[str, bytes], Callable[[], None]]:
    """Every photo member is referenced, matches its row, and opens as a sane JPEG.

    The cheap checks run here. Decoding each photo (the costly one) was started on a worker
    when `checks` is given: the returned function waits for it and raises the first refusal
    in member order, as a check here would. Without `checks` it has all run here already.
    """
    members = {
        m[len("photos/") : -len(".jpg")]: d
        for m, d in payload.members.items()
        if m.startswith("photos/")
    }
    if len(members) != count:
        raise refuse(name, "jumlah foto tidak sesuai manifest.")
    referenced: set[str] = set()
    for record in photo_rows:
        row = record["row"]
        for column in BLOB_COLUMNS["photo"]:
            digest = row.get(column)
            if not isinstance(digest, str) or digest not in members:
                raise refuse(name, f"foto {row['id']} tidak ada di dalam paket.")
            referenced.add(digest)
        if row.get("sha256") != row["jpeg"]:
            raise refuse(name, f"foto {row['id']} tidak cocok dengan hash-nya.")
    if referenced != set(members):
        raise refuse(name, "paket memuat foto yang tidak dipakai data mana pun.")
    for digest, data in members.items():
        if bytes(data[: len(_JPEG_START)]) != _JPEG_START:
            verify = payload.unverified.get(f"photos/{digest}.jpg")
            if verify is not None:  # its CRC and hash first, as a read would have
                verify()
            raise refuse(name, f"foto {digest[:12]} bukan JPEG.")

    def refusal(digest: str, exc: PhotoError) -> BundleError:
        return refuse(name, f"foto {digest[:12]} tidak sah: {exc}", alarm=True)

    # Decoding it is the check: a bomb or a broken file raises here, not later in a card
    # printer or the window. `check` gives the verdict `ingest` would, without making a copy.
    if checks is None:
        for digest, data in members.items():
            try:
                _check_photo_member(data, payload.unverified.get(f"photos/{digest}.jpg"))
            except PhotoError as exc:
                raise refusal(digest, exc) from None
        return members, lambda: None

    def wait() -> None:
        outcomes = checks.finish()
        # The first refusal in member order. A member whose CRC or hash is wrong raises its
        # BundleError here, as it would have when read.
        for digest in members:
            exc = outcomes[digest]
            if isinstance(exc, PhotoError):
                raise refusal(digest, exc) from None
            if exc is not None:
                raise exc

    return members, wait


def _check_audit(entries: list[dict], manifest: dict, device: str, name: str) -> None:
    bad = refuse(name, "catatan audit di dalam paket tidak sah (rantai hash putus).", alarm=True)
    previous_seq, previous_hash = 0, manifest["audit_from"]
    for entry in entries:
        if set(entry) != set(AUDIT_COLUMNS) or entry["device_id"] != device:
            raise bad
        if type(entry["seq"]) is not int or entry["seq"] <= previous_seq:
            raise bad
        texts = ("prev_hash", "hash", "at", "action", "table_name", "row_id")
        optional = ("operator_id", "before", "after")
        if not all(isinstance(entry[k], str) for k in texts) or not all(
            entry[k] is None or isinstance(entry[k], str) for k in optional
        ):
            raise bad
        if entry["prev_hash"] != previous_hash:
            raise bad
        try:
            if audit.entry_hash(entry["prev_hash"], entry) != entry["hash"]:
                raise bad
        except (TypeError, ValueError):
            raise bad from None
        previous_seq, previous_hash = entry["seq"], entry["hash"]
    if entries and previous_hash != manifest["audit_head"]:
        raise bad


# -- applying, all or nothing ------------------------------------------------------------
def _apply(db, content: _Content, envelope, laptop, report, name, progress) -> None:
    header = envelope.header
    device, sequence = header["device_id"], header["sequence"]
    reg = Registry(db)
    try:
        with reg.transaction():
            # Again under the write lock: another import of this file may have just finished.
            if _already_imported(db, envelope, name):
                report.status = STATUS_ALREADY
                return
            applied_people = []
            judge = Judge(db.conn, laptop, content.audit, content.rows, content.broken)
            for index, table in enumerate(SYNCED_TABLES):
                progress.update(index, len(SYNCED_TABLES), f"Menggabungkan {table}")
                records = content.rows[table]
                outcomes = _merge_table(
                    reg, table, records, content.photos, device, sequence, judge
                )
                for record, outcome in zip(records, outcomes, strict=True):
                    setattr(report, outcome, getattr(report, outcome) + 1)
                    if table == "person" and outcome in ("new", "updated", "settled"):
                        applied_people.append(record["row"])
                report.tables[table] = len(records)
            report.photos = len(content.photos)
            report.problems = judge.problems
            # A row beyond the laptop's authority is not an accident of timing: say so.
            report.alarm = report.alarm or judge.alarm
            report.audit = _store_audit(db, content.audit, device, sequence, name)
            report.duplicates = _queue_duplicates(db, applied_people, device, sequence)
            # The photos were decoded on a worker meanwhile; a bad one rolls all this back.
            content.photos_checked()
            db.conn.execute(
                "INSERT INTO bundle_import (device_id, sequence, file_sha256, previous_sha256, "
                "file_name, created_at, imported_at, report) VALUES (?,?,?,?,?,?,?,?)",
                (
                    device,
                    sequence,
                    envelope.file_sha256,
                    header["previous_sha256"],
                    name,
                    header["created_at"],
                    now_iso(),
                    json.dumps(asdict(report), sort_keys=True),
                ),
            )
            reg.observe(highest_rev(content.rows))  # our next edit sorts after all merged here
            reg.audit_event(
                "import_bundle",
                "bundle_import",
                f"{device}:{sequence}",
                {"file": name, "laptop": laptop["code"], "file_sha256": envelope.file_sha256},
            )
    except sqlite3.IntegrityError as exc:
        raise refuse(name, f"datanya tidak dapat disimpan ({exc}); tidak ada yang diubah.") from exc


def _merge_table(
    reg: Registry,
    table: str,
    records: list[dict],
    photos: dict[str, bytes],
    device: str,
    sequence: int,
    judge: Judge,
) -> list[str]:
    """Each record's outcome (see `_merge`, and "refused"), in order. The office's current rows
    are read in chunks and judged (`sync.authority`) with one lookup per table; the new rows
    (the bulk of a bundle) are inserted with executemany; rows the office holds already go
    through `_merge` one by one."""
    conn = reg.conn
    office = judge.office_rows(table, [record["row"]["id"] for record in records])
    current = {row_id: row["rev"] for row_id, row in office.items()}
    verdicts = judge.judge(table, records, office)
    outcomes: list[str] = []
    pending: list[dict] = []  # new rows, inserted in order in runs of the same columns
    at = now_iso()

    def flush() -> None:
        if not pending:
            return
        names = list(pending[0])
        if blobs:
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' for _ in names)})",
                [tuple(row.values()) for row in pending],
            )
        else:
            # Many rows a statement: one statement per person would write one search-index
            # segment per person (see `insert_rows`).
            insert_rows(conn, table, names, [tuple(row.values()) for row in pending])
        # The office's change log remembers the rev, so an older copy arriving later is a no-op.
        conn.executemany(
            "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
            [(table, row["id"], row["rev"], at) for row in pending],
        )
        pending.clear()

    blobs = BLOB_COLUMNS.get(table, ())
    for record, verdict in zip(records, verdicts, strict=True):
        row = record["row"]
        if verdict is not None and verdict.outcome == REFUSED:
            judge.held(table, row["id"], verdict, REFUSED)
            outcomes.append(REFUSED)
            continue
        if row["id"] in current:
            flush()
            outcome = _merge(reg, table, record, photos, device, sequence, verdict)
            if verdict is not None and outcome == "conflicts":
                judge.held(table, row["id"], verdict, outcome)
            outcomes.append(outcome)
            continue
        if blobs:
            row = dict(row)
            for column in blobs:
                row[column] = photos[row[column]]
        if pending and pending[0].keys() != row.keys():
            flush()
        pending.append(row)
        outcomes.append("new")
    flush()
    return outcomes


def _merge(
    reg: Registry,
    table: str,
    record: dict,
    photos: dict[str, bytes],
    device: str,
    sequence: int,
    verdict: Verdict | None = None,
):
    """new / updated / settled / unchanged / conflicts: nothing the office holds is overwritten
    blindly. `verdict` is the judge's (`sync.authority`): a conflict is queued with its reason,
    never applied, even when the row names the office's rev as an ancestor.

    A concurrent edit (office and laptop both changed the row since a version both had) is
    kept with that version (`base`); when the laptop changed only fields the office left
    alone, those are taken at once (`sync.three_way`) and the conflict is settled as
    "otomatis", so no clerk has to click for it."""
    conn = reg.conn
    row = dict(record["row"])
    row_id, rev = row["id"], row["rev"]
    current = conn.execute(f"SELECT rev FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if current is not None:
        if current[0] == rev or _known(conn, table, row_id, rev):
            return "unchanged"  # this version, or a later one, is here already
        if verdict is not None or current[0] not in record["ancestors"]:
            # Beyond authority (a verdict with a reason): the claimed ancestry is not
            # trusted, so no base either; an ordinary concurrent edit has no reason.
            beyond = verdict is not None and (verdict.reason is not None or verdict.alarm)
            base = None if beyond else base_of(conn, table, row_id, record["ancestors"])
            cursor = conn.execute(
                "INSERT OR IGNORE INTO sync_conflict (table_name, row_id, office_rev, "
                "incoming_rev, incoming, device_id, sequence, created_at, reason, base) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    table,
                    row_id,
                    current[0],
                    rev,
                    json.dumps(row),
                    device,
                    sequence,
                    now_iso(),
                    verdict and verdict.reason,
                    None if base is None else json.dumps(base),
                ),
            )
            if not cursor.rowcount:
                return "unchanged"
            if base is not None and table not in BLOB_COLUMNS:
                taken = merged_without_clerk(base, reg.get(table, row_id), row)
                if taken is not None and _settled(reg, cursor.lastrowid, taken):
                    return "settled"
            return "conflicts"
    for column in BLOB_COLUMNS.get(table, ()):
        row[column] = photos[row[column]]
    write_row(conn, table, row, exists=current is not None)
    # The office's change log remembers the rev, so an older copy arriving later is a no-op.
    conn.execute(
        "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
        (table, row_id, rev, now_iso()),
    )
    return "new" if current is None else "updated"


def _settled(reg: Registry, conflict_id: int, taken: dict) -> bool:
    """Settle a conflict with the laptop's one-sided changes; False (left for the clerk) when
    the combined row breaks a rule."""
    try:
        with reg.transaction():  # a savepoint: a refused combination leaves nothing behind
            settle(reg, conflict_id, taken, AUTOMATIC)
    except (UserError, sqlite3.IntegrityError):  # a rule or an SQL guard (m009) said no
        return False
    return True


def _known(conn, table: str, row_id: str, rev: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM change_log WHERE table_name = ? AND row_id = ? AND rev = ? "
            "UNION ALL SELECT 1 FROM sync_conflict WHERE table_name = ? AND row_id = ? "
            "AND incoming_rev = ? LIMIT 1",
            (table, row_id, rev, table, row_id, rev),
        ).fetchone()
        is not None
    )


def _store_audit(db, entries: list[dict], device: str, sequence: int, name: str) -> int:
    """Append the laptop's audit entries after those already here, checking the chain joins."""
    conn = db.conn
    head = conn.execute(
        "SELECT device_seq, hash FROM audit_import WHERE device_id = ? "
        "ORDER BY device_seq DESC LIMIT 1",
        (device,),
    ).fetchone()
    head_seq, head_hash = head if head else (0, GENESIS)
    added: list[tuple] = []
    for entry in entries:
        if entry["seq"] <= head_seq:
            stored = conn.execute(
                "SELECT hash FROM audit_import WHERE device_id = ? AND device_seq = ?",
                (device, entry["seq"]),
            ).fetchone()
            if stored is None or stored[0] != entry["hash"]:
                raise refuse(name, "catatan audit tidak cocok dengan yang sudah ada.", alarm=True)
            continue
        if entry["prev_hash"] != head_hash:
            raise refuse(
                name, "catatan audit tidak menyambung ke catatan sebelumnya dari laptop ini."
            )
        added.append(
            (
                device,
                entry["seq"],
                entry["at"],
                entry["operator_id"],
                entry["action"],
                entry["table_name"],
                entry["row_id"],
                entry["before"],
                entry["after"],
                entry["prev_hash"],
                entry["hash"],
                sequence,
            )
        )
        head_seq, head_hash = entry["seq"], entry["hash"]
    conn.executemany(
        "INSERT INTO audit_import (device_id, device_seq, at, operator_id, action, "
        "table_name, row_id, before, after, prev_hash, hash, sequence) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        added,
    )
    return len(added)


def _queue_duplicates(db, people: list[dict], device: str, sequence: int) -> int:
    """Same NIK, or same name and birth date in another household: queued for a person, with
    the score and reasons the scan stores (`office.duplicates.compare`), so the clerk's list
    shows them without working them out on each read."""
    conn = db.conn
    found: list[tuple[str, str, str, str]] = []  # (kind, first id, second id, reason)
    for person in people:
        if person.get("deleted_at") is not None:
            continue
        candidates = []
        if person.get("nik"):
            for (other,) in conn.execute(
                "SELECT id FROM person WHERE nik = ? AND id != ? AND deleted_at IS NULL",
                (person["nik"], person["id"]),
            ):
                candidates.append(("nik", other, "NIK sama"))
        if person.get("name") and person.get("birth_date"):
            for (other,) in conn.execute(
                # Names equal once folded (domain.names.fold_name): look-alike letters and
                # invisible characters do not hide a duplicate.
                "SELECT id FROM person WHERE birth_date = ? AND muba_fold_name(name) = ? "
                "AND id != ? AND deleted_at IS NULL "
                "AND coalesce(household_id, '') != coalesce(?, '')",
                (
                    person["birth_date"],
                    fold_name(person["name"]),
                    person["id"],
                    person.get("household_id"),
                ),
            ):
                candidates.append(("name_birth", other, "nama dan tanggal lahir sama"))
        for kind, other, reason in candidates:
            found.append((kind, *sorted((person["id"], other)), reason))
    scores = _scores(db, {(a, b) for _kind, a, b, _reason in found})
    queued = 0
    for kind, first, second, reason in found:
        score, details = scores.get((first, second), (None, None))
        queued += conn.execute(
            "INSERT OR IGNORE INTO duplicate_candidate (kind, table_name, row_a, row_b, "
            "reason, device_id, sequence, created_at, score, details) "
            "VALUES (?, 'person', ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, first, second, reason, device, sequence, now_iso(), score, details),
        ).rowcount
    return queued


def _scores(db, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, str]]:
    """(score, details as the scan stores them) of each pair of people, by (first, second)."""
    if not pairs:
        return {}
    ids = sorted({i for pair in pairs for i in pair})
    people = {}
    for start in range(0, len(ids), 500):
        people.update(people_facts(db, ids[start : start + 500]))
    names, districts = device_names(db), village_districts(db)
    out = {}
    for a, b in pairs:
        if a in people and b in people:
            score, reasons = compare(people[a], people[b], names, districts)
            out[(a, b)] = (score, json.dumps({"reasons": reasons}, ensure_ascii=False))
    return out
