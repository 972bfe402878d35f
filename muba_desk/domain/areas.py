"""Official Kemendagri area codes: provinces, districts of Indonesia, villages of Musi Banyuasin."""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from muba_desk.paths import resource

MUBA_REGENCY = "16.06"


@dataclass(frozen=True)
class District:
    code: str  # dotted, "16.06.01"
    name: str


@dataclass(frozen=True)
class Village:
    code: str  # dotted, "16.06.01.1009"
    district_code: str  # dotted, "16.06.01"
    name: str
    is_kelurahan: bool


def _digits(code: str) -> str:
    return code.strip().replace(".", "")


def _dotted_district(code: str) -> str:
    d = _digits(code)
    return f"{d[0:2]}.{d[2:4]}.{d[4:6]}" if len(d) == 6 else code.strip()


def _dotted_village(code: str) -> str:
    d = _digits(code)
    return f"{d[0:2]}.{d[2:4]}.{d[4:6]}.{d[6:]}" if len(d) == 10 else code.strip()


def _rows(name: str) -> list[dict[str, str]]:
    path: Path = resource("areas", name)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Areas:
    """The area tables, read once; every lookup accepts codes with or without dots."""

    MUBA_REGENCY = MUBA_REGENCY

    def __init__(self) -> None:
        self.provinces: Mapping[str, str] = MappingProxyType(
            {r["code"]: r["name"] for r in _rows("provinces.csv")}
        )
        # Keyed without dots: that is how a NIK carries the code.
        self._districts: dict[str, str] = {
            _digits(r["code"]): r["name"] for r in _rows("districts.csv")
        }
        self._muba_districts = sorted(
            (
                District(_dotted_district(code), name)
                for code, name in self._districts.items()
                if code.startswith(_digits(MUBA_REGENCY))
            ),
            key=lambda d: d.name,
        )
        villages = [
            Village(
                code=r["code"],
                district_code=r["district_code"],
                name=r["name"],
                # The four-digit village number starts with 1 for kelurahan, 2 for desa.
                is_kelurahan=r["code"].rsplit(".", 1)[-1].startswith("1"),
            )
            for r in _rows("villages_1606_musi_banyuasin.csv")
        ]
        self._villages = sorted(villages, key=lambda v: (v.name, v.code))
        self._village_by_code = {v.code: v for v in villages}

    def district_name(self, code: str) -> str | None:
        """The district's name for "160601" or "16.06.01"; None when the code is unknown."""
        return self._districts.get(_digits(code))

    def is_known_district(self, code: str) -> bool:
        return _digits(code) in self._districts

    def muba_districts(self) -> list[District]:
        """The 15 districts of Musi Banyuasin, sorted by name."""
        return list(self._muba_districts)

    def villages(self, district_code: str | None = None) -> list[Village]:
        """Musi Banyuasin villages sorted by name, all of them or those of one district."""
        if district_code is None:
            return list(self._villages)
        wanted = _dotted_district(district_code)
        return [v for v in self._villages if v.district_code == wanted]

    def village(self, code: str) -> Village:
        """The Musi Banyuasin village with this code; KeyError when there is none."""
        return self._village_by_code[_dotted_village(code)]


@functools.cache
def areas() -> Areas:
    return Areas()
