"""Export a bundle of N changed rows and P photos on a laptop, and import it at the office.

Export: `export_bundle` against a zip of the very members our bundle holds (taken from the
first bundle, decrypted), photos stored and text deflated as ours does, age-encrypted to the
office and written to a file with fsync — no database.

Import: `import_bundle` into a fresh copy of the office database each round, against the same
rows (the bundle's rows, photos and audit entries, decoded beforehand) inserted with plain
sqlite3 executemany in one transaction into another fresh copy, WAL and synchronous=FULL.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pyrage

from benchmarks.common import Row, Sizes, interleaved, median
from benchmarks.data import copy_db, sync_pair, unlock_office

EXPORT_TARGET = 1.5
IMPORT_TARGET = 2.0


def _members(bundle: Path, identity) -> dict[str, bytes]:
    """The members of our bundle's zip, in its order, manifest included."""
    from muba_desk.sync.bundle import parse

    envelope = parse(bundle.read_bytes(), bundle.name)
    with zipfile.ZipFile(io.BytesIO(envelope.decrypt(identity, bundle.name))) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip_and_encrypt(members: dict[str, bytes], recipient, out: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name.endswith(".jpg") else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=kind)
    data = pyrage.encrypt(buffer.getvalue(), [recipient])
    with open(out, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _plain_rows(members: dict[str, bytes], device: str, sequence: int):
    """(sql, rows) for executemany: each table's rows with their photos, then the audit."""
    from muba_desk.store.schema import BLOB_COLUMNS, SYNCED_TABLES

    photos = {
        name[len("photos/") : -len(".jpg")]: data
        for name, data in members.items()
        if name.startswith("photos/")
    }
    batches = []
    for table in SYNCED_TABLES:
        data = members.get(f"rows/{table}.ndjson")
        if not data:
            continue
        rows = [json.loads(line)["row"] for line in data.splitlines() if line]
        for row in rows:
            for column in BLOB_COLUMNS.get(table, ()):
                row[column] = photos[row[column]]
        names = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
        batches.append((sql, [tuple(row[n] for n in names) for row in rows]))
        batches.append(
            (
                "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
                [(table, row["id"], row["rev"], row["updated_at"]) for row in rows],
            )
        )
    entries = [json.loads(line) for line in members["audit.ndjson"].splitlines() if line]
    batches.append(
        (
            "INSERT INTO audit_import (device_id, device_seq, at, operator_id, action, table_name, "
            "row_id, before, after, prev_hash, hash, sequence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    device,
                    e["seq"],
                    e["at"],
                    e["operator_id"],
                    e["action"],
                    e["table_name"],
                    e["row_id"],
                    e["before"],
                    e["after"],
                    e["prev_hash"],
                    e["hash"],
                    sequence,
                )
                for e in entries
            ],
        )
    )
    return batches


def run(sizes: Sizes) -> list[Row]:
    from muba_desk.store.db import connect
    from muba_desk.store.schema import register_functions
    from muba_desk.sync.bundle import parse
    from muba_desk.sync.export import export_bundle
    from muba_desk.sync.importer import import_bundle

    pair = sync_pair(sizes)
    office = unlock_office(pair.office)
    recipient = pyrage.x25519.Recipient.from_str(office.public.recipient)
    with tempfile.TemporaryDirectory(prefix="muba-bench-", dir=pair.office.parent) as tmp:
        tmp = Path(tmp)
        laptop = copy_db(pair.laptop, tmp / "laptop.db")
        stick = tmp / "stick"
        stick.mkdir()
        first = export_bundle(laptop, stick)  # warm-up, and the bundle imported below
        members = _members(first, office.identity)
        n = iter(range(10**6))

        a, b = interleaved(
            sizes.bundle_rounds,
            lambda: export_bundle(laptop, stick),
            lambda: _zip_and_encrypt(members, recipient, stick / f"plain-{next(n)}.age"),
            budget_s=45,
        )
        for extra in stick.iterdir():
            if extra != first:
                extra.unlink()
        export = Row(
            f"export a bundle: {sizes.bundle_rows:,} rows, {sizes.bundle_photos:,} photos",
            median(a),
            median(b),
            EXPORT_TARGET,
        )
        size_mb = first.stat().st_size / 1e6
        export.notes.append(f"export: the bundle is {size_mb:.0f} MB")

        header = parse(first.read_bytes(), first.name).header
        batches = _plain_rows(members, header["device_id"], header["sequence"])
        target = tmp / "office-round.db"

        def setup(_which):
            copy_db(pair.office, target)

        def ours():
            report = import_bundle(target, first, office=office)
            if report.new < sizes.bundle_rows:
                raise RuntimeError(f"import wrote {report.new} rows: {report.summary()}")

        def base():
            conn = sqlite3.connect(target, isolation_level=None)
            register_functions(conn)  # the search index's triggers call it, as in the app
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("BEGIN IMMEDIATE")
                for sql, rows in batches:
                    conn.executemany(sql, rows)
                conn.execute("COMMIT")
            finally:
                conn.close()

        # The template at the current schema, so no round migrates inside its timed part.
        connect(pair.office).close()
        a, b = interleaved(sizes.bundle_rounds, ours, base, setup=setup, budget_s=120)
    imported = Row(
        f"import it at the office: {sizes.bundle_rows:,} rows, {sizes.bundle_photos:,} photos",
        median(a),
        median(b),
        IMPORT_TARGET,
    )
    if len(a) < sizes.bundle_rounds:
        imported.notes.append(f"import: {len(a)} of {sizes.bundle_rounds} rounds fitted its time")
    return [export, imported]
