"""Human numbers printed on cards and receipts; they carry the device so laptops never collide.

Card: `1606-01-L07-000123` (regency, district, laptop, serial).
Receipt: `BU/2026/L07/000045` (program, year, laptop, serial).
"""

from __future__ import annotations

import re

PROGRAM_PREFIX = {
    "PAKE_KELAMBU": "PK",
    "BANTU_UMAK": "BU",
    "PEDAS_NIA": "PN",
    "BERTANI": "BT",
    "KUBE_UEP": "KU",
    "BAKUL_NASI": "BN",
    "PKM": "KM",
}

DEVICE_CODE = re.compile(r"^[A-Z][0-9]{2,3}$")


def check_device_code(code: str) -> str:
    if not DEVICE_CODE.match(code):
        raise ValueError(
            f"Kode laptop '{code}' tidak sah: pakai satu huruf besar dan 2-3 angka, mis. L07."
        )
    return code


def card_number(village_code: str, device_code: str, serial: int) -> str:
    """`16.06.01.2003` + `L07` + 123 -> `1606-01-L07-000123`."""
    parts = village_code.split(".")
    if len(parts) < 3:
        raise ValueError(f"kode desa {village_code!r} tidak lengkap")
    return f"{parts[0]}{parts[1]}-{parts[2]}-{check_device_code(device_code)}-{serial:06d}"


def receipt_number(program: str, year: int, device_code: str, serial: int) -> str:
    prefix = PROGRAM_PREFIX[program]
    return f"{prefix}/{year}/{check_device_code(device_code)}/{serial:06d}"
