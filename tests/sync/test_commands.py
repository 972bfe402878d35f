"""The sync commands run headless end to end, as an office script would call them."""

import argparse

from muba_desk.sync import commands
from tests.sync.conftest import add_people


def run(*argv) -> int:
    parser = argparse.ArgumentParser()
    commands.add_arguments(parser.add_subparsers(dest="command"))
    args = parser.parse_args([str(a) for a in argv])
    return args.handler(args)


def test_office_laptop_export_inspect_import_from_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(commands.PASSPHRASE_ENV, "rahasia-kantor")
    setup_file = tmp_path / "setup.txt"
    setup_file.write_text("kode-penyiapan\n")
    office, laptop, stick = tmp_path / "office.db", tmp_path / "laptop.db", tmp_path / "stick"
    stick.mkdir()
    assert run("office", "init", "--db", office) == 0
    assert (
        run(
            "office",
            "add-laptop",
            "--db",
            office,
            "--name",
            "Laptop Sekayu",
            "--code",
            "L07",
            "--district",
            "16.06.01",
            "--out",
            tmp_path / "L07.provision",
            "--setup-passphrase-file",
            setup_file,
        )
        == 0
    )
    assert (
        run(
            "setup",
            "--db",
            laptop,
            "--provision",
            tmp_path / "L07.provision",
            "--passphrase-file",
            setup_file,
        )
        == 0
    )
    add_people(laptop, 3)
    capsys.readouterr()
    assert run("bundle", "export", "--db", laptop, "--to", stick) == 0
    written = capsys.readouterr().out.strip()
    assert run("bundle", "inspect", written) == 0
    assert "paket 1" in capsys.readouterr().out
    (stick / "rusak.mubabundle").write_bytes(b"MUBA-DESK-BUNDLE 1\n{}")
    assert run("bundle", "import", "--db", office, stick) == 1  # one file was refused
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert any("DITOLAK" in line and "rusak.mubabundle" in line for line in lines)
    assert any("diimpor dari laptop L07" in line and "4 baru" in line for line in lines)
    assert run("office", "revoke", "--db", office, "--laptop", "L07") == 0


def test_office_return_and_laptop_import_from_the_command_line(
    laptop_db, laptop8_db, office_db, stick, capsys, monkeypatch
):
    from tests.sync.conftest import PASSPHRASE

    monkeypatch.setenv(commands.PASSPHRASE_ENV, PASSPHRASE)
    add_people(laptop_db, 3)
    assert run("bundle", "export", "--db", laptop_db, "--to", stick) == 0
    assert run("bundle", "import", "--db", office_db, stick) == 0
    capsys.readouterr()
    assert run("office", "return", "--db", office_db, "--laptop", "L07", "--to", stick) == 0
    assert run("office", "return", "--db", office_db, "--laptop", "Laptop L08", "--to", stick) == 0
    written = capsys.readouterr().out.split()
    assert [p.rsplit("/", 1)[-1] for p in written] == [
        "muba-kantor-L07-000001.mubabundle",
        "muba-kantor-L08-000001.mubabundle",
    ]
    assert run("bundle", "inspect", written[0]) == 0
    assert "kantor" in capsys.readouterr().out
    # The laptop is given the whole stick: its own bundle and L08's return are skipped.
    monkeypatch.delenv(commands.PASSPHRASE_ENV)
    assert run("bundle", "import", "--db", laptop_db, stick) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert sum("dilewati" in line for line in lines) == 2
    assert any(
        "muba-kantor-L07" in line and "paket balasan kantor diimpor" in line for line in lines
    )
    # Named explicitly, a return bundle for another laptop is refused (exit 1).
    assert run("bundle", "import", "--db", laptop_db, written[1]) == 1
    assert "laptop lain" in capsys.readouterr().out
    monkeypatch.setenv(commands.PASSPHRASE_ENV, PASSPHRASE)
    assert run("office", "return", "--db", office_db, "--laptop", "L99", "--to", stick) == 1
    assert "tidak terdaftar" in capsys.readouterr().err


def test_demo_fills_a_provisioned_laptop_as_that_laptop(
    laptop_db, office_db, office, stick, capsys
):
    from muba_desk.cli import main
    from muba_desk.sync.importer import import_bundle
    from tests.sync.conftest import query

    ((device,),) = query(laptop_db, "SELECT value FROM setting WHERE key = 'device_id'")
    assert main(["demo", "--db", str(laptop_db), "--people", "40", "--seed", "3"]) == 0
    people = query(laptop_db, "SELECT rev FROM person")
    assert len(people) == 40 and all(rev.endswith(f".{device}") for (rev,) in people)
    assert run("bundle", "export", "--db", laptop_db, "--to", stick) == 0
    path = capsys.readouterr().out.strip().splitlines()[-1]
    report = import_bundle(office_db, path, office=office)
    assert report.laptop == "L07" and report.tables["person"] == 40
