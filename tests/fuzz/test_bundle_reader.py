"""The bundle reader only ever refuses (BundleError) or returns what was really written:
random bytes, damaged real bundles and hand-made zips."""

import io
import zipfile

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from muba_desk.sync.bundle import MAGIC, BundleError, build_payload, open_payload, parse
from tests.fuzz.conftest import PROFILE

MEMBERS = {
    "rows/person.ndjson": b'{"id": "p1", "name": "Siti Aminah"}\n' * 20,
    "audit.ndjson": b'{"seq": 1}\n',
    "photos/" + "ab" * 32 + ".jpg": b"\xff\xd8\xff" + bytes(range(256)),
}
PAYLOAD = build_payload({"format": "muba-desk-payload", "version": 1}, MEMBERS)


@st.composite
def damaged(draw, data: bytes):
    """`data` with a few random edits: flips, cuts, insertions, overwrites."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        i = draw(st.integers(0, len(out) - 1))
        edit = draw(st.sampled_from(("flip", "cut", "insert", "overwrite")))
        if edit == "flip":
            out[i] ^= 1 << draw(st.integers(0, 7))
        elif edit == "cut":
            del out[i:]
        elif edit == "insert":
            out[i:i] = draw(st.binary(min_size=1, max_size=16))
        else:
            chunk = draw(st.binary(min_size=1, max_size=32))
            out[i : i + len(chunk)] = chunk
    return bytes(out)


@settings.get_profile(PROFILE)
@given(st.binary(max_size=4096))
def test_random_bytes_are_refused_by_parse(data):
    try:
        parse(data, "acak.mubabundle")
    except BundleError:
        return


@settings.get_profile(PROFILE)
@given(st.binary(max_size=2048))
def test_random_bytes_after_the_magic_are_refused_by_parse(data):
    try:
        parse(MAGIC + data, "acak.mubabundle")
    except BundleError:
        return


@settings.get_profile(PROFILE)
@given(damaged(PAYLOAD))
def test_a_damaged_payload_is_refused_or_reads_exactly_what_was_written(data):
    try:
        payload = open_payload(data, "rusak.mubabundle")
    except BundleError:
        return
    # Accepted (the edit hit bytes no reader uses): every member must be exactly the original.
    assert payload.members == {k: v for k, v in MEMBERS.items()}


@settings.get_profile(PROFILE)
@given(
    st.dictionaries(
        st.one_of(
            st.sampled_from(["manifest.json", "audit.ndjson", "rows/person.ndjson", "../x"]),
            st.text(min_size=1, max_size=40),
        ),
        st.binary(max_size=512),
        max_size=6,
    ),
    st.booleans(),
)
def test_hand_made_zips_are_refused_unless_they_are_consistent(members, deflate):
    buffer = io.BytesIO()
    kind = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    try:
        with zipfile.ZipFile(buffer, "w", compression=kind) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
    except (ValueError, IndexError):
        assume(False)  # a name zipfile itself cannot write: not the reader's business
    try:
        payload = open_payload(buffer.getvalue(), "buatan.mubabundle")
    except BundleError:
        return
    for name, data in payload.members.items():
        assert members[name] == data


def test_a_zip_claiming_a_newer_zip_version_is_refused_not_crashed():
    # Found by the fuzzer: zipfile raises NotImplementedError for "zip file version 6.4".
    data = bytearray(PAYLOAD)
    entry = data.index(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = b"@\x00"  # version needed to extract: 6.4
    try:
        open_payload(bytes(data), "paket.muba")
    except BundleError as refused:
        assert "paket.muba" in str(refused)
    else:
        raise AssertionError("a zip claiming version 6.4 was read")
