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
