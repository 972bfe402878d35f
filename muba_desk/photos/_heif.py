"""Whether a HEIC file holds all the bytes its own boxes promise, checked before decoding.

libheif decodes a HEIC whose picture data was cut off (a copy interrupted, a stick pulled out)
without an error: the missing tiles come out green, and a half-green photo would be stored.
A HEIC is a chain of boxes, each starting with its length, and its `iloc` box lists where
every item's data lies in the file; a file that ends before a box or an extent ends is cut.
"""

from __future__ import annotations

import struct

_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1", b"ftypavif")


def looks_like_heif(data: bytes) -> bool:
    return data[4:12] in _HEIF_BRANDS


def is_truncated(data: bytes) -> bool:
    """True when a box or an item's data reaches past the end of `data`."""
    meta = None
    for kind, start, end in _boxes(data, 0, len(data)):
        if end > len(data):
            return True
        if kind == b"meta":
            meta = (start + 4, end)  # a full box: version and flags first
    if meta is None:
        return False  # no item table to check: the decoder's own refusal decides
    for kind, start, end in _boxes(data, *meta):
        if end > meta[1]:
            return True
        if kind == b"iloc":
            return any(stop > len(data) for stop in _extent_ends(data[start:end]))
    return False


def _boxes(data: bytes, offset: int, limit: int):
    """(type, payload start, end) of the boxes between offset and limit; the last may end
    past `limit`, which is what a cut file looks like."""
    while offset + 8 <= limit:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            if offset + 16 > limit:
                return
            (size,) = struct.unpack_from(">Q", data, offset + 8)
            header = 16
        elif size == 0:
            size = limit - offset  # "to the end of the file": cannot be cut by definition
        if size < header:
            return  # broken, not cut: left to the decoder
        yield kind, offset + header, offset + size
        offset += size


def _extent_ends(iloc: bytes) -> list[int]:
    """Where each item's data ends in the file, for items stored at file offsets (ISO/IEC
    14496-12, ItemLocationBox)."""
    version = iloc[0]
    sizes = int.from_bytes(iloc[4:6], "big")
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 0xF
    base_size, index_size = (sizes >> 4) & 0xF, sizes & 0xF if version in (1, 2) else 0
    pos = 6
    id_size = 4 if version == 2 else 2

    def take(n: int) -> int:
        nonlocal pos
        value = int.from_bytes(iloc[pos : pos + n], "big")
        if pos + n > len(iloc):
            raise ValueError("iloc cut short")
        pos += n
        return value

    ends: list[int] = []
    try:
        for _item in range(take(id_size)):
            take(id_size)
            method = take(2) & 0xF if version in (1, 2) else 0
            reference = take(2)
            base = take(base_size)
            extents = take(2)
            if not (offset_size or length_size or index_size):
                continue  # extents of no bytes locate nothing; never loop over them
            for _extent in range(extents):
                take(index_size)
                start, length = take(offset_size), take(length_size)
                if method == 0 and reference == 0 and length:
                    ends.append(base + start + length)
    except ValueError:
        ends.append(2**63)  # the table itself is cut
    return ends
