"""How many scans a JPEG holds, counted over its bytes before any decoder sees them.

A progressive JPEG is decoded in scans, and libjpeg passes over every block of the picture
for each one, however little data the scan carries: a file that repeats one 12-byte scan a
thousand times costs a thousand passes. Counting needs no decoding: marker segments carry
their length, and the entropy-coded data after a scan header ends at the first 0xFF that is
followed by neither 0x00 (a stuffed byte), a restart marker (0xD0-0xD7) nor another 0xFF
(fill before a marker).
"""

from __future__ import annotations

import re

# A marker: 0xFF, then a byte that is not stuffing, fill or a restart (restarts only occur
# inside entropy-coded data, where they do not end it). One byte pair, so a hostile run of
# fill bytes is still searched in linear time, in C.
_MARKER = re.compile(rb"\xff[^\x00\xff\xd0-\xd7]")
_SOS, _EOI = 0xDA, 0xD9
_NO_LENGTH = frozenset({0x01, 0xD8})  # TEM and SOI stand alone


def count_scans(data: bytes, *, stop_after: int) -> int:
    """Start-of-scan markers in the JPEG `data`, counting stopped once past `stop_after`.

    Lenient like libjpeg: bytes between segments are skipped to the next marker, and a
    truncated file counts the scans it has (the decoder then says what is wrong with it).
    """
    scans = 0
    pos = 2  # after SOI
    end = len(data)
    while True:
        found = _MARKER.search(data, pos)
        if found is None:
            return scans
        at = found.start()
        code = data[at + 1]
        if code == _EOI:
            return scans
        if code in _NO_LENGTH:
            pos = at + 2
            continue
        if at + 4 > end:
            return scans
        # The length counts itself, not the marker; a length below 2 is damage: step past.
        pos = at + 2 + max(2, int.from_bytes(data[at + 2 : at + 4], "big"))
        if code == _SOS:
            scans += 1
            if scans > stop_after:
                return scans
