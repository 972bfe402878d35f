"""Reading a bundle file from disk, and the outcomes of importing one: shared by the office's
import and the laptop's receive."""

from __future__ import annotations

from pathlib import Path

from muba_desk.sync.bundle import (
    HEAD_READ_BYTES,
    MAGIC,
    MAX_CIPHERTEXT_BYTES,
    MAX_HEADER_BYTES,
    Envelope,
    head_length,
    parse,
    refuse,
)

STATUS_IMPORTED = "diimpor"
STATUS_ALREADY = "sudah pernah diimpor"
STATUS_REFUSED = "ditolak"


def _read(path: Path, name: str) -> Envelope:
    """The file, parsed (`bundle.parse`). The head and the ciphertext are read apart, so the
    ciphertext is one bytes object that goes to the decryption without being copied."""
    limit = len(MAGIC) + MAX_HEADER_BYTES + 130 + MAX_CIPHERTEXT_BYTES
    try:
        if path.stat().st_size > limit:
            raise refuse(name, "berkasnya terlalu besar untuk sebuah paket.")
        with open(path, "rb") as f:
            first = f.read(HEAD_READ_BYTES)
            cut = head_length(first)
            if cut is None:  # not a bundle's shape: `parse` says why
                return parse(first + f.read(limit + 1 - len(first)), name)
            f.seek(cut)
            return parse(first[:cut], name, rest=f.read(limit + 1 - cut))
    except OSError as exc:
        raise refuse(name, f"berkas tidak dapat dibaca ({exc.strerror or exc}).") from exc
