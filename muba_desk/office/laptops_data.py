"""What the laptops page reads and what its inbox runs: laptops, bundle imports, return bundles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from muba_desk.domain.areas import areas
from muba_desk.progress import Cancelled, Progress
from muba_desk.store.db import connect
from muba_desk.sync.export import BUNDLE_SUFFIX
from muba_desk.sync.importer import ImportReport, import_many
from muba_desk.sync.keys import OfficeKeys
from muba_desk.sync.returns import office_return


@dataclass(frozen=True)
class LaptopInfo:
    device_id: str
    code: str
    name: str
    district: str
    villages: int
    last_bundle: int | None
    last_bundle_at: str | None
    last_seen: str | None
    pending_acks: int
    revoked_at: str | None
    revoked_reason: str | None


def laptops(db) -> list[LaptopInfo]:
    """Every registered laptop with its sync state, by code."""
    rows = db.conn.execute(
        """SELECT l.device_id, l.code, l.name, l.district_code, l.villages, l.revoked_at,
                  l.revoked_reason, max(b.sequence), max(b.created_at), max(b.imported_at),
                  (SELECT coalesce(max(acknowledged_sequence), 0) FROM return_out r
                   WHERE r.device_id = l.device_id AND r.written_at IS NOT NULL)
           FROM office_laptop l LEFT JOIN bundle_import b ON b.device_id = l.device_id
           GROUP BY l.device_id ORDER BY l.code"""
    ).fetchall()
    out = []
    for device, code, name, district, villages, revoked, reason, seq, made, seen, acked in rows:
        out.append(
            LaptopInfo(
                device_id=device,
                code=code,
                name=name,
                district=areas().district_name(district) or district,
                villages=len(json.loads(villages or "[]")),
                last_bundle=seq,
                last_bundle_at=made,
                last_seen=seen,
                # Imported but not yet acknowledged in a return bundle written for the laptop.
                pending_acks=max(0, (seq or 0) - acked),
                revoked_at=revoked,
                revoked_reason=reason,
            )
        )
    return out


def laptop_choices(db) -> list[tuple[str, str]]:
    """(code, "code name") of every registered laptop, by code, for a filter."""
    return db.conn.execute(
        "SELECT code, code || ' ' || name FROM office_laptop ORDER BY code"
    ).fetchall()


def bundle_files(paths: list[Path]) -> list[Path]:
    """Files as chosen; a folder stands for the bundles in it."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(path.glob(f"*{BUNDLE_SUFFIX}"))
        else:
            out.append(path)
    return out


def import_files(
    db_path: Path, files: list[Path], office: OfficeKeys, progress: Progress
) -> tuple[list[ImportReport], bool]:
    """Import the bundles one by one; on Cancel the ones done so far stay and are reported.

    Returns (reports, cancelled). Each bundle is its own transaction, so a cancel in the
    middle of one leaves that one out entirely.
    """
    reports: list[ImportReport] = []
    total = len(files)
    for index, path in enumerate(files):
        step = Progress(
            lambda done, steps, label, i=index, name=path.name: progress.update(
                i * 10 + (done * 10 // max(steps, 1)), total * 10, f"{name}: {label}"
            )
        )
        try:
            progress.update(index * 10, total * 10, path.name)
            reports += import_many(db_path, [path], step, office=office)
        except Cancelled:
            return reports, True
    return reports, False


def return_to_all(
    db_path: Path, folder: Path, office: OfficeKeys, progress: Progress
) -> tuple[list[tuple[str, Path]], bool]:
    """A return bundle for every laptop not revoked, one after another, into `folder`.

    Returns ([(code, file written)], cancelled). Each laptop's bundle is complete on its own;
    a Cancel stops within the laptop at hand, which gets no bundle and has nothing recorded
    as sent; the ones written before stay."""
    db = connect(db_path)
    try:
        codes = [
            code
            for (code,) in db.conn.execute(
                "SELECT code FROM office_laptop WHERE revoked_at IS NULL ORDER BY code"
            )
        ]
    finally:
        db.close()
    written: list[tuple[str, Path]] = []
    total = len(codes)
    for index, code in enumerate(codes):
        # Each laptop's own steps are shown within its share of the bar, and its Cancel is
        # the same as the whole job's: a laptop half done writes nothing.
        step = Progress(
            lambda done, steps, label, i=index, code=code: progress.update(
                i * 10 + (done * 10 // max(steps, 1)), total * 10, f"Laptop {code}: {label}"
            )
        )
        try:
            progress.update(index * 10, total * 10, f"Laptop {code}")
            path = office_return(db_path, code, folder, office=office, progress=step)
            written.append((code, path))
        except Cancelled:
            return written, True
    return written, False
