"""The import-time duplicate queue sees through look-alike letters and invisible characters."""

from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from tests.sync.conftest import add_people, query

# "Siti Aminah" with a Ukrainian і, a Cyrillic А and a zero-width space.
DISGUISED = "S\u0456ti \u0410mi\u200bnah"


def test_a_name_typed_with_lookalikes_on_another_laptop_is_queued(
    laptop_db, laptop8_db, office_db, office, stick
):
    (plain,) = add_people(laptop_db, 1, nik_start=1606014101800001, prefix="Siti Aminah")
    (disguised,) = add_people(laptop8_db, 1, nik_start=1606014101800077, prefix=DISGUISED)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    report = import_bundle(office_db, export_bundle(laptop8_db, stick), office=office)
    assert report.duplicates == 1
    queued = query(office_db, "SELECT kind, row_a, row_b, reason FROM duplicate_candidate")
    assert queued == [("name_birth", *sorted((plain, disguised)), "nama dan tanggal lahir sama")]
