"""Return bundles at the office: what one laptop needs back, signed and encrypted to it alone.

A return bundle carries the whole current state of the laptop's share of the registry, not a
delta since the last one: a lost or skipped return bundle leaves no hole, and the laptop applies
each row by its rev, so the same content twice changes nothing.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyrage

from muba_desk import signing
from muba_desk.i18n import _
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store.db import applied_migrations, connect
from muba_desk.store.registry import ensure_device, now_iso
from muba_desk.sync.bundle import (
    GENESIS,
    KIND_OFFICE,
    BundleError,
    build_payload,
    canonical,
    key_id_of_recipient,
    seal,
    sha256_hex,
)
from muba_desk.sync.export import BUNDLE_SUFFIX, write_atomically
from muba_desk.sync.keys import OfficeKeys, revocation_list
from muba_desk.sync.rows import PARENTS, RETURN_TABLES, record_line

# The steps `office_return` reports: the tables gathered one by one, then four more.
COLLECTED = len(RETURN_TABLES) + 1
STEPS = COLLECTED + 4


def office_return(
    office_db_path,
    laptop_name: str,
    dest_dir,
    *,
    office: OfficeKeys,
    progress: Progress | None = None,
) -> Path:
    """Write the return bundle for `laptop_name` (its name or code) into `dest_dir`."""
    progress = progress or SilentProgress()
    db = connect(office_db_path)
    try:
        laptop = _laptop(db, laptop_name)
        progress.update(0, STEPS, "Mengumpulkan data untuk laptop")
        db.conn.execute("BEGIN")  # one read snapshot for everything the bundle says
        try:
            members, counts, acknowledged, sent = _content(db, laptop, office, progress)
        finally:
            db.conn.execute("COMMIT")
        progress.update(COLLECTED, STEPS, "Menyusun paket")
        device = laptop["device_id"]
        sequence, previous = _next_sequence(db, device)
        schema = applied_migrations(db)[-1]
        manifest = {
            "laptop_device_id": device,
            "sequence": sequence,
            "schema": schema,
            "counts": counts,
            "acknowledged": acknowledged,
        }
        header = {
            "kind": KIND_OFFICE,
            "device_id": ensure_device(db),
            "key_id": office.public.key_id,
            "sequence": sequence,
            "previous_sha256": previous,
            "schema": schema,
            "created_at": now_iso(),
            "recipient_key_id": key_id_of_recipient(laptop["age_recipient"]),
        }
        progress.update(COLLECTED + 1, STEPS, "Mengenkripsi")
        data = seal(
            header=header,
            payload=build_payload(manifest, members),
            signing_key=office.signing_key,
            recipient=pyrage.x25519.Recipient.from_str(laptop["age_recipient"]),
        )
        name = f"muba-kantor-{laptop['code']}-{sequence:06d}{BUNDLE_SUFFIX}"
        progress.update(COLLECTED + 2, STEPS, "Menulis ke flashdisk")

        def record(_sha256: str) -> None:
            # The last look at Cancel is here, with the file complete under its .partial
            # name: a Cancel leaves no file and nothing recorded as sent. Past it, the
            # record is committed and the file takes its name without another look.
            progress.update(COLLECTED + 3, STEPS, "Mencatat paket")
            _record(db, device, sequence, name, data, previous, header, acknowledged, counts, sent)

        path = write_atomically(Path(dest_dir), name, data, before_publish=record)
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")
            db.conn.execute(
                "UPDATE return_out SET written_at = ? WHERE device_id = ? AND sequence = ?",
                (now_iso(), device, sequence),
            )
        return path
    finally:
        db.close()


def _record(db, device, sequence, name, data, previous, header, acknowledged, counts, sent):
    """The return bundle in `return_out` and each row it carries in `return_sent`."""
    with db.conn:
        db.conn.execute("BEGIN IMMEDIATE")
        if _next_sequence(db, device)[0] != sequence:
            raise BundleError("Paket balasan lain sedang dibuat untuk laptop ini; coba lagi.")
        db.conn.execute(
            "INSERT INTO return_out (device_id, sequence, file_name, file_sha256, "
            "previous_sha256, created_at, acknowledged_sequence, counts) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (
                device,
                sequence,
                name,
                sha256_hex(data),
                previous,
                header["created_at"],
                max((a["sequence"] for a in acknowledged), default=None),
                json.dumps(counts, sort_keys=True),
            ),
        )
        record_sent(db.conn, device, sequence, sent)


def record_sent(conn, device: str, sequence: int, sent: list[tuple[str, str, str]]) -> None:
    """Remember each (table, row id, rev) this return carries to `device`: the import lets
    the laptop change a row on top of a rev only if it made that rev or was sent it (see
    `sync.authority`). A rev sent before keeps its first return's number."""
    conn.executemany(
        "INSERT OR IGNORE INTO return_sent (device_id, table_name, row_id, rev, sequence) "
        "VALUES (?, ?, ?, ?, ?)",
        [(device, table, row_id, rev, sequence) for table, row_id, rev in sent],
    )


def _laptop(db, name: str) -> dict:
    cursor = db.conn.execute(
        "SELECT * FROM office_laptop WHERE code = ? OR name = ?", (name.upper(), name)
    )
    values = cursor.fetchone()
    if values is None:
        raise BundleError(f"Laptop '{name}' tidak terdaftar di kantor ini.")
    laptop = dict(zip([d[0] for d in cursor.description], values, strict=True))
    if laptop["revoked_at"] is not None:
        raise BundleError(f"Laptop {laptop['code']} sudah dicabut; tidak dibuatkan paket balasan.")
    return laptop


def _next_sequence(db, device: str) -> tuple[int, str]:
    row = db.conn.execute(
        "SELECT sequence, file_sha256 FROM return_out WHERE device_id = ? "
        "ORDER BY sequence DESC LIMIT 1",
        (device,),
    ).fetchone()
    return (1, GENESIS) if row is None else (row[0] + 1, row[1])


def _content(db, laptop: dict, office: OfficeKeys, progress: Progress):
    conn = db.conn
    device = laptop["device_id"]
    acknowledged = [
        {"sequence": s, "file_sha256": h}
        for s, h in conn.execute(
            "SELECT sequence, file_sha256 FROM bundle_import WHERE device_id = ? ORDER BY sequence",
            (device,),
        )
    ]
    members: dict[str, bytes] = {
        "acknowledgements.json": canonical(acknowledged),
        "revocations.signed": revocation_list(db, office),
        "trusted_keys.json": canonical(_trusted_keys(db, office)),
    }
    counts: dict[str, int] = {}
    fields = ("table", "row_id", "incoming_rev", "resolution", "resolved_at")
    resolutions = [
        canonical(dict(zip(fields, r, strict=True)))
        for r in conn.execute(
            "SELECT table_name, row_id, incoming_rev, resolution, resolved_at FROM sync_conflict "
            "WHERE device_id = ? ORDER BY id",
            (device,),
        )
    ]
    if resolutions:
        members["resolutions.ndjson"] = b"\n".join(resolutions) + b"\n"
    counts["resolutions"] = len(resolutions)
    sent: list[tuple[str, str, str]] = []  # (table, row id, rev) of every row carried
    scope = _scope(conn, device, json.loads(laptop["villages"]), laptop)
    for index, (table, ids) in enumerate(scope.items(), start=1):
        progress.update(index, STEPS, "Mengumpulkan data untuk laptop")
        lines = list(_rows_with_history(conn, table, ids, sent))
        if lines:
            members[f"rows/{table}.ndjson"] = b"\n".join(lines) + b"\n"
            counts[table] = len(lines)
    return members, counts, acknowledged, sent


def _trusted_keys(db, office: OfficeKeys) -> dict[str, str]:
    """Every key whose printed documents a laptop should accept, revoked laptops left out."""
    keys = {k: v.hex() for k, v in signing.known_public_keys(db).items()}
    keys[office.public.key_id] = office.public.signing_public.hex()
    for (key_id,) in db.conn.execute(
        "SELECT key_id FROM office_laptop WHERE revoked_at IS NOT NULL"
    ):
        keys.pop(key_id, None)
    return keys


def _scope(conn, device: str, villages: list[str], laptop: dict) -> dict[str, set[str]]:
    """The ids this laptop should hold: its villages' registry, every row it ever sent, all
    reference data, and the parents any of those need (foreign keys hold on the laptop too)."""
    if not villages:
        # A laptop registered for a whole district serves all its villages.
        villages = [
            v
            for (v,) in conn.execute(
                "SELECT code FROM area_village WHERE district_code = ?", (laptop["district_code"],)
            )
        ]
    ids: dict[str, set[str]] = {table: set() for table in RETURN_TABLES}
    for table, row_id in conn.execute(
        "SELECT DISTINCT table_name, row_id FROM change_log WHERE rev LIKE ?", (f"%.{device}",)
    ):
        if table in ids:
            ids[table].add(row_id)
    village_json = json.dumps(villages)

    def add(table: str, where: str, *params) -> None:
        ids[table].update(
            r for (r,) in conn.execute(f"SELECT id FROM {table} WHERE {where}", params)
        )

    def among(table: str) -> str:
        return json.dumps(sorted(ids[table]))

    in_villages = "village_code IN (SELECT value FROM json_each(?))"
    for table in ("household", "institution", "grp"):
        add(table, in_villages, village_json)
    inside = "IN (SELECT value FROM json_each(?))"
    people = f"household_id {inside} OR institution_id {inside}"
    add("person", people, among("household"), among("institution"))
    add("grp_member", f"grp_id {inside} OR person_id {inside}", among("grp"), among("person"))
    add(
        "enrolment",
        f"person_id {inside} OR household_id {inside} OR grp_id {inside} "
        f"OR institution_id {inside}",
        among("person"),
        among("household"),
        among("grp"),
        among("institution"),
    )
    for table in ("enrolment_status", "handover"):
        add(table, f"enrolment_id {inside}", among("enrolment"))
    add("reference_data", "1")
    # Parents last, children before parents, so one pass closes the set.
    for table in reversed(RETURN_TABLES):
        for column, parent in PARENTS.get(table, ()):
            ids[parent].update(
                r
                for (r,) in conn.execute(
                    f"SELECT {column} FROM {table} WHERE id {inside} AND {column} IS NOT NULL",
                    (among(table),),
                )
            )
    return ids


def _rows_with_history(conn, table: str, ids: set[str], sent: list[tuple[str, str, str]]):
    """Each row with every earlier rev the office knows of it, so the laptop can fast-forward;
    (table, id, rev) of each row goes to `sent`."""
    if not ids:
        return
    listed = json.dumps(sorted(ids))
    history: dict[str, list[str]] = {}
    for row_id, rev in conn.execute(
        "SELECT row_id, rev FROM change_log WHERE table_name = ? "
        "AND row_id IN (SELECT value FROM json_each(?)) ORDER BY seq",
        (table, listed),
    ):
        history.setdefault(row_id, []).append(rev)
    cursor = conn.execute(
        f"SELECT * FROM {table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY pk",
        (listed,),
    )
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        del row["pk"]
        revs = [row["base_rev"], *history.get(row["id"], ())]
        ancestors = [r for r in dict.fromkeys(revs) if r and r != row["rev"]]
        sent.append((table, row["id"], row["rev"]))
        try:
            yield record_line(row, ancestors)
        except ValueError:  # inf or NaN, stored before imports refused them: JSON has neither
            column = next(
                k for k, v in row.items() if isinstance(v, float) and not math.isfinite(v)
            )
            raise BundleError(
                _(
                    "Paket balasan tidak dibuat: data {table} {id} menyimpan angka yang tidak "
                    "dapat dikirim di kolom {column}. Laporkan ke pengelola data."
                ).format(table=table, id=row["id"], column=column)
            ) from None
