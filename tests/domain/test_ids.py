"""Row ids (UUIDv7) and revisions (hybrid logical clock) made offline on each device."""

from __future__ import annotations

import uuid

import pytest

from muba_desk.domain.ids import HybridClock, uuid7


def test_uuid7_is_a_canonical_version_7_uuid():
    for _ in range(2000):
        text = uuid7()
        parsed = uuid.UUID(text)
        assert str(parsed) == text  # lower-case hex, 8-4-4-4-12
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_uuid7_carries_the_milliseconds_and_sorts_by_them():
    ms = 1_764_000_000_123
    assert uuid.UUID(uuid7(ms)).int >> 80 == ms
    assert uuid7(ms) < uuid7(ms + 1) < uuid7(ms + 1000)


def test_uuid7_does_not_repeat():
    assert len({uuid7(5) for _ in range(5000)}) == 5000


def test_revisions_grow_even_when_the_clock_steps_back():
    times = iter([1000, 1000, 999, 1001])
    clock = HybridClock("laptop1", now_ms=lambda: next(times))
    revs = [clock.tick() for _ in range(4)]
    assert revs == sorted(revs)
    assert len(set(revs)) == 4
    assert revs[0] == "0000000001000.0000.laptop1"


def test_a_device_id_with_a_dot_is_refused():
    with pytest.raises(ValueError, match="dot"):
        HybridClock("lap.top")


def test_ten_thousand_and_one_ticks_in_one_millisecond_keep_the_revs_shape():
    clock = HybridClock("laptop1", now_ms=lambda: 1000)
    revs = [clock.tick() for _ in range(10_001)]
    assert all(len(r) == len("0000000001000.0000.laptop1") for r in revs)
    assert revs == sorted(revs) and len(set(revs)) == len(revs)
    assert revs[9_999] == "0000000001000.9999.laptop1"
    assert revs[10_000] == "0000000001001.0000.laptop1"
