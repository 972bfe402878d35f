"""A laptop's bundle carrying a JPEG that repeats one progressive scan a thousand times is
refused at the office's photo check, before decoding, and the office stays as it was."""

import io

import pytest
from PIL import Image

from muba_desk.photos import MAX_SCANS
from muba_desk.sync.bundle import BundleError
from muba_desk.sync.importer import import_bundle
from tests.sync.conftest import dump
from tests.sync.test_hostile_payload import (  # noqa: F401 (a fixture)
    _photo,
    _replace_photo,
    forge,
    laptop_with_photo,
)


def photo_with_a_thousand_scans(manifest, members):
    """The stored photo saved again as a progressive JPEG, its last scan repeated."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(members[_photo(members)])).save(buffer, "JPEG", progressive=True)
    data = buffer.getvalue()
    last = data.rindex(b"\xff\xda")  # no 0xFF 0xDA inside entropy-coded data
    eoi = data.rindex(b"\xff\xd9")
    hostile = data[:eoi] + data[last:eoi] * 1000 + data[eoi:]
    return _replace_photo(manifest, members, hostile)


def test_a_photo_with_a_thousand_scans_is_refused_at_the_office(
    laptop_with_photo,  # noqa: F811
    office_db,
    office,
    tmp_path,
):
    path = forge(laptop_with_photo, tmp_path / "lapisan.mubabundle", photo_with_a_thousand_scans)
    before = dump(office_db)
    with pytest.raises(BundleError) as refused:
        import_bundle(office_db, path, office=office)
    assert f"lebih dari {MAX_SCANS} lapisan gambar" in str(refused.value)
    assert path.name in str(refused.value)
    assert dump(office_db) == before
