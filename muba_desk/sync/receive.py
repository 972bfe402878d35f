"""Import on a laptop: check the office's return bundle completely, then apply it as one."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from muba_desk import signing
from muba_desk.i18n import _
from muba_desk.progress import Cancelled, Progress, SilentProgress
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry, get_setting, now_iso, set_setting
from muba_desk.store.schema import known_migration_names
from muba_desk.sync import jsonsafe
from muba_desk.sync.bundle import (
    KIND_OFFICE,
    RETURN_CAPS,
    RETURN_MEMBER,
    BundleError,
    Envelope,
    highest_rev,
    key_id_of_recipient,
    open_payload,
    refuse,
    unreadable,
)
from muba_desk.sync.export import mark_acknowledged
from muba_desk.sync.files import STATUS_ALREADY, STATUS_IMPORTED, STATUS_REFUSED, _read
from muba_desk.sync.keys import LAPTOP_AGE_IDENTITY, OfficePublic, office_public
from muba_desk.sync.rows import (
    RETURN_TABLES,
    _check_record,
    _columns,
    _ndjson,
    hold_back,
    rule_problems,
    write_row,
)

STATUS_OUTDATED = "usang"
SHOWN_HELD = 10  # held rows the summary names one by one; the report keeps them all
REVOCATIONS = "sync_revocations"  # the office's signed list, as last received
REVOCATION_CONTEXT = b"muba-desk revocations v1\n"
MANIFEST_FIELDS = frozenset(
    {"laptop_device_id", "sequence", "schema", "counts", "acknowledged", "members"}
)
# A newer office's return bundle may carry tables this laptop does not have yet: their members
# pass the same caps and are left alone (docs/design.md, Upgrades).
NEWER_RETURN_MEMBER = re.compile(
    r"^(manifest\.json|acknowledgements\.json|revocations\.signed|trusted_keys\.json|"
    r"resolutions\.ndjson|rows/[a-z][a-z0-9_]{0,40}\.ndjson)$"
)


@dataclass
class ReturnReport:
    """What one return bundle did to the laptop, for the report page and the CLI."""

    file: str
    status: str
    sequence: int | None = None
    acknowledged: int | None = None  # the highest of this laptop's bundles the office holds
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # the laptop's own newer edit stays, and travels to the office next
    conflicts_open: int = 0
    conflicts_resolved: int = 0
    revoked: int = 0
    reason: str | None = None
    alarm: bool = False
    # Rows held back because they break a rule of the domain (or point at one that does).
    held: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        """One Indonesian line."""
        if self.status == STATUS_REFUSED:
            return f"{self.file}: DITOLAK. {self.reason}"
        if self.status == STATUS_ALREADY:
            return f"{self.file}: paket balasan ini sudah pernah diimpor; tidak ada yang berubah."
        if self.status == STATUS_OUTDATED:
            return (
                f"{self.file}: paket balasan ini lebih lama dari yang sudah diimpor; "
                "tidak ada yang berubah."
            )
        acknowledged = (
            f"kantor menerima paket sampai nomor {self.acknowledged}"
            if self.acknowledged
            else "belum ada paket yang diterima kantor"
        )
        line = (
            f"{self.file}: paket balasan kantor diimpor ({acknowledged}): {self.new} baru, "
            f"{self.updated} diperbarui, {self.unchanged} tetap, {self.kept} perubahan laptop "
            f"menunggu kantor, {self.conflicts_open} konflik menunggu keputusan kantor."
        )
        if not self.held:
            return line
        shown = [f"  - {h['reason']}" for h in self.held[:SHOWN_HELD]]
        if len(self.held) > SHOWN_HELD:
            shown.append(f"  - dan {len(self.held) - SHOWN_HELD} lagi.")
        held = f"{len(self.held)} baris DITAHAN karena melanggar aturan data; laporkan ke kantor:"
        return "\n".join([line, held, *shown])


def import_return(laptop_db_path, path, progress: Progress | None = None) -> ReturnReport:
    """Import one return bundle; raises BundleError (nothing changed) when it is refused."""
    progress = progress or SilentProgress()
    path = Path(path)
    name = path.name
    progress.update(0, 4, "Memeriksa berkas")
    envelope = _read(path, name)
    header = envelope.header
    if header["kind"] != KIND_OFFICE:
        raise refuse(name, "ini paket dari laptop; paket laptop hanya diimpor di kantor.")
    db = connect(laptop_db_path)
    try:
        office, identity, device = _laptop_keys(db, name)
        if header["recipient_key_id"] != key_id_of_recipient(str(identity.to_public())):
            raise refuse(name, "paket balasan ini ditujukan untuk laptop lain.")
        if header["key_id"] != office.key_id:
            raise refuse(name, "paket ini tidak berasal dari kantor laptop ini.", alarm=True)
        envelope.verify(office.signing_public, name)
        report = ReturnReport(file=name, status=STATUS_IMPORTED, sequence=header["sequence"])
        seen = _ledger_status(db, envelope, name)
        if seen is not None:
            report.status = seen
            return report
        # An office on a newer schema: what this laptop knows is applied, the rest waits for
        # an update of this laptop (docs/design.md, Upgrades).
        newer = header["schema"] not in known_migration_names()
        progress.update(1, 4, "Membuka isi paket")
        allowed = NEWER_RETURN_MEMBER if newer else RETURN_MEMBER
        payload = open_payload(
            envelope.decrypt(identity, name),
            name,
            allowed,
            stream=lambda member: member.endswith(".ndjson"),
            caps=RETURN_CAPS,
        )
        content = _check_content(db, payload, header, device, office, name, newer=newer)
        progress.update(2, 4, "Menerapkan data dari kantor")
        _apply(db, content, envelope, report, name)
        progress.update(4, 4, "Selesai")
        return report
    finally:
        db.close()


def import_returns(laptop_db_path, paths, progress: Progress | None = None) -> list[ReturnReport]:
    """Import each return bundle on its own; a refused one is reported, the rest go on."""
    reports = []
    for path in paths:
        try:
            reports.append(import_return(laptop_db_path, path, progress))
        except BundleError as exc:
            reports.append(
                ReturnReport(
                    file=Path(path).name, status=STATUS_REFUSED, reason=str(exc), alarm=exc.alarm
                )
            )
        except Cancelled:
            raise
        except Exception as exc:  # one odd file never stops the rest (see `import_many`)
            name = Path(path).name
            reports.append(
                ReturnReport(file=name, status=STATUS_REFUSED, reason=unreadable(name, exc))
            )
    return reports


def _laptop_keys(db, name: str) -> tuple[OfficePublic, pyrage.x25519.Identity, str]:
    office = office_public(db)
    identity = get_setting(db, LAPTOP_AGE_IDENTITY)
    device = get_setting(db, "device_id")
    if office is None or identity is None or device is None:
        raise refuse(name, "laptop ini belum disiapkan oleh kantor.")
    return office, pyrage.x25519.Identity.from_str(identity), device


def _ledger_status(db, envelope: Envelope, name: str) -> str | None:
    """None when the bundle is new; already imported or outdated otherwise (nothing to do)."""
    header = envelope.header
    rows = dict(db.conn.execute("SELECT sequence, file_sha256 FROM return_import").fetchall())
    sequence = header["sequence"]
    if sequence in rows:
        if rows[sequence] == envelope.file_sha256:
            return STATUS_ALREADY
        raise refuse(
            name,
            f"PERINGATAN: paket balasan nomor {sequence} sudah pernah diimpor dengan isi lain. "
            "Laporkan ke pengelola data; paket ini tidak diimpor.",
            alarm=True,
        )
    before = rows.get(sequence - 1)
    if before is not None and before != header["previous_sha256"]:
        raise refuse(
            name,
            "PERINGATAN: paket balasan ini tidak menyambung ke paket balasan sebelumnya. "
            "Laporkan ke pengelola data; paket ini tidak diimpor.",
            alarm=True,
        )
    # Each return bundle holds the whole current state: an older one has nothing newer.
    if rows and sequence < max(rows):
        return STATUS_OUTDATED
    return None


# -- checking the content before anything is written -----------------------------------------
@dataclass
class _Content:
    rows: dict[str, list[dict]]
    acknowledged: int | None
    resolutions: list[dict]
    revocations: bytes
    revoked: dict[str, dict]  # key_id -> {"revoked_at", "public_key" (hex or None)}
    trusted: dict[str, str]
    held: dict[tuple[str, str], str] = field(default_factory=dict)


def _check_content(
    db, payload, header, device, office: OfficePublic, name, *, newer: bool = False
) -> _Content:
    manifest = payload.manifest
    if (
        set(manifest) != MANIFEST_FIELDS
        or manifest["laptop_device_id"] != device
        or manifest["sequence"] != header["sequence"]
        or manifest["schema"] != header["schema"]
        or not isinstance(manifest["counts"], dict)
    ):
        raise refuse(name, "manifest tidak sesuai dengan kepala berkas.", alarm=True)
    counts = manifest["counts"]
    rows: dict[str, list[dict]] = {}
    for table in RETURN_TABLES:
        lines = _ndjson(db, payload, table, counts.get(table, 0), name)
        if len(lines) != counts.get(table, 0):
            raise refuse(name, f"jumlah baris {table} tidak sesuai manifest.")
        columns = _columns(db, table)
        if newer:
            lines = [_known_columns(r, table, columns, name) for r in lines]
        rows[table] = [_check_record(r, table, columns, None, name) for r in lines]
        if len({r["row"]["id"] for r in rows[table]}) != len(rows[table]):
            raise refuse(name, f"baris {table} yang sama muncul dua kali.")
    # A row that breaks a rule of the domain (an older version's data, say) is held back
    # alone, with what points at it; the rest applies (a refusal of the whole return would
    # leave this laptop without any answer of its office, since each return carries it).
    held = hold_back(rows, rule_problems(db, rows))
    resolutions = payload.records("resolutions.ndjson", name, limit=counts.get("resolutions", 0))
    if len(resolutions) != counts.get("resolutions", 0):
        raise refuse(name, "jumlah keputusan konflik tidak sesuai manifest.")
    return _Content(
        rows=rows,
        acknowledged=_check_acknowledgements(db, payload, manifest, name),
        resolutions=resolutions,
        revocations=payload.members.get("revocations.signed", b""),
        revoked=_check_revocations(payload.members.get("revocations.signed"), office, name),
        trusted=_check_trusted(payload.members.get("trusted_keys.json"), name),
        held=held,
    )


def _known_columns(record: dict, table: str, columns: set[str], name: str) -> dict:
    """A newer office's row cut to the columns this laptop has. A column it does not know may
    only be empty (NULL): dropping a value would lose it for good, because the row's rev would
    then be here already when this laptop, updated, gets the next return bundle."""
    row = record.get("row")
    if not isinstance(row, dict) or row.keys() <= columns:
        return record
    filled = sorted(c for c in row.keys() - columns if row[c] is not None)
    if filled:
        raise refuse(
            name,
            _(
                "paket balasan ini dibuat kantor dengan muba-desk versi yang lebih baru dan "
                "membawa data {column} yang belum dikenal aplikasi ini. Perbarui muba-desk di "
                "laptop ini, lalu impor paket ini lagi; tidak ada yang diubah."
            ).format(column=f"{table}.{filled[0]}"),
        )
    return {**record, "row": {k: v for k, v in row.items() if k in columns}}


def _json(data: bytes | None, member: str, name: str):
    try:
        return jsonsafe.loads(data or b"")
    except jsonsafe.UnsafeJSON as exc:
        raise refuse(name, f"berkas '{member}' di dalam paket rusak: {exc.reason}.") from None
    except ValueError:  # UnicodeDecodeError included
        raise refuse(name, f"berkas '{member}' di dalam paket rusak.") from None


def _check_acknowledgements(db, payload, manifest, name: str) -> int | None:
    """The highest bundle of ours the office holds; an acknowledgement of other content is an
    alarm (someone else signed a bundle with this laptop's number)."""
    acks = _json(payload.members.get("acknowledgements.json"), "acknowledgements.json", name)
    if not isinstance(acks, list) or acks != manifest["acknowledged"]:
        raise refuse(name, "daftar paket yang diterima kantor tidak sah.")
    ours = dict(db.conn.execute("SELECT sequence, file_sha256 FROM bundle_out").fetchall())
    highest = None
    for ack in acks:
        if not isinstance(ack, dict) or set(ack) != {"sequence", "file_sha256"}:
            raise refuse(name, "daftar paket yang diterima kantor tidak sah.")
        sequence = ack["sequence"]
        if sequence not in ours:
            continue  # from before this database was restored: nothing here to mark
        if ours[sequence] != ack["file_sha256"]:
            raise refuse(
                name,
                f"PERINGATAN: kantor menerima paket nomor {sequence} dengan isi yang tidak "
                "dibuat laptop ini. Laporkan ke pengelola data; paket ini tidak diimpor.",
                alarm=True,
            )
        highest = max(highest or 0, sequence)
    return highest


def _check_revocations(data: bytes | None, office: OfficePublic, name: str) -> dict[str, dict]:
    """key_id -> {"revoked_at", "public_key"} of the office's signed list; an older office's
    list has no public keys (None then)."""
    bad = refuse(name, "daftar laptop yang dicabut tidak sah.", alarm=True)
    try:
        body, signature, rest = (data or b"").split(b"\n")
        Ed25519PublicKey.from_public_bytes(office.signing_public).verify(
            bytes.fromhex(signature.decode("ascii")), REVOCATION_CONTEXT + body
        )
        listing = jsonsafe.loads(body)
        revoked = {
            entry["key_id"]: {
                "revoked_at": entry["revoked_at"],
                "public_key": entry.get("public_key"),
            }
            for entry in listing["revoked"]
        }
        for key_id, entry in revoked.items():
            signing.revoked_day_of(entry["revoked_at"])  # a time it can read, or ValueError
            public = entry["public_key"]
            if not isinstance(key_id, str) or not (
                public is None or (isinstance(public, str) and len(bytes.fromhex(public)) == 32)
            ):
                raise bad
    except (ValueError, InvalidSignature, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        raise bad from None
    if rest:
        raise bad
    return revoked


def _check_trusted(data: bytes | None, name: str) -> dict[str, str]:
    trusted = _json(data, "trusted_keys.json", name)
    bad = refuse(name, "daftar kunci tepercaya tidak sah.", alarm=True)
    if not isinstance(trusted, dict):
        raise bad
    for key_id, public_hex in trusted.items():
        try:
            public = bytes.fromhex(public_hex)
        except (TypeError, ValueError):
            raise bad from None
        # A key id names its key: one cannot smuggle in a key under another's id.
        if len(public) != 32 or signing.key_id_of(public) != key_id:
            raise bad
    return trusted


# -- applying, all or nothing ------------------------------------------------------------
def _apply(db, content: _Content, envelope: Envelope, report: ReturnReport, name: str) -> None:
    header = envelope.header
    reg = Registry(db)
    try:
        with reg.transaction():
            # Parents and children arrive in one go; their order inside a table is the office's.
            db.conn.execute("PRAGMA defer_foreign_keys = ON")
            # Again under the write lock: another import of this file may have just finished.
            seen = _ledger_status(db, envelope, name)
            if seen is not None:
                report.status = seen
                return
            for table in RETURN_TABLES:
                for record in content.rows[table]:
                    outcome = _merge(db, table, record)
                    setattr(report, outcome, getattr(report, outcome) + 1)
            if content.acknowledged:
                mark_acknowledged(db, content.acknowledged)
            report.acknowledged = content.acknowledged
            report.conflicts_open = sum(1 for r in content.resolutions if not r.get("resolution"))
            report.conflicts_resolved = len(content.resolutions) - report.conflicts_open
            _apply_keys(db, content)
            report.revoked = len(content.revoked)
            report.held = [
                {"table": table, "row_id": row_id, "reason": reason}
                for (table, row_id), reason in content.held.items()
            ]
            db.conn.execute(
                "INSERT INTO return_import (sequence, file_sha256, previous_sha256, file_name, "
                "created_at, imported_at, report) VALUES (?,?,?,?,?,?,?)",
                (
                    header["sequence"],
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
                "import_return",
                "return_import",
                str(header["sequence"]),
                {"file": name, "file_sha256": envelope.file_sha256},
            )
    except sqlite3.IntegrityError as exc:
        raise refuse(name, f"datanya tidak dapat disimpan ({exc}); tidak ada yang diubah.") from exc


def _merge(db, table: str, record: dict) -> str:
    """new / updated / unchanged / kept: the laptop's own unsent edit is never overwritten."""
    conn = db.conn
    row = record["row"]
    row_id, rev = row["id"], row["rev"]
    current = conn.execute(f"SELECT rev FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if current is not None:
        if current[0] == rev or _known(conn, table, row_id, rev):
            return "unchanged"
        if current[0] not in record["ancestors"]:
            return "kept"  # edited here since: it goes to the office, which settles it
    write_row(conn, table, row, exists=current is not None)
    # Not in change_log (this laptop did not make it); an edit made on top of it names it.
    conn.execute(
        "INSERT OR IGNORE INTO sync_arrival (table_name, row_id, rev) VALUES (?, ?, ?)",
        (table, row_id, rev),
    )
    return "new" if current is None else "updated"


def _known(conn, table: str, row_id: str, rev: str) -> bool:
    """This version was here before (made here, or arrived): ours is the same or later."""
    return (
        conn.execute(
            "SELECT 1 FROM change_log WHERE table_name = ? AND row_id = ? AND rev = ? "
            "UNION ALL SELECT 1 FROM sync_arrival WHERE table_name = ? AND row_id = ? "
            "AND rev = ? LIMIT 1",
            (table, row_id, rev, table, row_id, rev),
        ).fetchone()
        is not None
    )


def _apply_keys(db, content: _Content) -> None:
    """Printed documents of a revoked laptop stop verifying here; new laptops' start to."""
    trusted = json.loads(get_setting(db, signing._SETTING_TRUSTED, "{}"))
    trusted.update(content.trusted)
    # A revoked laptop's key leaves the trusted ones but is kept with its revocation day, so
    # its documents dated before it still verify (with a note) and later ones are refused
    # naming the day, not as "an unknown device" (signing.verify_payload).
    known = json.loads(get_setting(db, signing.SETTING_REVOKED, "{}"))
    for key_id, entry in content.revoked.items():
        public = trusted.pop(key_id, None) or entry["public_key"]
        if public is None and key_id in known:
            public = known[key_id].get("public")
        known[key_id] = {"revoked_at": entry["revoked_at"], "public": public}
    set_setting(db, signing._SETTING_TRUSTED, json.dumps(trusted, sort_keys=True))
    set_setting(db, signing.SETTING_REVOKED, json.dumps(known, sort_keys=True))
    set_setting(db, REVOCATIONS, content.revocations.decode("utf-8"))
