"""Export on a laptop: everything the office has not acknowledged, as one bundle on a stick."""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyrage

from muba_desk import signing
from muba_desk.domain.status import Side, Status
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store import audit
from muba_desk.store.db import applied_migrations, connect, db_errors
from muba_desk.store.records import set_statuses
from muba_desk.store.registry import Registry, get_setting, now_iso
from muba_desk.store.schema import BLOB_COLUMNS, SYNCED_TABLES
from muba_desk.sync.bundle import (
    GENESIS,
    KIND_LAPTOP,
    BundleError,
    PayloadWriter,
    encrypt_payload,
    make_head,
    sha256_hex,
)
from muba_desk.sync.keys import LAPTOP_AGE_IDENTITY, office_public
from muba_desk.sync.rows import record_line

BUNDLE_SUFFIX = ".mubabundle"
# An entry's hashed fields, then its links: what a laptop's audit line carries.
AUDIT_COLUMNS = (*audit.FIELDS, "prev_hash", "hash")
# An audit entry as the canonical JSON line `bundle.canonical` makes of it (keys sorted, no
# spaces, UTF-8 unescaped), made by SQLite: the columns are text and integers only, which
# SQLite writes byte for byte as Python's json does (tests/sync/test_export_lines.py).
AUDIT_JSON = "json_object({})".format(
    ", ".join(f"'{column}', {column}" for column in sorted(AUDIT_COLUMNS))
)
# Blob columns whose SHA-256 the row already holds (a photo's, made when it was taken in):
# the bundle names the photo by it without hashing the bytes again.
KNOWN_DIGESTS = {("photo", "jpeg"): "sha256"}


def export_bundle(db_path, dest_dir, progress: Progress | None = None) -> Path:
    """Write one bundle into `dest_dir` and return its path; BundleError says why not."""
    progress = progress or SilentProgress()
    dest_dir = Path(dest_dir)
    db = connect(db_path)
    try:
        office = office_public(db)
        device_id = get_setting(db, "device_id")
        # Provisioned, not a mode check: a provisioned laptop filled with demo data (mode "demo")
        # rehearses with a rehearsal office, whose keys no real office accepts.
        provisioned = get_setting(db, LAPTOP_AGE_IDENTITY) is not None
        if office is None or device_id is None or not provisioned:
            raise BundleError(
                "Laptop ini belum disiapkan oleh kantor: buka berkas penyiapan dari kantor dulu "
                "(Berkas → Buka berkas penyiapan…, oleh penyelia)."
            )
        key = signing.device_key(db)
        code = get_setting(db, "device_code", "L00")
        progress.update(0, 4, "Mengumpulkan perubahan")
        with contextlib.ExitStack() as held:
            # One write transaction from here to just before the file gets its name: the
            # enrolments this bundle carries become Terkirim (with their history and audit
            # entries, so the bundle carries the move itself), the snapshot reads them, and the
            # sequence is reserved; all of it commits together, or (the write failed, the stick
            # was pulled) none of it and they are still Diajukan. The window's writes wait
            # meanwhile (busy timeout), as they would for any other writer.
            reg = Registry(db)
            try:
                held.enter_context(reg.transaction())
            except db_errors() as exc:  # either driver's; only "database is locked" is ours
                if "locked" not in str(exc):
                    raise
                raise BundleError(
                    "Registri sedang dipakai (ekspor lain atau penyimpanan); coba lagi sebentar."
                ) from exc
            sequence, previous = _next_sequence(db)
            name = f"muba-{code}-{device_id}-{sequence:06d}{BUNDLE_SUFFIX}"
            mark_sent(reg, name)
            # The zip is written on a second thread while the database is read: zlib and the
            # CRC release the GIL, and so does SQLite between rows. One worker keeps the order.
            writer = PayloadWriter()
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-zip") as pool:
                zipping = []
                try:
                    snapshot = _snapshot(
                        db,
                        device_id,
                        lambda *member: zipping.append(pool.submit(writer.add, *member)),
                    )
                    for done in zipping:
                        done.result()  # raises what writing a member raised
                except BaseException:
                    pool.shutdown(cancel_futures=True)
                    raise
            progress.update(1, 4, "Menyusun paket")
            schema = applied_migrations(db)[-1]
            manifest = {**snapshot["manifest"], "sequence": sequence, "schema": schema}
            payload = writer.finish(manifest)
            header = {
                "kind": KIND_LAPTOP,
                "device_id": device_id,
                "key_id": key.key_id,
                "sequence": sequence,
                "previous_sha256": previous,
                "schema": schema,
                "created_at": now_iso(),
                "recipient_key_id": office.recipient_key_id,
            }
            progress.update(2, 4, "Mengenkripsi")
            ciphertext = encrypt_payload(
                payload, pyrage.x25519.Recipient.from_str(office.recipient)
            )
            del payload
            progress.update(3, 4, "Menulis ke flashdisk")

            def publish(file_sha: str) -> None:
                _reserve(db, sequence, name, file_sha, previous, snapshot)
                held.close()  # COMMIT: the sequence, the Terkirim moves, together

            # The ciphertext is written (and hashed, on a second thread) first, then the signed
            # head that carries its hash. The sequence is reserved with the file's hash before
            # the file gets its name: if writing fails or the process dies, no bundle of this
            # sequence exists, and once one does, the sequence is never reused for other content.
            path = write_atomically(
                dest_dir,
                name,
                ciphertext,
                head=lambda ciphertext_sha: make_head(
                    header=header,
                    ciphertext_length=len(ciphertext),
                    ciphertext_sha256=ciphertext_sha,
                    signing_key=key.private,
                ),
                before_publish=publish,
            )
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")
            db.conn.execute(
                "UPDATE bundle_out SET written_at = ? WHERE sequence = ?", (now_iso(), sequence)
            )
        progress.update(4, 4, "Selesai")
        return path
    finally:
        db.close()


SENT_REASON = "Dikirim ke kantor dalam paket {name}."
"""The Terkirim history entry's reason: when (its time) and in which file the enrolment left."""


def mark_sent(reg: Registry, name: str) -> int:
    """Move every submitted (Diajukan) enrolment to Terkirim as bundle `name` is made, inside
    the export's transaction; returns how many. All of them travel in it: the move itself is a
    change the bundle carries, and until the office acknowledges it every later bundle does too."""
    # Found through the history's index (every submission wrote one); only this laptop's own
    # versions: a submission another laptop made, seen in a return bundle, is that laptop's.
    rows = reg.conn.execute(
        "SELECT id FROM enrolment WHERE id IN (SELECT enrolment_id FROM enrolment_status "
        "WHERE to_status = ?1) AND status = ?1 AND deleted_at IS NULL AND rev LIKE ?2 "
        "ORDER BY pk",
        (str(Status.DIAJUKAN), f"%.{reg.device_id}"),
    ).fetchall()
    if not rows:
        return 0
    current = reg.get_many("enrolment", [r[0] for r in rows])
    reason = SENT_REASON.format(name=name)
    moves = [(current[r[0]], str(Status.TERKIRIM), reason) for r in rows]
    return len(set_statuses(reg, moves, side=Side.EXPORT))


def _acknowledged_high(db) -> tuple[int, int]:
    row = db.conn.execute(
        "SELECT coalesce(max(change_seq_high), 0), coalesce(max(audit_seq_high), 0) "
        "FROM bundle_out WHERE acknowledged_at IS NOT NULL"
    ).fetchone()
    return row[0], row[1]


def _snapshot(db, device_id: str, emit: Callable[[str, bytes, str | None], None] | None = None):
    """Rows, photos and audit entries not yet acknowledged, read in one consistent snapshot.

    Each member of the bundle's zip goes to `emit(name, data, digest or None)` as soon as it is
    read, once (a photo shared by rows travels once), so the zip can be written while the
    rest is still being read; without `emit` they are gathered in `snapshot["members"]`."""
    conn = db.conn
    members: dict[str, bytes] = {}
    names: dict[str, None] = {}  # every member, in order

    def add(name: str, data: bytes, digest: str | None = None) -> None:
        if name in names:
            return
        names[name] = None
        if emit is None:
            members[name] = data
            if digest is not None:
                digests[name] = digest
        else:
            emit(name, data, digest)

    change_low, audit_low = _acknowledged_high(db)
    # The export reads inside its own write transaction (see export_bundle); alone, a deferred
    # BEGIN gives a WAL read snapshot that blocks no writer.
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        change_high = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
        audit_high = conn.execute(
            "SELECT coalesce(max(seq), 0) FROM audit WHERE device_id = ?", (device_id,)
        ).fetchone()[0]
        digests: dict[str, str] = {}  # member -> SHA-256, where known without hashing
        counts: dict[str, int] = {}
        outbox: list[tuple[str, str, str]] = []
        for table in SYNCED_TABLES:
            lines = []
            history = _history(conn, table, change_low, change_high)
            # Both in pk order, merged so the file keeps it (as a single query did).
            for _pk, row, ancestors in heapq.merge(
                _changed_lines(conn, table, history, device_id),
                _changed_rows(conn, table, history, device_id),
                key=lambda item: item[0],
            ):
                if isinstance(row, tuple):
                    # Made by SQLite, the very bytes `canonical` gives (see _changed_lines).
                    row_id, rev, made = row
                    lines.append(record_line(made, ancestors))
                    outbox.append((table, row_id, rev))
                    continue
                for column in BLOB_COLUMNS.get(table, ()):
                    blob = row[column]
                    known = KNOWN_DIGESTS.get((table, column))
                    digest = (row[known] if known else None) or sha256_hex(blob)
                    add(f"photos/{digest}.jpg", blob, digest)
                    row[column] = digest  # the photo travels once, named by its hash
                lines.append(record_line(row, ancestors))
                outbox.append((table, row["id"], row["rev"]))
            if lines:
                add(f"rows/{table}.ndjson", b"\n".join(lines) + b"\n")
                counts[table] = len(lines)
        audit_rows = conn.execute(
            f"SELECT prev_hash, hash, {AUDIT_JSON} FROM audit "
            "WHERE device_id = ? AND seq > ? AND seq <= ? ORDER BY seq",
            (device_id, audit_low, audit_high),
        ).fetchall()
    finally:
        if own:
            conn.execute("COMMIT")
    if audit_rows:
        add("audit.ndjson", "".join(f"{r[2]}\n" for r in audit_rows).encode("utf-8"))
    counts["audit"] = len(audit_rows)
    counts["photos"] = sum(1 for name in names if name.startswith("photos/"))
    manifest = {
        "device_id": device_id,
        "counts": counts,
        "audit_from": audit_rows[0][0] if audit_rows else None,
        "audit_head": audit_rows[-1][1] if audit_rows else None,
        "change_seq_high": change_high,
    }
    return {
        "manifest": manifest,
        "members": members,
        "digests": digests,
        "outbox": outbox,
        "change_high": change_high,
        "audit_high": audit_high,
        "counts": counts,
    }


def _history(conn, table: str, low: int, high: int) -> dict[str, list[str]]:
    """The revs each row changed in (low, high] had here before, oldest first."""
    changed = "SELECT row_id FROM change_log WHERE table_name = ? AND seq > ? AND seq <= ?"
    history: dict[str, list[str]] = {}
    for row_id, rev in conn.execute(
        "SELECT c.row_id, c.rev FROM change_log c WHERE c.table_name = ? AND c.seq <= ? "
        f"AND c.row_id IN ({changed}) ORDER BY c.seq",
        (table, high, table, low, high),
    ):
        history.setdefault(row_id, []).append(rev)
    for row_id, rev in conn.execute(
        f"SELECT row_id, rev FROM sync_arrival WHERE table_name = ? AND row_id IN ({changed})",
        (table, table, low, high),
    ):
        history.setdefault(row_id, []).append(rev)
    return history


def _ancestors(history: dict[str, list[str]], row_id: str, rev: str, base_rev: str | None):
    return [r for r in dict.fromkeys([base_rev, *history[row_id]]) if r and r != rev]


def _changed_lines(conn, table: str, history: dict[str, list[str]], device_id: str):
    """`_changed_rows` of a table without photos, each row as its canonical JSON made by
    SQLite: (pk, (id, rev, JSON bytes), ancestors). Text, integers and NULL come out of SQLite's
    json_object byte for byte as Python's json writes them (keys given in sorted order);
    a row holding a REAL value is left to `_changed_rows` (SQLite writes 15 digits, Python 17).
    Saves building a dict and encoding it for each of thousands of rows."""
    if BLOB_COLUMNS.get(table) or not history:
        return
    columns = sorted(c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] != "pk")
    as_json = "json_object({})".format(", ".join(f"'{c}', {c}" for c in columns))
    has_real = " OR ".join(f"typeof({c}) = 'real'" for c in columns)
    cursor = conn.execute(
        f"SELECT pk, id, rev, base_rev, {as_json} FROM {table} WHERE pk IN (SELECT pk FROM {table} "
        f"WHERE id IN (SELECT value FROM json_each(?))) AND NOT ({has_real}) ORDER BY pk",
        (json.dumps(list(history)),),
    )
    mine = f".{device_id}"
    for pk, row_id, rev, base_rev, made in cursor:
        if rev.endswith(mine):  # else the office's version arrived since: nothing to send
            ancestors = _ancestors(history, row_id, rev, base_rev)
            yield pk, (row_id, rev, made.encode("utf-8")), ancestors


def _changed_rows(conn, table: str, history: dict[str, list[str]], device_id: str):
    """Each row changed in (low, high] as it is now, with every rev it had here before.

    The ancestors let the office fast-forward a row edited several times since it last saw it,
    instead of calling that a conflict; revs that arrived in return bundles count too. For a
    table without photos, only the rows `_changed_lines` leaves (those holding a REAL value).
    Yields (pk, row, ancestors).
    """
    if not history:
        return
    if BLOB_COLUMNS.get(table):
        only = ""
    else:
        columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] != "pk"]
        only = " AND ({})".format(" OR ".join(f"typeof({c}) = 'real'" for c in columns))
    # By pk through the rowid, in pk order without a sort: `ORDER BY pk` over `id IN (...)`
    # made SQLite copy every row, photos and all, into a temporary B-tree first (8x slower).
    cursor = conn.execute(
        f"SELECT * FROM {table} WHERE pk IN (SELECT pk FROM {table} "
        f"WHERE id IN (SELECT value FROM json_each(?))){only} ORDER BY pk",
        (json.dumps(list(history)),),
    )
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        pk = row.pop("pk")  # local only, never exported
        if not row["rev"].endswith(f".{device_id}"):
            continue  # the office's version arrived since: nothing of ours left to send
        yield pk, row, _ancestors(history, row["id"], row["rev"], row["base_rev"])


def _next_sequence(db) -> tuple[int, str]:
    row = db.conn.execute(
        "SELECT sequence, file_sha256 FROM bundle_out ORDER BY sequence DESC LIMIT 1"
    ).fetchone()
    return (1, GENESIS) if row is None else (row[0] + 1, row[1])


def _reserve(db, sequence, name, file_sha, previous, snapshot) -> None:
    """Record bundle `sequence` and what it carries, inside the export's write transaction."""
    db.conn.execute(
        "INSERT INTO bundle_out (sequence, file_name, file_sha256, previous_sha256, "
        "created_at, change_seq_high, audit_seq_high, counts) VALUES (?,?,?,?,?,?,?,?)",
        (
            sequence,
            name,
            file_sha,
            previous,
            now_iso(),
            snapshot["change_high"],
            snapshot["audit_high"],
            json.dumps(snapshot["counts"], sort_keys=True),
        ),
    )
    db.conn.executemany(
        "INSERT INTO outbox_item (sequence, table_name, row_id, rev) VALUES (?,?,?,?)",
        [(sequence, *item) for item in snapshot["outbox"]],
    )


def write_atomically(
    dest_dir: Path,
    name: str,
    data: bytes | Sequence[bytes],
    *,
    head: Callable[[str], bytes] | None = None,
    before_publish: Callable[[str], None] | None = None,
) -> Path:
    """Write under a temporary name, flush, rename, flush the folder, read back and compare.

    `data` is the file's bytes, or its parts in order (written one after the other, never
    joined). `head(sha256 of data)`, when given, makes the bytes that go before `data`; its
    length must not depend on the digest (it is asked once with a dummy to place `data`).
    `before_publish(sha256 of the file)` runs before the file gets its name: what it raises
    leaves no file behind. Hashing runs on a second thread while the file is written and
    flushed (hashlib and file writes release the GIL)."""
    parts = (data,) if isinstance(data, (bytes, bytearray, memoryview)) else tuple(data)
    final = dest_dir / name
    partial = dest_dir / f"{name}.partial"
    if final.exists():
        raise BundleError(f"Berkas '{final}' sudah ada; paket ini tidak ditulis ulang.")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-sha256") as pool:
        try:
            with open(partial, "wb") as f:
                hashing = pool.submit(_sha256_of, parts)
                room = 0 if head is None else len(head("0" * 64))
                f.seek(room)
                for part in parts:
                    f.write(part)
                if head is not None:
                    first = head(hashing.result())
                    if len(first) != room:
                        raise ValueError("the head's length depends on the digest")
                    f.seek(0)
                    f.write(first)
                    hashing = pool.submit(_sha256_of, (first, *parts))
                f.flush()
                os.fsync(f.fileno())
            sha256 = hashing.result()
            if before_publish is not None:
                before_publish(sha256)
            os.replace(partial, final)
            _fsync_folder(dest_dir)
            written = _read_back_sha256(final)
        except OSError as exc:
            # The stick may be gone or unwritable: tidying up must not hide the first error.
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise BundleError(
                f"Paket tidak dapat ditulis ke '{dest_dir}': {exc.strerror or exc}. "
                "Periksa flashdisk (penuh, terkunci, atau tercabut) lalu ekspor lagi."
            ) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise
    if written != sha256:
        raise BundleError(
            f"Berkas '{final}' berbeda dari yang ditulis (flashdisk rusak?). Ekspor lagi ke "
            "flashdisk lain; data tetap aman di laptop."
        )
    return final


def _sha256_of(parts: Sequence[bytes], piece: int = 1 << 22) -> str:
    """The SHA-256 of the parts joined, fed in 4 MiB pieces (the GIL is free while hashing)."""
    digest = hashlib.sha256()
    for part in parts:
        view = memoryview(part)
        for start in range(0, len(view), piece):
            digest.update(view[start : start + piece])
    return digest.hexdigest()


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_back_sha256(path: Path) -> str:
    """The SHA-256 of what the stick holds, read in pieces (no copy of the whole file)."""
    with open(path, "rb") as f:
        if hasattr(os, "posix_fadvise"):
            # Drop the cached pages so the comparison reads what the stick really holds.
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        return hashlib.file_digest(f, "sha256").hexdigest()


def mark_acknowledged(db, sequence: int) -> None:
    """The office confirmed `sequence` (and so every earlier one); the return bundle calls this.

    Inside a caller's transaction it joins it, so a return bundle applies as one.
    """
    sql = (
        "UPDATE bundle_out SET acknowledged_at = ? WHERE sequence <= ? AND acknowledged_at IS NULL"
    )
    if db.conn.in_transaction:
        db.conn.execute(sql, (now_iso(), sequence))
        return
    with db.conn:
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.execute(sql, (now_iso(), sequence))


def pending_changes(db) -> int:
    """How many changes wait for the office's acknowledgement (for the outbox page)."""
    low, _ = _acknowledged_high(db)
    return db.conn.execute("SELECT count(*) FROM change_log WHERE seq > ?", (low,)).fetchone()[0]
