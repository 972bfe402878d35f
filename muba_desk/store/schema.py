"""The schema, defined only here as append-only migrations (never edit one that shipped)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from muba_desk.domain.names import fold_name, search_key
from muba_desk.paths import resource


class Migrations:
    """sqlite-utils' `Migrations` registry (same decorator, same `_sqlite_migrations` rows), but
    reading what is applied is one plain query: sqlite_utils (and the click, dateutil, pluggy
    and tabulate its package pulls in) is imported only when something is pending, never by a
    start that finds the file up to date."""

    migrations_table = "_sqlite_migrations"

    class _Migration:
        __slots__ = ("name", "fn", "transactional")

        def __init__(self, name: str, fn: Callable, transactional: bool = True):
            self.name, self.fn, self.transactional = name, fn, transactional

    class _AppliedMigration:
        __slots__ = ("name", "applied_at")

        def __init__(self, name: str, applied_at: str):
            self.name, self.applied_at = name, applied_at

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[Migrations._Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable:
        def inner(fn: Callable) -> Callable:
            migration_name = name or fn.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"Migration '{migration_name}' is already registered")
            self._migrations.append(self._Migration(migration_name, fn, transactional))
            return fn

        return inner

    def applied(self, db) -> list[Migrations._AppliedMigration]:
        """The migrations of this set applied to `db`, in the order they were applied."""
        conn = db.conn
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (self.migrations_table,),
        ).fetchone()
        if exists is None:
            return []
        rows = conn.execute(
            f"SELECT name, applied_at FROM {self.migrations_table} "
            "WHERE migration_set = ? ORDER BY rowid",
            (self.name,),
        ).fetchall()
        return [self._AppliedMigration(name, applied_at) for name, applied_at in rows]

    def pending(self, db) -> list[Migrations._Migration]:
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply what is pending with sqlite-utils' own `Migrations.apply` (one transaction per
        migration with its record, `stop_before` as there), on a connection that has the
        schema's SQL functions."""
        from sqlite_utils.migrations import Migrations as Full

        register_functions(db.conn)

        full = Full(self.name)
        full._migrations = [
            Full._Migration(m.name, m.fn, m.transactional) for m in self._migrations
        ]
        full.apply(db, stop_before=stop_before)


MIGRATIONS = Migrations("muba_desk")


def register_functions(conn) -> None:
    """The SQL functions the schema itself calls, on a driver connection.

    The search index's triggers store `muba_fold_name(name)` (m011): a connection without it
    cannot insert, rename or delete a person ("no such function"); it never writes an index
    out of step; the same holds for `muba_name_key(name)` and the middle-of-names index
    (m018_search_middle). Every connection of the app has them (`store.db.raw_connect`, `memory_db`,
    and `Migrations.apply`); a script's own connection that writes people calls this (the
    benchmarks' baselines do).
    """
    conn.create_function("muba_fold_name", 1, fold_name, deterministic=True)
    conn.create_function("muba_name_key", 1, search_key, deterministic=True)


# Columns every row that travels between laptops and the office carries (ARCHITECTURE.md).
# `pk` is a local integer key: it keeps rowids stable across VACUUM so the FTS index can
# point at people; it never leaves the device.
SYNC_COLUMNS = """
    id TEXT NOT NULL UNIQUE,
    rev TEXT NOT NULL,
    base_rev TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted_at TEXT
"""

# Tables whose rows travel in bundles, in an order that satisfies foreign keys on insert.
SYNCED_TABLES = (
    "household",
    "institution",
    "person",
    "grp",
    "grp_member",
    "photo",
    "enrolment",
    "enrolment_status",
    "handover",
    "reference_data",
)

# Columns never written to the audit log as values (large binary data): the hash stands in.
BLOB_COLUMNS = {"photo": ("jpeg", "thumbnail")}


def known_migration_names() -> set[str]:
    return {m.name for m in MIGRATIONS._migrations}


@MIGRATIONS()
def m001_initial(db) -> None:
    db.executescript(
        f"""
        CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT);

        CREATE TABLE operator (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            full_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor')),
            password_hash TEXT,
            created_at TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE area_district (code TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE area_village (
            code TEXT PRIMARY KEY,
            district_code TEXT NOT NULL REFERENCES area_district(code),
            name TEXT NOT NULL
        );

        CREATE TABLE household (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            kk_number TEXT,
            head_person_id TEXT,
            address TEXT,
            rt TEXT,
            rw TEXT,
            village_code TEXT NOT NULL,
            gps_lat REAL,
            gps_lon REAL,
            welfare_decile INTEGER CHECK (welfare_decile BETWEEN 1 AND 10),
            decile_source TEXT,
            notes TEXT
        );
        CREATE INDEX household_kk ON household(kk_number);
        CREATE INDEX household_village ON household(village_code);

        CREATE TABLE institution (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'panti_asuhan',
            address TEXT,
            village_code TEXT,
            head_name TEXT,
            licence_no TEXT,
            phone TEXT
        );

        CREATE TABLE person (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            household_id TEXT REFERENCES household(id),
            institution_id TEXT REFERENCES institution(id),
            nik TEXT,
            no_nik_reason TEXT,
            name TEXT NOT NULL,
            sex TEXT NOT NULL CHECK (sex IN ('L', 'P')),
            birth_place TEXT,
            birth_date TEXT,
            relation TEXT,
            occupation TEXT,
            disability TEXT NOT NULL DEFAULT '[]',
            phone TEXT,
            consent_by TEXT CHECK (consent_by IN ('sendiri', 'wali')),
            consent_guardian TEXT,
            consent_at TEXT,
            photo_id TEXT,
            notes TEXT,
            CHECK (nik IS NOT NULL OR no_nik_reason IS NOT NULL)
        );
        CREATE INDEX person_household ON person(household_id);
        CREATE INDEX person_institution ON person(institution_id);
        CREATE INDEX person_nik ON person(nik);
        CREATE INDEX person_birth ON person(birth_date);
        CREATE INDEX person_name ON person(name);

        CREATE TABLE grp (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            name TEXT NOT NULL,
            program TEXT NOT NULL,
            village_code TEXT,
            business_type TEXT,
            bank_account TEXT,
            bank_name TEXT
        );
        CREATE TABLE grp_member (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            grp_id TEXT NOT NULL REFERENCES grp(id),
            person_id TEXT NOT NULL REFERENCES person(id),
            role TEXT NOT NULL
        );
        CREATE INDEX grp_member_grp ON grp_member(grp_id);
        CREATE INDEX grp_member_person ON grp_member(person_id);

        CREATE TABLE photo (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            sha256 TEXT NOT NULL,
            jpeg BLOB NOT NULL,
            thumbnail BLOB NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            taken_at TEXT,
            gps_lat REAL,
            gps_lon REAL,
            kind TEXT NOT NULL CHECK (kind IN ('portrait', 'house_before', 'house_during',
                                               'house_after', 'business', 'document')),
            owner_table TEXT NOT NULL,
            owner_id TEXT NOT NULL
        );
        CREATE INDEX photo_owner ON photo(owner_table, owner_id);
        CREATE INDEX photo_sha ON photo(sha256);

        CREATE TABLE enrolment (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            program TEXT NOT NULL,
            person_id TEXT REFERENCES person(id),
            household_id TEXT REFERENCES household(id),
            grp_id TEXT REFERENCES grp(id),
            institution_id TEXT REFERENCES institution(id),
            status TEXT NOT NULL DEFAULT 'DRAF',
            period_start TEXT,
            period_end TEXT,
            data TEXT NOT NULL DEFAULT '{{}}',
            card_number TEXT,
            decision_reason TEXT,
            CHECK (person_id IS NOT NULL OR grp_id IS NOT NULL OR institution_id IS NOT NULL)
        );
        CREATE INDEX enrolment_person ON enrolment(person_id);
        CREATE INDEX enrolment_household ON enrolment(household_id);
        CREATE INDEX enrolment_program ON enrolment(program, status);

        CREATE TABLE enrolment_status (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            enrolment_id TEXT NOT NULL REFERENCES enrolment(id),
            from_status TEXT,
            to_status TEXT NOT NULL,
            reason TEXT
        );
        CREATE INDEX enrolment_status_enrolment ON enrolment_status(enrolment_id);

        CREATE TABLE handover (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            enrolment_id TEXT NOT NULL REFERENCES enrolment(id),
            tranche TEXT,
            period TEXT,
            amount INTEGER CHECK (amount IS NULL OR amount >= 0),
            items TEXT NOT NULL DEFAULT '[]',
            handed_at TEXT NOT NULL,
            receipt_number TEXT NOT NULL UNIQUE,
            confirmed_by TEXT NOT NULL CHECK (confirmed_by IN ('tanda_tangan', 'cap_jempol',
                                                               'kuasa')),
            proxy_name TEXT,
            proxy_relation TEXT,
            operator_id TEXT,
            times_printed INTEGER NOT NULL DEFAULT 0,
            CHECK (confirmed_by != 'kuasa' OR proxy_name IS NOT NULL)
        );
        CREATE INDEX handover_enrolment ON handover(enrolment_id);

        CREATE TABLE reference_data (
            pk INTEGER PRIMARY KEY,
            {SYNC_COLUMNS},
            key TEXT NOT NULL UNIQUE,
            value TEXT NOT NULL
        );

        -- Human numbers (cards, receipts) carry the device, so a per-device counter suffices.
        CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

        -- Append-only and hash-chained per device: who, when, what, before and after.
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            device_id TEXT NOT NULL,
            operator_id TEXT,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        );
        CREATE INDEX audit_device ON audit(device_id, seq);
        CREATE INDEX audit_row ON audit(table_name, row_id);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

        -- What sync reads: every change to a travelling row, in commit order.
        CREATE TABLE change_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            rev TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX change_log_row ON change_log(table_name, row_id);
        """
    )
    _create_person_search(db)
    load_areas(db)


@MIGRATIONS()
def m002_sync(db) -> None:
    """Sync: the laptop's outbox and ledger, the office's laptops, imports and review queues."""
    db.executescript(
        """
        -- Laptop: one row per bundle written; acknowledged_at is set by the office's return.
        CREATE TABLE bundle_out (
            sequence INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            previous_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            change_seq_high INTEGER NOT NULL,
            audit_seq_high INTEGER NOT NULL,
            counts TEXT NOT NULL,
            -- Reserved before the file is written, so a sequence number is never used twice.
            written_at TEXT,
            acknowledged_at TEXT
        );
        -- Laptop: which row (at which rev) left in which bundle.
        CREATE TABLE outbox_item (
            sequence INTEGER NOT NULL REFERENCES bundle_out(sequence),
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            rev TEXT NOT NULL,
            PRIMARY KEY (sequence, table_name, row_id)
        );

        -- Office: every laptop it provisioned, with its public keys.
        CREATE TABLE office_laptop (
            device_id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            district_code TEXT NOT NULL,
            villages TEXT NOT NULL DEFAULT '[]',
            key_id TEXT NOT NULL UNIQUE,
            signing_public TEXT NOT NULL,
            age_recipient TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_reason TEXT
        );
        -- Office: the import ledger, keyed on laptop and sequence (replays change nothing).
        CREATE TABLE bundle_import (
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            file_sha256 TEXT NOT NULL,
            previous_sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            report TEXT NOT NULL,
            PRIMARY KEY (device_id, sequence)
        );
        -- Office: an incoming row that was not based on the office's current version.
        CREATE TABLE sync_conflict (
            id INTEGER PRIMARY KEY,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            office_rev TEXT NOT NULL,
            incoming_rev TEXT NOT NULL,
            incoming TEXT NOT NULL,
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT,
            UNIQUE (table_name, row_id, incoming_rev)
        );
        -- Office: pairs that are probably the same person, for a person to review.
        CREATE TABLE duplicate_candidate (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_a TEXT NOT NULL,
            row_b TEXT NOT NULL,
            reason TEXT NOT NULL,
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT,
            UNIQUE (kind, row_a, row_b)
        );
        -- Office: laptops' audit entries as written there. Kept apart from `audit` because an
        -- entry's hash covers the laptop's own seq, which the office's table cannot reuse.
        CREATE TABLE audit_import (
            device_id TEXT NOT NULL,
            device_seq INTEGER NOT NULL,
            at TEXT NOT NULL,
            operator_id TEXT,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            sequence INTEGER NOT NULL,
            PRIMARY KEY (device_id, device_seq)
        );
        CREATE TRIGGER audit_import_no_update BEFORE UPDATE ON audit_import
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER audit_import_no_delete BEFORE DELETE ON audit_import
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        """
    )


@MIGRATIONS()
def m003_sync_return(db) -> None:
    """Return bundles: the office's ledger of what it sent, the laptop's of what it applied."""
    db.executescript(
        """
        -- Office: one row per return bundle written for a laptop, reserved before writing.
        CREATE TABLE return_out (
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            previous_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            acknowledged_sequence INTEGER,
            counts TEXT NOT NULL,
            written_at TEXT,
            PRIMARY KEY (device_id, sequence)
        );
        -- Laptop: every return bundle applied (replays change nothing).
        CREATE TABLE return_import (
            sequence INTEGER PRIMARY KEY,
            file_sha256 TEXT NOT NULL,
            previous_sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            report TEXT NOT NULL
        );
        -- Laptop: revs that arrived from the office. Not in change_log (they are not this
        -- laptop's changes), but an edit made on top of one must name it as an ancestor.
        CREATE TABLE sync_arrival (
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            rev TEXT NOT NULL,
            PRIMARY KEY (table_name, row_id, rev)
        );
        """
    )


@MIGRATIONS()
def m004_operators_drafts(db) -> None:
    """Sign-in back-off per user name, and the drafts of forms not yet saved."""
    db.executescript(
        """
        -- Failed sign-ins: kept in the file so restarting the app does not reset the wait.
        CREATE TABLE signin_throttle (
            username TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            blocked_until REAL NOT NULL
        );
        -- What an open form holds, saved every few seconds so a crash loses nothing.
        CREATE TABLE draft (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            state TEXT NOT NULL,
            operator_id TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """
    )


@MIGRATIONS()
def m005_office(db) -> None:
    """Office desk: merged people, a scored duplicate queue, indexes for the registry page."""
    db.executescript(
        """
        -- A person merged into another stays as a tombstone pointing at the one kept, so both
        -- histories stay readable and laptops learn of the merge from the return bundle.
        ALTER TABLE person ADD COLUMN merged_into TEXT;
        CREATE INDEX person_merged_into ON person(merged_into) WHERE merged_into IS NOT NULL;

        -- The review queue, scored and explained; not-same decisions keep their reason.
        ALTER TABLE duplicate_candidate ADD COLUMN score REAL;
        ALTER TABLE duplicate_candidate ADD COLUMN details TEXT;
        ALTER TABLE duplicate_candidate ADD COLUMN resolved_by TEXT;
        ALTER TABLE duplicate_candidate ADD COLUMN resolution_reason TEXT;
        CREATE INDEX duplicate_candidate_open ON duplicate_candidate(resolved_at, score);
        CREATE INDEX duplicate_candidate_b ON duplicate_candidate(row_b);

        -- A record's history across laptops is read by row.
        CREATE INDEX audit_import_row ON audit_import(table_name, row_id);

        -- Registry filters: the device part of a rev (`{ms:13}.{counter:4}.{device}`), dates.
        CREATE INDEX person_rev_device ON person(substr(rev, 20));
        CREATE INDEX person_created ON person(created_at);
        CREATE INDEX enrolment_created ON enrolment(created_at);
        CREATE INDEX enrolment_grp ON enrolment(grp_id) WHERE grp_id IS NOT NULL;
        CREATE INDEX enrolment_institution ON enrolment(institution_id)
            WHERE institution_id IS NOT NULL;
        CREATE INDEX enrolment_status_to ON enrolment_status(to_status, enrolment_id);
        CREATE INDEX institution_village ON institution(village_code);
        """
    )


def _create_person_search(db) -> None:
    """FTS5 over name, NIK, KK and village, kept in step by triggers so every writer (the
    window, the demo generator, a bundle import) updates it in the same transaction."""
    village_of = (
        "(SELECT v.name FROM household h JOIN area_village v ON v.code = h.village_code "
        "WHERE h.id = {p}.household_id)"
    )
    kk_of = "(SELECT h.kk_number FROM household h WHERE h.id = {p}.household_id)"
    select_new = (
        f"SELECT new.pk, new.name, coalesce(new.nik, ''), coalesce({kk_of.format(p='new')}, ''), "
        f"coalesce({village_of.format(p='new')}, '')"
    )
    db.executescript(
        f"""
        CREATE VIRTUAL TABLE person_search USING fts5(
            name, nik, kk, village,
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '1 2 3'
        );
        CREATE TRIGGER person_search_ai AFTER INSERT ON person WHEN new.deleted_at IS NULL
        BEGIN
            INSERT INTO person_search(rowid, name, nik, kk, village) {select_new};
        END;
        CREATE TRIGGER person_search_ad AFTER DELETE ON person
        BEGIN
            DELETE FROM person_search WHERE rowid = old.pk;
        END;
        CREATE TRIGGER person_search_au AFTER UPDATE OF name, nik, household_id, deleted_at
        ON person
        BEGIN
            DELETE FROM person_search WHERE rowid = old.pk;
            INSERT INTO person_search(rowid, name, nik, kk, village)
                {select_new} WHERE new.deleted_at IS NULL;
        END;
        CREATE TRIGGER household_search_au AFTER UPDATE OF kk_number, village_code
        ON household
        BEGIN
            DELETE FROM person_search
                WHERE rowid IN (SELECT pk FROM person WHERE household_id = new.id);
            INSERT INTO person_search(rowid, name, nik, kk, village)
                SELECT p.pk, p.name, coalesce(p.nik, ''), coalesce(new.kk_number, ''),
                       coalesce((SELECT name FROM area_village WHERE code = new.village_code), '')
                FROM person p WHERE p.household_id = new.id AND p.deleted_at IS NULL;
        END;
        """
    )


def load_areas(db) -> None:
    """(Re)load Musi Banyuasin's districts and villages from the shipped official codes."""
    with open(resource("areas", "districts.csv"), encoding="utf-8", newline="") as f:
        districts = [
            (row["code"], row["name"]) for row in csv.DictReader(f) if row["code"][:5] == "16.06"
        ]
    with open(
        resource("areas", "villages_1606_musi_banyuasin.csv"), encoding="utf-8", newline=""
    ) as f:
        villages = [(row["code"], row["district_code"], row["name"]) for row in csv.DictReader(f)]
    db.conn.executemany("INSERT OR REPLACE INTO area_district VALUES (?, ?)", districts)
    db.conn.executemany("INSERT OR REPLACE INTO area_village VALUES (?, ?, ?)", villages)


@MIGRATIONS()
def m006_live_counts(db) -> None:
    """The status bar's totals from small partial indexes instead of full table scans.

    `count(*) ... WHERE deleted_at IS NULL` walks one of these (a few bytes per live row)
    instead of every row of the table: at 250,000 people a cold count took 3.7 s, as the
    reader thread's first job after a reboot.
    """
    db.executescript(
        """
        CREATE INDEX household_live ON household(deleted_at) WHERE deleted_at IS NULL;
        CREATE INDEX person_live ON person(deleted_at) WHERE deleted_at IS NULL;
        CREATE INDEX enrolment_live ON enrolment(deleted_at) WHERE deleted_at IS NULL;
        """
    )


@MIGRATIONS()
def m007_live_counts_by_pk(db) -> None:
    """m006's live-row indexes again, led by `pk` instead of `deleted_at`.

    An index on `deleted_at` offers `deleted_at IS NULL` as an equality, and SQLite (without
    ANALYZE) then prefers it to the name, NIK or KK index of a list query and sorts the whole
    table instead: the first screen's 200 people by name became a sort of all 250,000
    (tests/store/test_search.py). Led by `pk`, the index only serves scans, such as the
    count; `deleted_at` second makes that scan covering, so the table itself is never read.
    """
    db.executescript(
        """
        DROP INDEX IF EXISTS household_live;
        DROP INDEX IF EXISTS person_live;
        DROP INDEX IF EXISTS enrolment_live;
        CREATE INDEX household_live ON household(pk, deleted_at) WHERE deleted_at IS NULL;
        CREATE INDEX person_live ON person(pk, deleted_at) WHERE deleted_at IS NULL;
        CREATE INDEX enrolment_live ON enrolment(pk, deleted_at) WHERE deleted_at IS NULL;
        """
    )


@MIGRATIONS()
def m008_audit_hash_not_indexed(db) -> None:
    """The audit table again, without the UNIQUE index on `hash`.

    Nothing looks an entry up by its hash: `verify_chain` (the doctor's check) walks the
    entries by `seq` and recomputes each hash and link, the export reads by device and seq, and
    the office keeps laptops' entries in `audit_import`. A hash covers the previous hash and
    the entry's own seq, so two entries cannot share one without the chain check failing
    anyway. The index cost every append a random B-tree insert: at 250,000 people about a
    third of the audit table's write time, and more as the file grows.

    SQLite cannot drop a UNIQUE constraint, so the table is made again (its rows copied in seq
    order, the same columns, indexes and append-only triggers); statement by statement, so the
    whole migration is one transaction. About 20 s for the 490,000 entries of a
    250,000-person demo registry; a laptop's file, a second or two.
    """
    conn = db.conn
    conn.execute(
        """
        CREATE TABLE audit_new (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            device_id TEXT NOT NULL,
            operator_id TEXT,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """
    )
    conn.execute(
        "INSERT INTO audit_new (seq, at, device_id, operator_id, action, table_name, row_id, "
        "before, after, prev_hash, hash) SELECT seq, at, device_id, operator_id, action, "
        "table_name, row_id, before, after, prev_hash, hash FROM audit ORDER BY seq"
    )
    # Dropping a table fires no trigger: the append-only guards go with it and come back below.
    conn.execute("DROP TABLE audit")
    conn.execute("ALTER TABLE audit_new RENAME TO audit")
    conn.execute("CREATE INDEX audit_device ON audit(device_id, seq)")
    conn.execute("CREATE INDEX audit_row ON audit(table_name, row_id)")
    conn.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    conn.execute(
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )


# Statuses an enrolment can hold (domain.status.Status), for m009's guards.
_M009_STATUSES = "'DRAF', 'DIAJUKAN', 'TERKIRIM', 'DISETUJUI', 'DITOLAK', 'AKTIF', 'SELESAI'"
# What each travelling table must hold whatever wrote it: (table, columns a guard reads,
# condition). The same rules, and more, are checked in Python by `muba_desk.core.rules`
# before any write; these are the ones SQL can hold, so that a row written with plain SQL
# (or by a future writer that forgets the core) still cannot carry them.
# Control characters and the emoji and pictograph blocks, which no name holds (GLOB compares
# code points); the full rule (letters and a few signs only) is core.rules'.
_M009_NOT_IN_NAMES = "'*[\x01-\x1f\U0001f000-\U0001faff\u2600-\u27bf]*'"
# The programs m009 knows; a new program adds itself to the guard in its own migration.
_M009_PROGRAMS = (
    "'PAKE_KELAMBU', 'BANTU_UMAK', 'PEDAS_NIA', 'BERTANI', 'KUBE_UEP', 'BAKUL_NASI', 'PKM'"
)
M009_GUARDS = (
    (
        "person",
        ("nik", "name", "birth_date"),
        "(NEW.nik IS NULL OR (length(NEW.nik) = 16 AND NEW.nik NOT GLOB '*[^0-9]*'))"
        " AND typeof(NEW.name) = 'text' AND length(NEW.name) BETWEEN 1 AND 100"
        f" AND NEW.name NOT GLOB {_M009_NOT_IN_NAMES}"
        " AND (NEW.birth_date IS NULL OR (date(NEW.birth_date) IS NEW.birth_date"
        " AND NEW.birth_date >= '1900-01-01'))",
    ),
    (
        "household",
        ("kk_number",),
        "NEW.kk_number IS NULL OR (length(NEW.kk_number) = 16"
        " AND NEW.kk_number NOT GLOB '*[^0-9]*')",
    ),
    (
        "institution",
        ("name", "head_name"),
        "typeof(NEW.name) = 'text' AND length(NEW.name) BETWEEN 1 AND 150"
        " AND (NEW.head_name IS NULL OR length(NEW.head_name) <= 100)",
    ),
    (
        "grp",
        ("name", "program"),
        "typeof(NEW.name) = 'text' AND length(NEW.name) BETWEEN 1 AND 150"
        f" AND NEW.program IN ({_M009_PROGRAMS})",
    ),
    (
        "enrolment",
        ("program", "status", "data"),
        f"NEW.program IN ({_M009_PROGRAMS}) AND NEW.status IN ({_M009_STATUSES})"
        " AND typeof(NEW.data) = 'text' AND json_valid(NEW.data)"
        " AND json_type(NEW.data) = 'object'",
    ),
    (
        "enrolment_status",
        ("from_status", "to_status"),
        f"NEW.to_status IN ({_M009_STATUSES})"
        f" AND (NEW.from_status IS NULL OR NEW.from_status IN ({_M009_STATUSES}))",
    ),
    (
        # 100,000,000 is domain.programs.base.MAX_HANDOVER_ANY when m009 shipped: a shipped
        # migration never changes, so the figure is written out (a test keeps them equal).
        "handover",
        ("amount", "proxy_name"),
        "(NEW.amount IS NULL OR (typeof(NEW.amount) = 'integer'"
        " AND NEW.amount BETWEEN 1 AND 100000000))"
        " AND (NEW.proxy_name IS NULL OR length(NEW.proxy_name) <= 100)",
    ),
)


@MIGRATIONS()
def m009_rules_guards(db) -> None:
    """Guards for the rules SQL can hold, and where a confirmed NIK mismatch is recorded.

    SQLite cannot add a CHECK to an existing table, so the guards are BEFORE INSERT and
    BEFORE UPDATE OF (the columns read) triggers: an update of other columns (a status, a
    print count) does not pay for them. Rows already stored are not re-checked; the doctor
    and the core's rules see them. `person.nik_confirmed_at` is when an operator confirmed,
    against the KTP or KK, a NIK whose birth date or sex differs from the one recorded
    (PROGRAMS.md: Dukcapil never changes a NIK when a birth date is corrected).
    """
    conn = db.conn
    conn.execute("ALTER TABLE person ADD COLUMN nik_confirmed_at TEXT")
    for table, columns, condition in M009_GUARDS:
        message = f"{table}: nilai di luar aturan ({', '.join(columns)})"
        for event, name in (
            ("INSERT", "insert"),
            (f"UPDATE OF {', '.join(columns)}", "update"),
        ):
            conn.execute(
                f"CREATE TRIGGER {table}_rules_{name} BEFORE {event} ON {table} "
                f"WHEN NOT ({condition}) BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


@MIGRATIONS()
def m010_return_sent(db) -> None:
    """Office: which revision of which row each laptop was sent, and why a conflict was queued.

    A laptop may change a row it did not make only on top of a revision the office really sent
    it (docs/design.md, "Authority: what a laptop may change"): the import honours an
    `ancestors` claim only for revs the laptop made itself or finds here. A return bundle
    carries the laptop's whole share each time, so only revs not sent before add a row (the
    first return that sent a rev is kept). Returns written before this migration recorded
    nothing: an edit on top of what they carried is queued as a conflict, never lost.
    """
    db.executescript(
        """
        CREATE TABLE return_sent (
            device_id TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            rev TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            PRIMARY KEY (device_id, table_name, row_id, rev)
        ) WITHOUT ROWID;
        -- Why an incoming row was held for review (NULL: an ordinary concurrent edit).
        ALTER TABLE sync_conflict ADD COLUMN reason TEXT;
        """
    )


@MIGRATIONS()
def m011_search_folded_names(db) -> None:
    """The search index holds each name in its folded form (`domain.names.fold_name`).

    Names with a zero-width space, a soft hyphen, Cyrillic or Greek look-alike letters or
    full-width letters were indexed as written, so "siti aminah" typed by a clerk missed
    "Sіti Аminah" (a Ukrainian і, a Cyrillic А). The triggers now store
    `muba_fold_name(name)`, an SQL function every connection registers (`register_functions`
    above), and the queries are folded the same way (`store.search.fts_query`). The index is
    made again from the live people: one pass, joins instead of a subquery per row, 0.9 s for
    20,000 people on a plain file (5 s on an encrypted one, its pre-migration backup included).
    """
    village_of = (
        "(SELECT v.name FROM household h JOIN area_village v ON v.code = h.village_code "
        "WHERE h.id = {p}.household_id)"
    )
    kk_of = "(SELECT h.kk_number FROM household h WHERE h.id = {p}.household_id)"
    select_new = (
        f"SELECT new.pk, muba_fold_name(new.name), coalesce(new.nik, ''), "
        f"coalesce({kk_of.format(p='new')}, ''), coalesce({village_of.format(p='new')}, '')"
    )
    conn = db.conn
    # Statement by statement (not executescript, which commits): the migration is one
    # transaction, so a failure leaves the old index and triggers in place.
    for statement in (
        "DROP TRIGGER person_search_ai",
        "DROP TRIGGER person_search_au",
        "DROP TRIGGER household_search_au",
        "DROP TABLE person_search",
        """CREATE VIRTUAL TABLE person_search USING fts5(
            name, nik, kk, village,
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '1 2 3'
        )""",
        f"""CREATE TRIGGER person_search_ai AFTER INSERT ON person WHEN new.deleted_at IS NULL
        BEGIN
            INSERT INTO person_search(rowid, name, nik, kk, village) {select_new};
        END""",
        f"""CREATE TRIGGER person_search_au AFTER UPDATE OF name, nik, household_id, deleted_at
        ON person
        BEGIN
            DELETE FROM person_search WHERE rowid = old.pk;
            INSERT INTO person_search(rowid, name, nik, kk, village)
                {select_new} WHERE new.deleted_at IS NULL;
        END""",
        """CREATE TRIGGER household_search_au AFTER UPDATE OF kk_number, village_code
        ON household
        BEGIN
            DELETE FROM person_search
                WHERE rowid IN (SELECT pk FROM person WHERE household_id = new.id);
            INSERT INTO person_search(rowid, name, nik, kk, village)
                SELECT p.pk, muba_fold_name(p.name), coalesce(p.nik, ''),
                       coalesce(new.kk_number, ''),
                       coalesce((SELECT name FROM area_village WHERE code = new.village_code), '')
                FROM person p WHERE p.household_id = new.id AND p.deleted_at IS NULL;
        END""",
        """INSERT INTO person_search(rowid, name, nik, kk, village)
        SELECT p.pk, muba_fold_name(p.name), coalesce(p.nik, ''), coalesce(h.kk_number, ''),
               coalesce(v.name, '')
        FROM person p
        LEFT JOIN household h ON h.id = p.household_id
        LEFT JOIN area_village v ON v.code = h.village_code
        WHERE p.deleted_at IS NULL ORDER BY p.pk""",
    ):
        conn.execute(statement)


@MIGRATIONS()
def m012_goods_quantity_key(db) -> None:
    """Goods items keep their quantity under one key, "quantity" (`domain.goods`).

    The demo wrote "qty" while the window and the receipts used "quantity", so a receipt read
    "1. porsi Makanan siap santap" for 1,800 portions. Each stored hand-over whose items carry
    "qty" is rewritten with the item renamed (an item holding both keeps "quantity"), encoded
    as the registry encodes JSON. The row's rev is left alone: every copy of the row (laptop
    and office) gets the same rewrite from this migration. m009's guards watch amount and
    proxy_name only, so the update passes them.
    """
    import json

    from muba_desk.domain.goods import with_one_key

    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    conn = db.conn
    found = conn.execute("SELECT pk, items FROM handover WHERE items LIKE '%\"qty\"%'").fetchall()
    for pk, items in found:
        try:
            decoded = json.loads(items)
        except ValueError:
            continue  # not JSON: nothing here could rewrite it; left as it is
        if not isinstance(decoded, list):
            continue
        renamed = [with_one_key(item) for item in decoded]
        if renamed != decoded:
            conn.execute("UPDATE handover SET items = ? WHERE pk = ?", (encode(renamed), pk))


# Where a person stands after an imported list put them in the registry unseen (m013): NULL for
# people a worker registered; `to_verify` until a worker has checked them in the field.
VERIFY_STATES = ("to_verify", "confirmed", "moved", "died", "not_found")
# What became of each row of an imported list (`list_row.fate`).
LIST_ROW_FATES = (
    "new",
    "matched",
    "updated",
    "queued",
    "refused",
    "warned",
    "enrolled",
    "left_out",
)


@MIGRATIONS()
def m013_list_import(db) -> None:
    """Lists in (issue 14): the office's ledger of imported lists, and provenance on the rows.

    `list_import` is one imported file (office-local, never synced): the same bytes, sheet and
    mapping are recognised by the UNIQUE key, so importing a file again changes nothing.
    `list_row` keeps what became of each row of it (one entry per outcome: a row can be `new`
    and `enrolled`). `household.decile_year` is the year of the list the decile came from;
    `person.verify_state` and `person.source_note` (file, sheet, row, SHA-256 prefix, mapping,
    in words) travel with the person, so a laptop can list the imported people to verify. The
    CHECKs hold what SQL can; `core.rules` also holds the year to the current year + 1.
    """
    states = ", ".join(f"'{s}'" for s in VERIFY_STATES)
    fates = ", ".join(f"'{f}'" for f in LIST_ROW_FATES)
    conn = db.conn
    for statement in (
        """CREATE TABLE list_import (
            id TEXT PRIMARY KEY,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            sheet TEXT NOT NULL,
            mapping_name TEXT NOT NULL,
            mapping TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by TEXT,
            counts TEXT NOT NULL DEFAULT '{}',
            UNIQUE (sha256, sheet, mapping)
        )""",
        f"""CREATE TABLE list_row (
            import_id TEXT NOT NULL REFERENCES list_import(id),
            row_number INTEGER NOT NULL,
            fate TEXT NOT NULL CHECK (fate IN ({fates})),
            person_id TEXT,
            household_id TEXT,
            reason TEXT
        )""",
        "CREATE INDEX list_row_import ON list_row(import_id, row_number)",
        "CREATE INDEX list_row_person ON list_row(person_id) WHERE person_id IS NOT NULL",
        "ALTER TABLE household ADD COLUMN decile_year INTEGER CHECK (decile_year IS NULL OR "
        "(typeof(decile_year) = 'integer' AND decile_year BETWEEN 2000 AND 2100))",
        f"ALTER TABLE person ADD COLUMN verify_state TEXT CHECK (verify_state IS NULL OR "
        f"verify_state IN ({states}))",
        "ALTER TABLE person ADD COLUMN source_note TEXT",
    ):
        conn.execute(statement)


@MIGRATIONS()
def m014_decisions_sk(db) -> None:
    """Decisions (SK, surat keputusan) and the enrolments each sets (issue 15, Lists out).

    Office-local tables, outside SYNCED_TABLES: an SK is the office's document (its number,
    signatory and attachment are printed there); a laptop learns what matters to it, the
    enrolment's status, from the enrolment row the return bundle already carries. The link
    to an enrolment is also an audit entry on that enrolment, so its history names the SK.
    """
    db.executescript(
        """
        CREATE TABLE sk (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            number TEXT NOT NULL UNIQUE,
            decided_on TEXT NOT NULL,
            about TEXT NOT NULL,
            program TEXT NOT NULL,
            period TEXT NOT NULL,
            signatory_name TEXT NOT NULL,
            signatory_title TEXT NOT NULL,
            signatory_nip TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT
        );
        CREATE TABLE sk_enrolment (
            sk_id TEXT NOT NULL REFERENCES sk(id),
            enrolment_id TEXT NOT NULL REFERENCES enrolment(id),
            added_at TEXT NOT NULL,
            added_by TEXT,
            PRIMARY KEY (sk_id, enrolment_id)
        ) WITHOUT ROWID;
        CREATE INDEX sk_enrolment_enrolment ON sk_enrolment(enrolment_id);
        """
    )


# m014 is helper sk's (decisions); this one follows it.
@MIGRATIONS()
def m015_payouts(db) -> None:
    """Bank payment lists and BPJS rosters the office sent, and the partners' answers.

    `payout_batch` is one file handed on: a bank list (program, period YYYY-MM, tranche
    numbered from 1 per program and period) or a month's BPJS roster; `payout_line` its rows,
    one per enrolment (`number`: its row in the file), with what the answer said.
    Office-local: these tables never travel (the hand-overs an answer records do).
    A hand-over paid by bank transfer is confirmed by the bank's answer, not by a signature:
    `handover.confirmed_by` gains 'transfer_bank'. SQLite cannot alter a CHECK, and widening
    the IN list leaves every stored row valid, so the table's text is edited as SQLite's
    documentation describes for a constraint that only loosens ("Making other kinds of table
    schema changes": writable_schema, schema_version + 1).
    """
    conn = db.conn
    conn.execute(
        """CREATE TABLE payout_batch (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('bank', 'bpjs')),
            program TEXT NOT NULL,
            period TEXT NOT NULL,
            tranche INTEGER NOT NULL,
            made_at TEXT NOT NULL,
            made_by TEXT,
            layout TEXT NOT NULL,
            file_name TEXT,
            rows INTEGER NOT NULL,
            total INTEGER NOT NULL,
            UNIQUE (kind, program, period, tranche)
        )"""
    )
    conn.execute(
        """CREATE TABLE payout_line (
            batch_id INTEGER NOT NULL REFERENCES payout_batch(id),
            enrolment_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            nik TEXT,
            name TEXT,
            account_number TEXT,
            amount INTEGER,
            change TEXT,
            change_reason TEXT,
            outcome TEXT CHECK (outcome IN ('dibayar', 'gagal', 'terdaftar', 'ditolak')),
            outcome_reason TEXT,
            reference TEXT,
            handover_id TEXT,
            answered_at TEXT,
            PRIMARY KEY (batch_id, enrolment_id)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX payout_line_enrolment ON payout_line(enrolment_id)")
    conn.execute("CREATE INDEX payout_line_nik ON payout_line(nik)")
    old = "'kuasa')),"
    new = "'kuasa', 'transfer_bank')),"
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'handover'"
    ).fetchone()
    if old not in sql:
        raise RuntimeError("m015: handover.confirmed_by's CHECK is not the one m001 made")
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'handover'",
            (sql.replace(old, new, 1),),
        )
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


@MIGRATIONS()
def m017_conflict_base(db) -> None:
    """Office: the version both sides started from is kept with each sync conflict.

    `base` is the row (JSON, as the audit logs hold it) at the newest of the incoming row's
    ancestors that the office also had, read from the office's audit log or the laptops'
    audit entries it imported (`sync.three_way.base_of`). With it a field changed on one side
    only is told from a field changed on both; NULL when the office never saw that version
    (conflicts queued before this migration, or a row beyond the laptop's authority).
    """
    # One statement on the migration's own transaction (executescript would commit first).
    db.conn.execute("ALTER TABLE sync_conflict ADD COLUMN base TEXT")


@MIGRATIONS()
def m018_search_middle(db) -> None:
    """Search finds the middle of names and their spelling variants (issue 16).

    `person_search` (m011) matches word beginnings only: "anti" missed Yanti, "ahmad" missed
    Achmad. `person_trigram` holds each live person's name in the form the office's duplicate
    finder compares (`domain.names.search_key`: variants such as Achmad/Ahmad and
    M./Muhamad/Muhammad made one, old spellings respelled, titles dropped), indexed by FTS5's
    trigram tokenizer, so any three letters or more of it are found; `store.search` puts the
    query through the same function. Kept in step by triggers, like `person_search`, so every
    writer updates it in the same transaction. Names only: NIK and KK digits are found in
    the middle through their B-tree indexes (`store.search.people_by_digits`).
    """
    conn = db.conn
    for statement in (
        """CREATE VIRTUAL TABLE person_trigram USING fts5(key, tokenize = 'trigram')""",
        """CREATE TRIGGER person_trigram_ai AFTER INSERT ON person WHEN new.deleted_at IS NULL
        BEGIN
            INSERT INTO person_trigram(rowid, key) VALUES (new.pk, muba_name_key(new.name));
        END""",
        """CREATE TRIGGER person_trigram_ad AFTER DELETE ON person
        BEGIN
            DELETE FROM person_trigram WHERE rowid = old.pk;
        END""",
        """CREATE TRIGGER person_trigram_au AFTER UPDATE OF name, deleted_at ON person
        BEGIN
            DELETE FROM person_trigram WHERE rowid = old.pk;
            INSERT INTO person_trigram(rowid, key)
                SELECT new.pk, muba_name_key(new.name) WHERE new.deleted_at IS NULL;
        END""",
        """INSERT INTO person_trigram(rowid, key)
        SELECT pk, muba_name_key(name) FROM person WHERE deleted_at IS NULL ORDER BY pk""",
    ):
        conn.execute(statement)
