"""A bundle within every cap but made to take memory stays under 500 MB at the office: its
NDJSON is parsed as it inflates, and the caps bound what the parsed lines can take."""

import json
import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

from muba_desk.sync.bundle import (
    MAX_LINE_BYTES,
    MAX_LINES,
    MAX_PARSED_BYTES,
    MAX_ROWS_BYTES,
    _parsed_size,
    build_payload,
)
from tests.sync.conftest import PASSPHRASE, add_people
from tests.sync.test_hostile_payload import forge

LIMIT_MB = 500
REV = "1780000000000.0000"
ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from muba_desk.store.db import connect
from muba_desk.sync import keys
from muba_desk.sync.bundle import BundleError
from muba_desk.sync.importer import import_bundle

keys.SCRYPT_LOG_N = 10  # as the office was made (tests/sync/conftest.py)
office_db, bundle, passphrase = sys.argv[1:4]
db = connect(office_db)
office = keys.unlock_office(db, passphrase)
db.close()
try:
    print(import_bundle(office_db, bundle, office=office).summary())
except BundleError as exc:
    print(exc)
status = open("/proc/self/status").read()
peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
print(int(peak.split()[1]) // 1024)
"""


def _text(rng: random.Random, size: int) -> str:
    # Random letters: a deflated member of them is no decompression bomb.
    return "".join(rng.choices(string.ascii_letters, k=size))


def _fill(make_line) -> list[str]:
    """Lines from `make_line(i)` while the bundle's caps (bytes, lines, and what the parsed
    lines may take, as the office counts it) all still hold."""
    lines: list[str] = []
    size = parsed = 0
    while len(lines) < MAX_LINES:
        line = make_line(len(lines))
        raw = line.encode()
        value = json.loads(line)
        cost = _parsed_size(value, len(raw), not raw.isascii(), True)
        if size + len(raw) + 1 > MAX_ROWS_BYTES or parsed + cost > MAX_PARSED_BYTES:
            break
        lines.append(line)
        size, parsed = size + len(raw) + 1, parsed + cost
    return lines


def _only_people(manifest, lines: list[str]) -> bytes:
    """A payload whose one NDJSON member is these person lines (no audit, no other rows)."""
    members = {"rows/person.ndjson": ("\n".join(lines) + "\n").encode()}
    return build_payload({**manifest, "counts": {"person": len(lines)}}, members)


def _record(i: int, device: str, name: str) -> str:
    return json.dumps(
        {"ancestors": [], "row": {"id": f"{i:08d}", "name": name, "rev": f"{REV}.{device}"}},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def many_short_lines(manifest, members):
    """Short records of the right shape (so nothing is refused before they are parsed), as
    many as the caps let through: the most objects a bundle can make the office hold."""
    rng = random.Random(7)
    pool = [_text(rng, 100) for _ in range(64)]
    device = manifest["device_id"]
    return _only_people(manifest, _fill(lambda i: _record(i, device, pool[i % 64])))


def long_wide_lines(manifest, members):
    """The longest lines, each text holding one character beyond U+FFFF, so Python keeps it at
    four bytes a character: the most memory a byte of JSON can take."""
    # One text for every line: deflate looks back 32 KB, so lines 1 MB apart still do not
    # compress (no decompression bomb), and making them costs one text.
    text = "\U0001f600" + _text(random.Random(8), MAX_LINE_BYTES - 200)
    device = manifest["device_id"]

    def line(i: int) -> str:
        return _record(i, device, text)

    return _only_people(manifest, _fill(line))


def nested_lists(manifest, members):
    """Lines of small lists (one random two-letter text each): 7 bytes of JSON, 115 bytes
    once parsed, if such a line were kept."""
    count = (MAX_LINE_BYTES - 100) // 7
    texts = _text(random.Random(9), 2 * count)
    lists = ",".join(f'["{texts[2 * k : 2 * k + 2]}"]' for k in range(count))  # as above

    def line(i: int) -> str:
        return f'{{"ancestors":[],"row":{{"id":"{i:08d}","name":[{lists}]}}}}'

    return _only_people(manifest, [line(i) for i in range(MAX_ROWS_BYTES // MAX_LINE_BYTES)])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
@pytest.mark.parametrize("mutate", [many_short_lines, long_wide_lines, nested_lists])
def test_a_bundle_made_to_take_memory_stays_under_the_limit(mutate, laptop_db, office_db, tmp_path):
    add_people(laptop_db, 1)
    path = forge(laptop_db, tmp_path / f"{mutate.__name__}.mubabundle", mutate)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(office_db), str(path), PASSPHRASE],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=True,
    )
    *lines, peak_mb = done.stdout.strip().splitlines()
    summary = "\n".join(lines)  # a report with held rows runs to several lines
    print(summary, peak_mb)
    assert path.name in summary  # imported or refused, with its reason: never a traceback
    assert int(peak_mb) < LIMIT_MB, summary
