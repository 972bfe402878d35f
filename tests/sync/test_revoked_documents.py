"""A revoked laptop's printed documents: refused with the day of the revocation when dated on or
after it, still genuine (with a note) when dated before, at the office and on other laptops."""

import argparse
from datetime import date, timedelta

from muba_desk import signing
from muba_desk.printing import commands
from muba_desk.store.db import connect
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.keys import revoke_laptop
from muba_desk.sync.receive import import_return
from muba_desk.sync.returns import office_return
from tests.sync.conftest import add_people, query


def _verify(db_path, code, capsys) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    commands.add_arguments(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["verify", code, "--db", str(db_path)])
    status = args.handler(args)
    out = capsys.readouterr()
    return status, out.out + out.err


def _receipt(db_path, number: str, day: date) -> str:
    """What laptop `db_path` prints in a receipt's QR code for a hand-over of `day`."""
    db = connect(db_path)
    try:
        return signing.sign_payload(
            db,
            {
                "kind": signing.KIND_RECEIPT,
                "number": number,
                "name": "Siti Aminah",
                "programs": ["BANTU_UMAK"],
                "amount": 300000,
                "date": day.isoformat(),
            },
        )
    finally:
        db.close()


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def test_a_stolen_laptops_later_receipts_are_refused_with_the_day_everywhere(
    laptop_db, laptop8_db, laptop9_db, office_db, office, stick, capsys
):
    # L07 syncs once and so learns L08's key; L09 never synced before the revocation.
    add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    import_return(laptop_db, office_return(office_db, "L07", stick, office=office))
    today = date.today()
    earlier = _receipt(laptop8_db, "BU-0001", today - timedelta(days=10))

    revoke_laptop(office_db, "L08", "dicuri")
    # The thief prints on with the laptop's key.
    later = _receipt(laptop8_db, "BU-0002", today)
    ((revoked_at,),) = query(office_db, "SELECT revoked_at FROM office_laptop WHERE code = 'L08'")
    day = _day(signing.revocation_day(revoked_at))

    for code in ("L07", "L09"):
        target = laptop_db if code == "L07" else laptop9_db
        import_return(target, office_return(office_db, code, stick, office=office))
    for where in (office_db, laptop_db, laptop9_db):
        status, said = _verify(where, later, capsys)
        assert status == 1, (where, said)
        assert "TIDAK ASLI" in said and f"dicabut kantor pada {day}" in said
        status, said = _verify(where, earlier, capsys)
        assert status == 0, (where, said)
        assert "ASLI" in said and f"dicabut kantor pada {day}" in said and "tetap sah" in said
        # A changed amount on the earlier one is still caught: the key is checked first.
        status, said = _verify(where, earlier.replace("|300000|", "|900000|"), capsys)
        assert status == 1 and "tidak cocok" in said


def test_a_return_without_public_keys_still_names_the_revocation(
    laptop_db, laptop8_db, office_db, office, stick, capsys, monkeypatch
):
    """An older office's list carries key ids only: a laptop that never knew the key cannot
    check the signature, and says the laptop was revoked rather than "unknown"."""
    from muba_desk.sync import keys

    real = keys.revocation_list

    def without_public_keys(db, office_keys):
        import json

        body, _signature, _ = real(db, office_keys).split(b"\n")
        listing = json.loads(body)
        for entry in listing["revoked"]:
            del entry["public_key"]
        body = keys.canonical(listing)
        signature = office_keys.signing_key.sign(b"muba-desk revocations v1\n" + body)
        return body + b"\n" + signature.hex().encode("ascii") + b"\n"

    monkeypatch.setattr("muba_desk.sync.returns.revocation_list", without_public_keys)
    code = _receipt(laptop8_db, "BU-0003", date.today() - timedelta(days=3))
    revoke_laptop(office_db, "L08", "hilang")
    import_return(laptop_db, office_return(office_db, "L07", stick, office=office))
    status, said = _verify(laptop_db, code, capsys)
    assert status == 1
    assert "dicabut kantor pada" in said and "tidak dapat dipastikan" in said


def test_the_check_dialog_says_what_the_command_says(qtbot, laptop8_db, office_db, office, capsys):
    from muba_desk.gui.verify_dialog import VerifyDialog

    code = _receipt(laptop8_db, "BU-0004", date.today())
    revoke_laptop(office_db, "L08", "dicuri")
    db = connect(office_db)
    try:
        keys = signing.check_keys(db)
    finally:
        db.close()
    dialog = VerifyDialog(keys)
    qtbot.addWidget(dialog)
    dialog.code.setText(code)
    assert dialog.check() is False
    status, said = _verify(office_db, code, capsys)
    assert status == 1
    headline = said.strip().splitlines()[0]
    assert headline.split("TIDAK ASLI", 1)[1] in dialog.result.text().replace("&#x27;", "'")
