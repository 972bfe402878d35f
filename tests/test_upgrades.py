"""Files made by each released version (tests/data/upgrade/<version>/, written by
scripts/make_upgrade_fixtures.py) open, migrate and import with the current code; a file from a
newer version gets one line; a newer office's return bundle is taken as docs/design.md
("Upgrades") says. Every test works on copies: the committed files are never opened."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pyrage
import pytest

from muba_desk import __version__
from muba_desk.cli import main
from muba_desk.progress import SilentProgress
from muba_desk.store import keys
from muba_desk.store.db import applied_migrations, connect, content_digest
from muba_desk.store.records import set_reference
from muba_desk.store.registry import Registry, ensure_device, now_iso
from muba_desk.store.schema import MIGRATIONS
from muba_desk.sync import returns
from muba_desk.sync.bundle import KIND_OFFICE, build_payload, canonical, key_id_of_recipient, seal
from muba_desk.sync.keys import unlock_office

UPGRADE = Path(__file__).parent / "data" / "upgrade"
RELEASES = sorted(p for p in UPGRADE.iterdir() if (p / "fixture.json").is_file())
FUTURE = "m900_from_the_future"

# 0.1.0's fixture script enrolled with `data={}` (the real 0.1.0 window would have asked for
# the program's fields), so its registries hold non-draft Pake Kelambu enrolments that break
# today's rules. The office now holds such a row back alone, with what points at it (the
# hand-over), and lands the rest; a laptop does the same with such a row in a return bundle
# (every answer of that office carries it), and takes the rest of the answer. Releases made
# after the rules write complete data.
INCOMPLETE_PROGRAM_DATA = {"0.1.0"}
HELD_BACK = "isian data.cover: Isian program Pake Kelambu, “cover”: Wajib diisi."


def _incomplete(release) -> bool:
    return release.names["version"] in INCOMPLETE_PROGRAM_DATA


def test_the_current_version_has_its_fixture_folder():
    # Each release adds its folder with scripts/make_upgrade_fixtures.py.
    assert (UPGRADE / __version__ / "fixture.json").is_file()
    for release in RELEASES:  # small: they live in the repository
        assert sum(p.stat().st_size for p in release.iterdir()) < 1024 * 1024, release.name


@pytest.fixture(params=RELEASES, ids=lambda p: p.name)
def release(request, tmp_path):
    """A copy of one release's files and their names (fixture.json)."""
    folder = shutil.copytree(request.param, tmp_path / request.param.name)
    names = json.loads((folder / "fixture.json").read_text(encoding="utf-8"))
    office_pass, setup_pass = tmp_path / "office.pass", tmp_path / "setup.pass"
    office_pass.write_text(names["office_passphrase"], encoding="utf-8")
    setup_pass.write_text(names["setup_passphrase"], encoding="utf-8")
    stick = tmp_path / "stick"
    stick.mkdir()
    return SimpleNamespace(
        names=names,
        office_db=folder / names["office_db"],
        laptop_db=folder / names["laptop_db"],
        laptop_bundle=folder / names["laptop_bundle"],
        return_bundle=folder / names["return_bundle"],
        office=("--passphrase-file", str(office_pass)),
        laptop=("--passphrase-file", str(setup_pass)),
        stick=stick,
    )


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def query(db_path, sql, params=()):
    db = connect(db_path)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()


def test_registries_open_migrate_and_doctor_says_healthy(release, capsys):
    for db_path, passphrase in (
        (release.office_db, release.names["office_passphrase"]),
        (release.laptop_db, release.names["setup_passphrase"]),
    ):
        keys.unlock_with_passphrase(db_path, passphrase)
        db = connect(db_path)  # migrates what this version added since
        try:
            assert applied_migrations(db) == [m.name for m in MIGRATIONS._migrations]
        finally:
            db.close()
        code, out, err = cli(capsys, "doctor", "--db", db_path)
        assert (code, err) == (0, ""), out
        assert "sehat" in out


def test_the_office_imports_the_laptop_bundle_and_answers_it(release, capsys):
    code, out, err = cli(
        capsys,
        "bundle",
        "import",
        "--db",
        release.office_db,
        release.laptop_bundle,
        *release.office,
    )
    assert code == 0, err
    assert f"diimpor dari laptop {release.names['laptop_code']}" in out
    assert query(release.office_db, "SELECT count(*) FROM person WHERE name = 'Nur Hidayah'") == [
        (1,)
    ]
    handovers = query(release.office_db, "SELECT count(*) FROM handover")
    if _incomplete(release):
        # The enrolment the hand-over is for is held back, and so is the hand-over.
        assert "3 baris DITOLAK" in out and HELD_BACK in out
        assert handovers == [(0,)]
    else:
        assert handovers == [(1,)]
    assert cli(capsys, "doctor", "--db", release.office_db)[0] == 0

    # The answer of the current code reaches the older laptop's (migrated) registry.
    code, out, err = cli(
        capsys, "office", "return", "--db", release.office_db, "--laptop",
        release.names["laptop_code"], "--to", release.stick, *release.office,
    )  # fmt: skip
    assert code == 0, err
    (answer,) = release.stick.iterdir()
    code, out, err = cli(
        capsys, "bundle", "import", "--db", release.laptop_db, answer, *release.laptop
    )
    assert code == 0, err
    assert "kantor menerima paket sampai nomor 2" in out
    if _incomplete(release):
        # The answer carries the office's incomplete enrolment: held back, the rest applied.
        assert "DITAHAN" in out and HELD_BACK in out, out


def _laptop_digest(release) -> str:
    db = connect(release.laptop_db)
    try:
        return content_digest(db.conn)
    finally:
        db.close()


def test_the_laptop_imports_the_return_bundle(release, capsys):
    keys.unlock_with_passphrase(release.laptop_db, release.names["setup_passphrase"])
    before = _laptop_digest(release)
    code, out, err = cli(
        capsys,
        "bundle",
        "import",
        "--db",
        release.laptop_db,
        release.return_bundle,
        *release.laptop,
    )
    assert code == 0, err
    assert "kantor menerima paket sampai nomor 2" in out
    assert _laptop_digest(release) != before
    assert query(
        release.laptop_db, "SELECT count(*) FROM bundle_out WHERE acknowledged_at IS NULL"
    ) == [(0,)]
    statuses = query(release.laptop_db, "SELECT status FROM enrolment ORDER BY status")
    assert statuses == [("AKTIF",), ("DITOLAK",)]
    if _incomplete(release):
        # 0.1.0's answer carries its incomplete enrolments: they (and their history) are held
        # back with the reason, the laptop keeps the versions it has; the rest lands.
        assert "DITAHAN" in out and HELD_BACK in out, out


def _from_the_future(db_path, passphrase) -> str:
    """Mark a copy as written by a newer version, as tests/store/test_db.py does; its hash."""
    keys.unlock_with_passphrase(db_path, passphrase)
    db = connect(db_path)
    try:
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            f"VALUES ('muba_desk', '{FUTURE}', '2030-01-01')"
        )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    keys.forget(db_path)
    return hashlib.sha256(Path(db_path).read_bytes()).hexdigest()


def _one_line_newer(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "yang lebih baru" in err and FUTURE in err


def test_a_file_from_a_newer_version_gets_one_line_from_every_command(release, capsys, monkeypatch):
    laptop_hash = _from_the_future(release.laptop_db, release.names["setup_passphrase"])
    office_hash = _from_the_future(release.office_db, release.names["office_passphrase"])
    code = release.names["laptop_code"]
    laptop, office = release.laptop_db, release.office_db
    setup, office_pass = release.names["setup_passphrase"], release.names["office_passphrase"]
    for passphrase, argv in (
        (setup, ("doctor", "--db", laptop)),
        (setup, ("bundle", "export", "--db", laptop, "--to", release.stick)),
        (setup, ("bundle", "import", "--db", laptop, release.return_bundle)),
        (setup, ("print", "cards", "--db", laptop, "--out", release.stick / "kartu.pdf")),
        (office_pass, ("bundle", "import", "--db", office, release.laptop_bundle)),
        (
            office_pass,
            ("office", "return", "--db", office, "--laptop", code, "--to", release.stick),
        ),
        (office_pass, ("office", "revoke", "--db", office, "--laptop", code)),
    ):
        monkeypatch.setenv("MUBA_DESK_PASSPHRASE", passphrase)
        exit_code, out, err = cli(capsys, *argv)
        assert exit_code == 1 and _one_line_newer(err), (argv, out, err)
    assert hashlib.sha256(laptop.read_bytes()).hexdigest() == laptop_hash
    assert hashlib.sha256(office.read_bytes()).hexdigest() == office_hash
    assert list(release.stick.iterdir()) == []

    # And as a user runs it: a separate process, no traceback.
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", release.names["setup_passphrase"])
    run = subprocess.run(
        [sys.executable, "-m", "muba_desk", "bundle", "export", "--db", str(laptop), "--to",
         str(release.stick)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1 and _one_line_newer(run.stderr), run.stderr
    assert "Traceback" not in run.stderr


# -- a return bundle from an office that runs a newer version (docs/design.md, Upgrades) -----


def _newer_return(release, *, schema: str, value=None, new_table: bool = False) -> Path:
    """The office's real answer, with every row given a column this version does not have
    (holding `value`), re-signed with the test office's key as a newer office would send it."""
    db = connect(release.office_db)
    try:
        office = unlock_office(db, release.names["office_passphrase"])
        laptop = returns._laptop(db, release.names["laptop_code"])
        db.conn.execute("BEGIN")
        try:
            members, counts, acknowledged, _sent = returns._content(
                db, laptop, office, SilentProgress()
            )
        finally:
            db.conn.execute("COMMIT")
        for member, data in list(members.items()):
            if member.startswith("rows/"):
                lines = [json.loads(line) for line in data.decode().splitlines()]
                for line in lines:
                    line["row"]["kolom_baru"] = value
                members[member] = b"\n".join(canonical(line) for line in lines) + b"\n"
        if new_table:
            members["rows/tabel_baru.ndjson"] = canonical({"row": {"id": "x"}}) + b"\n"
            counts["tabel_baru"] = 1
        sequence, previous = returns._next_sequence(db, laptop["device_id"])
        manifest = {
            "laptop_device_id": laptop["device_id"],
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
        data = seal(
            header=header,
            payload=build_payload(manifest, members),
            signing_key=office.signing_key,
            recipient=pyrage.x25519.Recipient.from_str(laptop["age_recipient"]),
        )
    finally:
        db.close()
    path = release.stick / f"muba-kantor-{release.names['laptop_code']}-{sequence:06d}.mubabundle"
    path.write_bytes(data)
    return path


@pytest.fixture
def office_answered(release, capsys):
    """The office imported the laptop's bundle and changed reference data since."""
    keys.unlock_with_passphrase(release.office_db, release.names["office_passphrase"])
    imported = cli(
        capsys,
        "bundle",
        "import",
        "--db",
        release.office_db,
        release.laptop_bundle,
        *release.office,
    )
    assert imported[0] == 0, imported
    db = connect(release.office_db)
    try:
        reg = Registry(db)
        with reg.transaction():
            set_reference(reg, "amount.BANTU_UMAK", 650_000)
    finally:
        db.close()
    return release


def test_a_newer_office_s_empty_new_columns_and_new_tables_are_left_aside(office_answered, capsys):
    release = office_answered
    keys.unlock_with_passphrase(release.laptop_db, release.names["setup_passphrase"])
    bundle = _newer_return(release, schema=FUTURE, value=None, new_table=True)
    code, out, err = cli(
        capsys, "bundle", "import", "--db", release.laptop_db, bundle, *release.laptop
    )
    assert code == 0, out + err
    if _incomplete(release):
        # The office's incomplete enrolment is held back; the empty new column and the new
        # table are not what anything is held for.
        assert HELD_BACK in out and "kolom_baru" not in out and "tabel_baru" not in out, out
    assert "kantor menerima paket sampai nomor 2" in out
    assert query(
        release.laptop_db, "SELECT value FROM reference_data WHERE key = 'amount.BANTU_UMAK'"
    ) == [("650000",)]
    columns = {row[1] for row in query(release.laptop_db, "PRAGMA table_info(person)")}
    assert "kolom_baru" not in columns


def test_a_newer_office_s_value_in_a_column_unknown_here_waits_for_an_update(
    office_answered, capsys
):
    release = office_answered
    keys.unlock_with_passphrase(release.laptop_db, release.names["setup_passphrase"])
    before = _laptop_digest(release)
    bundle = _newer_return(release, schema=FUTURE, value="isi")
    code, out, err = cli(capsys, "bundle", "import", "--db", release.laptop_db, bundle)
    assert code == 1
    (line,) = out.strip().splitlines()
    assert "DITOLAK" in line and ".kolom_baru" in line and "Perbarui muba-desk" in line
    assert _laptop_digest(release) == before


def test_an_office_on_the_same_schema_never_sends_a_column_the_laptop_lacks(
    office_answered, capsys
):
    release = office_answered
    keys.unlock_with_passphrase(release.laptop_db, release.names["setup_passphrase"])
    before = _laptop_digest(release)
    schema = query(release.laptop_db, "SELECT name FROM _sqlite_migrations ORDER BY rowid")[-1][0]
    bundle = _newer_return(release, schema=schema, value=None)
    code, out, err = cli(capsys, "bundle", "import", "--db", release.laptop_db, bundle)
    assert code == 1
    assert "DITOLAK" in out and "tidak sah" in out
    assert _laptop_digest(release) == before
