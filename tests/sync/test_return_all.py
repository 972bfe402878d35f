"""`office return --all`: one return bundle for every laptop not revoked, in one go."""

from muba_desk.cli import main
from muba_desk.sync.bundle import parse
from tests.sync.test_loop import field  # noqa: F401 (a fixture)


def test_every_active_laptop_gets_its_return_bundle(field, capsys):  # noqa: F811
    office, laptops, stick = field["office"], field["laptops"], field["stick"]
    assert main(["office", "revoke", "--db", str(office), "--laptop", "L09"]) == 0
    capsys.readouterr()
    assert main(["office", "return", "--db", str(office), "--all", "--to", str(stick)]) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == 2  # L07 and L08; L09 is revoked
    for path, code in zip(sorted(written), ("L07", "L08"), strict=True):
        assert path.rsplit("/", 1)[-1].startswith(f"muba-kantor-{code}-")
        with open(path, "rb") as f:
            assert parse(f.read(), path).header["kind"] == "office"
    # Each laptop takes its own: the import on L07 accepts the bundle meant for it.
    mine = next(p for p in written if "L07" in p)
    assert main(["bundle", "import", "--db", str(laptops["L07"]), mine]) == 0


def test_all_and_one_laptop_cannot_be_asked_together(field, capsys):  # noqa: F811
    office, stick = field["office"], field["stick"]
    args = ["office", "return", "--db", str(office), "--all", "--laptop", "L07", "--to", str(stick)]
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("argparse accepted --all with --laptop")
