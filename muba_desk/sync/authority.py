"""The office's judgement of each row a laptop sends: what a laptop may create, which rows it may
change, and what only the office sets (docs/design.md, "Authority: what a laptop may change").

Office side and Qt-free. The importer asks one `Judge` per bundle for a verdict on each row
before merging it: None (apply, or fast-forward), a conflict for review, or a refusal. Every
lookup runs once per table over the bundle's ids (in chunks), never once per row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from muba_desk.domain.status import DECIDED_AT_OFFICE, TRANSITIONS, Status
from muba_desk.sync.rows import parents as _parents

REFUSED = "refused"
CONFLICT = "conflicts"
# Ids per `WHERE id IN (...)`: well under SQLite's limit on bound parameters.
CHUNK = 500
# Only the office writes these tables (budget years are reference data too).
OFFICE_TABLES = frozenset({"reference_data"})
# An enrolment in these has the office's approval: aid may be handed over.
APPROVED = frozenset({Status.DISETUJUI, Status.AKTIF, Status.SELESAI})
# Tables whose rows name their village themselves.
VILLAGE_TABLES = frozenset({"household", "institution", "grp"})
# The village a row at the office belongs to, for the parents a new row may point at (`t` is
# the row's table). A person lives in a household or an institution; an enrolment is for one
# of those, or for a group.
_VILLAGE_OF = {
    "household": "t.village_code",
    "institution": "t.village_code",
    "grp": "t.village_code",
    "person": (
        "coalesce((SELECT village_code FROM household WHERE id = t.household_id), "
        "(SELECT village_code FROM institution WHERE id = t.institution_id))"
    ),
    "enrolment": (
        "coalesce((SELECT coalesce(h.village_code, i.village_code) FROM person p "
        "LEFT JOIN household h ON h.id = p.household_id "
        "LEFT JOIN institution i ON i.id = p.institution_id WHERE p.id = t.person_id), "
        "(SELECT village_code FROM household WHERE id = t.household_id), "
        "(SELECT village_code FROM grp WHERE id = t.grp_id), "
        "(SELECT village_code FROM institution WHERE id = t.institution_id))"
    ),
}
# What the judge reads of the office's current row, beside id, rev and deleted_at.
_OFFICE_COLUMNS = {
    "household": ("village_code",),
    "institution": ("village_code",),
    "grp": ("village_code",),
    "person": ("merged_into",),
    "enrolment": ("status", "decision_reason"),
    "enrolment_status": ("to_status",),
}


@dataclass(frozen=True)
class Verdict:
    """Not applied as it came: `outcome` is REFUSED or CONFLICT; `reason` says why in
    Indonesian (None for an ordinary concurrent edit, which is no matter of authority)."""

    outcome: str
    reason: str | None = None
    alarm: bool = False


def _laptop_moves(start: Status) -> frozenset[Status]:
    """Every status a laptop can reach from `start` by its own moves (none into a decision)."""
    seen, todo = {start}, [start]
    while todo:
        for target in TRANSITIONS[todo.pop()]:
            if target not in DECIDED_AT_OFFICE and target not in seen:
                seen.add(target)
                todo.append(target)
    return frozenset(seen)


LAPTOP_MOVES = {status: _laptop_moves(status) for status in Status}
"""status -> the statuses a laptop may leave an enrolment in, starting from that status."""


def laptop_villages(conn, laptop: dict) -> frozenset[str]:
    """The villages a laptop serves: those it was registered for, or its whole district."""
    villages = json.loads(laptop["villages"] or "[]")
    if villages:
        return frozenset(villages)
    return frozenset(
        code
        for (code,) in conn.execute(
            "SELECT code FROM area_village WHERE district_code = ?", (laptop["district_code"],)
        )
    )


def described(entries: Iterable[dict]) -> dict[tuple[str, str], list[str]]:
    """(table, row id) -> the `after` of each audit entry about that row, as written."""
    out: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        after = entry["after"]
        if after is not None:
            out.setdefault((entry["table_name"], entry["row_id"]), []).append(after)
    return out


def _chunks(ids: list[str]):
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        yield chunk, ", ".join("?" for _ in chunk)


class Judge:
    """One bundle's judge. It remembers the rows it refused, so that rows pointing at them
    (a person of a refused household) are refused too, instead of failing the whole bundle
    on a foreign key."""

    def __init__(
        self,
        conn,
        laptop: dict,
        audit_entries: list[dict],
        rows: dict[str, list],
        broken: dict[tuple[str, str], str] | None = None,
    ):
        self.conn = conn
        # Rows that break a rule of the domain (`sync.rows.rule_problems`): refused first.
        self._broken = broken or {}
        self.device = laptop["device_id"]
        self.code = laptop["code"]
        self.villages = laptop_villages(conn, laptop)
        self._suffix = f".{self.device}"
        self._described = described(audit_entries)
        self._returned_unrecorded = _returned_unrecorded(conn, self.device)
        self._in_bundle = {t: {r["row"]["id"] for r in records} for t, records in rows.items()}
        self._refused: dict[str, set[str]] = {}
        # Rows of the bundle queued as conflicts: the office's version stands meanwhile.
        self._conflicts: dict[str, set[str]] = {}
        # The bundle's enrolments, as they come: a hand-over needs its enrolment approved.
        self._enrolment_status = {r["row"]["id"]: r["row"].get("status") for r in rows["enrolment"]}
        self._office_status: dict[str, str] = {}
        self.problems: list[dict] = []
        """Each row held back for a reason: table, row_id, outcome, reason (for the report)."""
        self.alarm = False
        """True once a row held back looks like tampering, not like two honest edits."""

    # -- what the office holds ------------------------------------------------------------
    def office_rows(self, table: str, ids: list[str]) -> dict[str, dict]:
        """id -> the office's current row (id, rev, deleted_at and what the rules read)."""
        columns = ("id", "rev", "deleted_at", *_OFFICE_COLUMNS.get(table, ()))
        out: dict[str, dict] = {}
        for chunk, marks in _chunks(ids):
            for values in self.conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE id IN ({marks})", chunk
            ):
                out[values[0]] = dict(zip(columns, values, strict=True))
        return out

    def _history(self, table: str, ids: list[str]) -> dict[str, dict[str, str]]:
        """id -> {rev: when the office logged it} for every rev the office's history has of
        the row, oldest first."""
        out: dict[str, dict[str, str]] = {}
        for chunk, marks in _chunks(ids):
            for row_id, rev, at in self.conn.execute(
                "SELECT row_id, rev, at FROM change_log WHERE table_name = ? "
                f"AND row_id IN ({marks}) ORDER BY seq",
                (table, *chunk),
            ):
                out.setdefault(row_id, {}).setdefault(rev, at)
        return out

    def _sent(self, table: str, ids: list[str]) -> dict[str, set[str]]:
        """id -> the revs of the row the office sent this laptop in return bundles."""
        out: dict[str, set[str]] = {}
        for chunk, marks in _chunks(ids):
            for row_id, rev in self.conn.execute(
                "SELECT row_id, rev FROM return_sent WHERE device_id = ? AND table_name = ? "
                f"AND row_id IN ({marks})",
                (self.device, table, *chunk),
            ):
                out.setdefault(row_id, set()).add(rev)
        return out

    def _reachable(self, table: str, ids: list[str]) -> set[str]:
        """Of rows held at the office, those a laptop may hang a new row on: rows it made or
        changed, rows it was sent, rows in its villages."""
        out: set[str] = set()
        for chunk, marks in _chunks(ids):
            out.update(
                r
                for (r,) in self.conn.execute(
                    "SELECT row_id FROM return_sent WHERE device_id = ? AND table_name = ? "
                    f"AND row_id IN ({marks})",
                    (self.device, table, *chunk),
                )
            )
            out.update(
                r
                for (r,) in self.conn.execute(
                    f"SELECT row_id FROM change_log WHERE table_name = ? AND row_id IN ({marks}) "
                    "AND substr(rev, 20) = ?",
                    (table, *chunk, self.device),
                )
            )
            village = _VILLAGE_OF.get(table)
            if village:
                out.update(
                    r
                    for r, v in self.conn.execute(
                        f"SELECT t.id, {village} FROM {table} t WHERE t.id IN ({marks})", chunk
                    )
                    if v in self.villages
                )
        return out

    # -- verdicts -------------------------------------------------------------------------
    def judge(self, table: str, records: list[dict], office: dict[str, dict]) -> list:
        """A Verdict or None for each record, in order; `office` is `office_rows` of them."""
        changed = [
            r["row"]["id"]
            for r in records
            if r["row"]["id"] in office and office[r["row"]["id"]]["rev"] != r["row"]["rev"]
        ]
        history = self._history(table, changed) if changed else {}
        sent = self._sent(table, changed) if changed else {}
        reach = self._parents_reachable(table, records, office)
        if table == "handover":
            self._office_status = self._statuses(
                [r["row"].get("enrolment_id") for r in records if r["row"]["id"] not in office]
            )
        verdicts = []
        refused = self._refused.setdefault(table, set())
        for record in records:
            row = record["row"]
            current = office.get(row["id"])
            if current is not None and (
                current["rev"] == row["rev"] or row["rev"] in history.get(row["id"], ())
            ):
                verdict = None  # this version, or a later one, is here already
            else:
                verdict = self._verdict(table, record, current, history, sent, reach)
            if verdict is not None and verdict.outcome == REFUSED:
                refused.add(row["id"])
            elif verdict is not None:
                self._conflicts.setdefault(table, set()).add(row["id"])
            verdicts.append(verdict)
        return verdicts

    def held(self, table: str, row_id: str, verdict: Verdict, outcome: str) -> None:
        """Note a row the importer held back for `verdict` (for the import report)."""
        self.alarm = self.alarm or verdict.alarm
        if verdict.reason is not None:
            self.problems.append(
                {"table": table, "row_id": row_id, "outcome": outcome, "reason": verdict.reason}
            )

    def _verdict(self, table, record, current, history, sent, reach) -> Verdict | None:
        row = record["row"]
        broken = self._broken.get((table, row["id"]))
        if broken is not None:
            return Verdict(REFUSED, broken)
        return (
            self._audited(table, row)
            or self._office_only(table, row, current)
            or (
                self._new(table, row, reach)
                if current is None
                else self._change(table, record, current, history, sent)
            )
        )

    def _audited(self, table: str, row: dict) -> Verdict | None:
        """Every change applied must be described by an entry of the bundle's verified audit
        chain: one about this row whose `after` carries this rev."""
        needle = f'"rev":"{row["rev"]}"'
        if any(needle in after for after in self._described.get((table, row["id"]), ())):
            return None
        return Verdict(
            REFUSED,
            f"{table} {row['id']}: tidak ada catatan audit di dalam paket untuk perubahan ini "
            f"(revisi {row['rev']}); perubahan tanpa catatan tidak diterima.",
            alarm=True,
        )

    def _office_only(self, table: str, row: dict, current: dict | None) -> Verdict | None:
        """What a laptop never sets, whatever its claim: reference data and budgets,
        decisions, merges."""
        if table in OFFICE_TABLES:
            return Verdict(
                REFUSED,
                f"data acuan/anggaran '{row.get('key', row['id'])}' hanya diubah oleh kantor; "
                f"laptop {self.code} tidak berwenang mengubahnya.",
                alarm=True,
            )
        status_column = {"enrolment": "status", "enrolment_status": "to_status"}.get(table)
        if status_column:
            status = row.get(status_column)
            before = current.get(status_column) if current else None
            if status in DECIDED_AT_OFFICE and status != before:
                return Verdict(
                    REFUSED,
                    f"{table} {row['id']}: status {Status(status).label()} hanya diputuskan "
                    f"di kantor; laptop {self.code} tidak berwenang menetapkannya.",
                    alarm=True,
                )
        if table == "person":
            merged = row.get("merged_into")
            if merged is not None and merged != (current or {}).get("merged_into"):
                return Verdict(
                    REFUSED,
                    f"person {row['id']}: penggabungan data hanya dilakukan di kantor; "
                    f"laptop {self.code} tidak berwenang.",
                    alarm=True,
                )
        return None

    def _new(self, table: str, row: dict, reach: dict[str, set[str]]) -> Verdict | None:
        """A new row: in the laptop's villages, hung only on rows the laptop may use, and an
        enrolment in a status a laptop can give it."""
        if table in VILLAGE_TABLES:
            village = row.get("village_code")
            if village is not None and village not in self.villages:
                return Verdict(
                    REFUSED,
                    f"{table} {row['id']}: desa {village} di luar wilayah laptop {self.code}.",
                )
        if table == "enrolment" and row.get("status") not in LAPTOP_MOVES[Status.DRAF]:
            return Verdict(
                REFUSED,
                f"enrolment {row['id']}: pendaftaran baru dari laptop tidak boleh berstatus "
                f"{row.get('status')}.",
                alarm=True,
            )
        for column, parent in _parents(table, row):
            parent_id = row.get(column)
            if parent_id is None:
                continue
            if parent_id in self._refused.get(parent, ()):
                return Verdict(
                    REFUSED, f"{table} {row['id']}: {parent} {parent_id} yang dirujuknya ditolak."
                )
            if parent_id not in self._in_bundle.get(parent, ()) and parent_id not in reach.get(
                parent, ()
            ):
                return Verdict(
                    REFUSED,
                    f"{table} {row['id']}: merujuk {parent} {parent_id} yang tidak dikenal atau "
                    f"di luar wilayah laptop {self.code}.",
                    alarm=True,
                )
        if table == "handover" and self._status_of(row.get("enrolment_id")) not in APPROVED:
            return Verdict(
                REFUSED,
                f"handover {row['id']}: bantuan diserahkan sebelum pendaftarannya disetujui "
                "kantor.",
                alarm=True,
            )
        return None

    def _status_of(self, enrolment_id: str | None) -> str | None:
        """An enrolment's status as it stands once this bundle is merged: as it comes, unless
        it was held back; else the office's."""
        if (
            enrolment_id in self._enrolment_status
            and enrolment_id not in self._conflicts.get("enrolment", ())
            and enrolment_id not in self._refused.get("enrolment", ())
        ):
            return self._enrolment_status[enrolment_id]
        return self._office_status.get(enrolment_id)

    def _statuses(self, ids: list) -> dict[str, str]:
        """enrolment id -> the office's status, for `ids` (None and unknown ids left out)."""
        wanted = sorted({i for i in ids if i is not None})
        out: dict[str, str] = {}
        for chunk, marks in _chunks(wanted):
            out.update(
                self.conn.execute(f"SELECT id, status FROM enrolment WHERE id IN ({marks})", chunk)
            )
        return out

    def _change(self, table, record, current, history, sent) -> Verdict | None:
        """A row the office holds: only one the laptop made, changed before or was sent, and
        only on top of a rev it made or was really sent (its `ancestors` claim alone counts
        for nothing)."""
        row, ancestors = record["row"], record["ancestors"]
        row_id, base = row["id"], current["rev"]
        revs_sent = sent.get(row_id, ())
        logged = history.get(row_id, {})
        revs = list(logged)
        own = [r for r in revs if r.endswith(self._suffix)]
        made = bool(revs) and revs[0].endswith(self._suffix)
        beyond = f"di luar kewenangan laptop {self.code}"
        if not own and not revs_sent:
            return Verdict(
                CONFLICT,
                f"{beyond}: {table} {row_id} tidak dibuat laptop ini dan tidak pernah "
                "dikirim kepadanya.",
                alarm=True,
            )
        if base not in ancestors:
            return Verdict(CONFLICT)  # edited here and there at once: an ordinary conflict
        # A return carries every row a laptop has changed, at its current rev: before m010
        # nothing recorded what, but such a row's rev logged before such a return was sent.
        earlier = self._returned_unrecorded
        received = base in revs_sent or (
            earlier is not None
            and logged.get(base, earlier) < earlier
            and any(logged[r] < earlier for r in own)
        )
        if not base.endswith(self._suffix) and not received:
            return Verdict(
                CONFLICT,
                f"{beyond}: {table} {row_id} diubah di atas versi {base} yang tidak pernah "
                "diterima laptop ini.",
                alarm=True,
            )
        if row.get("deleted_at") is not None and current["deleted_at"] is None and not made:
            return Verdict(
                CONFLICT,
                f"{beyond}: menghapus {table} {row_id} yang tidak dibuat laptop ini.",
                alarm=True,
            )
        if table in VILLAGE_TABLES:
            village = row.get("village_code")
            if (
                village != current["village_code"]
                and village is not None
                and village not in self.villages
            ):
                return Verdict(
                    CONFLICT,
                    f"{beyond}: {table} {row_id} dipindahkan ke desa {village} di luar wilayahnya.",
                    alarm=True,
                )
        if table == "enrolment":
            before = Status(current["status"])
            if row.get("status") not in LAPTOP_MOVES[before]:
                return Verdict(
                    REFUSED,
                    f"enrolment {row_id}: status {before.label()} tidak dapat diubah laptop "
                    f"menjadi {row.get('status')}.",
                    alarm=True,
                )
            if row.get("decision_reason") != current["decision_reason"]:
                return Verdict(
                    REFUSED,
                    f"enrolment {row_id}: alasan keputusan hanya diisi oleh kantor.",
                    alarm=True,
                )
        return None

    def _parents_reachable(self, table, records, office) -> dict[str, set[str]]:
        """parent table -> the parents of this table's new rows, held at the office and not in
        the bundle, that the laptop may hang rows on (one lookup per parent table)."""
        wanted: dict[str, set[str]] = {}
        for record in records:
            row = record["row"]
            if row["id"] in office:
                continue
            for column, parent in _parents(table, row):
                parent_id = row.get(column)
                if parent_id is not None and parent_id not in self._in_bundle.get(parent, ()):
                    wanted.setdefault(parent, set()).add(parent_id)
        return {parent: self._reachable(parent, sorted(ids)) for parent, ids in wanted.items()}


def _returned_unrecorded(conn, device: str) -> str | None:
    """When the office made the last return bundle for `device` that `return_sent` does not
    record (made before m010), if any."""
    return conn.execute(
        "SELECT max(created_at) FROM return_out WHERE device_id = ? AND written_at IS NOT NULL "
        "AND sequence < coalesce((SELECT min(sequence) FROM return_sent WHERE device_id = ?), "
        "1 << 62)",
        (device, device),
    ).fetchone()[0]
