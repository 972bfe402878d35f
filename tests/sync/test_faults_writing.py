"""Sticks fail: large bundles cut at chunk boundaries, exports killed, full or read-only
destinations, and a folder of fifty bundles with some bad ones."""

import builtins
import errno
import os
import random
import signal
import time

import pyrage
import pytest

from muba_desk.core.rules import LIMITS
from muba_desk.progress import Progress
from muba_desk.store.db import connect
from muba_desk.store.records import add_person
from muba_desk.store.registry import Registry
from muba_desk.sync import commands
from muba_desk.sync.bundle import BundleError, parse
from muba_desk.sync.export import export_bundle, pending_changes
from muba_desk.sync.importer import STATUS_REFUSED, import_bundle, import_many
from muba_desk.sync.returns import office_return
from tests.spelled import spelled
from tests.sync.conftest import PASSPHRASE, add_people, dump, edit, query

AGE_CHUNK = 64 * 1024
AGE_TAG = 16
AGE_NONCE = 16


def _fill_with_noise(laptop_db, people: int, note_bytes: int) -> int:
    """`people` * `note_bytes` of notes that do not compress, so the bundle is as large as the
    data; spread over more people when a note would pass its limit (LIMITS["notes"])."""
    per_note = min(note_bytes, LIMITS["notes"])
    ids = add_people(laptop_db, people * note_bytes // per_note)
    rng = random.Random(5)

    def write(reg):
        for pid in ids:
            reg.update("person", pid, {"notes": rng.randbytes(per_note // 2).hex()})

    edit(laptop_db, write)
    return len(ids)


def _chunk_boundaries(ciphertext: bytes) -> list[int]:
    """Offsets in the age ciphertext where a STREAM chunk ends (and the payload starts)."""
    header_end = ciphertext.index(b"\n", ciphertext.index(b"\n---")) + 1
    start = header_end + AGE_NONCE
    return list(range(start, len(ciphertext) + 1, AGE_CHUNK + AGE_TAG))


def test_a_large_bundle_cut_at_every_chunk_boundary_is_refused(
    laptop_db, office_db, office, stick, tmp_path
):
    people = _fill_with_noise(laptop_db, 120, 24_000)
    path = export_bundle(laptop_db, stick)
    data = path.read_bytes()
    ciphertext = bytes(parse(data, path.name).ciphertext)
    prefix = len(data) - len(ciphertext)
    boundaries = _chunk_boundaries(ciphertext)
    assert len(data) > 2_000_000 and len(boundaries) > 30
    before = dump(office_db)
    damaged = tmp_path / "terpotong.mubabundle"
    for boundary in boundaries[:-1]:
        for cut in (boundary - 1, boundary, boundary + 1):
            damaged.write_bytes(data[: prefix + cut])
            with pytest.raises(BundleError, match="terpotong.mubabundle.*terpotong"):
                import_bundle(office_db, damaged, office=office)
        # Below the signed length check, age itself refuses a stream cut between chunks.
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(ciphertext[:boundary], [office.identity])
    assert dump(office_db) == before
    assert import_bundle(office_db, path, office=office).tables["person"] == people


def test_an_export_killed_at_random_points_leaves_no_damaged_file_and_loses_nothing(
    laptop_db, office_db, office, stick
):
    people = _fill_with_noise(laptop_db, 30, 16_000)  # about half a megabyte
    # A USB stick is slow: writes in the stick crawl, so kills land inside them too.
    slow_stick = pytest.MonkeyPatch()
    _slow_writes(slow_stick, stick)
    # A probe export times the phases; half the kills aim at the write, rename and read-back.
    marks = {}
    started = time.monotonic()
    progress = Progress(lambda done, total, label: marks.setdefault(done, time.monotonic()))
    export_bundle(laptop_db, stick, progress).unlink()
    write_from, end = marks[3] - started, marks[4] - started
    assert end - write_from > 0.02
    rng = random.Random(11)
    for attempt in range(20):
        delay = rng.uniform(write_from, end) if attempt % 2 else rng.uniform(0, end * 1.2)
        pid = os.fork()
        if pid == 0:  # the child: one export, then out without pytest's cleanup
            try:
                export_bundle(laptop_db, stick)
            finally:
                os._exit(0)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        # Whatever made it under a final name is whole: rename is the last step.
        for path in stick.glob("*.mubabundle"):
            parse(path.read_bytes(), path.name)
    slow_stick.undo()
    assert query(laptop_db, "PRAGMA integrity_check") == [("ok",)]
    db = connect(laptop_db)
    assert pending_changes(db) > 0
    db.close()
    final = export_bundle(laptop_db, stick)
    report = import_bundle(office_db, final, office=office)
    assert report.tables["person"] == people
    # The bundles the killed exports finished are good too, and change nothing now.
    late = import_many(office_db, sorted(stick.glob("*.mubabundle")), office=office)
    assert all(r.status != STATUS_REFUSED for r in late)


def _slow_writes(monkeypatch, folder, chunk: int = 32 * 1024, pause: float = 0.003):
    """Files written in `folder` take `pause` per `chunk`, like a cheap USB stick."""
    real_open = builtins.open

    class Slow:
        def __init__(self, f):
            self.f = f

        def write(self, data):
            for start in range(0, len(data), chunk):
                self.f.write(data[start : start + chunk])
                self.f.flush()
                time.sleep(pause)
            return len(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.f.__exit__(*exc)

    def fake(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        return Slow(opened) if str(file).startswith(str(folder)) and "w" in mode else opened

    monkeypatch.setattr(builtins, "open", fake)


def _failing_open(monkeypatch, folder, error: int, *, after_bytes: int | None = None):
    """Opening (or, with after_bytes, writing past that much) in `folder` fails like a stick."""
    real_open = builtins.open

    class Short:
        def __init__(self, f):
            self.f, self.written = f, 0

        def write(self, data):
            if self.written + len(data) > after_bytes:
                self.f.write(data[: after_bytes - self.written])
                raise OSError(error, os.strerror(error))
            self.written += len(data)
            return self.f.write(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.f.__exit__(*exc)

    def fake(file, mode="r", *args, **kwargs):
        if str(file).startswith(str(folder)) and "w" in mode:
            if after_bytes is None:
                raise OSError(error, os.strerror(error), str(file))
            return Short(real_open(file, mode, *args, **kwargs))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake)


@pytest.mark.parametrize(
    ("error", "after_bytes"),
    [(errno.EROFS, None), (errno.EACCES, None), (errno.ENOSPC, 600)],
    ids=["read-only", "no-permission", "full-midway"],
)
def test_a_stick_that_refuses_the_write_leaves_no_file_and_the_outbox_intact(
    laptop_db, office_db, office, stick, monkeypatch, error, after_bytes
):
    add_people(laptop_db, 40)
    _failing_open(monkeypatch, stick, error, after_bytes=after_bytes)
    with pytest.raises(BundleError, match="tidak dapat ditulis.*flashdisk") as refused:
        export_bundle(laptop_db, stick)
    assert os.strerror(error) in str(refused.value)
    with pytest.raises(BundleError, match="tidak dapat ditulis"):
        office_return(office_db, "L07", stick, office=office)
    monkeypatch.undo()
    assert list(stick.iterdir()) == []
    # No bundle of sequence 1 was ever published (the sequence is reserved only once the file
    # is complete, just before it gets its name), so the next export is sequence 1 again.
    report = import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert (report.sequence, report.tables["person"]) == (1, 40)


def test_a_destination_that_is_not_a_folder_is_refused_with_a_reason(laptop_db, tmp_path):
    # A real failure even for root: the "folder" is a file (a stick mounted oddly, a typo).
    not_a_folder = tmp_path / "berkas"
    not_a_folder.write_text("bukan folder")
    add_people(laptop_db, 2)
    with pytest.raises(BundleError, match="tidak dapat ditulis ke") as refused:
        export_bundle(laptop_db, not_a_folder / "flashdisk")
    assert os.strerror(errno.ENOTDIR) in str(refused.value)
    db = connect(laptop_db)
    assert pending_changes(db) > 0
    db.close()


def test_importing_a_folder_of_fifty_bundles_reports_each_and_keeps_the_good_ones(
    laptop_db, office_db, stick, capsys, monkeypatch
):
    # Held open so each export's and import's own connection closes without a checkpoint:
    # the test is about the folder, not about fsync.
    keep_laptop, keep_office = connect(laptop_db), connect(office_db)
    reg = Registry(keep_laptop, operator_id="op-1")
    paths = []
    for index in range(50):
        with reg.transaction():
            add_person(
                reg, name=f"Orang {spelled(index)}", sex="L", nik=str(1606010101500001 + index)
            )
        paths.append(export_bundle(laptop_db, stick))
    keep_laptop.close()
    bad = {paths[9]: "cut", paths[24]: "flip", paths[49]: "cut"}
    for path, damage in bad.items():
        data = bytearray(path.read_bytes())
        if damage == "cut":
            data = data[: len(data) // 2]
        else:
            data[-100] ^= 0x01
        path.write_bytes(bytes(data))
    monkeypatch.setenv(commands.PASSPHRASE_ENV, PASSPHRASE)
    parser = __import__("argparse").ArgumentParser()
    commands.add_arguments(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["bundle", "import", "--db", str(office_db), str(stick)])
    assert args.handler(args) == 1
    keep_office.close()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 50
    for path, line in zip(paths, lines, strict=True):
        assert line.startswith(path.name)
        assert ("DITOLAK" in line) == (path in bad), line
    # Bundle 49 is good and carries everything unacknowledged: 49 people (bundle 50 was cut).
    assert query(office_db, "SELECT count(*) FROM person") == [(49,)]
    assert query(office_db, "SELECT count(*) FROM bundle_import") == [(47,)]
